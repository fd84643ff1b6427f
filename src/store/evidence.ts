import type { EvidenceRow } from '../core/batch.ts';
import type { AccountKey } from '../core/keys.ts';
import { directionFor, type Direction, type EvidenceFact } from '../core/relationship.ts';
import { evidenceFrom, type StoredEvidence } from './schema.ts';

/** The evidence store, as any transaction holding it sees it. */
interface EvidenceStore {
  getAll(range: IDBKeyRange): Promise<StoredEvidence[]>;
  index(name: 'byToViewer'): { getAll(key: AccountKey): Promise<StoredEvidence[]> };
}

export interface ViewerEvidence {
  row: EvidenceRow;
  direction: Direction;
  /** The account on the other side. */
  other: AccountKey;
}

/**
 * A row as the evidence store keeps it: marked `toViewer` when addressed to one of the user's
 * accounts, so the byToViewer index holds those rows alone (most of what a feed shows is between
 * other people; an index entry for each cost ~0.1x of a bare write, measured).
 */
export function asStored(row: EvidenceRow, isViewer: (key: AccountKey) => boolean): StoredEvidence {
  return isViewer(row.to) ? { ...row, toViewer: row.to } : row;
}

/** A stored row without the store's mark: what a backup carries. */
export function withoutMark(row: StoredEvidence): EvidenceRow {
  if (row.toViewer === undefined) return row;
  const { toViewer: _mark, ...plain } = row;
  return plain;
}

/**
 * Everything stored between one of the user's known accounts and anyone, with its direction:
 * what it did is a range of the store's keys, what it was given is its marked rows.
 */
export async function evidenceOfViewer(
  evidence: EvidenceStore,
  viewer: AccountKey,
): Promise<ViewerEvidence[]> {
  const [outgoing, incoming] = await Promise.all([
    evidence.getAll(evidenceFrom(viewer)),
    evidence.index('byToViewer').getAll(viewer),
  ]);
  return sided(viewer, [...outgoing, ...incoming]);
}

/** The evidence store in a read-write transaction. */
interface WritableEvidenceStore {
  getAll(range: IDBKeyRange | undefined, count: number): Promise<StoredEvidence[]>;
  put(row: StoredEvidence): Promise<unknown>;
}

/** Rows read at a time when the whole store is walked. */
const SCAN_PAGE = 5000;

/**
 * For an account that has just become one of the user's own: every stored row addressed to it
 * gets the mark (rows written before it was known lack it), and its evidence both ways is
 * returned. Walks the whole store, once per new account; writes only the rows it marks.
 */
export async function adoptEvidence(
  evidence: WritableEvidenceStore,
  viewer: AccountKey,
): Promise<ViewerEvidence[]> {
  const rows: StoredEvidence[] = [];
  const writes: Promise<unknown>[] = [];
  let after: IDBValidKey | undefined;
  for (;;) {
    const page = await evidence.getAll(
      after === undefined ? undefined : IDBKeyRange.lowerBound(after, true),
      SCAN_PAGE,
    );
    for (const row of page) {
      if (row.from === viewer) rows.push(row);
      else if (row.to === viewer) {
        rows.push(row);
        if (row.toViewer !== viewer) writes.push(evidence.put({ ...row, toViewer: viewer }));
      }
    }
    const last = page[page.length - 1];
    if (page.length < SCAN_PAGE || !last) break;
    after = [last.from, last.to, last.key];
  }
  await Promise.all(writes);
  return sided(viewer, rows);
}

function sided(viewer: AccountKey, rows: readonly StoredEvidence[]): ViewerEvidence[] {
  const out: ViewerEvidence[] = [];
  for (const row of rows) {
    const side = directionFor(viewer, row.from, row.to);
    if (side) out.push({ row, ...side });
  }
  return out;
}

/** What a relationship row learns from one piece of evidence. */
export function factOf(row: EvidenceRow, direction: Direction): EvidenceFact {
  const fact: EvidenceFact = { kind: row.kind, direction, at: row.at };
  if (row.url) fact.url = row.url;
  return fact;
}

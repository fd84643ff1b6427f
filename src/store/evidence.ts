import type { EvidenceRow } from '../core/batch.ts';
import type { AccountKey } from '../core/keys.ts';
import { directionFor, type Direction, type EvidenceFact } from '../core/relationship.ts';
import { evidenceFrom, type EvidenceStoreKey, type StoredEvidence } from './schema.ts';

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
  getAll(range: IDBKeyRange): Promise<StoredEvidence[]>;
  getAllKeys(range: IDBKeyRange, count: number): Promise<EvidenceStoreKey[]>;
  get(key: EvidenceStoreKey): Promise<StoredEvidence | undefined>;
  put(row: StoredEvidence): Promise<unknown>;
}

/** Keys read at a time when the store is walked. */
const SCAN_PAGE = 10_000;

/**
 * For an account that has just become one of the user's own: every stored row addressed to it
 * gets the mark (rows written before it was known lack it), and its evidence both ways is
 * returned. Walks the keys of its platform's evidence once (a key names whom the row is to, so no
 * row is read but those), and writes only the rows it marks.
 */
export async function adoptEvidence(
  evidence: WritableEvidenceStore,
  viewer: AccountKey,
  page = SCAN_PAGE,
): Promise<ViewerEvidence[]> {
  // Evidence stays within one platform, and every key of a platform's accounts starts "<platform>:".
  const platform = viewer.slice(0, viewer.indexOf(':'));
  const end = [`${platform};`];
  const addressed: EvidenceStoreKey[] = [];
  let lower: IDBValidKey = [`${platform}:`];
  let open = false;
  for (;;) {
    const keys = await evidence.getAllKeys(IDBKeyRange.bound(lower, end, open, true), page);
    for (const key of keys) if (key[1] === viewer) addressed.push(key);
    const last = keys[keys.length - 1];
    if (keys.length < page || !last) break;
    lower = last;
    open = true;
  }
  const [outgoing, incoming] = await Promise.all([
    evidence.getAll(evidenceFrom(viewer)),
    Promise.all(addressed.map((key) => evidence.get(key))),
  ]);
  const writes: Promise<unknown>[] = [];
  const rows: StoredEvidence[] = [...outgoing];
  for (const row of incoming) {
    if (!row) continue;
    // What the viewer gave itself is among what it gave.
    if (row.from !== viewer) rows.push(row);
    if (row.toViewer !== viewer) writes.push(evidence.put({ ...row, toViewer: viewer }));
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

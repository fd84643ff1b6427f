import type { EvidenceRow } from '../core/batch.ts';
import type { AccountKey } from '../core/keys.ts';
import { directionFor, type Direction, type EvidenceFact } from '../core/relationship.ts';

/** The evidence store's two indexes, as any transaction holding the store sees them. */
interface EvidenceIndexes {
  index(name: 'byFrom' | 'byTo'): { getAll(key: AccountKey): Promise<EvidenceRow[]> };
}

export interface ViewerEvidence {
  row: EvidenceRow;
  direction: Direction;
  /** The account on the other side. */
  other: AccountKey;
}

/** Everything stored between one of the user's accounts and anyone, with its direction. */
export async function evidenceOfViewer(
  evidence: EvidenceIndexes,
  viewer: AccountKey,
): Promise<ViewerEvidence[]> {
  const [outgoing, incoming] = await Promise.all([
    evidence.index('byFrom').getAll(viewer),
    evidence.index('byTo').getAll(viewer),
  ]);
  const out: ViewerEvidence[] = [];
  for (const row of [...outgoing, ...incoming]) {
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

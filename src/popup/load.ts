import type { AccountKey } from '../core/keys.ts';
import { TIERS, type Tier } from '../core/model.ts';
import { scoreAt, type Relationship } from '../core/relationship.ts';
import {
  accountNames,
  activeViewers,
  listViewers,
  rankedRelationships,
  sweepExpired,
  tierCounts,
} from '../store/queries.ts';
import { breakage } from '../store/health.ts';
import type { BreakageRow, RapportDatabase, ViewerRow } from '../store/schema.ts';

export interface PopupRow {
  account: AccountKey;
  handle: string;
  name?: string;
  tier: Tier;
  score: number;
  inCount: number;
  outCount: number;
  /** Likes, reactions and reposts, both ways. */
  passive: number;
  lastExchangeAt?: number;
  profileUrl: string;
}

export interface PopupData {
  /** Kinds of page that stopped being read. */
  breakage: BreakageRow[];
  viewers: ViewerRow[];
  viewer?: ViewerRow;
  counts: Record<Tier, number>;
  rows: PopupRow[];
}

export const TOP = 50;

export function profileUrl(row: Pick<Relationship, 'platform' | 'handle'>): string {
  return row.platform === 'x'
    ? `https://x.com/${row.handle}`
    : `https://www.linkedin.com/in/${row.handle}/`;
}

/** Everything the popup shows first, from indexes and stored rows only. */
export async function loadPopup(
  db: RapportDatabase,
  chosen?: AccountKey,
  now = Date.now(),
): Promise<PopupData> {
  const [viewers, broken] = await Promise.all([listViewers(db), breakage(db)]);
  const active = await activeViewers(db);
  const viewerKey = chosen ?? active.x ?? active.linkedin ?? viewers[0]?.key;
  const viewer = viewers.find((row) => row.key === viewerKey);
  const empty = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
  if (!viewer) return { breakage: broken, viewers, counts: empty, rows: [] };
  await sweepExpired(db, viewer.key, now);
  const [counts, ranked] = await Promise.all([
    tierCounts(db, viewer.key),
    rankedRelationships(db, viewer.key, {
      limit: TOP,
      tiers: ['conversational', 'unanswered', 'reaching', 'silent-follower', 'passive'],
    }),
  ]);
  const names = await accountNames(
    db,
    ranked.map((row) => row.account),
  );
  const rows = ranked.map((row): PopupRow => {
    const out: PopupRow = {
      account: row.account,
      handle: row.handle,
      tier: row.tier,
      score: scoreAt(row.rank, row.halfLifeDays, now),
      inCount: row.inCount,
      outCount: row.outCount,
      passive: row.passiveIn + row.passiveOut,
      profileUrl: profileUrl(row),
    };
    const name = names.get(row.account);
    if (name) out.name = name;
    const last = Math.max(row.lastInAt ?? -Infinity, row.lastOutAt ?? -Infinity);
    if (Number.isFinite(last)) out.lastExchangeAt = last;
    return out;
  });
  return { breakage: broken, viewers, viewer, counts, rows };
}

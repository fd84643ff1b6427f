import type { AccountKey } from '../core/keys.ts';
import { TIER_ORDER, TIERS, type Settings, type Tier } from '../core/model.ts';
import { settle, type Relationship } from '../core/relationship.ts';
import type { MetaValues, RapportDatabase, ViewerRow } from './schema.ts';
import { getSettings } from './settings.ts';

export interface BadgeInfo {
  tier: Tier;
  inCount: number;
  outCount: number;
  lastExchangeAt?: number;
  /** The first line of the user's note, for the hover card. */
  note?: string;
}

function badgeInfo(row: Relationship): BadgeInfo {
  const info: BadgeInfo = { tier: row.tier, inCount: row.inCount, outCount: row.outCount };
  const last = Math.max(row.lastInAt ?? -Infinity, row.lastOutAt ?? -Infinity);
  if (Number.isFinite(last)) info.lastExchangeAt = last;
  return info;
}

/**
 * What the badges of a page need, in one read transaction and one round trip: the tiers of many
 * accounts for one viewer (unknown accounts are absent) and the settings that say which badges
 * to show.
 */
export async function badgeLookup(
  db: RapportDatabase,
  viewer: AccountKey,
  accounts: readonly AccountKey[],
  now: number,
): Promise<{ tiers: Record<AccountKey, BadgeInfo>; settings: Settings }> {
  const tx = db.transaction(['relationships', 'settings', 'notes'], 'readonly');
  const store = tx.objectStore('relationships');
  const notes = tx.objectStore('notes');
  const [settings, rows, noted] = await Promise.all([
    getSettings(tx.objectStore('settings')),
    Promise.all(accounts.map((account) => store.get([viewer, account]))),
    Promise.all(accounts.map((account) => notes.get(account))),
  ]);
  const out: Record<AccountKey, BadgeInfo> = {};
  rows.forEach((row, i) => {
    if (!row) return;
    // A stored tier can have expired by time alone: answer with the tier as of now.
    const info = badgeInfo(row.validUntil <= now ? settle(row, settings, now) : row);
    const first = noted[i]?.text.split('\n')[0]?.trim();
    if (first) info.note = first.slice(0, 200);
    out[row.account] = info;
  });
  return { tiers: out, settings };
}

/** Re-settles rows whose tier expired by time passing (an exchange left the window). */
export async function sweepExpired(
  db: RapportDatabase,
  viewer: AccountKey,
  now: number,
): Promise<number> {
  const tx = db.transaction(['relationships', 'settings'], 'readwrite');
  const settings = await getSettings(tx.objectStore('settings'));
  const index = tx.objectStore('relationships').index('byValidUntil');
  let count = 0;
  let cursor = await index.openCursor(IDBKeyRange.bound([viewer, -Infinity], [viewer, now]));
  while (cursor) {
    await cursor.update(settle(cursor.value, settings, now));
    count += 1;
    cursor = await cursor.continue();
  }
  await tx.done;
  return count;
}

export async function tierCounts(
  db: RapportDatabase,
  viewer: AccountKey,
): Promise<Record<Tier, number>> {
  // byRank's second key is the tier's order: a range per tier counts it, no extra index to keep.
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const counts = await Promise.all(
    TIERS.map((tier) =>
      index.count(
        IDBKeyRange.bound(
          [viewer, TIER_ORDER[tier], -Infinity],
          [viewer, TIER_ORDER[tier], Infinity],
        ),
      ),
    ),
  );
  return Object.fromEntries(TIERS.map((tier, i) => [tier, counts[i] ?? 0])) as Record<Tier, number>;
}

/** How many people follow the viewer or are connected with them (a count of a sparse index). */
export function followerCount(db: RapportDatabase, viewer: AccountKey): Promise<number> {
  return db.countFromIndex('relationships', 'byFollowerOf', viewer);
}

/**
 * Best first: by tier (conversational, unanswered, reaching, …), then by score. Walks the index,
 * reading only the rows returned.
 */
export async function rankedRelationships(
  db: RapportDatabase,
  viewer: AccountKey,
  options: { limit: number; tiers?: readonly Tier[] },
): Promise<Relationship[]> {
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const orders = (options.tiers ?? TIERS).map((tier) => TIER_ORDER[tier]).sort((a, b) => a - b);
  const out: Relationship[] = [];
  for (const order of new Set(orders)) {
    let cursor = await index.openCursor(
      IDBKeyRange.bound([viewer, order, -Infinity], [viewer, order, Infinity]),
    );
    while (cursor && out.length < options.limit) {
      out.push(cursor.value);
      cursor = await cursor.continue();
    }
    if (out.length >= options.limit) break;
  }
  return out;
}

export async function listViewers(db: RapportDatabase): Promise<ViewerRow[]> {
  return db.getAll('viewers');
}

export async function activeViewers(db: RapportDatabase): Promise<MetaValues['activeViewer']> {
  return ((await db.get('meta', 'activeViewer')) as MetaValues['activeViewer'] | undefined) ?? {};
}

export async function accountNames(
  db: RapportDatabase,
  keys: readonly AccountKey[],
): Promise<Map<AccountKey, string>> {
  const tx = db.transaction('accounts', 'readonly');
  const rows = await Promise.all(keys.map((key) => tx.store.get(key)));
  const names = new Map<AccountKey, string>();
  for (const row of rows) if (row?.name) names.set(row.key, row.name);
  return names;
}

/**
 * How many people wait on an answer from the accounts in use (one per platform), when the user
 * wants it on the toolbar; undefined when they do not.
 */
export async function waitingCount(
  db: RapportDatabase,
  now = Date.now(),
): Promise<number | undefined> {
  const settings = await getSettings(db);
  if (!settings.toolbarCount) return undefined;
  const viewers = Object.values(await activeViewers(db));
  // A stored tier can expire by time alone (their message left the window) and stays stored until
  // re-settled: settle those first, or the count keeps people who no longer wait. Counting the
  // expired is one read; the write happens only when there are some.
  for (const viewer of viewers) {
    const expired = await db.countFromIndex(
      'relationships',
      'byValidUntil',
      IDBKeyRange.bound([viewer, -Infinity], [viewer, now]),
    );
    if (expired > 0) await sweepExpired(db, viewer, now);
  }
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const order = TIER_ORDER.unanswered;
  const counts = await Promise.all(
    viewers.map((viewer) =>
      index.count(IDBKeyRange.bound([viewer, order, -Infinity], [viewer, order, Infinity])),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

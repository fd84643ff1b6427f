import type { AccountKey } from '../core/keys.ts';
import { PLATFORMS, TIER_ORDER, TIERS, type Platform, type Tier } from '../core/model.ts';
import { scoreAt, type Relationship } from '../core/relationship.ts';
import { firstScreenRead, waitingRows, walkRanked } from '../store/people.ts';
import { accountNames, followerCount, sweepExpired, tierCounts } from '../store/queries.ts';
import { requestRepaint } from '../shared/repaint.ts';
import type { BreakageRow, MetaValues, RapportDatabase, ViewerRow } from '../store/schema.ts';

export interface PopupRow {
  /** Whose relationship this is (the popup can show several accounts side by side). */
  viewer: AccountKey;
  account: AccountKey;
  platform: Platform;
  handle: string;
  name?: string;
  tier: Tier;
  score: number;
  inCount: number;
  outCount: number;
  /** Likes, reactions and reposts, both ways. */
  passive: number;
  lastExchangeAt?: number;
  /** When they last addressed the viewer, and where to answer it. */
  lastInAt?: number;
  answerUrl?: string;
  profileUrl: string;
  /** Name and handle in lower case, made once: what a search looks in. */
  searchText: string;
}

/** Which platforms the popup shows: one, or all of them side by side. */
export type PlatformFilter = 'all' | Platform;

export interface PopupChoice {
  platform?: PlatformFilter;
  /** The account chosen on a platform where several were seen; else the one used last. */
  viewers?: Partial<Record<Platform, AccountKey>>;
}

export interface PopupData {
  /** Kinds of page that stopped being read. */
  breakage: BreakageRow[];
  viewers: ViewerRow[];
  /** Platforms with at least one viewer, in PLATFORMS order. */
  platforms: Platform[];
  filter: PlatformFilter;
  /** The viewer shown on each platform in the filter. */
  shown: ViewerRow[];
  /**
   * The first screen of "Talks with you" of each shown viewer the popup guessed (the ones shown
   * at its last opening), read in the accounts' transaction.
   */
  talkFirstScreen?: ReadonlyMap<AccountKey, Relationship[]>;
}

export function profileUrl(row: Pick<Relationship, 'platform' | 'handle'>): string {
  return row.platform === 'x'
    ? `https://x.com/${row.handle}`
    : `https://www.linkedin.com/in/${encodeURIComponent(row.handle)}/`;
}

/**
 * What the popup needs before anything else: the accounts, and which to show. Each platform shows
 * its chosen (or last used) account; "all" puts the platforms side by side.
 */
export async function loadPopup(
  db: RapportDatabase,
  choice: PopupChoice = {},
  /** Viewers likely shown (the last opening's): their first rows are read in the same round trip. */
  guessed: readonly AccountKey[] = [],
): Promise<PopupData> {
  // One transaction for every read: each transaction is a round trip of its own.
  const tx = db.transaction(['viewers', 'meta', 'relationships'], 'readonly');
  const meta = tx.objectStore('meta');
  const byRank = tx.objectStore('relationships').index('byRank');
  const [viewers, brokenStored, activeStored, ...screens] = await Promise.all([
    tx.objectStore('viewers').getAll(),
    meta.get('breakage') as Promise<MetaValues['breakage'] | undefined>,
    meta.get('activeViewer') as Promise<MetaValues['activeViewer'] | undefined>,
    ...guessed.map((viewer) => firstScreenRead(byRank, viewer, SECTION_TIERS.talk)),
  ]);
  const broken = brokenStored ?? [];
  const active = activeStored ?? {};
  const platforms = PLATFORMS.filter((p) => viewers.some((v) => v.platform === p));
  const filter: PlatformFilter =
    choice.platform && (choice.platform === 'all' || platforms.includes(choice.platform))
      ? choice.platform
      : platforms.length === 1
        ? (platforms[0] as Platform)
        : 'all';
  const shown = platforms
    .filter((p) => filter === 'all' || filter === p)
    .flatMap((platform) => {
      const key = choice.viewers?.[platform] ?? active[platform];
      const row =
        viewers.find((v) => v.key === key && v.platform === platform) ??
        viewers.find((v) => v.platform === platform);
      return row ? [row] : [];
    });
  const data: PopupData = { breakage: broken, viewers, platforms, filter, shown };
  const talkFirstScreen = new Map<AccountKey, Relationship[]>();
  guessed.forEach((viewer, i) => {
    const rows = screens[i];
    if (rows && shown.some((v) => v.key === viewer)) talkFirstScreen.set(viewer, rows);
  });
  if (talkFirstScreen.size > 0) data.talkFirstScreen = talkFirstScreen;
  return data;
}

export interface PopupCounts {
  tiers: Record<Tier, number>;
  /** People who follow the shown accounts or are connected with them, whatever their tier. */
  followers: number;
  /** A shown account is on LinkedIn: its connections are among the followers. */
  withConnections: boolean;
}

/**
 * Counts per tier and of followers of the shown viewers, after re-settling the rows whose tier
 * expired by time alone. Counting walks the indexes (50,000 rows take a while): the popup asks
 * for it after its first rows are on screen.
 */
export async function loadCounts(
  db: RapportDatabase,
  shown: readonly ViewerRow[],
  now = Date.now(),
): Promise<PopupCounts> {
  const tiers = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
  let swept = 0;
  for (const viewer of shown) swept += await sweepExpired(db, viewer.key, now);
  // Tiers expired by time alone: the toolbar counts from the stored ones, so it redraws.
  if (swept > 0) void requestRepaint();
  const [parts, followers] = await Promise.all([
    Promise.all(shown.map((viewer) => tierCounts(db, viewer.key))),
    Promise.all(shown.map((viewer) => followerCount(db, viewer.key))),
  ]);
  for (const part of parts) for (const tier of TIERS) tiers[tier] += part[tier];
  return {
    tiers,
    followers: followers.reduce((a, b) => a + b, 0),
    withConnections: shown.some((viewer) => viewer.platform === 'linkedin'),
  };
}

/** The popup's sections: four tiers, the waiting queue, and everyone. */
export const SECTIONS = ['talk', 'waiting', 'reaching', 'silent', 'everyone'] as const;
export type Section = (typeof SECTIONS)[number];

const SECTION_TIERS: Readonly<Record<Exclude<Section, 'waiting'>, readonly Tier[]>> = {
  talk: ['conversational'],
  reaching: ['reaching'],
  silent: ['silent-follower'],
  everyone: TIERS,
};

function toRow(row: Relationship, now: number): PopupRow {
  const out: PopupRow = {
    viewer: row.viewer,
    account: row.account,
    platform: row.platform,
    handle: row.handle,
    tier: row.tier,
    score: scoreAt(row.rank, row.halfLifeDays, now),
    inCount: row.inCount,
    outCount: row.outCount,
    passive: row.passiveIn + row.passiveOut,
    profileUrl: profileUrl(row),
    searchText: row.handle,
  };
  const last = Math.max(row.lastInAt ?? -Infinity, row.lastOutAt ?? -Infinity);
  if (Number.isFinite(last)) out.lastExchangeAt = last;
  if (row.lastInUrl) out.answerUrl = row.lastInUrl;
  if (row.lastInAt !== undefined) out.lastInAt = row.lastInAt;
  return out;
}

/** A row with its display name, which searches look in too. */
function withName(row: PopupRow, name: string): PopupRow {
  return { ...row, name, searchText: `${name.toLowerCase()} ${row.handle}` };
}

/** Runs `fn` once, after the next frame is painted (or soon, where no frames come). */
function afterPaint(fn: () => void): void {
  let ran = false;
  const once = () => {
    if (ran) return;
    ran = true;
    fn();
  };
  if (typeof requestAnimationFrame !== 'function') return void setTimeout(once, 0);
  requestAnimationFrame(() => setTimeout(once, 0));
  // A page in the background gets no frames.
  setTimeout(once, 100);
}

/** How many of the first rows have their names checked against the accounts store. */
const FIRST_SCREEN_NAMES = 100;

/**
 * A section's rows for the shown viewers, delivered in chunks as they are read (best first, or
 * oldest first for the waiting queue), names filled in. Returns a function that stops loading.
 */
export function loadSection(
  db: RapportDatabase,
  viewers: readonly AccountKey[],
  section: Section,
  onRows: (rows: PopupRow[], done: boolean) => void,
  now = Date.now(),
  /** First screens already read, by viewer (only "Talks with you" is read ahead). */
  firstScreens?: ReadonlyMap<AccountKey, Relationship[]>,
): () => void {
  let stopped = false;
  let reported = 0;
  // Names come with the rows (written there by the ingest); only rows without one are looked up
  // in the accounts store. A name changed since its row was written is caught by `refreshNames`.
  const named = async (rows: Relationship[]): Promise<PopupRow[]> => {
    const missing = rows.filter((r) => r.name === undefined).map((r) => r.account);
    const names =
      missing.length > 0 ? await accountNames(db, missing) : new Map<AccountKey, string>();
    return rows.map((r) => {
      const row = toRow(r, now);
      const name = r.name ?? names.get(r.account);
      return name ? withName(row, name) : row;
    });
  };
  let finished = false;
  let namesChecked = false;
  // After the first screen: the names of its rows as the accounts store has them now (a row's
  // copy is as old as the row's last write); what changed is redrawn.
  const refreshNames = async () => {
    const first = all.slice(0, FIRST_SCREEN_NAMES);
    const fresh = await accountNames(
      db,
      first.map((r) => r.account),
    );
    let changed = false;
    first.forEach((row, i) => {
      const name = fresh.get(row.account);
      if (!name || name === row.name) return;
      all[i] = withName(row, name);
      changed = true;
    });
    if (changed && !stopped) onRows(sorted(), finished);
  };
  const checkNames = () => {
    if (namesChecked) return;
    namesChecked = true;
    // After the first screen is painted: the check is a hundred requests whose setting up (~3 ms
    // in a trace) held the first rows' drawing up. A failed check leaves the rows' own names.
    afterPaint(() => void refreshNames().catch(() => undefined));
  };
  const all: PopupRow[] = [];
  // A new array each time (the list re-renders on it); merged viewers sorted together.
  const sorted = () =>
    viewers.length > 1
      ? [...all].sort((a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.score - a.score)
      : [...all];
  void (async () => {
    if (section === 'waiting') {
      const rows = (await Promise.all(viewers.map((v) => waitingRows(db, v)))).flat();
      rows.sort((a, b) => (a.lastInAt ?? 0) - (b.lastInAt ?? 0));
      if (!stopped) onRows(await named(rows), true);
      return;
    }
    for (const viewer of viewers) {
      const firstScreen = section === 'talk' ? firstScreens?.get(viewer) : undefined;
      await walkRanked(
        db,
        viewer,
        SECTION_TIERS[section],
        async (chunk) => {
          if (stopped) return false;
          const rows = await named(chunk);
          if (stopped) return false;
          for (const row of rows) all.push(row);
          // The first screen at once; then at most four updates a second while the rest loads.
          const at = performance.now();
          if (reported === 0 || at - reported > 250) {
            reported = at;
            onRows(sorted(), false);
            checkNames();
          }
          return true;
        },
        undefined,
        firstScreen,
      );
    }
    finished = true;
    if (!stopped) onRows(sorted(), true);
    checkNames();
  })();
  return () => {
    stopped = true;
  };
}

import { unwrap, type IDBPTransaction } from 'idb';
import {
  mergePlans,
  planBatch,
  type AccountSighting,
  type BatchPlan,
  type EvidenceRow,
} from '../core/batch.ts';
import { accountKey, type AccountKey } from '../core/keys.ts';
import type { AccountRef, Observation, Platform, Settings } from '../core/model.ts';
import {
  applyEvidence,
  applyFlags,
  directionFor,
  emptyRelationship,
  settle,
  type EvidenceFact,
  type Relationship,
  type RelationshipFlags,
} from '../core/relationship.ts';
import {
  abandon,
  asStored,
  type AccountRow,
  type MetaValues,
  type RapportDatabase,
  type RapportDB,
  type UnjoinedRow,
  type ViewerRow,
  waitingFor,
} from './schema.ts';
import { adoptEvidence, factOf } from './evidence.ts';
import { getSettings } from './settings.ts';

export interface IngestInput {
  viewer?: AccountRef;
  observations: readonly Observation[];
  /** When the observations were read from the page (ms). */
  seenAt: number;
  /**
   * Whether the settings let this batch be recorded (a site turned off, a private window). Asked
   * of the settings the ingest reads anyway: the check costs no transaction of its own (a
   * separate read of the settings before each batch cost 1–5% of the ingest, measured).
   */
  recordable?: (settings: Settings) => boolean;
}

export interface IngestResult {
  /** Evidence rows that were new. */
  added: number;
}

const STORES = [
  'viewers',
  'accounts',
  'evidence',
  'relationships',
  'unjoined',
  'meta',
  'settings',
] as const;

/** A batch waiting for its turn to be written. */
interface Waiting {
  input: IngestInput;
  plan: BatchPlan;
  /** The batch's viewer ('' for none): only batches of one viewer are written together. */
  viewerKey: string;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

interface IngestQueue {
  writing: boolean;
  waiting: Waiting[];
}

const queues = new WeakMap<RapportDatabase, IngestQueue>();
/**
 * The most observations written together. The batches' transactions would run one after another
 * anyway (they write the same stores). A row costs more the larger its transaction in Chromium
 * (a bare put loop: 53 µs a row in 5,000, 63 in 10,000, 137 in 40,000): 10,000 observations
 * went in 7% faster as two groups of 5,000 than as one (4 alternated runs; 2,500 no better).
 */
export const GROUP_LIMIT = 5_000;

/**
 * Writes one batch: accounts, evidence deduplicated by key, and the relationship rows of every
 * known viewer the new evidence touches, updated incrementally. Resolves only when its
 * transaction has committed; on any failure nothing of the batch remains.
 *
 * Batches that arrive while another is being written, or within a task of the first, wait, and
 * are then written together in one transaction, as if one after another: a burst (a page's first
 * load, many tabs) rewrites each relationship row and account once per group, not once per batch.
 * 10,000 observations in 10 messages sent at once: two transactions of 5,000, 1.36–1.48x a bare
 * put loop of them in one (one group of 10,000: 1.43–1.55x; one by one 1.5–1.7x; on a machine
 * slower than the one of earlier figures).
 */
export function ingestBatch(db: RapportDatabase, input: IngestInput): Promise<IngestResult> {
  // Inside the executor: a batch that cannot even be planned rejects, as any failure does.
  return new Promise<IngestResult>((resolve, reject) => {
    const plan = planBatch(input.observations, input.viewer, input.seenAt);
    let queue = queues.get(db);
    if (!queue) queues.set(db, (queue = { writing: false, waiting: [] }));
    const viewerKey = plan.viewer ? accountKey(plan.viewer) : '';
    queue.waiting.push({ input, plan, viewerKey, resolve, reject });
    // Nothing being written: this batch's transaction starts after the batches already on their
    // way (a flush of several messages, other tabs' batches) joined it.
    if (!queue.writing) {
      queue.writing = true;
      const waiting = queue;
      setTimeout(() => void drain(db, waiting), 0);
    }
  });
}

async function drain(db: RapportDatabase, queue: IngestQueue): Promise<void> {
  queue.writing = true;
  try {
    while (queue.waiting.length > 0) await writeGroup(db, nextGroup(queue.waiting));
  } finally {
    queue.writing = false;
  }
}

/**
 * The first waiting batch and those right behind it of the same viewer, up to GROUP_LIMIT
 * observations: taken in order, so the group writes what they would one after another.
 */
export function nextGroup<
  T extends { viewerKey: string; input: { observations: readonly unknown[] } },
>(waiting: T[]): T[] {
  let size = 0;
  let count = 0;
  for (const batch of waiting) {
    size += batch.input.observations.length;
    if (count > 0 && (batch.viewerKey !== waiting[0]?.viewerKey || size > GROUP_LIMIT)) break;
    count += 1;
  }
  return waiting.splice(0, count);
}

/** Writes a group and answers each of its batches; never throws. */
async function writeGroup(db: RapportDatabase, group: Waiting[]): Promise<void> {
  try {
    const added = await writeTogether(db, group);
    group.forEach((batch, i) => batch.resolve({ added: added[i] ?? 0 }));
  } catch (error) {
    if (group.length === 1) {
      group[0]?.reject(error);
      return;
    }
    // One batch that cannot be written must not fail the others: each is written alone.
    for (const batch of group) {
      try {
        const [added] = await writeTogether(db, [batch]);
        batch.resolve({ added: added ?? 0 });
      } catch (alone) {
        batch.reject(alone);
      }
    }
  }
}

/**
 * Writes batches of one viewer in one transaction. Resolves with how many evidence rows each
 * added, once the transaction has committed; on any failure nothing of them remains.
 */
async function writeTogether(db: RapportDatabase, batches: readonly Waiting[]): Promise<number[]> {
  const added = batches.map(() => 0);
  const tx: IngestTx = db.transaction([...STORES], 'readwrite');
  const done = tx.done;
  // Requests go out together and are awaited together: each awaited round trip to the database
  // costs more than the requests in it. Writes all settle before we answer.
  const writes: Promise<unknown>[] = [];
  try {
    const viewersStore = tx.objectStore('viewers');
    const meta = tx.objectStore('meta');
    const relationshipStore = tx.objectStore('relationships');
    // Round 1: settings, the known viewers, the active viewer of each platform.
    const [settings, viewerRows, activeStored, generation] = await Promise.all([
      getSettings(tx.objectStore('settings')),
      viewersStore.getAll(),
      meta.get('activeViewer'),
      meta.get('generation'),
    ]);
    // A site turned off, a private window: those batches are answered, and not written.
    const recorded = batches.flatMap((batch, i) =>
      !batch.input.recordable || batch.input.recordable(settings) ? [i] : [],
    );
    if (recorded.length === 0) {
      // Nothing written: the transaction ends with its reads.
      await done;
      return added;
    }
    const written = recorded.map((i) => batches[i] as Waiting);
    const { plan, owner } = mergePlans(written.map((batch) => batch.plan));
    const now = Math.max(...written.map((batch) => batch.input.seenAt));
    const viewers = new Map<AccountKey, ViewerRow>(viewerRows.map((row) => [row.key, row]));
    const viewerKey = plan.viewer ? accountKey(plan.viewer) : undefined;
    const rows = new Map<string, Relationship>();

    if (plan.viewer && viewerKey) {
      const known = viewers.get(viewerKey);
      const row: ViewerRow = {
        ...(known ?? { firstSeenAt: now }),
        key: viewerKey,
        platform: plan.viewer.platform,
        handle: plan.viewer.handle,
        lastSeenAt: now,
      } as ViewerRow;
      if (plan.viewer.id) row.id = plan.viewer.id;
      if (plan.viewer.name) row.name = plan.viewer.name;
      writes.push(viewersStore.put(row));
      const active = (activeStored as MetaValues['activeViewer'] | undefined) ?? {};
      if (active[plan.viewer.platform] !== viewerKey) {
        writes.push(meta.put({ ...active, [plan.viewer.platform]: viewerKey }, 'activeViewer'));
      }
      if (!known) {
        viewers.set(viewerKey, row);
        // A viewer seen for the first time: what was stored before about them becomes theirs.
        await backfill(tx, viewerKey, settings, rows);
      }
    }

    // Which (viewer, account) rows this batch may change: any known viewer an edge touches, and
    // the batch viewer's flags. Read them all in round 2, beside the accounts and evidence writes.
    type Other = { platform: Platform; handle: string };
    const candidates = new Map<string, { viewer: AccountKey; other: Other }>();
    const candidate = (viewer: AccountKey, other: Other) => {
      const key = `${viewer}|${accountKey(other)}`;
      if (!candidates.has(key)) candidates.set(key, { viewer, other });
      return key;
    };
    const sides = plan.evidence.map((ev) => {
      const touched: Array<{ key: string; fact: EvidenceFact }> = [];
      for (const viewer of viewers.keys()) {
        const side = directionFor(viewer, ev.from, ev.to);
        if (side)
          touched.push({
            key: candidate(viewer, parseOther(side.other, ev.platform)),
            fact: factOf(ev, side.direction),
          });
      }
      return touched;
    });
    const flagged: Array<{ key: string; flags: RelationshipFlags }> = [];
    if (viewerKey) {
      for (const [key, flags] of plan.flags) {
        if (key !== viewerKey) flagged.push({ key: candidate(viewerKey, flags.ref), flags });
      }
    }
    const toRead = [...candidates].filter(([key]) => !rows.has(key));

    const cache = cacheFor(db, typeof generation === 'number' ? generation : 0);
    const [accounts, isNew, stored] = await Promise.all([
      upsertAccounts(tx, cache, plan.accounts.values(), now),
      addNewEvidence(unwrap(tx.objectStore('evidence')), plan.evidence, (key) => viewers.has(key)),
      Promise.all(toRead.map(([, c]) => relationshipStore.get([c.viewer, accountKey(c.other)]))),
    ]);
    // Rows rebuilt by a backfill are new to the store whether or not this batch changes them.
    const backfilled = new Set<string>(rows.keys());
    const existed = new Set<string>(rows.keys());
    toRead.forEach(([key, c], i) => {
      const row = stored[i];
      if (row) existed.add(key);
      rows.set(key, row ?? emptyRelationship(c.viewer, c.other, settings));
    });
    // Accounts an imported archive named by id alone, seen now: its lines join their rows.
    const joins = accounts.waiting
      .filter(({ line }) => viewers.has(line.viewer))
      .map(({ line, account }) => ({ line, key: candidate(line.viewer, account) }));
    const joinReads = joins.filter(({ key }) => !rows.has(key));
    const joinStored = await Promise.all(
      joinReads.map(({ key }) => {
        const c = candidates.get(key) as { viewer: AccountKey; other: Other };
        return relationshipStore.get([c.viewer, accountKey(c.other)]);
      }),
    );
    joinReads.forEach(({ key }, i) => {
      const c = candidates.get(key) as { viewer: AccountKey; other: Other };
      rows.set(key, joinStored[i] ?? emptyRelationship(c.viewer, c.other, settings));
    });

    const changed = new Set<string>();
    plan.evidence.forEach((_, i) => {
      if (!isNew[i]) return;
      const by = recorded[owner[i] as number] as number;
      added[by] = (added[by] as number) + 1;
      for (const { key, fact } of sides[i] ?? []) {
        rows.set(key, applyEvidence(rows.get(key) as Relationship, fact));
        changed.add(key);
      }
    });
    const unjoined = unwrap(tx.objectStore('unjoined'));
    for (const { line, key } of joins) {
      // A waiting line carries the flags it joins with (followsViewer, viewerFollows).
      rows.set(key, applyFlags(rows.get(key) as Relationship, line));
      changed.add(key);
      unjoined.delete([line.platform, line.id, line.viewer]);
    }
    for (const { key, flags } of flagged) {
      // "Does not follow you" about someone Rapport has no row for is not worth a row.
      const news =
        flags.followsViewer === true || flags.viewerFollows === true || flags.connected === true;
      if (!news && !existed.has(key) && !changed.has(key)) continue;
      rows.set(key, applyFlags(rows.get(key) as Relationship, flags));
      changed.add(key);
    }
    // Plain requests, no promise each: a failed one aborts the transaction, and `done` says so.
    const rawRelationships = unwrap(relationshipStore);
    for (const [key, row] of rows) {
      // Rows read for evidence that turned out to be known already are left as they were.
      if (changed.has(key) || backfilled.has(key)) {
        const name = plan.accounts.get(row.account)?.name;
        rawRelationships.put(settle(name ? { ...row, name } : row, settings, now));
      }
    }
    await Promise.all([...writes, done]);
    // Only what committed is remembered.
    if (cache.size > CACHE_LIMIT) cache.clear();
    for (const [key, known] of accounts.learned) cache.set(key, known);
    return added;
  } catch (error) {
    await abandon(tx, [...writes, done]);
    throw error;
  }
}

/**
 * One of the user's own accounts, added by hand or named by an imported archive (no page of it
 * was read yet, or its layout hid it): it becomes the account shown for its platform, and what
 * was stored about it becomes its own, as when a page first names it.
 */
export async function addViewer(
  db: RapportDatabase,
  account: AccountRef,
  now = Date.now(),
): Promise<void> {
  await ingestBatch(db, { viewer: account, observations: [], seenAt: now });
}

type IngestTx = IDBPTransaction<RapportDB, Array<(typeof STORES)[number]>, 'readwrite'>;

function parseOther(key: AccountKey, platform: Platform): { platform: Platform; handle: string } {
  return { platform, handle: key.slice(platform.length + 1) };
}

async function backfill(
  tx: IngestTx,
  viewer: AccountKey,
  settings: Settings,
  rows: Map<string, Relationship>,
): Promise<void> {
  for (const ev of await adoptEvidence(tx.objectStore('evidence'), viewer)) {
    const other = parseOther(ev.other, ev.row.platform);
    const key = `${viewer}|${accountKey(other)}`;
    const row = rows.get(key) ?? emptyRelationship(viewer, other, settings);
    rows.set(key, applyEvidence(row, factOf(ev.row, ev.direction)));
  }
}

/** What the store already holds of an account, remembered so unchanged sightings cost nothing. */
interface KnownAccount {
  id?: string;
  name?: string;
  lastSeenAt: number;
}
type AccountCache = Map<AccountKey, KnownAccount>;

const accountCaches = new WeakMap<RapportDatabase, { generation: number; cache: AccountCache }>();
/** lastSeenAt is refreshed at most this often: it dates a person, not every scroll. */
const SEEN_RESOLUTION_MS = 3_600_000;
const CACHE_LIMIT = 50_000;

function cacheFor(db: RapportDatabase, generation: number): AccountCache {
  const held = accountCaches.get(db);
  // The store was rewritten (import, delete everything) since this cache was filled: forget it.
  if (held?.generation === generation) return held.cache;
  const cache: AccountCache = new Map();
  accountCaches.set(db, { generation, cache });
  return cache;
}

/**
 * Writes accounts that are new or changed (name, id) or not dated for an hour. Returns the
 * write requests and the cache entries to record once the transaction has committed.
 */
async function upsertAccounts(
  tx: IngestTx,
  cache: AccountCache,
  sightings: Iterable<AccountSighting>,
  now: number,
): Promise<{
  learned: Array<[AccountKey, KnownAccount]>;
  /** Imported lines that waited for the id of an account seen here. */
  waiting: Array<{ line: UnjoinedRow; account: AccountSighting }>;
}> {
  const store = tx.objectStore('accounts');
  const stale = [...sightings].filter((s) => !upToDate(cache.get(s.key), s, now));
  // Who waits for an id is asked once per id this worker learns, not at every sighting.
  const withNewId = stale.filter((s) => s.id !== undefined && s.id !== cache.get(s.key)?.id);
  const unjoined = tx.objectStore('unjoined');
  const [existing, lines] = await Promise.all([
    Promise.all(stale.map((s) => store.get(s.key))),
    Promise.all(withNewId.map((s) => unjoined.getAll(waitingFor(s.platform, s.id as string)))),
  ]);
  const waiting = withNewId.flatMap((account, i) =>
    (lines[i] ?? []).map((line) => ({ line, account })),
  );
  const learned: Array<[AccountKey, KnownAccount]> = [];
  // Plain requests: when one fails, the transaction aborts and its `done` reports it once.
  const raw = unwrap(store);
  stale.forEach((s, i) => {
    const prior = existing[i];
    // Stored already as this sighting would leave it, and dated within the hour: nothing to
    // write. The cache is empty after each restart of the worker (an idle one stops within a
    // minute), and every account of the next batch was rewritten only to be remembered.
    if (prior && upToDate(prior, s, now)) {
      learned.push([s.key, knownOf(prior)]);
      return;
    }
    const row: AccountRow = prior
      ? { ...prior, lastSeenAt: Math.max(prior.lastSeenAt, now) }
      : { key: s.key, platform: s.platform, handle: s.handle, firstSeenAt: now, lastSeenAt: now };
    if (s.id) row.id = s.id;
    if (s.name) row.name = s.name;
    learned.push([s.key, knownOf(row)]);
    raw.put(row);
  });
  return { learned, waiting };
}

/**
 * Whether what is known of an account (the cache's copy or the stored row) already says all a
 * sighting does (its id and name) and is dated within the hour: then nothing needs writing.
 */
function upToDate(
  known: KnownAccount | undefined,
  sighting: AccountSighting,
  now: number,
): boolean {
  return (
    known !== undefined &&
    (sighting.id === undefined || sighting.id === known.id) &&
    (sighting.name === undefined || sighting.name === known.name) &&
    now - known.lastSeenAt < SEEN_RESOLUTION_MS
  );
}

function knownOf(row: AccountRow): KnownAccount {
  const known: KnownAccount = { lastSeenAt: row.lastSeenAt };
  if (row.id) known.id = row.id;
  if (row.name) known.name = row.name;
  return known;
}

/**
 * Adds evidence rows to the evidence store of a read-write transaction and tells, row by row,
 * what was new. `add` on an existing key fails; preventing that error's default keeps the
 * transaction alive, so one request per row both deduplicates and writes, all sent at once.
 * Rows addressed to one of the user's accounts (`isViewer`) are stored with the mark.
 *
 * The answers are heard on the transaction, not on each request: a request's success and error
 * events pass through its transaction first (capture phase), and a transaction answers its
 * requests in the order they were made, so the adds, made one after another, are answered one
 * after another. Setting two handlers on each of 10,000 requests took ~30 ms of the ingest's
 * script (the loop's own time, 59 ms then 27–31 ms without them, profiled).
 */
export function addNewEvidence(
  store: IDBObjectStore,
  evidence: readonly EvidenceRow[],
  isViewer: (key: AccountKey) => boolean,
): Promise<boolean[]> {
  return new Promise<boolean[]>((resolve, reject) => {
    const isNew = new Array<boolean>(evidence.length).fill(false);
    if (evidence.length === 0) {
      resolve(isNew);
      return;
    }
    const tx = store.transaction;
    let first: IDBRequest | undefined;
    /** How many adds were answered; -1 until the first one is. */
    let answered = -1;
    const stop = () => {
      tx.removeEventListener('success', hear, true);
      tx.removeEventListener('error', hear, true);
    };
    function hear(event: Event) {
      if (answered < 0) {
        // An answer to a request made before the adds.
        if (event.target !== first) return;
        answered = 0;
      }
      if (event.type === 'success') isNew[answered] = true;
      else {
        const error = (event.target as IDBRequest).error;
        if (error?.name !== 'ConstraintError') {
          stop();
          reject(error ?? new Error('evidence write failed'));
          return;
        }
        // Known already: not an error of the transaction's.
        event.preventDefault();
        event.stopPropagation();
      }
      answered += 1;
      if (answered === evidence.length) {
        stop();
        resolve(isNew);
      }
    }
    tx.addEventListener('success', hear, true);
    tx.addEventListener('error', hear, true);
    try {
      for (const row of evidence) {
        const request = store.add(asStored(row, isViewer));
        first ??= request;
      }
    } catch (error) {
      // A row that cannot be stored, or a transaction already over.
      stop();
      throw error;
    }
  });
}

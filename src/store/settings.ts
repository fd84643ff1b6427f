import { unwrap, type IDBPObjectStore, type IDBPTransaction, type StoreNames } from 'idb';
import type { AccountKey } from '../core/keys.ts';
import { DEFAULT_SETTINGS, type Settings } from '../core/model.ts';
import { settle, withHalfLife, type EvidenceFact } from '../core/relationship.ts';
import type { Progress } from './backup.ts';
import { evidenceOfViewer, factOf } from './evidence.ts';
import { abandon, type MetaValues, type RapportDatabase, type RapportDB } from './schema.ts';

type SettingsStore = IDBPObjectStore<
  RapportDB,
  ArrayLike<StoreNames<RapportDB>>,
  'settings',
  IDBTransactionMode
>;

/** Stored settings over the defaults, so a setting added later has a value at once. */
export async function getSettings(source: RapportDatabase | SettingsStore): Promise<Settings> {
  const stored =
    'objectStoreNames' in source
      ? await source.get('settings', 'settings')
      : await source.get('settings');
  return { ...DEFAULT_SETTINGS, ...stored };
}

/** Relationship rows read and written per round trip when a setting changes them all. */
const ROWS_CHUNK = 2000;

/**
 * Saves settings; when the window changes, every relationship's tier is settled again at once
 * (a tier depends on which exchanges fall inside the window). When the half-life changes, every
 * row's decayed sums are built again from its evidence: rows built with different half-lives
 * would not rank against each other. One transaction: all rows change, or none.
 */
export async function updateSettings(
  db: RapportDatabase,
  patch: Partial<Settings>,
  now = Date.now(),
  progress?: Progress,
): Promise<Settings> {
  const tx = db.transaction(['settings', 'relationships', 'evidence'], 'readwrite');
  try {
    return await saveAndSettle(tx, patch, now, progress);
  } catch (error) {
    // Writes already sent must not commit without the rest: all rows change, or none.
    await abandon(tx, [tx.done]);
    throw error;
  }
}

async function saveAndSettle(
  tx: IDBPTransaction<RapportDB, ['settings', 'relationships', 'evidence'], 'readwrite'>,
  patch: Partial<Settings>,
  now: number,
  progress: Progress | undefined,
): Promise<Settings> {
  const before = await getSettings(tx.objectStore('settings'));
  const next: Settings = { ...before, ...patch };
  await tx.objectStore('settings').put(next, 'settings');
  const rescale = next.halfLifeDays !== before.halfLifeDays;
  if (next.windowDays !== before.windowDays || rescale) {
    const store = tx.objectStore('relationships');
    // Plain writes, none awaited: a failed one aborts the transaction and `done` says so.
    const raw = unwrap(store);
    const total = await store.count();
    let done = 0;
    // Rows come in key order, one viewer's after another: their facts are read once per viewer.
    let facts: { viewer: AccountKey; of: Map<AccountKey, EvidenceFact[]> } | undefined;
    let after: [AccountKey, AccountKey] | undefined;
    for (;;) {
      const chunk = await store.getAll(
        after ? IDBKeyRange.lowerBound(after, true) : undefined,
        ROWS_CHUNK,
      );
      for (const stored of chunk) {
        let row = stored;
        if (rescale) {
          if (facts?.viewer !== row.viewer)
            facts = { viewer: row.viewer, of: await factsOf(tx, row.viewer) };
          row = withHalfLife(row, facts.of.get(row.account) ?? [], next.halfLifeDays);
        }
        raw.put(settle(row, next, now));
      }
      done += chunk.length;
      progress?.(done, total);
      const last = chunk.at(-1);
      if (!last || chunk.length < ROWS_CHUNK) break;
      after = [last.viewer, last.account];
    }
  }
  await tx.done;
  return next;
}

/** What each person's row learns from the evidence between them and one of the user's accounts. */
async function factsOf(
  tx: { objectStore(name: 'evidence'): Parameters<typeof evidenceOfViewer>[0] },
  viewer: AccountKey,
): Promise<Map<AccountKey, EvidenceFact[]>> {
  const of = new Map<AccountKey, EvidenceFact[]>();
  for (const ev of await evidenceOfViewer(tx.objectStore('evidence'), viewer)) {
    const list = of.get(ev.other) ?? [];
    if (list.length === 0) of.set(ev.other, list);
    list.push(factOf(ev.row, ev.direction));
  }
  return of;
}

/** Forgets one of the user's own accounts: its row and everything about the people around it. */
export async function forgetViewer(db: RapportDatabase, viewer: AccountKey): Promise<void> {
  const tx = db.transaction(['viewers', 'relationships', 'unjoined', 'meta'], 'readwrite');
  await tx.objectStore('viewers').delete(viewer);
  // Imported lines waiting for an id on this account's behalf go with it. Keyed by id, so read
  // at once and deleted with plain requests (a cursor awaited per line: minutes for an archive).
  const unjoined = tx.objectStore('unjoined');
  const raw = unwrap(unjoined);
  for (const line of await unjoined.getAll())
    if (line.viewer === viewer) raw.delete([line.platform, line.id, line.viewer]);
  const index = tx.objectStore('relationships').index('byRank');
  let cursor = await index.openCursor(
    IDBKeyRange.bound([viewer, -Infinity, -Infinity], [viewer, Infinity, Infinity]),
  );
  while (cursor) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  const meta = tx.objectStore('meta');
  const active = ((await meta.get('activeViewer')) as MetaValues['activeViewer'] | undefined) ?? {};
  const platform = viewer.startsWith('linkedin:') ? 'linkedin' : 'x';
  if (active[platform] === viewer) {
    const rest = { ...active };
    delete rest[platform];
    await meta.put(rest, 'activeViewer');
  }
  await tx.done;
}

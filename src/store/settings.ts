import type { IDBPObjectStore, StoreNames } from 'idb';
import type { AccountKey } from '../core/keys.ts';
import { DEFAULT_SETTINGS, type Settings } from '../core/model.ts';
import { settle } from '../core/relationship.ts';
import type { MetaValues, RapportDatabase, RapportDB } from './schema.ts';

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

/**
 * Saves settings; when the window changes, every relationship's tier is settled again at once
 * (a tier depends on which exchanges fall inside the window).
 */
export async function updateSettings(
  db: RapportDatabase,
  patch: Partial<Settings>,
  now = Date.now(),
): Promise<Settings> {
  const tx = db.transaction(['settings', 'relationships'], 'readwrite');
  const before = await getSettings(tx.objectStore('settings'));
  const next: Settings = { ...before, ...patch };
  await tx.objectStore('settings').put(next, 'settings');
  if (next.windowDays !== before.windowDays) {
    let cursor = await tx.objectStore('relationships').openCursor();
    while (cursor) {
      await cursor.update(settle(cursor.value, next, now));
      cursor = await cursor.continue();
    }
  }
  await tx.done;
  return next;
}

/** Forgets one of the user's own accounts: its row and everything about the people around it. */
export async function forgetViewer(db: RapportDatabase, viewer: AccountKey): Promise<void> {
  const tx = db.transaction(['viewers', 'relationships', 'meta'], 'readwrite');
  await tx.objectStore('viewers').delete(viewer);
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

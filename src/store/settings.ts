import type { IDBPObjectStore, StoreNames } from 'idb';
import { DEFAULT_SETTINGS, type Settings } from '../core/model.ts';
import type { RapportDatabase, RapportDB } from './schema.ts';

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

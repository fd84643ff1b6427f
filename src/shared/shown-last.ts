/**
 * The accounts the popup showed when it last opened, kept in the extension's localStorage: read
 * without waiting, before the database answers, they let the popup's first read ask for their
 * first rows beside the accounts, a round trip less. A wrong guess costs one read the popup makes
 * anyway. Deleting everything forgets them too.
 */
import * as v from 'valibot';
import type { AccountKey } from '../core/keys.ts';
import { PLATFORMS } from '../core/model.ts';
import { AccountKeyText, describeIssues } from './messages.ts';

const KEY = 'rapport:shown-last';
const ShownSchema = v.pipe(v.array(AccountKeyText), v.maxLength(PLATFORMS.length));

/** Where the extension's pages keep it; absent where storage is off (then nothing is guessed). */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function shownLastTime(): AccountKey[] {
  const store = storage();
  const raw = store?.getItem(KEY);
  if (!store || !raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const parsed = v.safeParse(ShownSchema, value);
  if (parsed.success) return parsed.output as AccountKey[];
  console.warn('[rapport] forgot the accounts shown last:', describeIssues(parsed.issues));
  store.removeItem(KEY);
  return [];
}

export function rememberShown(keys: readonly AccountKey[]): void {
  const text = JSON.stringify(keys);
  const store = storage();
  try {
    if (store && store.getItem(KEY) !== text) store.setItem(KEY, text);
  } catch {
    // Storage full or off: the next opening reads its accounts first, as without a guess.
  }
}

export function forgetShown(): void {
  storage()?.removeItem(KEY);
}

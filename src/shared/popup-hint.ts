/**
 * Which accounts the popup showed when it last opened. Kept in the extension's in-memory session
 * storage (gone when the browser closes; removed by "delete everything"), so the next opening can
 * read their first rows together with the accounts: one database round trip sooner. Only a guess:
 * the accounts read from the database decide what is shown, and a wrong guess costs one small read.
 */
import * as v from 'valibot';
import { PLATFORMS } from '../core/model.ts';
import type { AccountKey } from '../core/keys.ts';
import { describeIssues } from './messages.ts';
import { sessionArea } from './storage-full.ts';

export const POPUP_SHOWN_KEY = 'popupShown';

const PopupShownSchema = v.pipe(
  v.array(v.pipe(v.string(), v.regex(new RegExp(`^(?:${PLATFORMS.join('|')}):\\S{1,200}$`)))),
  // One account per platform at most.
  v.maxLength(PLATFORMS.length),
);

/** The accounts shown last time, or none when there is no (valid) record. Never throws. */
export async function readPopupShown(area = sessionArea()): Promise<AccountKey[]> {
  const stored = (await area?.get(POPUP_SHOWN_KEY).catch(() => undefined))?.[POPUP_SHOWN_KEY];
  if (stored === undefined) return [];
  const parsed = v.safeParse(PopupShownSchema, stored);
  if (parsed.success) return parsed.output as AccountKey[];
  console.warn('[rapport] ignored a malformed popup record:', describeIssues(parsed.issues));
  return [];
}

/** Records the accounts the popup shows on opening; a failure only loses the head start. */
export async function writePopupShown(
  keys: readonly AccountKey[],
  area = sessionArea(),
): Promise<void> {
  await area?.set({ [POPUP_SHOWN_KEY]: [...keys] }).catch(() => undefined);
}

export async function forgetPopupShown(area = sessionArea()): Promise<void> {
  await area?.remove(POPUP_SHOWN_KEY).catch(() => undefined);
}

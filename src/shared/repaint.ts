/**
 * The toolbar's count and the badges on open x.com and LinkedIn tabs are drawn from the store by
 * the worker and the content scripts. When one of the extension's own pages changes what they
 * show (a setting, a tier chosen by hand, a note, an import, everything deleted), it says so
 * here: a key in local storage that the worker and every content script watch. Not session
 * storage, which content scripts cannot see; not a message, since the worker takes messages from
 * content scripts only and has no list of tabs to tell.
 */
import * as v from 'valibot';
import { describeIssues } from './messages.ts';

export const REPAINT_KEY = 'repaint';

/** The slice of `storage.local` used here (Chrome's and Firefox's MV3 APIs return promises). */
export interface LocalArea {
  set(items: Record<string, unknown>): Promise<void>;
}

type ChangeListener = (
  changes: Record<string, { oldValue?: unknown; newValue?: unknown }>,
  area: string,
) => void;

/** `storage.onChanged`, as the worker, the pages and the content scripts all have it. */
export interface StorageEvents {
  addListener(listener: ChangeListener): void;
  removeListener(listener: ChangeListener): void;
}

interface StorageScope {
  browser?: { storage?: { local?: LocalArea; onChanged?: StorageEvents } };
  chrome?: { storage?: { local?: LocalArea; onChanged?: StorageEvents } };
}

const storage = () => {
  const scope = globalThis as StorageScope;
  return scope.browser?.storage ?? scope.chrome?.storage;
};

export async function requestRepaint(
  area: LocalArea | undefined = storage()?.local,
  now = Date.now(),
): Promise<void> {
  // A new value each time: the listeners hear of every change, not only the first.
  await area?.set({ [REPAINT_KEY]: now }).catch(() => undefined);
}

const RepaintSchema = v.pipe(v.number(), v.finite());

/**
 * Calls `repaint` after requests, once they pause for `quietMs` (a note is saved at every
 * keystroke: a tab looks its badges up once the typing stops, not at each letter). Returns what
 * stops listening.
 */
export function onRepaintRequest(
  repaint: () => void,
  events: StorageEvents | undefined = storage()?.onChanged,
  quietMs = 300,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listener: ChangeListener = (changes, area) => {
    const change = changes[REPAINT_KEY];
    // The key removed (storage cleared) asks for nothing.
    if (area !== 'local' || change?.newValue === undefined) return;
    const parsed = v.safeParse(RepaintSchema, change.newValue);
    if (!parsed.success) {
      console.warn('[rapport] ignored a malformed repaint request:', describeIssues(parsed.issues));
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      repaint();
    }, quietMs);
  };
  events?.addListener(listener);
  return () => {
    events?.removeListener(listener);
    if (timer !== undefined) clearTimeout(timer);
  };
}

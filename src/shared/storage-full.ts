/**
 * "Rapport could not save": when the browser refuses to store more (its quota, a full disk), the
 * background says so here, in the extension's in-memory session storage (writing it to the full
 * database would fail too), and the popup reads it. Pages keep every unsaved batch and send it
 * again, so nothing is lost while they stay open.
 */
import * as v from 'valibot';
import { describeIssues } from './messages.ts';

export const STORAGE_FULL_KEY = 'storageFull';

export const StorageFullSchema = v.strictObject({
  /** When saving first failed (ms). */
  since: v.pipe(v.number(), v.finite()),
  /** The latest failure (ms). */
  lastAt: v.pipe(v.number(), v.finite()),
});
export type StorageFull = v.InferOutput<typeof StorageFullSchema>;

/** The slice of `storage.session` used here (Chrome's and Firefox's MV3 APIs return promises). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export function sessionArea(): SessionArea | undefined {
  const scope = globalThis as {
    browser?: { storage?: { session?: SessionArea } };
    chrome?: { storage?: { session?: SessionArea } };
  };
  return scope.browser?.storage?.session ?? scope.chrome?.storage?.session;
}

/** The browser's "no more room": IndexedDB aborts the transaction with QuotaExceededError. */
export function isQuotaError(error: unknown): boolean {
  const name =
    error !== null && typeof error === 'object' && 'name' in error ? String(error.name) : '';
  const message = error instanceof Error ? error.message : String(error);
  return name === 'QuotaExceededError' || /quota|disk is full|no space/i.test(message);
}

export async function readStorageFull(area = sessionArea()): Promise<StorageFull | undefined> {
  const stored = (await area?.get(STORAGE_FULL_KEY).catch(() => undefined))?.[STORAGE_FULL_KEY];
  if (stored === undefined) return undefined;
  const parsed = v.safeParse(StorageFullSchema, stored);
  if (parsed.success) return parsed.output;
  console.warn('[rapport] ignored a malformed storage notice:', describeIssues(parsed.issues));
  return undefined;
}

/**
 * Records the outcome of a write: a quota failure starts (or extends) the notice, a success
 * ends it. Returns the notice now standing, for the toolbar.
 */
export async function noteSaveOutcome(
  outcome: { ok: true } | { ok: false; error: unknown },
  now: number,
  area = sessionArea(),
): Promise<StorageFull | undefined> {
  const current = await readStorageFull(area);
  if (outcome.ok) {
    if (current) await area?.remove(STORAGE_FULL_KEY);
    return undefined;
  }
  if (!isQuotaError(outcome.error)) return current;
  const next: StorageFull = { since: current?.since ?? now, lastAt: now };
  await area?.set({ [STORAGE_FULL_KEY]: next });
  return next;
}

import browser from 'webextension-polyfill';
import type { AccountKey } from '../core/keys.ts';
import { breakage } from '../store/health.ts';
import { noteSaveOutcome, readStorageFull } from '../shared/storage-full.ts';
import { onRepaintRequest } from '../shared/repaint.ts';
import { waitingCount } from '../store/queries.ts';
import { openRapportDB, type BreakageRow, type RapportDatabase } from '../store/schema.ts';
import { acceptRequest, handleRequest, type Reply } from './router.ts';

let database: Promise<RapportDatabase> | undefined;
function db(): Promise<RapportDatabase> {
  // Closed under us (a schema upgrade, the browser): the next request opens it again.
  database ??= openRapportDB(undefined, { onClosed: () => (database = undefined) }).catch(
    (error: unknown) => {
      database = undefined;
      throw error;
    },
  );
  return database;
}

// Registered synchronously at start-up: a woken service worker must find its listener at once.
browser.runtime.onMessage.addListener(
  (message: unknown, sender: browser.Runtime.MessageSender): Promise<Reply> => {
    const request = acceptRequest(message, sender, browser.runtime.id);
    if (typeof request === 'string') {
      console.warn('[rapport] refused message:', request);
      return Promise.resolve({ ok: false, error: `refused: ${request}` });
    }
    return db()
      .then(async (database) => {
        const reply = await handleRequest(
          database,
          request,
          Date.now,
          showBreakage,
          { incognito: sender.tab?.incognito === true },
          openPerson,
        );
        if (request.type === 'ingest') {
          noteIngest({ ok: true });
          void showWaiting(database).catch(() => undefined);
        }
        return reply;
      })
      .catch((error: unknown) => {
        console.error('[rapport] request failed:', error);
        if (request.type === 'ingest') noteIngest({ ok: false, error });
        return {
          ok: false as const,
          error: error instanceof Error ? error.message : String(error),
        };
      });
  },
);

// A page of the extension changed what the toolbar shows (a setting, an import, a tier chosen
// by hand, everything deleted).
onRepaintRequest(() => void repaintFromStore().catch(() => undefined), browser.storage.onChanged);

let broken = false;

/** The person's page in the extension, in a new tab (no permission needed for that). */
function openPerson(viewer: AccountKey, account: AccountKey): void {
  const query = new URLSearchParams({ viewer, account }).toString();
  void browser.tabs
    .create({ url: browser.runtime.getURL(`src/popup/index.html?${query}`) })
    .catch(() => undefined);
}

let storageFull = false;
// A woken worker learns first whether saving was failing before it stopped.
const storageFullKnown = readStorageFull()
  .then((notice) => void (storageFull = notice !== undefined))
  .catch(() => undefined);

/** A "!" on the toolbar icon while some kind of page is not being read. */
function showBreakage(rows: BreakageRow[]): void {
  broken = rows.length > 0;
  paintWarning();
}

/**
 * The warning icon (public/icons, drawn by icons/render.ts) and a "!" while something is wrong:
 * nothing can be saved (storage full), or some kind of page is not being read.
 */
function paintWarning(): void {
  const warn = broken || storageFull;
  const icon = (kind: string) =>
    Object.fromEntries([16, 32, 48, 128].map((size) => [size, `icons/icon${kind}-${size}.png`]));
  void browser.action.setIcon({ path: icon(warn ? '-warning' : '') }).catch(() => undefined);
  void browser.action.setBadgeText({ text: warn ? '!' : '' }).catch(() => undefined);
  if (warn)
    void browser.action.setBadgeBackgroundColor({ color: '#b45309' }).catch(() => undefined);
  const title = storageFull
    ? 'Rapport: cannot save, the browser says its storage is full (open for details)'
    : broken
      ? 'Rapport: some pages are not being read (open for details)'
      : 'Rapport';
  void browser.action.setTitle({ title }).catch(() => undefined);
}

/** After each ingest: a quota failure raises the storage notice, a success clears it. */
function noteIngest(outcome: { ok: true } | { ok: false; error: unknown }): void {
  void storageFullKnown
    .then(() => (outcome.ok && !storageFull ? undefined : noteSaveOutcome(outcome, Date.now())))
    .then((notice) => {
      const full = notice !== undefined;
      if (full === storageFull) return;
      storageFull = full;
      if (full) console.error('[rapport] storage is full: batches are kept by the pages');
      paintWarning();
    })
    .catch(() => undefined);
}

/**
 * The number of people waiting on an answer, on the toolbar icon, when the user asked for it
 * (the breakage "!" wins: it says something is wrong).
 */
async function showWaiting(database: RapportDatabase): Promise<void> {
  if (broken || storageFull) return;
  const waiting = await waitingCount(database);
  const text =
    waiting === undefined || waiting === 0 ? '' : waiting > 999 ? '999+' : String(waiting);
  await browser.action.setBadgeText({ text });
  if (text) await browser.action.setBadgeBackgroundColor({ color: '#8a4b00' });
}

/** The toolbar as the store says: what is not being read, then who waits on you. */
async function repaintFromStore(): Promise<void> {
  const database = await db();
  await storageFullKnown;
  showBreakage(await breakage(database));
  await showWaiting(database);
}

// The toolbar reflects what is stored, also after the worker was stopped and woke up again.
void repaintFromStore().catch(() => undefined);

browser.runtime.onInstalled.addListener(() => {
  // Ask the browser not to evict the database under storage pressure.
  void navigator.storage?.persist?.().catch(() => false);
});

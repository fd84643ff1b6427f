import browser from 'webextension-polyfill';
import { openRapportDB, type RapportDatabase } from '../store/schema.ts';
import { acceptRequest, handleRequest, type Reply } from './router.ts';

let database: Promise<RapportDatabase> | undefined;
function db(): Promise<RapportDatabase> {
  database ??= openRapportDB().catch((error: unknown) => {
    database = undefined;
    throw error;
  });
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
      .then((database) => handleRequest(database, request))
      .catch((error: unknown) => {
        console.error('[rapport] request failed:', error);
        return {
          ok: false as const,
          error: error instanceof Error ? error.message : String(error),
        };
      });
  },
);

browser.runtime.onInstalled.addListener(() => {
  // Ask the browser not to evict the database under storage pressure.
  void navigator.storage?.persist?.().catch(() => false);
});

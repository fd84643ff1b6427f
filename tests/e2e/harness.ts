/**
 * Real Chromium with the built extension, x.com served from files by the test, real IndexedDB.
 * Every request an extension context makes is recorded: Rapport must never make one.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BrowserContext, Page, Request, Worker } from 'playwright-core';
import { launchChromium } from '../../src/tools/launch.ts';

export const SCREENSHOTS = resolve(process.cwd(), 'test-results/screenshots');
/** One line per browser session: the requests its extension contexts made (see global-setup.ts). */
export const REQUEST_TALLY = resolve(process.cwd(), 'test-results/extension-requests.jsonl');

export interface ExtensionSession {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Requests made by the extension's own pages or worker (must stay empty). */
  extensionRequests: string[];
  /** Serves `body` (HTML unless told) at https://x.com<path>, or at a whole https URL. */
  serve(path: string, body: string, contentType?: string): void;
  open(path: string): Promise<Page>;
  openPopup(options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Reads a whole object store of the extension's database, from the service worker. */
  readStore<T = unknown>(store: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function launchWithExtension(
  options: { headless?: boolean; dist?: string } = {},
): Promise<ExtensionSession> {
  const launched = await launchChromium({
    headless: options.headless ?? true,
    ...(options.dist ? { dist: options.dist } : {}),
  });
  const { context, worker, extensionId } = launched;
  const extensionRequests: string[] = [];
  const recorded = new Map<Request, string>();
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('chrome-extension://') || url.startsWith('data:')) return;
    let origin = '';
    try {
      origin = request.serviceWorker()?.url() ?? request.frame().url();
    } catch {
      origin = 'unknown';
    }
    if (origin.startsWith('chrome-extension://')) {
      extensionRequests.push(`${origin} → ${url}`);
      recorded.set(request, `${origin} → ${url}`);
    }
  });
  // Chromium announces a request before its page's CSP refuses it: refused ones never left.
  context.on('requestfailed', (request) => {
    const line = recorded.get(request);
    if (line === undefined || !/BLOCKED_BY_CSP|csp/i.test(request.failure()?.errorText ?? ''))
      return;
    extensionRequests.splice(extensionRequests.indexOf(line), 1);
  });

  return {
    context,
    worker,
    extensionId,
    extensionRequests,
    serve: launched.serve,
    async open(path) {
      const page = await context.newPage();
      // A path on x.com, or a whole https URL (LinkedIn pages).
      await page.goto(path.startsWith('https://') ? path : `https://x.com${path}`);
      return page;
    },
    async openPopup({ colorScheme = 'light' } = {}) {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width: 380, height: 600 });
      await page.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
      return page;
    },
    async readStore<T>(store: string) {
      const sw = context.serviceWorkers()[0] ?? worker;
      return (await sw.evaluate(readInExtension, { name: store, count: false })) as T[];
    },
    async close() {
      mkdirSync(dirname(REQUEST_TALLY), { recursive: true });
      appendFileSync(REQUEST_TALLY, `${JSON.stringify({ requests: extensionRequests })}\n`);
      await launched.close();
    },
  };
}

/** Waits until every badge on the page has left `unknown` for the expected tiers, or times out. */
export async function badgeTiers(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const badge of document.querySelectorAll('rapport-badge')) {
      out[badge.getAttribute('data-account') ?? '?'] = badge.getAttribute('data-tier') ?? '?';
    }
    return out;
  });
}

/**
 * Reads (or counts) a whole object store of the extension's database, evaluated in an extension
 * context: its worker or one of its pages. Never creates the database (that would skip the
 * extension's migrations).
 */
const readInExtension = ({ name, count }: { name: string; count: boolean }) =>
  new Promise<unknown>((resolveRead, reject) => {
    const open = indexedDB.open('rapport');
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const store = db.transaction(name, 'readonly').objectStore(name);
      const request: IDBRequest = count ? store.count() : store.getAll();
      request.onsuccess = () => {
        db.close();
        resolveRead(request.result);
      };
      request.onerror = () => reject(request.error);
    };
  });

/** Reads a whole object store of the extension's database from one of its pages. */
export async function readStoreFrom<T = unknown>(extensionPage: Page, store: string): Promise<T[]> {
  return (await extensionPage.evaluate(readInExtension, { name: store, count: false })) as T[];
}

/** Counts the rows of an object store, from one of the extension's pages. */
export async function countStoreFrom(extensionPage: Page, store: string): Promise<number> {
  return (await extensionPage.evaluate(readInExtension, { name: store, count: true })) as number;
}

/**
 * Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi, with `dist/firefox` installed
 * as a temporary add-on. Pages are served from memory at https://x.com addresses by request
 * interception on each page; anything not served gets a 404, so nothing reaches the network.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_DIST = resolve(process.cwd(), 'dist/firefox');
export const GECKO_ID = 'rapport@rapport.local';
export const firefoxAvailable = existsSync(FIREFOX);

export interface FirefoxSession {
  browser: Browser;
  /** The moz-extension:// origin of the add-on (its uuid is fixed by a preference at launch). */
  origin: string;
  serve(path: string, body: string, contentType?: string): void;
  open(path: string): Promise<Page>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** Reads a whole object store of the extension's database, from an extension page. */
  readStore<T = unknown>(store: string): Promise<T[]>;
  /** A full garbage collection in every process: about:memory's "Minimize memory usage". */
  collectGarbage(): Promise<void>;
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<FirefoxSession> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }) },
  });
  await browser.installExtension(FIREFOX_DIST);
  const origin = `moz-extension://${uuid}`;
  const served = new Map<string, { body: string; contentType: string }>();

  async function extensionPage(path: string, ready: string): Promise<Page> {
    const page = await browser.newPage();
    // Firefox never resolves navigation to moz-extension:// over BiDi: wait for the page instead.
    void page.goto(`${origin}${path}`).catch(() => undefined);
    // A look that lands while the tab swaps about:blank for the extension's page fails with a
    // protocol error (its realm is going away) instead of waiting on: look again until the end.
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await page.waitForSelector(ready, { timeout: Math.max(1, deadline - Date.now()) });
        return page;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  return {
    browser,
    origin,
    serve: (path, body, contentType = 'text/html; charset=utf-8') =>
      void served.set(path, { body, contentType }),
    async open(path) {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = new URL(request.url());
        const hit = url.hostname === 'x.com' ? served.get(url.pathname) : undefined;
        void (
          hit
            ? request.respond({ status: 200, contentType: hit.contentType, body: hit.body })
            : request.respond({ status: 404, contentType: 'text/plain', body: 'not served' })
        ).catch(() => undefined);
      });
      await page.goto(`https://x.com${path}`);
      return page;
    },
    async openPopup() {
      const page = await extensionPage('/src/popup/index.html', '#app > *');
      await page.setViewport({ width: 380, height: 600 });
      return page;
    },
    openOptions: () => extensionPage('/src/options/index.html', '[data-storage]'),
    async readStore<T>(store: string) {
      const page = await extensionPage('/src/options/index.html', 'body');
      try {
        return await page.evaluate(
          (name) =>
            new Promise<T[]>((resolveRead, reject) => {
              const open = indexedDB.open('rapport');
              open.onupgradeneeded = () => open.transaction?.abort();
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const db = open.result;
                const request = db.transaction(name, 'readonly').objectStore(name).getAll();
                request.onsuccess = () => {
                  db.close();
                  resolveRead(request.result as T[]);
                };
                request.onerror = () => reject(request.error);
              };
            }),
          store,
        );
      } finally {
        await page.close();
      }
    },
    async collectGarbage() {
      const page = await browser.newPage();
      try {
        // A privileged page: its navigation never resolves over BiDi, but its buttons answer.
        await page.goto('about:memory', { timeout: 3_000 }).catch(() => undefined);
        for (let round = 0; round < 2; round++) {
          await page.evaluate(() => {
            const button = [...document.querySelectorAll('button')].find(
              (b) => b.textContent === 'Minimize memory usage',
            );
            if (!button) throw new Error('about:memory has no "Minimize memory usage" button');
            button.click();
          });
          await new Promise((resolve) => setTimeout(resolve, 1_500));
        }
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}

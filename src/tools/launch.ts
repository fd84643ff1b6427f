/**
 * Starts Debian's Chromium with the built extension and serves chosen pages at x.com addresses.
 * Used by `npm start` (the demo) and by the browser tests. Anything not served gets a 404, so
 * nothing reaches the network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const DIST = resolve(process.cwd(), 'dist/chrome');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for Debian's Chromium here; with `dist`, the unpacked extension is loaded too. */
export function chromiumArgs(dist: string | undefined, headless: boolean): string[] {
  return [
    ...(headless ? ['--headless=new'] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    // Without these Chromium calls home, and a closed network floods it with refusals.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(dist ? [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`] : []),
  ];
}

export interface Launched {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Serves `body` (HTML unless told) at https://x.com<path>, or at a full address (any https host). */
  serve(path: string, body: string, contentType?: string): void;
  close(): Promise<void>;
}

/**
 * Chromium in a fresh profile of its own (removed on close), with the unpacked extension at
 * `dist` when given. The bench's baselines launch it without one, so the browsers they compare
 * differ by the extension alone.
 */
export async function launchProfile(options: {
  headless: boolean;
  dist?: string;
  viewport?: { width: number; height: number };
}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'rapport-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    // Extensions need the new headless mode, asked for through the args.
    headless: false,
    args: chromiumArgs(options.dist, options.headless),
    viewport: options.viewport ?? { width: 1200, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(options: {
  headless: boolean;
  dist?: string;
  viewport?: { width: number; height: number };
}): Promise<Launched> {
  const { context, close } = await launchProfile({ ...options, dist: options.dist ?? DIST });
  const pages = new Map<string, { body: string; contentType: string }>();
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'chrome-extension:') return route.continue();
    const page = pages.get(
      url.hostname === 'x.com' ? url.pathname : `${url.origin}${url.pathname}`,
    );
    if (page !== undefined)
      return route.fulfill({ status: 200, contentType: page.contentType, body: page.body });
    return route.fulfill({
      status: 404,
      contentType: 'text/plain',
      body: 'Not part of the Rapport demo.',
    });
  });
  const worker =
    context.serviceWorkers()[0] ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  return {
    context,
    worker,
    extensionId: new URL(worker.url()).host,
    serve: (path, body, contentType = 'text/html; charset=utf-8') =>
      // x.com pages are keyed by path; a full x.com address names the same page.
      void pages.set(path.replace(/^https:\/\/x\.com(?=\/)/, ''), { body, contentType }),
    close,
  };
}

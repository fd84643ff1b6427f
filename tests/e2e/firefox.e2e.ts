/**
 * The same built source as an add-on in Debian's firefox-esr: badges on x.com, the MAIN-world
 * capture, IndexedDB in the background page, and the popup.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoPages, EXPECTED_TIERS, VIEWER } from '../../src/demo/story.ts';
import { pageMarkup } from '../../src/demo/x-markup.ts';
import { writeZip } from '../../src/tools/zip.ts';
import { PAGE_SCRIPT, RESPONSE, RESPONSE_EVIDENCE } from './capture-page.ts';
import {
  firefoxAvailable,
  FIREFOX,
  launchFirefox,
  type FirefoxSession,
} from './firefox-harness.ts';
import { readBadgeLook, restyledPages, TALKS_LOOK } from './badge-look.ts';
import { SCREENSHOTS } from './harness.ts';
import { expectUpgraded, type Migration } from './migration-expect.ts';
import { bundle } from '../bundle.ts';
import {
  aikoBadges,
  AIKO_POSTS,
  manyPostsPage,
  MANY_POSTS_PATH,
  plantCollectionProbe,
} from './many-posts.ts';

// CI installs firefox-esr (.ci/run); on a developer's machine without it, say so and skip.
const required = process.env.CI !== undefined;
if (!firefoxAvailable && !required)
  console.warn(`firefox e2e skipped: no Firefox at ${FIREFOX} (apt-get install firefox-esr)`);

let session: FirefoxSession;
const NOW = Date.now();

describe.skipIf(!firefoxAvailable && !required)('Firefox, end to end', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    session = await launchFirefox();
    for (const [path, html] of Object.entries(demoPages(NOW))) session.serve(path, html);
    for (const [path, html] of Object.entries(restyledPages(demoPages(NOW)['/home'] as string)))
      session.serve(path, html);
    session.serve(MANY_POSTS_PATH, manyPostsPage(NOW));
    for (const id of ['AbC123', 'dEf456', 'GhI789'])
      session.serve(`/i/api/graphql/${id}/TweetDetail`, RESPONSE, 'application/json');
    session.serve(
      '/capture',
      pageMarkup({ title: 'Post', viewer: VIEWER, body: '' }).replace(
        '</body>',
        `${PAGE_SCRIPT}</body>`,
      ),
    );
  }, 90_000);
  afterAll(async () => session?.close());

  test('the scripted story gives the right tiers on the badges', async () => {
    const home = await session.open('/home');
    await home.waitForSelector('rapport-badge[data-account="x:aiko_t"]');
    const followers = await session.open(`/${VIEWER.handle}/followers`);
    await followers.waitForSelector(
      'rapport-badge[data-account="x:bram_dw"][data-tier="silent-follower"]',
      { timeout: 15_000 },
    );
    await home.reload();
    await home.waitForSelector(
      'rapport-badge[data-account="x:aiko_t"][data-tier="conversational"]',
      { timeout: 15_000 },
    );
    const shown = await home.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('rapport-badge')].map((b) => [
          b.getAttribute('data-account'),
          b.getAttribute('data-tier'),
        ]),
      ),
    );
    let compared = 0;
    for (const [handle, tier] of Object.entries(EXPECTED_TIERS)) {
      if (shown[`x:${handle}`] === undefined) continue;
      expect(shown[`x:${handle}`], handle).toBe(tier);
      compared += 1;
    }
    expect(compared).toBeGreaterThanOrEqual(5);
    await home.screenshot({ path: join(SCREENSHOTS, 'firefox-x-home.png') });
    await home.close();
    await followers.close();
  });

  test("a badge keeps its look in a page whose CSS restyles everything, and where the page's CSP forbids styles", async () => {
    const selector = 'rapport-badge[data-account="x:aiko_t"][data-tier="conversational"]';
    for (const path of ['/hostile-css/home', '/strict-csp/home']) {
      const page = await session.open(path);
      await page.waitForSelector(selector, { timeout: 15_000 });
      const look = await page.evaluate(readBadgeLook, selector);
      expect(look, path).toMatchObject(TALKS_LOOK);
      expect(look?.width, path).toBeGreaterThan(20);
      expect(look?.width, path).toBeLessThan(60);
      await page.close();
    }
  });

  test("X's API responses are captured in the page world; the page's bodies are untouched; forgeries store nothing", async () => {
    const page = await session.open('/capture');
    await page.waitForFunction(() => {
      const bodies = (window as unknown as { __bodies: Record<string, string> }).__bodies;
      return bodies.fetch !== undefined && bodies.xhr !== undefined && bodies.json !== undefined;
    });
    const bodies = await page.evaluate(
      () => (window as unknown as { __bodies: Record<string, string> }).__bodies,
    );
    expect(bodies.fetch).toBe(RESPONSE);
    expect(bodies.xhr).toBe(RESPONSE);
    const expected = RESPONSE_EVIDENCE;
    expect(expected.length).toBeGreaterThan(0);
    let stored: string[] = [];
    for (let i = 0; i < 40 && !expected.every((key) => stored.includes(key)); i++) {
      await new Promise((r) => setTimeout(r, 250));
      stored = (await session.readStore<{ key: string }>('evidence')).map((e) => e.key);
    }
    expect(stored).toEqual(expect.arrayContaining(expected));
    expect(stored.some((key) => key.includes('forged_handle'))).toBe(false);
    await page.close();
  });

  test("X's archive zip is read in the settings page (File.slice, DecompressionStream)", async () => {
    const ytd = (name: string, rows: unknown[]) =>
      `window.YTD.${name}.part0 = ${JSON.stringify(rows)}`;
    const path = join(SCREENSHOTS, '..', 'firefox-archive.zip');
    writeFileSync(
      path,
      writeZip([
        {
          name: 'twitter-2026/data/account.js',
          data: Buffer.from(
            ytd('account', [{ account: { accountId: VIEWER.id, username: VIEWER.handle } }]),
          ),
        },
        {
          name: 'twitter-2026/data/follower.js',
          data: Buffer.from(ytd('follower', [{ follower: { accountId: '1000000098' } }])),
        },
        { name: 'twitter-2026/data/tweets_media/1.mp4', data: randomBytes(200_000) },
      ]),
    );
    const options = await session.openOptions();
    const input = await options.$('input[type="file"]');
    await (input as ElementHandle<HTMLInputElement>).uploadFile(path);
    await options.waitForSelector('.message');
    expect(await options.$eval('.message', (e) => e.textContent)).toBe(
      'Imported firefox-archive.zip for @robin_vale on X: 1 known only by an id so far, joined when Rapport sees it.',
    );
    await options.close();
    expect(await session.readStore('unjoined')).toEqual([
      { platform: 'x', id: '1000000098', viewer: 'x:robin_vale', followsViewer: true },
    ]);
  });

  test("a database of schema version 3 opens at this version in Firefox's IndexedDB, each page-by-page copy finished before the next", async () => {
    // Two pages of the copies (5,000 rows a page); versions 4 and 5 each copy the evidence.
    const rows = 6_000;
    const code = await bundle('tests/e2e/migration-entry.ts', 'rapportMigration');
    session.serve(
      '/migration',
      `<!doctype html><script>${code.replace(/<\/script/g, '<\\/script')}</script>`,
    );
    const page = await session.open('/migration');
    const result = await page.evaluate(async (n) => {
      const migration = (window as unknown as { rapportMigration: Migration }).rapportMigration;
      await migration.olderDatabase('firefox-migrate', 3, n);
      return migration.upgrade('firefox-migrate');
    }, rows);
    console.log(
      `firefox migration: ${rows.toLocaleString()} relationship rows and as much evidence from version 3 to ${result.version} in ${result.ms.toFixed(0)} ms`,
    );
    expectUpgraded(result, rows);
    await page.close();
  }, 120_000);

  test('the popup lists who talks with you', async () => {
    const popup = await session.openPopup();
    await popup.waitForSelector('.row');
    expect(await popup.$eval('.viewer', (e) => e.textContent)).toContain('@robin_vale');
    const rows = await popup.$$eval('.row', (els) =>
      els.map((e) => e.getAttribute('data-account')),
    );
    expect(rows).toContain('x:aiko_t');
    await popup.screenshot({ path: join(SCREENSHOTS, 'firefox-popup.png') });
    await popup.close();
  });

  test('a tier chosen in the popup shows at once on an open page (storage events reach content scripts)', async () => {
    const home = await session.open('/home');
    const aiko = 'rapport-badge[data-account="x:aiko_t"]';
    await home.waitForSelector(`${aiko}[data-tier="conversational"]`, { timeout: 15_000 });
    const popup = await session.openPopup();
    await popup.waitForSelector('.row[data-account="x:aiko_t"]');
    await popup.click('.row[data-account="x:aiko_t"]');
    await popup.waitForSelector('.detail select');
    await popup.select('.detail select', 'passive');
    await home.waitForSelector(`${aiko}[data-tier="passive"]`, { timeout: 10_000 });
    await popup.select('.detail select', '');
    await home.waitForSelector(`${aiko}[data-tier="conversational"]`, { timeout: 10_000 });
    await popup.close();
    await home.close();
  });

  test('badges held weakly outlive a full garbage collection: a tier chosen after it reaches all 200', async () => {
    const page = await session.open(MANY_POSTS_PATH);
    const showing = (tier: string) =>
      page.waitForFunction(
        (selector, count) => document.querySelectorAll(selector).length === count,
        { timeout: 15_000 },
        aikoBadges(tier),
        AIKO_POSTS,
      );
    await showing('conversational');
    const collected = await plantCollectionProbe(page);
    await session.collectGarbage();
    // The content processes collect when asked, not at once: ask again while the probe lives.
    for (let round = 0; round < 3 && !(await collected()); round++) await session.collectGarbage();
    expect(await collected()).toBe(true);
    const popup = await session.openPopup();
    await popup.waitForSelector('.row[data-account="x:aiko_t"]');
    await popup.click('.row[data-account="x:aiko_t"]');
    await popup.waitForSelector('.detail select');
    await popup.select('.detail select', 'unanswered');
    await showing('unanswered');
    await popup.select('.detail select', '');
    await showing('conversational');
    await popup.close();
    await page.close();
  });
});

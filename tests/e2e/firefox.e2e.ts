/**
 * The same built source as an add-on in Debian's firefox-esr: badges on x.com, the MAIN-world
 * capture, IndexedDB in the background page, and the popup.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoPages, EXPECTED_TIERS, VIEWER } from '../../src/demo/story.ts';
import { pageMarkup } from '../../src/demo/x-markup.ts';
import { PAGE_SCRIPT, RESPONSE, RESPONSE_EVIDENCE } from './capture-page.ts';
import {
  firefoxAvailable,
  FIREFOX,
  launchFirefox,
  type FirefoxSession,
} from './firefox-harness.ts';
import { SCREENSHOTS } from './harness.ts';

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
});

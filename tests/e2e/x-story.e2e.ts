import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoPages, EXPECTED_TIERS, VIEWER } from '../../src/demo/story.ts';
import { cellsMarkup, pageMarkup, timelineMarkup } from '../../src/demo/x-markup.ts';
import { readBadgeLook, restyledPages, TALKS_LOOK } from './badge-look.ts';
import { badgeTiers, launchWithExtension, SCREENSHOTS, type ExtensionSession } from './harness.ts';

const NOW = Date.now();
let session: ExtensionSession;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  session = await launchWithExtension();
  for (const [path, html] of Object.entries(demoPages(NOW))) session.serve(path, html);
  for (const [path, html] of Object.entries(restyledPages(demoPages(NOW)['/home'] as string)))
    session.serve(path, html);
  // A real timeline (anonymised capture) inside an x.com page with the viewer in the navigation.
  const real = readFileSync(join(process.cwd(), 'tests/fixtures/x/home-timeline.html'), 'utf8');
  session.serve(
    '/real/home',
    pageMarkup({ title: 'Home', viewer: VIEWER, body: '' }).replace(
      '<div></div></div></section>',
      `<div>${real}</div></div></section>`,
    ),
  );
});
afterAll(async () => session?.close());

describe('X, end to end in Chromium', () => {
  test('badges after every author on a real timeline, with the right data-account', async () => {
    const page = await session.open('/real/home');
    await page.waitForSelector('rapport-badge');
    const result = await page.evaluate(() => {
      const posts = [...document.querySelectorAll('article[data-testid="tweet"]')];
      let badged = 0;
      const wrong: string[] = [];
      for (const post of posts) {
        const nameLink = post.querySelector('[data-testid="User-Name"] a[href]');
        const handle = nameLink?.getAttribute('href')?.slice(1).toLowerCase();
        const badge = nameLink?.nextElementSibling;
        if (badge?.tagName.toLowerCase() === 'rapport-badge') {
          badged += 1;
          if (badge.getAttribute('data-account') !== `x:${handle}`)
            wrong.push(`${handle} → ${badge.getAttribute('data-account')}`);
        }
      }
      return { posts: posts.length, badged, wrong };
    });
    console.log(`badges: ${result.badged}/${result.posts} posts`);

    expect(result.posts).toBe(8);
    expect(result.badged / result.posts).toBeGreaterThanOrEqual(0.95);
    expect(result.wrong).toEqual([]);
    await page.close();
  });

  test('the scripted story gives the right tiers, in the store and on the badges', async () => {
    const home = await session.open('/home');
    await home.waitForSelector('rapport-badge[data-account="x:aiko_t"]');
    const followers = await session.open(`/${VIEWER.handle}/followers`);
    await followers.waitForSelector(
      'rapport-badge[data-account="x:bram_dw"][data-tier="silent-follower"]',
      { timeout: 15_000 },
    );

    // The store, read from the service worker.
    const rows = await session.readStore<{ viewer: string; handle: string; tier: string }>(
      'relationships',
    );
    const tiers = Object.fromEntries(
      rows.filter((r) => r.viewer === 'x:robin_vale').map((r) => [r.handle, r.tier]),
    );
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_TIERS).filter(([, t]) => t !== 'unknown'),
    );
    expect(tiers).toEqual(expected);
    const evidence = await session.readStore<{ key: string }>('evidence');
    expect(new Set(evidence.map((e) => e.key)).size).toBe(evidence.length);

    // Badges on the home page catch up after the next flush: reload to see the settled tiers.
    await home.reload();
    await home.waitForSelector(
      'rapport-badge[data-account="x:aiko_t"][data-tier="conversational"]',
      { timeout: 15_000 },
    );
    const shown = await badgeTiers(home);
    for (const [handle, tier] of Object.entries(EXPECTED_TIERS)) {
      if (shown[`x:${handle}`]) expect(shown[`x:${handle}`], handle).toBe(tier);
    }
    expect(shown['x:robin_vale']).toBeUndefined();
    // No layout shift: every author line (a flex row, as on x.com) keeps its height with its badge.
    const shifts = await home.evaluate(() => {
      const blocks = [...document.querySelectorAll('[data-testid="User-Name"]')];
      const withBadges = blocks.map((b) => b.getBoundingClientRect().height);
      const badges = [...document.querySelectorAll('rapport-badge')].map(
        (badge) => [badge, badge.parentNode, badge.nextSibling] as const,
      );
      for (const [badge] of badges) badge.remove();
      const without = blocks.map((b) => b.getBoundingClientRect().height);
      for (const [badge, parent, next] of badges) parent?.insertBefore(badge, next);
      return withBadges.filter((h, i) => Math.abs(h - (without[i] ?? h)) > 0.5).length;
    });
    expect(shifts).toBe(0);
    await home.screenshot({ path: join(SCREENSHOTS, 'x-home-badges.png') });
    await followers.screenshot({ path: join(SCREENSHOTS, 'x-followers-badges.png') });
    await home.close();
    await followers.close();
  });

  test("a badge keeps its look in a page whose CSS restyles everything, and where the page's CSP forbids styles", async () => {
    const selector = 'rapport-badge[data-account="x:aiko_t"][data-tier="conversational"]';
    for (const path of ['/hostile-css/home', '/strict-csp/home']) {
      const page = await session.open(path);
      await page.waitForSelector(selector, { state: 'attached', timeout: 15_000 });
      const look = await page.evaluate(readBadgeLook, selector);
      expect(look, path).toMatchObject(TALKS_LOOK);
      expect(look?.width, path).toBeGreaterThan(20);
      expect(look?.width, path).toBeLessThan(60);
      await page.close();
    }
  });

  test('the popup shows the viewer, counts, and who talks to them, best first', async () => {
    const popup = await session.openPopup();
    await popup.waitForSelector('.row');
    expect(await popup.textContent('.viewer')).toContain('@robin_vale');
    // It opens on who talks with you; "Everyone" lists every tier, best first.
    expect(await popup.getAttribute('[data-section="talk"]', 'aria-selected')).toBe('true');
    await popup.click('[data-section="everyone"]');
    await popup.waitForSelector('[data-section="everyone"][aria-selected="true"]');
    await popup.waitForFunction(() => document.querySelectorAll('.row').length === 7);
    const order = await popup.$$eval('.row', (rows) =>
      rows.map((r) => [r.getAttribute('data-account'), r.getAttribute('data-tier')]),
    );
    expect(order.slice(0, 2).map(([, tier]) => tier)).toEqual(['conversational', 'conversational']);
    expect(order[0]?.[0]).toBe('x:aiko_t'); // more exchanges, both ways, than gus_m
    expect(order.map(([, tier]) => tier)).toEqual([
      'conversational',
      'conversational',
      'unanswered',
      'reaching',
      'silent-follower',
      'silent-follower',
      'passive',
    ]);
    const counts = await popup.$$eval('.tab .count', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-tier'), e.textContent])),
    );
    expect(counts).toMatchObject({
      conversational: '2',
      unanswered: '1',
      reaching: '1',
      'silent-follower': '2',
      all: '7',
    });
    expect(await popup.textContent('.summary')).toBe(
      // Four people follow robin_vale in the story (bram, hana, aiko, chidi); two never talk.
      '2 people talk with you; 1 is waiting on you; 2 of your 4 followers have never said a word.',
    );
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-light.png'), fullPage: true });
    const dark = await session.openPopup({ colorScheme: 'dark' });
    await dark.waitForSelector('.row');
    await dark.screenshot({ path: join(SCREENSHOTS, 'popup-dark.png'), fullPage: true });
    await popup.close();
    await dark.close();
  });

  test('the toolbar counts who waits on you as soon as the setting is on, and stops when it is off', async () => {
    const badgeText = () =>
      session.worker.evaluate(() =>
        (
          globalThis as unknown as {
            chrome: { action: { getBadgeText(d: object): Promise<string> } };
          }
        ).chrome.action.getBadgeText({}),
      );
    expect(await badgeText()).toBe('');
    const options = await session.context.newPage();
    await options.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
    const setting = options.getByLabel('Show how many people are waiting on an answer from you');
    // No page is read meanwhile: the settings page itself has the icon repainted.
    await setting.check();
    await expect.poll(badgeText, { timeout: 10_000, interval: 200 }).toBe('1');
    await setting.uncheck();
    await expect.poll(badgeText, { timeout: 10_000, interval: 200 }).toBe('');
    await options.close();
  });

  test('a second X account on the same browser stays apart; switching back switches the popup back', async () => {
    const other = { handle: 'robin_alt', name: 'Robin (work)', id: '1000000002' };
    const aiko = { handle: 'aiko_t', name: 'Aiko Tanaka', id: '1000000011' };
    session.serve(
      '/alt/home',
      pageMarkup({
        title: 'Home',
        viewer: other,
        body: timelineMarkup(
          [
            {
              id: '1900000000000000001',
              author: aiko,
              at: new Date(NOW - 3_600_000).toISOString(),
              text: 'Morning, all.',
            },
          ],
          NOW,
        ),
      }),
    );
    const alt = await session.open('/alt/home');
    // The conversational contact of the first account is nobody yet to the second.
    await alt.waitForSelector('rapport-badge[data-account="x:aiko_t"][data-tier="unknown"]');
    await alt.waitForTimeout(1500);
    expect((await badgeTiers(alt))['x:aiko_t']).toBe('unknown');
    const popup = await session.openPopup();
    await popup.waitForSelector('[data-viewer="x:robin_alt"]');
    expect(await popup.$$('.row')).toHaveLength(0);
    await popup.close();
    await alt.close();

    const home = await session.open('/home');
    await home.waitForSelector(
      'rapport-badge[data-account="x:aiko_t"][data-tier="conversational"]',
      {
        timeout: 15_000,
      },
    );
    const back = await session.openPopup();
    await back.waitForSelector('.row');
    expect(await back.getAttribute('[data-viewer]', 'data-viewer')).toBe('x:robin_vale');
    await back.close();
    await home.close();
  });

  test('a badge shows a hover card; "Open in Rapport" opens the person’s page', async () => {
    const home = await session.open('/home');
    const badge = home
      .locator('rapport-badge[data-account="x:aiko_t"][data-tier="conversational"]')
      .first();
    await badge.waitFor({ timeout: 15_000 });
    await badge.hover();
    await home.waitForSelector('rapport-card[open]');
    await home.screenshot({ path: join(SCREENSHOTS, 'x-hover-card.png') });
    const box = await home.locator('rapport-card').boundingBox();
    if (!box) throw new Error('no card');
    // The card's button is its last line (the card is text in a closed shadow root).
    const [person] = await Promise.all([
      session.context.waitForEvent('page'),
      home.mouse.click(box.x + 40, box.y + box.height - 16),
    ]);
    await person.waitForSelector('.detail');
    expect(person.url()).toContain('account=x%3Aaiko_t');
    expect(await person.textContent('.detail .name')).toBe('Aiko Tanaka');
    await person.close();
    await home.close();
  });

  test('an empty store shows what to do', async () => {
    const fresh = await launchWithExtension();
    try {
      const popup = await fresh.openPopup();
      await popup.waitForSelector('.empty');
      expect(await popup.textContent('.empty')).toContain('followers page');
      await popup.screenshot({ path: join(SCREENSHOTS, 'popup-empty.png'), fullPage: true });
    } finally {
      await fresh.close();
    }
  });

  test("follows X's in-page navigation", async () => {
    const page = await session.open('/home');
    await page.waitForSelector('rapport-badge');
    const cells = cellsMarkup([
      { person: { handle: 'ines_q', name: 'Ines Quarry', id: '1000000042' }, followsYou: true },
    ]);
    // What X does on a click: pushState, then new rows in the same main column.
    await page.evaluate(
      ([path, html]) => {
        history.pushState({}, '', path);
        const timeline = document.querySelector('[data-testid="cellInnerDiv"]')?.parentElement;
        const template = document.createElement('template');
        template.innerHTML = html;
        timeline?.replaceChildren(template.content);
      },
      [`/${VIEWER.handle}/followers`, cells] as const,
    );
    await page.waitForSelector(
      'rapport-badge[data-account="x:ines_q"][data-tier="silent-follower"]',
      { timeout: 15_000 },
    );
    const rows = await session.readStore<{
      viewer: string;
      handle: string;
      followsViewer?: boolean;
    }>('relationships');
    expect(
      rows.find((r) => r.viewer === 'x:robin_vale' && r.handle === 'ines_q')?.followsViewer,
    ).toBe(true);
    await page.close();
  });

  test('follows X replacing its main column at the same address (its app mounted again)', async () => {
    const page = await session.open('/home');
    await page.waitForSelector('rapport-badge');
    const cells = cellsMarkup([
      { person: { handle: 'juno_r', name: 'Juno Reyes', id: '1000000043' }, followsYou: true },
    ]);
    // A new column, no change of address: the old column, watched until now, changes no more.
    await page.evaluate((html) => {
      const main = document.querySelector('main[role="main"]') as Element;
      const column = main.cloneNode(true) as Element;
      for (const badge of column.querySelectorAll('rapport-badge')) badge.remove();
      const timeline = column.querySelector('[data-testid="cellInnerDiv"]')?.parentElement;
      const template = document.createElement('template');
      template.innerHTML = html;
      timeline?.append(template.content);
      main.replaceWith(column);
    }, cells);
    await page.waitForSelector(
      'main rapport-badge[data-account="x:juno_r"][data-tier="silent-follower"]',
      { timeout: 15_000 },
    );
    // The rows the new column already had are badged again too.
    expect(
      await page.locator('main rapport-badge[data-account="x:aiko_t"]').count(),
    ).toBeGreaterThan(0);
    await page.close();
  });

  test('no network request from the extension pages or its worker', () => {
    expect(session.extensionRequests).toEqual([]);
  });

  test('after the extension reloads, the orphaned script stops quietly', async () => {
    const page = await session.open('/home');
    await page.waitForSelector('rapport-badge');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const before = await page.locator('rapport-badge').count();
    await session.worker
      .evaluate(() =>
        (
          globalThis as unknown as { chrome: { runtime: { reload(): void } } }
        ).chrome.runtime.reload(),
      )
      .catch(() => undefined);
    // One second later the old script must have stopped: new rows are neither badged nor thrown on.
    await page.waitForTimeout(1000);
    await page.evaluate(
      (html) => {
        const timeline = document.querySelector('[data-testid="cellInnerDiv"]')?.parentElement;
        const template = document.createElement('template');
        template.innerHTML = html;
        timeline?.append(template.content);
      },
      cellsMarkup([
        { person: { handle: 'late_lu', name: 'Late Lu', id: '1000000043' }, followsYou: true },
      ]),
    );
    await page.waitForTimeout(1500);
    const after = await page.locator('rapport-badge').count();
    console.log(
      `reliability: extension reloaded; 1 s later the orphaned script badged ${after - before} new rows, uncaught errors ${errors.length}`,
    );
    expect(after).toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });
});

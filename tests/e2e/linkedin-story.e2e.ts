import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { linkedinPageMarkup } from '../../src/demo/linkedin-markup.ts';
import {
  EXPECTED_LINKEDIN_TIERS,
  LINKEDIN_VIEWER,
  linkedinDemoPages,
} from '../../src/demo/linkedin-story.ts';
import { demoPages } from '../../src/demo/story.ts';
import { badgeTiers, launchWithExtension, SCREENSHOTS, type ExtensionSession } from './harness.ts';

const NOW = Date.now();
const FEED = 'https://www.linkedin.com/feed/';
const NOTIFICATIONS = 'https://www.linkedin.com/notifications/';
const CONNECTIONS = 'https://www.linkedin.com/mynetwork/invite-connect/connections/';
const FOLLOWERS = 'https://www.linkedin.com/mynetwork/network-manager/people-follow/followers/';
const REAL = 'https://www.linkedin.com/in/river_kite/recent-activity/all/';
const API_PAGE = 'https://www.linkedin.com/feed/update/urn:li:activity:7320724072932298753/';
const COMMENTS_API =
  'https://www.linkedin.com/voyager/api/graphql?variables=(count:10)&queryId=voyagerSocialDashComments.afec6d88';
const CONNECTIONS_API =
  'https://www.linkedin.com/voyager/api/relationships/dash/connections?decorationId=x&count=40';
const COMMENTS = readFileSync(
  join(process.cwd(), 'tests/fixtures/linkedin-json/comments.json'),
  'utf8',
);
const CONNECTIONS_JSON = readFileSync(
  join(process.cwd(), 'tests/fixtures/linkedin-json/connections.json'),
  'utf8',
);
let session: ExtensionSession;

/** A saved real page (an anonymised capture) inside a LinkedIn page with the viewer. */
const savedPage = (file: string, title: string) =>
  linkedinPageMarkup({
    title,
    viewer: LINKEDIN_VIEWER,
    body: readFileSync(join(process.cwd(), 'tests/fixtures/linkedin', file), 'utf8'),
  });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  session = await launchWithExtension();
  for (const [url, html] of Object.entries(linkedinDemoPages(NOW))) session.serve(url, html);
  for (const [path, html] of Object.entries(demoPages(NOW))) session.serve(path, html);
  session.serve(REAL, savedPage('recent-activity.html', 'Activity'));
  // A page whose own script reads LinkedIn's comments API (by fetch) and connections (by XHR).
  // Served by path: the query (LinkedIn's queryId) is what the capture script looks at.
  session.serve(COMMENTS_API.split('?')[0] as string, COMMENTS, 'application/json');
  session.serve(CONNECTIONS_API.split('?')[0] as string, CONNECTIONS_JSON, 'application/json');
  session.serve(
    API_PAGE,
    linkedinPageMarkup({ title: 'Post', viewer: LINKEDIN_VIEWER, body: '' }).replace(
      '</body>',
      `<script>
        window.__bodies = {};
        fetch(${JSON.stringify(COMMENTS_API)}).then((r) => r.text()).then((t) => { window.__bodies.comments = t; });
        const xhr = new XMLHttpRequest();
        xhr.open('GET', ${JSON.stringify(CONNECTIONS_API)});
        xhr.onload = () => { window.__bodies.connections = xhr.responseText; };
        xhr.send();
      </script></body>`,
    ),
  );
});
afterAll(async () => session?.close());

/**
 * Authors, commenters and the people notification cards name, and whether a badge with their
 * account follows the name.
 */
function badgeCoverage(page: Page) {
  return page.evaluate(() => {
    const slug = (href: string | null) =>
      decodeURIComponent(/\/in\/([^/?#]+)/.exec(href ?? '')?.[1] ?? '').toLowerCase();
    const names: { handle: string; badge: Element | null | undefined }[] = [];
    for (const post of document.querySelectorAll('[data-urn^="urn:li:activity:"]')) {
      const link = post.querySelector('a.update-components-actor__meta-link');
      const handle = slug(link?.getAttribute('href') ?? null);
      if (!handle) continue;
      names.push({ handle, badge: link?.querySelector('rapport-badge') });
    }
    for (const comment of document.querySelectorAll('article[data-id^="urn:li:comment:"]')) {
      const title = comment.querySelector('.comments-comment-meta__description-title');
      const handle = slug(comment.querySelector('a[href*="/in/"]')?.getAttribute('href') ?? null);
      names.push({ handle, badge: title?.nextElementSibling });
    }
    // A notification card's person: its picture links to them; their name, when the sentence
    // shows it, is one of its bold words (the picture's label or one of its images' alts).
    for (const card of document.querySelectorAll(
      'article[data-view-name="notification-card-container"]',
    )) {
      const image = card.querySelector('a[data-view-name="notification-card-image"]');
      const handle = slug(image?.getAttribute('href') ?? null);
      const pictureNames = [
        /^View (.+?)’s profile\.$/.exec(image?.getAttribute('aria-label') ?? '')?.[1],
        ...[...(image?.querySelectorAll('img[alt]') ?? [])].map((img) => img.getAttribute('alt')),
      ];
      const bold = [...card.querySelectorAll('a.nt-card__headline strong')].find((el) =>
        pictureNames.includes(el.textContent?.trim()),
      );
      if (handle && bold) names.push({ handle, badge: bold.nextElementSibling });
    }
    const viewer = slug(
      document.querySelector('.feed-identity-module__actor-meta a')?.getAttribute('href') ?? null,
    );
    const others = names.filter((n) => n.handle !== viewer);
    const wrong = others.filter(
      (n) =>
        n.badge?.localName === 'rapport-badge' &&
        n.badge.getAttribute('data-account') !== `linkedin:${n.handle}`,
    );
    const badged = others.filter((n) => n.badge?.localName === 'rapport-badge').length;
    return { names: others.length, badged, wrong: wrong.map((n) => n.handle) };
  });
}

describe('LinkedIn, end to end in Chromium', () => {
  test('badges after every author on a real recent-activity page, with the right data-account', async () => {
    const page = await session.open(REAL);
    await page.waitForSelector('rapport-badge');
    const result = await badgeCoverage(page);
    console.log(`badges: ${result.badged}/${result.names} authors`);
    expect(result.names).toBe(4);
    expect(result.badged / result.names).toBeGreaterThanOrEqual(0.95);
    expect(result.wrong).toEqual([]);
    await page.close();
  });

  test('badges after the people a real notifications page names, with the right data-account', async () => {
    // Served at the notifications address for this test alone; the demo's page goes back after.
    session.serve(NOTIFICATIONS, savedPage('notifications.html', 'Notifications'));
    try {
      const page = await session.open(NOTIFICATIONS);
      await page.waitForSelector('rapport-badge');
      const result = await badgeCoverage(page);
      console.log(`badges: ${result.badged}/${result.names} people named by cards`);
      // Of six cards, two are about a person their sentence names (the others: job alerts, a
      // company's event, a suggestion naming someone else).
      expect(result.names).toBe(2);
      expect(result.badged).toBe(2);
      expect(result.wrong).toEqual([]);
      expect(await page.locator('rapport-badge').count()).toBe(2);
      await page.close();
    } finally {
      session.serve(NOTIFICATIONS, linkedinDemoPages(NOW)[NOTIFICATIONS] as string);
    }
  });

  test('the scripted story: comments answered both ways → conversational; a connection who never comments → silent follower', async () => {
    const feed = await session.open(FEED);
    await feed.waitForSelector('rapport-badge[data-account="linkedin:ines-okafor"]');
    for (const url of [NOTIFICATIONS, CONNECTIONS, FOLLOWERS]) {
      const page = await session.open(url);
      await page.waitForSelector('rapport-badge, article', { timeout: 15_000 });
      await page.waitForTimeout(1500);
      if (url === NOTIFICATIONS) {
        const cards = await badgeCoverage(page);
        console.log(`badges: ${cards.badged}/${cards.names} people named by notification cards`);
        expect(cards.names).toBe(4);
        expect(cards.badged / cards.names).toBeGreaterThanOrEqual(0.95);
        expect(cards.wrong).toEqual([]);
        await page.screenshot({
          path: join(SCREENSHOTS, 'linkedin-notifications-badges.png'),
          fullPage: true,
        });
      }
      await page.close();
    }
    const rows = await session.readStore<{ viewer: string; handle: string; tier: string }>(
      'relationships',
    );
    const tiers = Object.fromEntries(
      rows.filter((r) => r.viewer === 'linkedin:robin-vale').map((r) => [r.handle, r.tier]),
    );
    expect(tiers).toEqual(
      Object.fromEntries(
        Object.entries(EXPECTED_LINKEDIN_TIERS).filter(([, t]) => t !== 'unknown'),
      ),
    );
    const evidence = await session.readStore<{ key: string }>('evidence');
    expect(new Set(evidence.map((e) => e.key)).size).toBe(evidence.length);

    await feed.reload();
    await feed.waitForSelector(
      'rapport-badge[data-account="linkedin:ines-okafor"][data-tier="conversational"]',
      { timeout: 15_000 },
    );
    const coverage = await badgeCoverage(feed);
    console.log(`badges: ${coverage.badged}/${coverage.names} authors and commenters`);
    expect(coverage.badged / coverage.names).toBeGreaterThanOrEqual(0.95);
    expect(coverage.wrong).toEqual([]);
    const shown = await badgeTiers(feed);
    for (const [handle, tier] of Object.entries(EXPECTED_LINKEDIN_TIERS))
      if (shown[`linkedin:${handle}`]) expect(shown[`linkedin:${handle}`], handle).toBe(tier);
    expect(shown['linkedin:robin-vale']).toBeUndefined();
    await feed.screenshot({ path: join(SCREENSHOTS, 'linkedin-feed-badges.png'), fullPage: true });
    await feed.close();
  });

  test('the popup shows LinkedIn accounts beside X ones, with a platform filter', async () => {
    const home = await session.open('/home');
    await home.waitForSelector('rapport-badge[data-account="x:aiko_t"]');
    await home.waitForTimeout(1500);
    await home.close();
    const popup = await session.openPopup();
    await popup.waitForSelector('[data-filter="all"][aria-checked="true"]');
    await popup.waitForSelector('.row[data-platform="x"]');
    const platforms = async () =>
      popup.$$eval('.row', (rows) => [
        ...new Set(rows.map((r) => r.getAttribute('data-platform'))),
      ]);
    expect((await platforms()).sort()).toEqual(['linkedin', 'x']);
    expect(
      await popup.$$eval('[data-viewer]', (els) => els.map((e) => e.getAttribute('data-viewer'))),
    ).toEqual(['x:robin_vale', 'linkedin:robin-vale']);
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-both-platforms.png'), fullPage: true });
    await popup.click('[data-filter="linkedin"]');
    await popup.waitForSelector('[data-filter="linkedin"][aria-checked="true"]');
    await popup.waitForFunction(
      () =>
        document.querySelectorAll('.row').length > 0 &&
        [...document.querySelectorAll('.row')].every(
          (r) => r.getAttribute('data-platform') === 'linkedin',
        ),
    );
    expect(await platforms()).toEqual(['linkedin']);
    const order = await popup.$$eval('.row', (rows) =>
      rows.map((r) => [r.getAttribute('data-account'), r.getAttribute('data-tier')]),
    );
    expect(order[0]).toEqual(['linkedin:ines-okafor', 'conversational']);
    await popup.click('[data-filter="x"]');
    await popup.waitForSelector('[data-filter="x"][aria-checked="true"]');
    await popup.waitForFunction(
      () =>
        document.querySelectorAll('.row').length > 0 &&
        [...document.querySelectorAll('.row')].every(
          (r) => r.getAttribute('data-platform') === 'x',
        ),
    );
    expect(await platforms()).toEqual(['x']);
    await popup.close();
  });

  test('"same person": an X account linked by hand with a LinkedIn one, both pages say so', async () => {
    const popup = await session.openPopup();
    await popup.click('.row[data-account="x:aiko_t"]');
    const same = popup.locator('section.same');
    await same.waitFor();
    expect(await same.locator('h3').textContent()).toBe('Same person on LinkedIn');
    const field = same.getByLabel('Their LinkedIn profile name (in/…)');
    // Not a profile: said, nothing linked.
    await field.fill('linkedin.com/company/acme');
    await same.getByRole('button', { name: 'Link' }).click();
    expect(await same.getByRole('alert').textContent()).toContain('not a LinkedIn profile');
    // A profile address, as copied from the address bar.
    await field.fill('www.linkedin.com/in/ines-okafor/');
    await same.getByRole('button', { name: 'Link' }).click();
    await same.getByText('(in/ines-okafor)').waitFor();
    expect(await same.textContent()).toMatch(/\d+ from them · \d+ from you there/);
    // The LinkedIn person's page names the X account.
    await popup.click('text=← Back');
    await popup.click('[data-filter="linkedin"]');
    await popup.click('.row[data-account="linkedin:ines-okafor"]');
    await popup.locator('section.same').getByText('(@aiko_t)').waitFor();
    await popup.locator('section.same').scrollIntoViewIfNeeded();
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-same-person.png') });
    await popup.locator('section.same').getByRole('button', { name: 'Unlink' }).click();
    await popup.locator('section.same form').waitFor();
    await popup.close();
  });

  test("LinkedIn's own API responses, read passively: comments by fetch, connections by XHR", async () => {
    const page = await session.open(API_PAGE);
    await page.waitForFunction(() => {
      const bodies = (window as unknown as { __bodies: Record<string, string> }).__bodies;
      return bodies.comments !== undefined && bodies.connections !== undefined;
    });
    const bodies = await page.evaluate(
      () => (window as unknown as { __bodies: Record<string, string> }).__bodies,
    );
    expect(bodies.comments).toBe(COMMENTS);
    expect(bodies.connections).toBe(CONNECTIONS_JSON);
    let comments = 0;
    let connected = 0;
    for (let i = 0; i < 40 && (comments < 27 || connected < 12); i++) {
      await page.waitForTimeout(250);
      const evidence = await session.readStore<{ key: string }>('evidence');
      comments = evidence.filter((e) => /^linkedin:\d+:comment:/.test(e.key)).length;
      const rows = await session.readStore<{ viewer: string; connected?: boolean }>(
        'relationships',
      );
      connected = rows.filter((r) => r.viewer === 'linkedin:robin-vale' && r.connected).length;
    }
    expect(comments).toBeGreaterThanOrEqual(27);
    expect(connected).toBeGreaterThanOrEqual(12);
    await page.close();
  });

  test('no network request from the extension', () => {
    expect(session.extensionRequests).toEqual([]);
  });
});

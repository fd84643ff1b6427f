/**
 * The reliability suite, in real Chromium with the built extension and real IndexedDB. Each test
 * prints its figure (collected in README under "Reliability").
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountKey } from '../../src/core/keys.ts';
import { DEFAULT_SETTINGS } from '../../src/core/model.ts';
import {
  applyEvidence,
  directionFor,
  emptyRelationship,
  settle,
  type Relationship,
} from '../../src/core/relationship.ts';
import type { EvidenceRow } from '../../src/core/batch.ts';
import { VIEWER } from '../../src/demo/story.ts';
import { pageMarkup } from '../../src/demo/x-markup.ts';
import {
  countStoreFrom,
  launchWithExtension,
  readStoreFrom,
  type ExtensionSession,
} from './harness.ts';
import { replyKey, repliesResponse, timelinePage } from './reliability-data.ts';

const VIEWER_KEY = accountKey({ platform: 'x', handle: VIEWER.handle });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let session: ExtensionSession;
/** An extension page kept open: reads the database and speaks CDP to the worker. */
let inside: Page;
let cdp: CDPSession;

beforeAll(async () => {
  session = await launchWithExtension();
  inside = await session.context.newPage();
  await inside.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
  cdp = await session.context.newCDPSession(inside);
  await cdp.send('ServiceWorker.enable');
});
afterAll(async () => session?.close());

/** Waits until `count()` stops changing for `quietMs`, or `timeoutMs` passes; returns the last count. */
async function settled(count: () => Promise<number>, target: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < until) {
    const now = await count().catch(() => last);
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    if (last >= target && Date.now() - stableSince > 1500) return last;
    await sleep(250);
  }
  return last;
}

/** Relationship rows of the viewer rebuilt from scratch: every stored evidence row, folded once. */
function fromScratch(evidence: readonly EvidenceRow[], stored: readonly Relationship[]) {
  const rows = new Map<string, Relationship>();
  for (const ev of [...evidence].sort((a, b) => a.at - b.at)) {
    const side = directionFor(VIEWER_KEY, ev.from, ev.to);
    if (!side) continue;
    const [platform, handle] = side.other.split(/:(.*)/s) as ['x', string];
    const row =
      rows.get(side.other) ?? emptyRelationship(VIEWER_KEY, { platform, handle }, DEFAULT_SETTINGS);
    rows.set(
      side.other,
      applyEvidence(row, {
        kind: ev.kind,
        direction: side.direction,
        at: ev.at,
        ...(ev.url ? { url: ev.url } : {}),
      }),
    );
  }
  const now = Date.now();
  return stored.map((s) => {
    const rebuilt = rows.get(s.account);
    if (!rebuilt) return { account: s.account, rebuilt: undefined };
    const flagged = {
      ...rebuilt,
      ...(s.followsViewer ? { followsViewer: true } : {}),
      ...(s.viewerFollows ? { viewerFollows: true } : {}),
      ...(s.connected ? { connected: true } : {}),
    };
    return { account: s.account, rebuilt: settle(flagged, DEFAULT_SETTINGS, now) };
  });
}

describe('Reliability', () => {
  test('the service worker stopped at random moments during 1,000 batches: 0 lost, 0 duplicated', async () => {
    const RESPONSES = 1000;
    const PER_RESPONSE = 50; // a post and a reply each: 100 observations, one batch
    const at = new Date(Date.now() - 3_600_000);
    for (let r = 0; r < RESPONSES; r++)
      session.serve(
        `/i/api/graphql/Rel${r}/TweetDetail`,
        repliesResponse(r * PER_RESPONSE, PER_RESPONSE, at),
        'application/json',
      );
    // The page reads one response every 20 ms, as a long scroll would.
    session.serve(
      '/reliability/stream',
      pageMarkup({ title: 'Post', viewer: VIEWER, body: '' }).replace(
        '</body>',
        `<script>
          window.__read = 0;
          (async () => {
            for (let r = 0; r < ${RESPONSES}; r++) {
              await fetch('/i/api/graphql/Rel' + r + '/TweetDetail').then((res) => res.text());
              window.__read = r + 1;
              await new Promise((done) => setTimeout(done, 20));
            }
          })();
        </script></body>`,
      ),
    );
    const expected = RESPONSES * PER_RESPONSE;
    const page = await session.open('/reliability/stream');
    await page.bringToFront();

    // At least 20 stops, at random moments, while batches are still arriving.
    let stopsDuringBatches = 0;
    const started = Date.now();
    while (stopsDuringBatches < 25 && Date.now() - started < 120_000) {
      await sleep(200 + Math.random() * 600);
      const stored = await countStoreFrom(inside, 'evidence').catch(() => 0);
      if (stored >= expected) break;
      await cdp.send('ServiceWorker.stopAllWorkers');
      stopsDuringBatches += 1;
    }
    const stored = await settled(() => countStoreFrom(inside, 'evidence'), expected, 90_000);
    const evidence = await readStoreFrom<EvidenceRow>(inside, 'evidence');
    const keys = new Set(evidence.map((e) => e.key));
    const lost = [...Array(expected).keys()].filter((i) => !keys.has(replyKey(i))).length;
    const relationships = (await readStoreFrom<Relationship>(inside, 'relationships')).filter(
      (r) => r.viewer === VIEWER_KEY && r.handle.startsWith('rel_'),
    );
    const doubled = relationships.filter((r) => r.inCount !== 1).length;
    console.log(
      `reliability: worker stopped ${stopsDuringBatches} times during ${RESPONSES} batches of ${PER_RESPONSE * 2} observations; ` +
        `evidence expected ${expected}, stored ${stored}, lost ${lost}, duplicated ${stored - (expected - lost)}, ` +
        `relationships counted twice ${doubled} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    expect(stopsDuringBatches).toBeGreaterThanOrEqual(20);
    expect(lost).toBe(0);
    expect(stored).toBe(expected);
    expect(relationships).toHaveLength(expected);
    expect(doubled).toBe(0);
    await page.close();
  }, 300_000);

  test('3 tabs, same and different pages, each revisited 10 times: 0 duplicates, relationships equal to a rebuild from scratch', async () => {
    const now = Date.now();
    const range = (from: number, to: number) => [...Array(to - from).keys()].map((i) => from + i);
    // A and B overlap (same people and posts), C is apart.
    session.serve('/reliability/a', timelinePage(range(100_000, 100_060), now));
    session.serve('/reliability/b', timelinePage(range(100_030, 100_090), now));
    session.serve('/reliability/c', timelinePage(range(100_200, 100_240), now));
    const before = await countStoreFrom(inside, 'evidence');
    const plans = [
      ['/reliability/a', '/reliability/b'],
      ['/reliability/b', '/reliability/c'],
      ['/reliability/a', '/reliability/c'],
    ];
    const tabs = await Promise.all(plans.map(() => session.context.newPage()));
    let visits = 0;
    await Promise.all(
      tabs.map(async (tab, t) => {
        for (let round = 0; round < 10; round++)
          for (const path of plans[t]!) {
            await tab.goto(`https://x.com${path}`);
            await tab.waitForSelector('rapport-badge');
            await tab.waitForTimeout(150);
            visits += 1;
          }
      }),
    );
    // Unique acts: a reply from each of 150 people, and an answer to every third.
    const people = [...range(100_000, 100_090), ...range(100_200, 100_240)];
    const expected = people.length + people.filter((i) => i % 3 === 0).length;
    const stored = await settled(
      () => countStoreFrom(inside, 'evidence'),
      before + expected,
      60_000,
    );

    const evidence = (await readStoreFrom<EvidenceRow>(inside, 'evidence')).filter((e) =>
      e.sourceId.startsWith('8'),
    );
    const relationships = (await readStoreFrom<Relationship>(inside, 'relationships')).filter(
      (r) => r.viewer === VIEWER_KEY && /^rel_1000\d\d$|^rel_1002\d\d$/.test(r.handle),
    );
    const rebuilt = fromScratch(evidence, relationships);
    const differing = rebuilt.filter(({ account, rebuilt: r }) => {
      const s = relationships.find((row) => row.account === account)!;
      return (
        !r ||
        r.inCount !== s.inCount ||
        r.outCount !== s.outCount ||
        r.lastInAt !== s.lastInAt ||
        r.lastOutAt !== s.lastOutAt ||
        r.computedTier !== s.computedTier ||
        Math.abs(r.logIn - s.logIn) > 1e-9 ||
        Math.abs(
          (Number.isFinite(r.logOut) ? r.logOut : 0) - (Number.isFinite(s.logOut) ? s.logOut : 0),
        ) > 1e-9
      );
    });
    console.log(
      `reliability: 3 tabs, ${visits} page visits (3 pages, each tab 2 of them 10 times); ` +
        `evidence ${stored - before} of ${expected} unique (${stored - before - expected} duplicates); ` +
        `${relationships.length} relationships, ${differing.length} differ from a rebuild from scratch`,
    );
    expect(stored - before).toBe(expected);
    expect(relationships).toHaveLength(people.length);
    expect(differing).toEqual([]);
    expect(relationships.filter((r) => r.computedTier === 'conversational')).toHaveLength(
      people.filter((i) => i % 3 === 0).length,
    );
    await Promise.all(tabs.map((tab) => tab.close()));
  }, 180_000);

  // Last: it leaves the database one (test-only) version ahead of the build.
  test('a schema upgrade while the popup and 3 tabs hold the database: no hang on blocked, data intact, old tabs recover', async () => {
    const now = Date.now();
    const range = (from: number, to: number) => [...Array(to - from).keys()].map((i) => from + i);
    const popup = await session.openPopup();
    await popup.waitForSelector('.row');
    const tabs = await Promise.all(
      ['/reliability/a', '/reliability/b', '/reliability/c'].map((path) => session.open(path)),
    );
    await Promise.all(tabs.map((tab) => tab.waitForSelector('rapport-badge')));
    await sleep(1500);
    const before = {
      evidence: await countStoreFrom(inside, 'evidence'),
      relationships: await countStoreFrom(inside, 'relationships'),
      accounts: await countStoreFrom(inside, 'accounts'),
    };

    // The upgrade runs from an extension page that holds no connection of its own.
    const upgrader = await session.context.newPage();
    await upgrader.goto(`chrome-extension://${session.extensionId}/manifest.json`);
    const upgrade = await upgrader.evaluate(
      () =>
        new Promise<{ ms: number; blocked: number; version: number; error?: string }>((done) => {
          const started = performance.now();
          let blocked = 0;
          const probe = indexedDB.open('rapport');
          probe.onsuccess = () => {
            const next = probe.result.version + 1;
            probe.result.close();
            const open = indexedDB.open('rapport', next);
            const timer = setTimeout(
              () => done({ ms: performance.now() - started, blocked, version: 0, error: 'hung' }),
              10_000,
            );
            open.onblocked = () => (blocked += 1);
            open.onupgradeneeded = () => {
              // A test-only v+1 migration: an index an update might add.
              open.transaction?.objectStore('evidence').createIndex('byKindTestOnly', 'kind');
            };
            open.onerror = () => {
              clearTimeout(timer);
              done({ ms: 0, blocked, version: 0, error: String(open.error) });
            };
            open.onsuccess = () => {
              clearTimeout(timer);
              open.result.close();
              done({ ms: performance.now() - started, blocked, version: next });
            };
          };
        }),
    );
    expect(upgrade.error).toBeUndefined();
    await inside.waitForLoadState();
    const after = {
      evidence: await countStoreFrom(inside, 'evidence'),
      relationships: await countStoreFrom(inside, 'relationships'),
      accounts: await countStoreFrom(inside, 'accounts'),
    };
    expect(after).toEqual(before);

    // The popup started again on the new schema.
    await popup.waitForSelector('.row', { timeout: 10_000 });
    // Old tabs go on: new posts they show are saved through a reopened connection.
    const fresh = tabs.map((_, t) => range(100_400 + t * 10, 100_410 + t * 10));
    for (const [t, tab] of tabs.entries()) {
      session.serve(`/reliability/d${t}`, timelinePage(fresh[t]!, now));
      await tab.goto(`https://x.com/reliability/d${t}`);
    }
    const added = fresh.flat();
    const expectedNew = added.length + added.filter((i) => i % 3 === 0).length;
    const stored = await settled(
      () => countStoreFrom(inside, 'evidence'),
      before.evidence + expectedNew,
      30_000,
    );
    console.log(
      `reliability: upgrade to v${upgrade.version} with the popup, the settings page and 3 tabs open: ` +
        `done in ${upgrade.ms.toFixed(0)} ms (${upgrade.blocked} blocked events), ` +
        `evidence ${before.evidence} → ${after.evidence}, relationships ${before.relationships} → ${after.relationships}; ` +
        `the tabs' next pages saved ${stored - before.evidence} of ${expectedNew}`,
    );
    expect(upgrade.ms).toBeLessThan(5000);
    expect(stored - before.evidence).toBe(expectedNew);
    await Promise.all([popup, upgrader, ...tabs].map((page) => page.close()));
  }, 120_000);
});

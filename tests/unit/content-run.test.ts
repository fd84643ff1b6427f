// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterEach, describe, expect, onTestFinished, test, vi } from 'vitest';
import {
  ADDED_WAIT_MS,
  ALIVE_CHECK_MS,
  FULL_LOOKUP_MS,
  startContent,
} from '../../src/content/run.ts';
import { linkedinPageMarkup } from '../../src/demo/linkedin-markup.ts';
import { LINKEDIN_VIEWER } from '../../src/demo/linkedin-story.ts';
import { demoPages } from '../../src/demo/story.ts';
import { linkedinAdapter } from '../../src/platforms/linkedin/index.ts';
import type { PlatformAdapter } from '../../src/platforms/adapter.ts';
import { xAdapter } from '../../src/platforms/x/index.ts';
import {
  describeIssues,
  MAX_LOOKUP,
  LookupMessageSchema,
  type IngestMessage,
  type LookupMessage,
  type OpenPersonMessage,
  type PageStatusMessage,
} from '../../src/shared/messages.ts';

type Message = IngestMessage | LookupMessage | PageStatusMessage | OpenPersonMessage;

function setup(
  tiers: Record<string, string> = {},
  hide: string[] = [],
  adapter: PlatformAdapter = xAdapter,
) {
  const messages: Message[] = [];
  let alive = true;
  const controller = startContent(adapter, {
    doc: document,
    alive: () => alive,
    send: async (message) => {
      messages.push(message);
      // As the background does: a lookup its schema refuses is answered with the reason.
      const parsed = v.safeParse(LookupMessageSchema, message);
      if (message.type === 'lookup' && !parsed.success)
        return { ok: false, error: `refused: ${describeIssues(parsed.issues)}` };
      if (message.type === 'ingest')
        return { ok: true, batchId: message.batchId, added: message.observations.length };
      if (message.type === 'page-status' || message.type === 'open-person') return { ok: true };
      return {
        ok: true,
        ...(hide.length > 0 ? { hide: [...hide] } : {}),
        tiers: Object.fromEntries(
          message.accounts
            .filter((a) => tiers[a])
            .map((a) => [a, { tier: tiers[a], inCount: 1, outCount: 1 }]),
        ),
      };
    },
  });
  return { controller, messages, kill: () => (alive = false) };
}

function loadDemoHome() {
  const html = demoPages(Date.parse('2026-11-01T00:00:00Z'))['/home'] as string;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  document.documentElement.replaceChildren(
    ...[...doc.documentElement.childNodes].map((n) => document.importNode(n, true)),
  );
}

const tick = () => new Promise((r) => setTimeout(r, 0));
/**
 * What the site adds is read in the page's next idle moment: happy-dom has no idle callbacks, so
 * a 0 ms timeout stands in, set by the observer's callback (after a tick asked for at once).
 */
const settle = async () => {
  await tick();
  await tick();
};

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

/** happy-dom has no idle callbacks: the page's window gets one whose requests wait to be run here. */
function stubIdleCallbacks() {
  const requests: Array<{ fn: (deadline: IdleDeadline) => void; timeout?: number }> = [];
  const win = document.defaultView as Window;
  Object.defineProperty(win, 'requestIdleCallback', {
    configurable: true,
    value: (fn: (deadline: IdleDeadline) => void, options?: IdleRequestOptions) =>
      requests.push({ fn, timeout: options?.timeout }),
  });
  onTestFinished(() => void delete (win as { requestIdleCallback?: unknown }).requestIdleCallback);
  return requests;
}

/** The demo home page's list of rows, where X appends new posts. */
const homeTimeline = () =>
  document.querySelector('[data-testid="cellInnerDiv"]')?.parentElement as Element;

describe('content script on a live page', () => {
  test('parses each post once, badges every author but the viewer, one lookup per flush', async () => {
    loadDemoHome();
    const run = setup({ 'x:aiko_t': 'conversational', 'x:chidi_o': 'unanswered' });
    run.controller.flush();
    await tick();
    await tick();
    const ingests = run.messages.filter((m): m is IngestMessage => m.type === 'ingest');
    const lookups = run.messages.filter((m): m is LookupMessage => m.type === 'lookup');
    expect(ingests).toHaveLength(1);
    // Ten posts by five people: the store learns from a post only that its author was seen.
    const posts = ingests[0]?.observations.filter((o) => o.type === 'post') ?? [];
    const authors = posts.map((p) => (p.type === 'post' ? p.author.handle : ''));
    expect(authors.sort()).toEqual(['aiko_t', 'chidi_o', 'farah_n', 'gus_m', 'robin_vale']);
    expect(lookups).toHaveLength(1);
    expect(new Set(lookups[0]?.accounts)).toEqual(
      new Set(['x:aiko_t', 'x:chidi_o', 'x:dana_w', 'x:farah_n', 'x:gus_m']),
    );
    const badges = [...document.querySelectorAll('rapport-badge')];
    expect(badges.map((b) => b.getAttribute('data-account'))).not.toContain('x:robin_vale');
    expect(
      document.querySelector('rapport-badge[data-account="x:aiko_t"]')?.getAttribute('data-tier'),
    ).toBe('conversational');
    expect(
      document.querySelector('rapport-badge[data-account="x:farah_n"]')?.getAttribute('data-tier'),
    ).toBe('unknown');

    // The same posts re-rendered by the site are not sent again; badges are not doubled.
    const cell = document.querySelector('[data-testid="cellInnerDiv"]') as Element;
    cell.parentElement?.append(cell);
    await tick();
    run.controller.flush();
    await tick();
    expect(run.messages.filter((m) => m.type === 'ingest')).toHaveLength(1);
    expect(document.querySelectorAll('rapport-badge[data-account="x:aiko_t"]')).toHaveLength(2);
    run.controller.stop();
  });

  test('after a saved batch only the accounts it named are looked up; everyone every 30 s', async () => {
    loadDemoHome();
    let now = Date.parse('2026-11-01T00:00:00Z');
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    onTestFinished(() => clock.mockRestore());
    const run = setup({ 'x:river_kite': 'unanswered', 'x:aiko_t': 'conversational' });
    onTestFinished(() => run.controller.stop());
    const lookups = () => run.messages.filter((m): m is LookupMessage => m.type === 'lookup');
    const save = async () => {
      await tick();
      run.controller.flush();
      await tick();
      await tick();
    };
    await save();
    expect(lookups()).toHaveLength(1);
    const everyone = ['x:aiko_t', 'x:chidi_o', 'x:dana_w', 'x:farah_n', 'x:gus_m'];
    expect(new Set(lookups()[0]?.accounts)).toEqual(new Set(everyone));

    // Someone new posts: the lookup after their batch asks for them alone.
    const fixture = readFileSync(join(process.cwd(), 'tests/fixtures/x/post-sample.html'), 'utf8');
    const appendPost = (html: string) => {
      const holder = new DOMParser().parseFromString(html, 'text/html').body;
      homeTimeline().append(...[...holder.childNodes].map((n) => document.importNode(n, true)));
    };
    appendPost(fixture);
    now += 1000;
    await save();
    expect(lookups()).toHaveLength(2);
    expect(lookups()[1]?.accounts).toEqual(['x:river_kite']);
    expect(
      document
        .querySelector('rapport-badge[data-account="x:river_kite"]')
        ?.getAttribute('data-tier'),
    ).toBe('unanswered');

    // Half a minute after the last full lookup, a saved batch asks for every badge again.
    appendPost(fixture.replaceAll('river_kite', 'lake_wren'));
    now += FULL_LOOKUP_MS;
    await save();
    expect(lookups()).toHaveLength(3);
    expect(new Set(lookups()[2]?.accounts)).toEqual(
      new Set([...everyone, 'x:river_kite', 'x:lake_wren']),
    );
  });

  test('content re-rendered inside a post is not parsed again; a lost badge comes back', async () => {
    loadDemoHome();
    const run = setup();
    run.controller.flush();
    await tick();
    const ingests = () => run.messages.filter((m) => m.type === 'ingest').length;
    const before = ingests();
    const post = document.querySelector('article[data-testid="tweet"]') as Element;
    post.querySelector('rapport-badge')?.remove();
    // What X does when a counter changes: new nodes inside the post.
    const group = post.querySelector('[role="group"]') as Element;
    group.append(document.createElement('span'));
    await tick();
    run.controller.flush();
    await tick();
    expect(ingests()).toBe(before);
    expect(post.querySelectorAll('rapport-badge')).toHaveLength(1);
    run.controller.stop();
  });

  test('new posts added by the site are parsed and badged; in-page navigation is followed', async () => {
    loadDemoHome();
    const run = setup();
    run.controller.flush();
    await tick();
    const timeline = homeTimeline();
    const fixture = readFileSync(join(process.cwd(), 'tests/fixtures/x/post-sample.html'), 'utf8');
    history.pushState({}, '', '/river_kite/status/1115497872879466916');
    const holder = new DOMParser().parseFromString(fixture, 'text/html').body;
    timeline.append(...[...holder.childNodes].map((n) => document.importNode(n, true)));
    await tick();
    run.controller.flush();
    await tick();
    const last = run.messages.filter((m): m is IngestMessage => m.type === 'ingest').at(-1);
    expect(last?.page).toEqual({
      platform: 'x',
      kind: 'status',
      url: 'http://localhost:3000/river_kite/status/1115497872879466916',
    });
    expect(last?.observations.map((o) => o.type)).toEqual(['post']);
    expect(document.querySelector('rapport-badge[data-account="x:river_kite"]')).not.toBeNull();
    run.controller.stop();
  });

  test('the page is watched again after each change it reads (the observer is off while badges go in)', async () => {
    loadDemoHome();
    const run = setup();
    run.controller.flush();
    await tick();
    const timeline = homeTimeline();
    const cell = timeline.firstElementChild as Element;
    const badgesBefore = document.querySelectorAll('rapport-badge').length;
    for (let round = 1; round <= 3; round++) {
      const copy = cell.cloneNode(true) as Element;
      for (const badge of copy.querySelectorAll('rapport-badge')) badge.remove();
      timeline.append(copy);
      await settle();
      expect(copy.querySelectorAll('rapport-badge')).toHaveLength(1);
    }
    expect(document.querySelectorAll('rapport-badge')).toHaveLength(badgesBefore + 3);
    run.controller.stop();
  });

  test('a change that brings nothing to read leaves the observer on; one that brings badges turns it off and on once', async () => {
    loadDemoHome();
    const run = setup();
    // Stopped even when an expectation fails: a script left running would read the next test's page.
    onTestFinished(() => run.controller.stop());
    await tick();
    const timeline = homeTimeline();
    const off = vi.spyOn(MutationObserver.prototype, 'disconnect');
    const on = vi.spyOn(MutationObserver.prototype, 'observe');
    onTestFinished(() => {
      off.mockRestore();
      on.mockRestore();
    });
    const line = document.createElement('div');
    line.textContent = 'a counter moved';
    timeline.append(line);
    await tick();
    expect([off.mock.calls.length, on.mock.calls.length]).toEqual([0, 0]);
    const copies = [0, 1].map(() => {
      const copy = timeline.firstElementChild?.cloneNode(true) as Element;
      for (const badge of copy.querySelectorAll('rapport-badge')) badge.remove();
      return copy;
    });
    timeline.append(...copies);
    await settle();
    for (const copy of copies) expect(copy.querySelectorAll('rapport-badge')).toHaveLength(1);
    expect([off.mock.calls.length, on.mock.calls.length]).toEqual([1, 1]);
  });

  test('an in-page navigation is noticed by changes that bring nothing to read (the alarm follows it)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    loadDemoHome();
    history.pushState({}, '', '/home');
    const run = setup();
    // Stopped even when an expectation fails: a script left running would read the next test's page.
    onTestFinished(() => run.controller.stop());
    await vi.advanceTimersByTimeAsync(7000);
    history.pushState({}, '', '/search?q=rivers');
    // The search page's results, drawn in a layout Rapport does not know.
    for (const post of document.querySelectorAll('article[data-testid="tweet"]'))
      post.setAttribute('data-testid', 'post-v2');
    homeTimeline().append(document.createElement('div'));
    await vi.advanceTimersByTimeAsync(7000);
    expect(run.messages.filter((m) => m.type === 'page-status')).toEqual([
      { type: 'page-status', platform: 'x', kind: 'home', ok: true },
      { type: 'page-status', platform: 'x', kind: 'search', ok: false },
    ]);
  });

  test('the site replacing its main column (or a box around it, or one it put around it later) is followed: the new one is read', async () => {
    loadDemoHome();
    const run = setup();
    onTestFinished(() => run.controller.stop());
    await tick();
    const fresh = () => {
      const main = document.querySelector('main') as Element;
      const copy = main.cloneNode(true) as Element;
      for (const badge of copy.querySelectorAll('rapport-badge')) badge.remove();
      return { main, copy };
    };
    const first = fresh();
    first.main.replaceWith(first.copy);
    await tick();
    expect(first.copy.querySelectorAll('rapport-badge').length).toBeGreaterThan(0);
    // A box two levels up replaced, with a new column inside it.
    const second = fresh();
    const box = second.main.parentElement?.parentElement as Element;
    const newBox = box.cloneNode(false) as Element;
    const middle = second.main.parentElement?.cloneNode(false) as Element;
    middle.append(second.copy);
    newBox.append(middle);
    box.replaceWith(newBox);
    await tick();
    expect(second.copy.querySelectorAll('rapport-badge').length).toBeGreaterThan(0);
    // A new box put around the column, then the column replaced inside it.
    const wrapper = document.createElement('div');
    second.copy.replaceWith(wrapper);
    wrapper.append(second.copy);
    await tick();
    const third = fresh();
    third.main.replaceWith(third.copy);
    await tick();
    expect(third.copy.querySelectorAll('rapport-badge').length).toBeGreaterThan(0);
    // And it is watched: a post added to it gets its badge.
    const timeline = homeTimeline();
    const cell = timeline.firstElementChild?.cloneNode(true) as Element;
    for (const badge of cell.querySelectorAll('rapport-badge')) badge.remove();
    timeline.append(cell);
    await settle();
    expect(cell.querySelectorAll('rapport-badge')).toHaveLength(1);
  });

  test('breakage alarm: content without the expected hooks is reported, a readable page clears it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const html = (demoPages(Date.parse('2026-11-01T00:00:00Z'))['/home'] as string).replaceAll(
      'data-testid="tweet"',
      'data-testid="post-v2"',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    document.documentElement.replaceChildren(
      ...[...doc.documentElement.childNodes].map((n) => document.importNode(n, true)),
    );
    history.pushState({}, '', '/home');
    const broken = setup();
    await vi.advanceTimersByTimeAsync(7000);
    expect(broken.messages.filter((m) => m.type === 'page-status')).toEqual([
      { type: 'page-status', platform: 'x', kind: 'home', ok: false },
    ]);
    broken.controller.stop();
    loadDemoHome();
    const fine = setup();
    await vi.advanceTimersByTimeAsync(7000);
    expect(fine.messages.filter((m) => m.type === 'page-status')).toEqual([
      { type: 'page-status', platform: 'x', kind: 'home', ok: true },
    ]);
    fine.controller.stop();
  });

  test('a badge drawn where nothing is sent (a notification about someone else) is looked up all the same', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const page = linkedinPageMarkup({ title: 'Notifications', viewer: LINKEDIN_VIEWER, body: '' });
    const doc = new DOMParser().parseFromString(page, 'text/html');
    document.documentElement.replaceChildren(
      ...[...doc.documentElement.childNodes].map((n) => document.importNode(n, true)),
    );
    history.pushState({}, '', '/notifications/');
    const run = setup({ 'linkedin:fern-harbor': 'conversational' }, [], linkedinAdapter);
    onTestFinished(() => run.controller.stop());
    // The viewer goes out first, and is saved.
    await vi.advanceTimersByTimeAsync(3000);
    const sent = () => run.messages.filter((m) => m.type === 'ingest').length;
    const ingestsBefore = sent();
    expect(ingestsBefore).toBe(1);
    // Six saved cards: none says anything about the viewer, two name their person.
    const saved = new DOMParser().parseFromString(
      readFileSync(join(process.cwd(), 'tests/fixtures/linkedin/notifications.html'), 'utf8'),
      'text/html',
    );
    document
      .querySelector('main')
      ?.append(...[...saved.querySelectorAll('article')].map((a) => document.importNode(a, true)));
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent()).toBe(ingestsBefore);
    const asked = run.messages
      .filter((m): m is LookupMessage => m.type === 'lookup')
      .flatMap((m) => m.accounts);
    expect(asked).toEqual(expect.arrayContaining(['linkedin:fern-harbor', 'linkedin:cobalt-wren']));
    expect(
      document
        .querySelector('rapport-badge[data-account="linkedin:fern-harbor"]')
        ?.getAttribute('data-tier'),
    ).toBe('conversational');
  });

  test('a viewer found late loses the badges drawn on their own name', async () => {
    loadDemoHome();
    const nav = document.querySelector('nav') as Element;
    const holder = nav.parentElement as Element;
    nav.remove();
    const run = setup();
    expect(document.querySelector('rapport-badge[data-account="x:robin_vale"]')).not.toBeNull();
    holder.append(nav);
    document.querySelector('main')?.append(document.createElement('div'));
    await tick();
    expect(document.querySelector('rapport-badge[data-account="x:robin_vale"]')).toBeNull();
    run.controller.stop();
  });

  test('without the side navigation, a response naming the user with the twid id is the viewer', async () => {
    loadDemoHome();
    document.querySelector('nav')?.remove();
    document.cookie = 'twid=u%3D1000; path=/';
    const run = setup();
    const user = {
      __typename: 'User',
      rest_id: '1000',
      core: { screen_name: 'Robin_Vale', name: 'Robin Vale' },
    };
    run.controller.readResponse({
      operation: 'UserTweets',
      url: 'https://x.com/i/api/graphql/q/UserTweets',
      body: JSON.stringify({
        data: {
          user: {
            result: {
              timeline: {
                timeline: {
                  instructions: [
                    {
                      entries: [
                        {
                          content: {
                            itemContent: {
                              tweet_results: {
                                result: {
                                  __typename: 'Tweet',
                                  rest_id: '1850000000000000001',
                                  core: { user_results: { result: user } },
                                  legacy: { created_at: 'Tue Nov 10 09:30:00 +0000 2026' },
                                },
                              },
                            },
                          },
                        },
                      ],
                    },
                  ],
                },
              },
            },
          },
        },
      }),
    });
    await vi.waitFor(() => {
      run.controller.flush();
      const viewers = run.messages.flatMap((m) =>
        m.type === 'ingest' ? m.observations.filter((o) => o.type === 'viewer') : [],
      );
      expect(viewers).toEqual([
        {
          type: 'viewer',
          account: { platform: 'x', handle: 'robin_vale', id: '1000', name: 'Robin Vale' },
        },
      ]);
    });
    expect(document.querySelector('rapport-badge[data-account="x:robin_vale"]')).toBeNull();
    document.cookie = 'twid=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
    run.controller.stop();
  });

  test('what the site adds is read in its next idle moment, which yields once spent; a flush reads what waits', async () => {
    loadDemoHome();
    const idle = stubIdleCallbacks();
    const parsed: Element[] = [];
    const adapter: PlatformAdapter = {
      ...xAdapter,
      parseUnit: (unit, ctx) => {
        parsed.push(unit);
        return xAdapter.parseUnit(unit, ctx);
      },
    };
    const controller = startContent(adapter, {
      doc: document,
      alive: () => true,
      send: async (message) =>
        message.type === 'ingest'
          ? { ok: true, batchId: message.batchId, added: message.observations.length }
          : { ok: true, tiers: {} },
    });
    onTestFinished(() => controller.stop());
    // The page as it was at the start is read at once.
    expect(parsed.length).toBeGreaterThan(0);
    const timeline = homeTimeline();
    const copy = () => {
      const cell = timeline.firstElementChild?.cloneNode(true) as Element;
      for (const badge of cell.querySelectorAll('rapport-badge')) badge.remove();
      return cell;
    };
    const badged = (cell: Element) => cell.querySelectorAll('rapport-badge').length;
    const rows = [copy(), copy(), copy()];
    for (const row of rows) timeline.append(row);
    // A row the site drops again before the page is idle is never read.
    const gone = copy();
    timeline.append(gone);
    gone.remove();
    parsed.length = 0;
    await tick();
    expect(rows.map(badged)).toEqual([0, 0, 0]);
    expect(idle.map((request) => request.timeout)).toEqual([ADDED_WAIT_MS]);
    const call = (didTimeout: boolean, remaining: number) =>
      idle.shift()?.fn({ didTimeout, timeRemaining: () => remaining });
    // An idle moment already spent reads one element, and asks for another.
    call(false, 0);
    expect(rows.map(badged)).toEqual([1, 0, 0]);
    expect(idle).toHaveLength(1);
    // A wait that timed out (a busy page) still reads, for a slice of time: here all of it.
    call(true, 0);
    expect(rows.map(badged)).toEqual([1, 1, 1]);
    expect(idle).toHaveLength(0);
    expect(parsed).toHaveLength(3);
    expect(parsed.some((unit) => gone.contains(unit))).toBe(false);
    // A line of text outside every post holds nothing to read: no idle moment is asked for.
    const line = document.createElement('div');
    line.textContent = 'a counter moved';
    timeline.append(line);
    await tick();
    expect(idle).toHaveLength(0);
    // Handing over what is pending (the page going away) reads what waits first.
    const last = copy();
    timeline.append(last);
    await tick();
    expect(badged(last)).toBe(0);
    controller.flush();
    expect(badged(last)).toBe(1);
  });

  test('captured responses are read in order, yielding to the page when an idle moment is spent', () => {
    loadDemoHome();
    const idle = stubIdleCallbacks();
    const read: string[] = [];
    const adapter: PlatformAdapter = {
      ...xAdapter,
      parseResponse: (_operation, url) => {
        read.push(url);
        return [];
      },
    };
    const controller = startContent(adapter, {
      doc: document,
      alive: () => true,
      send: async () => ({ ok: true, tiers: {} }),
    });
    onTestFinished(() => controller.stop());
    const urls = [0, 1, 2, 3].map((i) => `https://x.com/i/api/graphql/q/TweetDetail?n=${i}`);
    for (const url of urls) controller.readResponse({ operation: 'TweetDetail', url, body: '{}' });
    expect(idle).toHaveLength(1);
    const deadline = (remaining: number): IdleDeadline => ({
      didTimeout: remaining === 0,
      timeRemaining: () => remaining,
    });
    // An idle moment already spent (or a timed-out wait) reads one response, and asks for another.
    idle.shift()?.fn(deadline(0));
    expect(read).toEqual(urls.slice(0, 1));
    expect(idle).toHaveLength(1);
    idle.shift()?.fn(deadline(0));
    expect(read).toEqual(urls.slice(0, 2));
    // An idle moment with time to spare reads the rest, and asks for nothing more.
    idle.shift()?.fn(deadline(50));
    expect(read).toEqual(urls);
    expect(idle).toHaveLength(0);
  });

  test.each([
    ['an unknown operation', 'Bogus', '{"data":{}}', 'not an operation Rapport reads'],
    ['malformed JSON', 'TweetDetail', '{"data": {"threaded_conversation', 'not JSON'],
    ['JSON of another shape', 'TweetDetail', '[1,2,3]', undefined],
  ])(
    '%s yields nothing, is logged, and never throws into the page',
    async (_what, operation, body, logged) => {
      loadDemoHome();
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const run = setup();
      run.controller.flush();
      await tick();
      const before = run.messages.filter((m) => m.type === 'ingest').length;
      expect(() =>
        run.controller.readResponse({
          operation,
          url: `https://x.com/i/api/graphql/q/${operation}`,
          body,
        }),
      ).not.toThrow();
      await new Promise((r) => setTimeout(r, 100));
      run.controller.flush();
      await tick();
      expect(run.messages.filter((m) => m.type === 'ingest').length).toBe(before);
      if (logged) expect(warn.mock.calls.flat().join(' ')).toContain(logged);
      warn.mockRestore();
      run.controller.stop();
    },
  );

  test('a hover card on each badge: tier, counts, the note’s first line, and a way in', async () => {
    loadDemoHome();
    const run = setup({ 'x:aiko_t': 'conversational' });
    run.controller.flush();
    await tick();
    await tick();
    const badge = document.querySelector('rapport-badge[data-account="x:aiko_t"]') as Element;
    // Described for assistive technology; no title, whose tooltip would cover the card.
    expect(badge.getAttribute('aria-label')).toBe('Rapport: you talk with each other');
    expect(badge.hasAttribute('title')).toBe(false);
    badge.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    const card = document.querySelector('rapport-card') as Element;
    expect(card.hasAttribute('open')).toBe(true);
    // The card's content is in a closed shadow root: the page cannot read it, nor can the test.
    expect(card.textContent).toBe('');
    run.controller.stop();
    expect(document.querySelector('rapport-card')).toBeNull();
  });

  test('a repaint looks every badge up again: a tier chosen elsewhere shows with no new post', async () => {
    loadDemoHome();
    const tiers: Record<string, string> = { 'x:aiko_t': 'conversational' };
    const run = setup(tiers);
    run.controller.flush();
    await tick();
    await tick();
    const aiko = () =>
      document.querySelector('rapport-badge[data-account="x:aiko_t"]')?.getAttribute('data-tier');
    expect(aiko()).toBe('conversational');
    const lookups = () => run.messages.filter((m) => m.type === 'lookup').length;
    const before = lookups();
    // The user set Aiko to "passive" by hand in the popup; no post is read meanwhile.
    tiers['x:aiko_t'] = 'passive';
    run.controller.repaint();
    await tick();
    await tick();
    expect(lookups()).toBe(before + 1);
    expect(aiko()).toBe('passive');
    expect(run.messages.filter((m) => m.type === 'ingest')).toHaveLength(1);
    run.controller.stop();
    run.controller.repaint();
    await tick();
    expect(lookups()).toBe(before + 1);
  });

  test('a page holding more badges than one lookup may name asks in several; a hidden tier reaches them all', async () => {
    loadDemoHome();
    const count = MAX_LOOKUP + 50;
    // Posts as small as X's markup allows: a name block with the author's link and permalink.
    const post = (i: number) =>
      `<div data-testid="cellInnerDiv"><article data-testid="tweet"><div data-testid="User-Name">` +
      `<a href="/kite_${i}"><span>Kite ${i}</span></a><a href="/kite_${i}/status/${9e15 + i}">` +
      `<time datetime="2026-10-30T00:00:00.000Z">Oct 30</time></a></div>` +
      `<div data-testid="tweetText">Hello</div><div role="group"></div></article></div>`;
    const holder = new DOMParser().parseFromString(
      Array.from({ length: count }, (_, i) => post(i)).join(''),
      'text/html',
    ).body;
    homeTimeline().append(...[...holder.childNodes].map((n) => document.importNode(n, true)));
    const tiers: Record<string, string> = {};
    for (let i = 0; i < count; i++) tiers[`x:kite_${i}`] = 'reaching';
    const hide: string[] = [];
    const run = setup(tiers, hide);
    onTestFinished(() => run.controller.stop());
    await tick();
    run.controller.flush();
    for (let i = 0; i < 6; i++) await tick();
    const lookups = () => run.messages.filter((m): m is LookupMessage => m.type === 'lookup');
    const kites = () => [...document.querySelectorAll('rapport-badge[data-account^="x:kite_"]')];
    expect(kites()).toHaveLength(count);
    expect(lookups().every((m) => m.accounts.length <= MAX_LOOKUP)).toBe(true);
    expect(kites().every((badge) => badge.getAttribute('data-tier') === 'reaching')).toBe(true);

    // A full lookup (the user hid "reaching" in the settings): two messages, every badge hidden.
    const before = lookups().length;
    hide.push('reaching');
    run.controller.repaint();
    for (let i = 0; i < 6; i++) await tick();
    const full = lookups().slice(before);
    expect(full.map((m) => m.accounts.length).sort((a, b) => a - b)).toEqual([
      count + 5 - MAX_LOOKUP,
      MAX_LOOKUP,
    ]);
    expect(kites().every((badge) => badge.hasAttribute('hidden'))).toBe(true);
  });

  test('an answer that changes nothing touches no badge; a new tier or newly hidden tiers do', async () => {
    loadDemoHome();
    const tiers: Record<string, string> = { 'x:aiko_t': 'conversational' };
    const hide: string[] = [];
    const run = setup(tiers, hide);
    run.controller.flush();
    await tick();
    await tick();
    const badgeCalls = vi.spyOn(Element.prototype, 'toggleAttribute');
    const touched = () =>
      badgeCalls.mock.contexts.filter((el) => (el as Element).localName === 'rapport-badge').length;
    const aiko = () => document.querySelector('rapport-badge[data-account="x:aiko_t"]') as Element;
    const repaint = async () => {
      badgeCalls.mockClear();
      run.controller.repaint();
      await tick();
      await tick();
    };
    await repaint();
    expect(touched()).toBe(0);
    tiers['x:aiko_t'] = 'passive';
    await repaint();
    expect(touched()).toBe(
      document.querySelectorAll('rapport-badge[data-account="x:aiko_t"]').length,
    );
    expect(aiko().getAttribute('data-tier')).toBe('passive');
    // Passive badges hidden in the settings: every badge is checked again, Aiko's hide.
    hide.push('passive');
    await repaint();
    expect(touched()).toBe(document.querySelectorAll('rapport-badge').length);
    expect(aiko().hasAttribute('hidden')).toBe(true);
    badgeCalls.mockRestore();
    run.controller.stop();
  });

  test('whether the extension is still there is asked at most every 250 ms, not at every change', async () => {
    loadDemoHome();
    let asked = 0;
    let now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    onTestFinished(() => clock.mockRestore());
    const controller = startContent(xAdapter, {
      doc: document,
      alive: () => (asked++, true),
      send: async () => ({ ok: true, tiers: {} }),
    });
    onTestFinished(() => controller.stop());
    const main = document.querySelector('main') as Element;
    const askedAtStart = asked;
    for (let i = 0; i < 5; i++) {
      main.append(document.createElement('div'));
      await tick();
    }
    expect(asked).toBe(askedAtStart);
    now += ALIVE_CHECK_MS;
    main.append(document.createElement('div'));
    await tick();
    expect(asked).toBe(askedAtStart + 1);
  });

  test('after the extension is reloaded it disconnects and touches nothing', async () => {
    loadDemoHome();
    const run = setup();
    run.controller.flush();
    await tick();
    const before = run.messages.length;
    run.kill();
    // Its next look at whether the extension is there (they are spaced out).
    const later = Date.now() + ALIVE_CHECK_MS;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => later);
    onTestFinished(() => clock.mockRestore());
    const main = document.querySelector('main') as Element;
    main.append(document.createElement('div'));
    await tick();
    run.controller.flush();
    await tick();
    expect(run.messages.length).toBe(before);
  });
});

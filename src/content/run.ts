import * as v from 'valibot';
import { accountKey, type AccountKey } from '../core/keys.ts';
import type { AccountRef, Observation, Tier } from '../core/model.ts';
import type { PageContext, PlatformAdapter } from '../platforms/adapter.ts';
import {
  describeIssues,
  LookupReplySchema,
  MAX_LOOKUP,
  type IngestMessage,
  type LookupMessage,
  type OpenPersonMessage,
  type PageStatusMessage,
} from '../shared/messages.ts';
import type { CapturedResponse } from '../capture/bridge.ts';
import { createBadge, ensureBadgeStyle, isBadge, setBadgeTier } from './badge.ts';
import { installCards, type CardInfo } from './card.ts';
import { BatchSender, FLUSH_AFTER_MS, isContextInvalidated } from './sender.ts';
import { ObservationSlimmer } from './slim.ts';

/** How long one idle moment may read captured responses before it yields (one at least). */
export const READ_SLICE_MS = 8;

/**
 * After a saved batch, badges are looked up again only for the accounts it named and those never
 * looked up; all of them at most this often (a conversation saved from another tab shows here
 * then, or at once after a change made in Rapport's pages: those ask for a repaint).
 */
export const FULL_LOOKUP_MS = 30_000;

/**
 * Whether the extension is still there (it was not reloaded or removed under the page) is asked
 * at most this often: the answer is a call into the extension's bindings (tens of microseconds,
 * 2–5% of the feed's script time when asked at every change of the page). A send made in between
 * fails on its own and stops the script as well.
 */
export const ALIVE_CHECK_MS = 250;

/**
 * A change of the page that brings nothing to read reads the address at most this often (for the
 * breakage alarm of an in-page navigation); one that brings something to read always reads it
 * first. Reading it at every change cost ~15 µs a change on the bench feed (measured).
 */
export const ADDRESS_CHECK_MS = 250;

/**
 * What the site adds is read when the page is next idle, at the latest this long after: read at
 * once (in the observer's callback, between the site's own script and the frame it draws) the
 * same reading cost about twice as much per post as in an idle moment after the frame (measured,
 * README Speed). Sites draw rows ahead of the viewport, so a badge is mostly in place before its
 * post is seen.
 */
export const ADDED_WAIT_MS = 200;

/** The accounts an observation names: those whose tiers saving it may change. */
function accountsNamed(observation: Observation): AccountRef[] {
  switch (observation.type) {
    case 'post':
      return [observation.author];
    case 'interaction':
      return [observation.from, observation.to];
    case 'viewer':
    case 'relationship':
      return [observation.account];
  }
}

/** What the content script watches: elements added anywhere under the site's main column. */
const WATCH: MutationObserverInit = { childList: true, subtree: true };

export interface ContentDeps {
  doc: Document;
  send: (
    message: IngestMessage | LookupMessage | PageStatusMessage | OpenPersonMessage,
  ) => Promise<unknown>;
  /** How long a page may take to show what it must yield (default 6 s). */
  healthDelayMs?: number;
  /** False once the extension was reloaded or removed under this page. */
  alive: () => boolean;
}

export interface ContentController {
  stop(): void;
  /** Sends what is pending now (tests and page hide). */
  flush(): void;
  /** Reads one of the site's API responses, when the page is idle. */
  readResponse(response: CapturedResponse): void;
  /** Looks every badge's tier up again (the user changed tiers, settings or notes elsewhere). */
  repaint(): void;
}

/**
 * Drives one platform adapter on a live page: parses every unit once, sends what it yields in
 * acknowledged batches, and draws a badge after each author's name, whose tier is looked up once
 * drawn and again when a saved batch names its account (or a repaint, or the full lookup).
 */
export function startContent(adapter: PlatformAdapter, deps: ContentDeps): ContentController {
  const { doc } = deps;
  const win = doc.defaultView as Window;
  /** Runs `fn` in the page's next idle moment, `timeout` ms at the latest (a timer without them). */
  const whenIdle = (fn: (deadline?: IdleDeadline) => void, timeout: number, fallbackMs: number) =>
    typeof win.requestIdleCallback === 'function'
      ? win.requestIdleCallback(fn, { timeout })
      : win.setTimeout(fn, fallbackMs);
  const parsed = new WeakMap<Element, string>();
  // Badges by account, held weakly: a badge the site removed goes with its post, and nothing
  // here asks the page whether each is still connected (a call per badge per lookup, which on a
  // list that keeps growing cost as much as reading it).
  const badges = new Map<AccountKey, Set<WeakRef<Element>>>();
  let heldRefs = 0;
  let liveAfterSweep = 0;
  // Accounts with a badge whose tier was never asked for.
  const unlooked = new Set<AccountKey>();
  let lastFullLookup = -Infinity;
  const knownTiers = new Map<AccountKey, Tier>();
  const knownInfo = new Map<AccountKey, CardInfo>();
  let hidden: ReadonlySet<Tier> = new Set();
  const slimmer = new ObservationSlimmer();
  let viewer: AccountRef | undefined;
  let href = win.location.href;
  let stopped = false;
  let observer: MutationObserver | undefined;
  let observedRoot: Element | undefined;
  // Until the site's main column exists, the body is watched, and each change looks for it.
  let watchingBody = false;

  let url = new URL(href);
  let addressReadAt = -Infinity;
  // Whether the address was read in the change being handled (then a parse trusts it).
  let addressFollowed = false;
  function followAddress(): void {
    addressFollowed = true;
    addressReadAt = Date.now();
    const current = win.location.href;
    if (current === href) return;
    href = current;
    url = new URL(href);
    scheduleHealthCheck();
  }
  const viewerId = adapter.findViewerId?.(doc);
  // Authors of the posts seen on this page, for responses that name only a post.
  const postAuthors = new Map<string, AccountRef>();
  const authorOf = (postId: string) => postAuthors.get(postId);
  const notePosts = (observations: readonly Observation[]) => {
    for (const o of observations) {
      if (o.type !== 'post') continue;
      if (postAuthors.size >= 5000) postAuthors.clear();
      postAuthors.set(o.id, o.author);
    }
  };
  const ctx = (): PageContext => {
    const context: PageContext = { url, authorOf };
    if (viewer) context.viewer = viewer;
    if (viewerId) context.viewerId = viewerId;
    return context;
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    added = [];
    removeCards();
    observer?.disconnect();
    ancestorsObserver.disconnect();
    sender.stop();
    if (healthTimer !== undefined) clearTimeout(healthTimer);
    if (unlookedTimer !== undefined) clearTimeout(unlookedTimer);
  };

  const sender = new BatchSender({
    platform: adapter.platform,
    transport: (message) => deps.send(message),
    page: () => ({ kind: adapter.pageKind(url), url: href }),
    viewer: () => viewer,
    onSaved: (_added, observations) => {
      if (Date.now() - lastFullLookup >= FULL_LOOKUP_MS) return void refreshBadges();
      const keys = new Set(unlooked);
      for (const observation of observations)
        for (const account of accountsNamed(observation)) keys.add(accountKey(account));
      void refreshBadges(keys);
    },
    onOrphaned: stop,
  });

  let aliveCheckedAt = -Infinity;
  const guard = <T>(fn: () => T): T | undefined => {
    if (stopped) return undefined;
    const now = Date.now();
    if (now - aliveCheckedAt >= ALIVE_CHECK_MS) {
      aliveCheckedAt = now;
      if (!deps.alive()) {
        stop();
        return undefined;
      }
    }
    return fn();
  };

  function detectViewer(): void {
    const found = adapter.findViewer(doc);
    if (found) adoptViewer(found);
  }

  function adoptViewer(found: AccountRef): void {
    if (viewer && accountKey(viewer) !== accountKey(found)) {
      // Another account: every badge's tier is theirs to look up again.
      knownTiers.clear();
      lastFullLookup = -Infinity;
    }
    if (!viewer || accountKey(viewer) !== accountKey(found)) {
      viewer = found;
      sender.add([{ type: 'viewer', account: found }]);
      // Badges drawn on the viewer's own name before they were known go away.
      const own = badges.get(accountKey(found));
      for (const ref of own ?? []) ref.deref()?.remove();
      badges.delete(accountKey(found));
    }
  }

  function drawBadges(unit: Element): void {
    const self = viewer ? accountKey(viewer) : undefined;
    for (const target of adapter.badgeTargets(unit)) {
      const key = accountKey(target.account);
      // The viewer's own name needs no badge.
      if (key === self) continue;
      const next = target.anchor.nextElementSibling;
      if (next && isBadge(next) && next.getAttribute('data-account') === key) continue;
      const known = knownTiers.get(key);
      if (known === undefined) {
        unlooked.add(key);
        lookUpUnlookedSoon();
      }
      const tier = known ?? 'unknown';
      const badge = createBadge(doc, key, tier);
      if (hidden.has(tier)) badge.setAttribute('hidden', '');
      pauseWatching();
      target.anchor.after(badge);
      hold(key, badge);
    }
  }

  // A badge of an account never looked up waits for the acknowledgement of the batch that names
  // it. One drawn where nothing is sent (a notification card about someone else) is looked up on
  // its own, once nothing is on its way to be saved (whose acknowledgement would ask for it).
  let unlookedTimer: ReturnType<typeof setTimeout> | undefined;
  function lookUpUnlookedSoon(): void {
    if (unlookedTimer !== undefined || stopped) return;
    unlookedTimer = setTimeout(() => {
      unlookedTimer = undefined;
      guard(() => {
        if (unlooked.size === 0) return;
        if (sender.waiting > 0) return lookUpUnlookedSoon();
        void refreshBadges(new Set(unlooked));
      });
    }, FLUSH_AFTER_MS);
  }

  // Nothing but Rapport's own badges can change the page while it reads: the observer is off
  // while they go in, so inserting one makes no record (~1 µs a badge on X's posts, measured).
  // Only then: most changes bring no badge, and turning the observer off and on again cost
  // ~20 µs a change (profiled).
  let paused = false;
  function pauseWatching(): void {
    if (paused) return;
    paused = true;
    observer?.disconnect();
  }
  function resumeWatching(): void {
    if (!paused) return;
    paused = false;
    if (observer && observedRoot && !stopped) observer.observe(observedRoot, WATCH);
  }

  function hold(key: AccountKey, badge: Element): void {
    let set = badges.get(key);
    if (!set) badges.set(key, (set = new Set()));
    set.add(new WeakRef(badge));
    // Forget the badges collected since the last sweep once they could be half of those held.
    if (++heldRefs > Math.max(256, 2 * liveAfterSweep)) sweep();
  }

  function sweep(): void {
    heldRefs = 0;
    for (const [key, set] of badges) {
      for (const ref of set) if (ref.deref() === undefined) set.delete(ref);
      if (set.size === 0) {
        badges.delete(key);
        unlooked.delete(key);
      }
      heldRefs += set.size;
    }
    liveAfterSweep = heldRefs;
  }

  function processUnit(unit: Element, added?: Element): void {
    const fingerprint = adapter.unitFingerprint(unit, added);
    if (parsed.get(unit) !== fingerprint) {
      parsed.set(unit, fingerprint);
      if (!addressFollowed) followAddress();
      const observations = adapter.parseUnit(unit, ctx());
      yieldedOnPage += observations.length;
      notePosts(observations);
      sender.add(slimmer.slim(observations));
    }
    drawBadges(unit);
  }

  /** Reads an element the site added: the units it is, holds or is in. */
  function processAdded(el: Element): void {
    // A list row is never inside a unit: skip the ancestor walk (the common case).
    if (!adapter.isRow(el)) {
      if (isBadge(el)) return;
      // The element itself, or the unit it is in: one search (closest starts at the element).
      const unit = el.closest(adapter.unitSelector);
      if (unit === el) return processUnit(el);
      if (unit) {
        // Content re-rendered inside a unit already seen (counters, media): check the unit,
        // its badge may be gone; units never nest, so nothing below needs a search.
        return processUnit(unit, el);
      }
    }
    if (el.firstElementChild) for (const unit of adapter.unitsIn(el)) processUnit(unit);
  }

  // Elements the site added, waiting for an idle moment (ADDED_WAIT_MS at the latest).
  let added: Element[] = [];
  let addedScheduled = false;
  function queueAdded(nodes: NodeList): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      // An element (a check in this world's own objects, no call into the page)...
      if (!(node instanceof Element)) continue;
      // ...that can hold or touch something to read: a leaf outside every unit (a line of text,
      // a menu's item) is not worth an idle moment of its own (~90 µs a change, measured).
      if (!node.firstElementChild && !node.closest(adapter.unitSelector)) continue;
      added.push(node);
    }
    scheduleAdded();
  }
  function scheduleAdded(): void {
    if (addedScheduled || added.length === 0) return;
    addedScheduled = true;
    whenIdle(readAdded, ADDED_WAIT_MS, 0);
  }

  /**
   * Reads what the site added for READ_SLICE_MS at most, less when the idle moment ends sooner (a
   * wait that timed out still reads its slice: the page is busy, and what it added must be read),
   * then yields and asks for the next moment.
   */
  function readAdded(deadline?: IdleDeadline): void {
    addedScheduled = false;
    guard(() => {
      readAddedNow(deadline);
      scheduleAdded();
    });
  }
  function readAddedNow(deadline?: IdleDeadline): void {
    if (added.length === 0) return;
    const queue = added;
    added = [];
    addressFollowed = false;
    // Once per batch, not per badge: the badges' stylesheet is in place (put back within a
    // second when the site drops it, badges or not).
    ensureBadgeStyle(doc);
    // The moment's end, asked once: each question (the deadline, the clock) is a call into the
    // page's objects, and an element added is mostly one row read in ~30 µs.
    const clock = win.performance;
    const until = deadline
      ? // An idle moment may last 50 ms: a slice of it, so no task of Rapport's is that long.
        clock.now() +
        (deadline.didTimeout ? READ_SLICE_MS : Math.min(READ_SLICE_MS, deadline.timeRemaining()))
      : Infinity;
    let done = 0;
    try {
      while (done < queue.length && !stopped) {
        const el = queue[done++] as Element;
        // Gone again before it was read (a row scrolled by): nothing to show it on.
        if (el.isConnected) processAdded(el);
        if (until !== Infinity && clock.now() >= until) break;
      }
    } finally {
      resumeWatching();
      if (!stopped && done < queue.length) added = queue.slice(done).concat(added);
    }
  }

  /** Looks up the tiers of `only` those accounts' badges, or of all (a repaint, now and then). */
  async function refreshBadges(only?: ReadonlySet<AccountKey>): Promise<void> {
    if (stopped || !viewer) return;
    if (!only) {
      sweep();
      lastFullLookup = Date.now();
    }
    const accounts = only ? [...only].filter((key) => badges.has(key)) : [...badges.keys()];
    // A message names at most MAX_LOOKUP accounts (the background refuses more): a list that
    // keeps what was scrolled holds thousands of badges.
    const viewerKey = accountKey(viewer);
    const parts: Promise<void>[] = [];
    for (let start = 0; start < accounts.length; start += MAX_LOOKUP)
      parts.push(lookUp(viewerKey, accounts.slice(start, start + MAX_LOOKUP)));
    await Promise.all(parts);
  }

  /** Asks for the tiers of `accounts` (at most MAX_LOOKUP) and redraws the badges that changed. */
  async function lookUp(viewerKey: AccountKey, accounts: AccountKey[]): Promise<void> {
    const message: LookupMessage = { type: 'lookup', viewer: viewerKey, accounts };
    let reply: unknown;
    try {
      reply = await deps.send(message);
    } catch (error) {
      if (isContextInvalidated(error)) stop();
      return;
    }
    const parsedReply = v.safeParse(LookupReplySchema, reply);
    if (!parsedReply.success || !parsedReply.output.ok) {
      if (!parsedReply.success)
        console.warn('[rapport] bad lookup reply:', describeIssues(parsedReply.issues));
      return;
    }
    const { tiers, hide } = parsedReply.output;
    const nowHidden = new Set(hide ?? []);
    const hiddenChanged =
      nowHidden.size !== hidden.size || [...nowHidden].some((tier) => !hidden.has(tier));
    hidden = nowHidden;
    for (const key of accounts) {
      unlooked.delete(key);
      const info = tiers[key];
      const tier = info?.tier ?? 'unknown';
      const shown = knownTiers.get(key);
      knownTiers.set(key, tier);
      if (info) knownInfo.set(key, info);
      else knownInfo.delete(key);
      // Each badge of the account was drawn with, or last set to, the tier known until now: an
      // unchanged answer touches none (two calls into the page a badge; a full lookup on a list
      // that keeps what was scrolled asks for thousands).
      if (shown === tier) continue;
      for (const ref of badges.get(key) ?? []) {
        const badge = ref.deref();
        if (!badge) continue;
        setBadgeTier(badge, tier);
        // Tiers the user chose not to see keep their element (the page's layout stays), unseen.
        badge.toggleAttribute('hidden', hidden.has(tier));
      }
    }
    // The user changed which tiers to show: every badge follows, not only this answer's (a page
    // holding many asks in several lookups, and only the first answer finds the change).
    if (hiddenChanged) {
      for (const [key, refs] of badges) {
        const tier = knownTiers.get(key) ?? 'unknown';
        for (const ref of refs) ref.deref()?.toggleAttribute('hidden', hidden.has(tier));
      }
    }
  }

  // The column's ancestors, each for its own children only (they rarely change): when the site
  // replaces the column or a box around it, nothing inside the old one changes any more, so the
  // column's observer alone would never learn of it and reading would stop without a word. Any
  // change among them is how the column can leave the page, so its own changes need not ask.
  const ancestorsObserver = new MutationObserver(() =>
    guard(() => {
      if (!observedRoot?.isConnected) attach();
      // Still in place, maybe under a new box: the boxes around it are watched afresh.
      else watchAncestors(observedRoot);
    }),
  );
  function watchAncestors(target: Element): void {
    ancestorsObserver.disconnect();
    for (let at = target.parentNode; at; at = at.parentNode)
      ancestorsObserver.observe(at, { childList: true });
  }

  function attach(): void {
    const root = adapter.contentRoot(doc);
    const target = root ?? doc.body;
    if (observedRoot === target) return;
    observer?.disconnect();
    observedRoot = target;
    watchingBody = !root;
    // Scoped to the site's main column once it exists; until then, the body.
    observer = new MutationObserver((records) => guard(() => onMutations(records)));
    observer.observe(target, WATCH);
    watchAncestors(target);
    addressFollowed = false;
    ensureBadgeStyle(doc);
    try {
      processAdded(target);
    } finally {
      resumeWatching();
    }
  }

  // Breakage alarm: a page of a kind that must yield, showing content, yielding nothing.
  let yieldedOnPage = 0;
  let healthTimer: ReturnType<typeof setTimeout> | undefined;
  const reported = new Map<string, boolean>();
  const healthDelay = deps.healthDelayMs ?? 6000;
  function scheduleHealthCheck(): void {
    if (healthTimer !== undefined) clearTimeout(healthTimer);
    yieldedOnPage = 0;
    healthTimer = setTimeout(checkHealth, healthDelay);
  }
  function checkHealth(): void {
    healthTimer = undefined;
    guard(() => {
      const kind = adapter.pageKind(url);
      if (!adapter.expectsObservations(kind)) return;
      let ok: boolean;
      if (yieldedOnPage > 0) ok = true;
      else if (adapter.showsContent(adapter.contentRoot(doc) ?? doc.body)) ok = false;
      else {
        // Still loading (or truly empty): look again later.
        healthTimer = setTimeout(checkHealth, healthDelay);
        return;
      }
      if (reported.get(kind) === ok) return;
      reported.set(kind, ok);
      if (!ok)
        console.warn(`[rapport] this ${kind} page shows content but Rapport could not read it`);
      deps
        .send({ type: 'page-status', platform: adapter.platform, kind, ok })
        .catch((error: unknown) => {
          if (isContextInvalidated(error)) stop();
        });
    });
  }

  function onMutations(records: MutationRecord[]): void {
    addressFollowed = false;
    // Most of a site's changes bring nothing to read (counters, media, menus): the address is
    // read before a parse needs it, and otherwise now and then, for the breakage alarm.
    if (Date.now() - addressReadAt >= ADDRESS_CHECK_MS) followAddress();
    if (!viewer) detectViewer();
    if (watchingBody) {
      const root = adapter.contentRoot(doc);
      if (root && root !== observedRoot) {
        attach();
        return;
      }
    }
    for (let i = 0; i < records.length; i++) {
      const nodes = (records[i] as MutationRecord).addedNodes;
      if (nodes.length > 0) queueAdded(nodes);
    }
  }

  // The hover card of every badge: what Rapport knows, and a way into the person's page.
  const removeCards = installCards(
    doc,
    (account) =>
      knownInfo.get(account) ?? {
        tier: knownTiers.get(account) ?? 'unknown',
        inCount: 0,
        outCount: 0,
      },
    (account) => {
      if (!viewer || stopped) return;
      deps
        .send({ type: 'open-person', viewer: accountKey(viewer), account })
        .catch((error: unknown) => {
          if (isContextInvalidated(error)) stop();
        });
    },
  );

  guard(() => {
    detectViewer();
    scheduleHealthCheck();
    attach();
    // Before the page goes away, hand over what is pending.
    win.addEventListener('pagehide', () => controller.flush());
  });

  // Responses wait for an idle moment: parsing never competes with the page's own work. An idle
  // moment reads responses until it is spent or READ_SLICE_MS have passed, then yields: the dozens
  // a LinkedIn page embeds (or a burst of X's) read at once made one task of 60–75 ms (measured).
  const responses: CapturedResponse[] = [];
  let idleScheduled = false;
  const idle = (fn: (deadline?: IdleDeadline) => void) => whenIdle(fn, 2000, 50);
  const scheduleRead = () => {
    if (idleScheduled) return;
    idleScheduled = true;
    idle(readResponses);
  };
  function readResponses(deadline?: IdleDeadline): void {
    idleScheduled = false;
    guard(() => {
      const started = win.performance.now();
      let response: CapturedResponse | undefined;
      while ((response = responses.shift())) {
        readOne(response);
        if (
          responses.length > 0 &&
          ((deadline && deadline.timeRemaining() <= 0) ||
            win.performance.now() - started >= READ_SLICE_MS)
        ) {
          scheduleRead();
          return;
        }
      }
    });
  }
  function readOne(response: CapturedResponse): void {
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      console.warn(`[rapport] ${response.operation}: response is not JSON, skipped`);
      return;
    }
    try {
      followAddress();
      const observations =
        adapter.parseResponse?.(response.operation, response.url, json, ctx()) ?? [];
      // A response naming the logged-in user tells who the viewer is when the page did not.
      notePosts(observations);
      const named = observations.find((o) => o.type === 'viewer');
      if (named && !viewer) adoptViewer(named.account);
      sender.add(slimmer.slim(observations.filter((o) => o.type !== 'viewer')));
    } catch (error) {
      console.warn(`[rapport] ${response.operation}: could not be read`, error);
    }
  }

  const controller: ContentController = {
    stop,
    flush: () => {
      guard(() => readAddedNow());
      sender.flush();
    },
    repaint: () => void guard(refreshBadges),
    readResponse(response) {
      if (stopped || !adapter.parseResponse) return;
      responses.push(response);
      scheduleRead();
    },
  };

  // Responses the site embedded in the page: read like captured ones, when the page is idle.
  if (adapter.embeddedResponses && adapter.parseResponse && !stopped) {
    idle(() =>
      guard(() => {
        for (const response of adapter.embeddedResponses?.(doc) ?? [])
          controller.readResponse(response);
      }),
    );
  }

  return controller;
}

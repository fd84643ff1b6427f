/**
 * npm run bench — every figure beside a baseline measured in the same run, medians of several
 * runs, ratios printed: these machines are noisy. Writes bench/results.json.
 *
 *   annotation  content-script time per 100 posts on the real home timeline scrolled through
 *               2,000 posts (CPU profile, samples whose stack holds the extension's script),
 *               beside the same page's own script time without the extension; and with
 *               the page adding one post per change (300 posts), as a slowly scrolled X does
 *   floor       the adapters' own steps per post (read, parse, badge) on freshly inserted saved
 *               posts in an isolated world, beside one native walk of each post: the least a
 *               content script of this design pays, quiet enough to measure one parser change
 *   ingest      10,000 observations through the background's ingest path (validation included),
 *               10 messages sent together (and one at a time, for comparison), beside a bare
 *               idb put loop of the same rows in one transaction
 *   capture     what the page-world wrapper adds to a response the page reads, beside an
 *               unwrapped fetch in the same page
 *   quiet       changes of X's page that bring nothing to read (a line of text, one per frame):
 *               the script each adds, beside the page's own per change
 *   growing     a LinkedIn list that keeps what was scrolled, grown to 5,000 posts by as many
 *               people: time per 100 posts over its last 1,000 beside its first 1,000
 *   embedded    LinkedIn's first-load data (20 responses in the page) read when idle: long tasks
 *               with the extension beside without it, and its longest stretch
 *   popup       first rows with 50,000 people / 500,000 evidence rows, beside a bare index read
 *   heap        JS heap growth and detached DOM nodes after 2,000 posts, beside the page alone
 *   cold start  a badge lookup to a stopped worker, beside a minimal extension's worker
 *   bundles     gzip size of each entry with the chunks it loads
 *
 * Flags: --check (exit 1 on a broken budget), --sizes (bundles only), --x, --linkedin, --capture,
 * --popup, --heap, --cold, --ingest, --floor, --embedded, --growing, --quiet (one measure only), --profile (hottest functions; build with
 * RAPPORT_PROFILE=1 for readable names). BENCH_RUNS sets the runs, BENCH_ACCOUNTS the popup's size,
 * BENCH_STEP the posts the feeds add per page change (20).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { bundle } from '../bundle.ts';
import {
  CHROMIUM,
  chromiumArgs,
  DIST,
  launchChromium,
  launchProfile,
} from '../../src/tools/launch.ts';
import { parseXJson } from '../../src/platforms/x/parse-json.ts';
import {
  benchFeedPage,
  benchLinkedInEmbeddedPage,
  benchLinkedInFeedPage,
  benchQuietChangesPage,
} from './feed.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const POSTS = 2000;
/** Posts the bench feed adds per page change (BENCH_STEP to try another). */
const STEP = Number(process.env.BENCH_STEP ?? 20);
/**
 * The same feed adding one post per page change, as X's list does while scrolled slowly: fewer
 * posts, since each takes a frame.
 */
const ONE_BY_ONE_POSTS = 300;

/**
 * Each run's figure over its own baseline, low to high: the spread of the ratio within runs (the
 * machine's pace moves between runs; a run's measure and its baseline share it).
 */
const pairedRatios = (figures: number[], baselines: number[]) =>
  figures.map((figure, i) => round(figure / (baselines[i] as number), 2)).sort((a, b) => a - b);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds of samples whose stack holds an extension frame, and of all page script. */
function attribute(
  profile: Profile,
  only?: string,
): { extensionMs: number; scriptMs: number; longestExtensionMs: number } {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const memo = new Map<number, boolean>();
  const inExtension = (id: number): boolean => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id) as ProfileNode;
    const result =
      (node.callFrame.url.startsWith('chrome-extension://') &&
        (!only || node.callFrame.url.endsWith(only))) ||
      (parent.has(id) && inExtension(parent.get(id) as number));
    memo.set(id, result);
    return result;
  };
  const NOT_SCRIPT = new Set(['(idle)', '(program)', '(root)']);
  let extensionUs = 0;
  let scriptUs = 0;
  // The longest unbroken stretch of extension script: what the extension alone blocks the page
  // for (a long task of the page's own layout is not the extension's).
  let stretchUs = 0;
  let longestUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const name = (byId.get(id) as ProfileNode).callFrame.functionName;
    if (inExtension(id)) {
      extensionUs += delta;
      stretchUs += delta;
      longestUs = Math.max(longestUs, stretchUs);
    } else if (name === '(garbage collector)' && stretchUs > 0) {
      // A collection inside the extension's task is part of that task's length (the sampler
      // files it apart): without this, a 70 ms task read as several stretches of ~15 ms.
      stretchUs += delta;
      longestUs = Math.max(longestUs, stretchUs);
    } else stretchUs = 0;
    if (!NOT_SCRIPT.has(name)) scriptUs += delta;
  });
  if (process.argv.includes('--profile')) {
    // Self time of the extension's own functions: where to look first.
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      if (!inExtension(id)) return;
      const node = byId.get(id) as ProfileNode;
      const caller = node.callFrame.url
        ? ''
        : `${byId.get(parent.get(id) ?? -1)?.callFrame.functionName ?? ''} > `;
      const key = `${caller}${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop() ?? ''}:${node.callFrame.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    });
    // Inclusive time of the content script's phases: what a redesign would have to cut.
    const phases = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      if (!inExtension(id)) return;
      const names = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
        names.add((byId.get(at) as ProfileNode).callFrame.functionName);
      for (const name of names)
        phases.set(name, (phases.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    });
    const PHASES =
      /^(onMutations|processAdded|processUnit|\w*UnitFingerprint|parse\w*Unit|parse\w*Post|readPost|replyTargets|drawBadges|createBadge|refreshBadges|flush|send|slim|readResponses|badgeTargets|\w+BadgeTargets)$/;
    console.log(
      [...phases]
        .filter(([name]) => PHASES.test(name))
        .sort((a, b) => b[1] - a[1])
        .map(([name, us]) => `${(us / 1000).toFixed(1).padStart(7)} ms  incl. ${name}`)
        .join('\n'),
    );
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    console.log(top.map(([k, us]) => `${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`).join('\n'));
  }
  return {
    extensionMs: extensionUs / 1000,
    scriptMs: scriptUs / 1000,
    longestExtensionMs: longestUs / 1000,
  };
}

interface FeedRun {
  extensionMs: number;
  longestExtensionMs: number;
  scriptMs: number;
  longTasks: number;
  /** Script time of the whole page (all worlds) without the profiler running: Performance.getMetrics. */
  unprofiledScriptMs: number;
  /** Style recalculation and layout of the page in the same pass: what its long tasks are made of. */
  renderingMs: number;
}

/** The page's script time and its style + layout time so far (ms), from Performance.getMetrics. */
async function pageMetrics(cdp: CDPSession): Promise<{ scriptMs: number; renderingMs: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: Array<{ name: string; value: number }>;
  };
  const seconds = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    scriptMs: seconds('ScriptDuration') * 1000,
    renderingMs: (seconds('RecalcStyleDuration') + seconds('LayoutDuration')) * 1000,
  };
}

/** The bench feed's own script appends `posts` posts, `step` at a time, a frame apart. */
function scrollFeedBy(page: Page, posts: number, step = STEP): Promise<void> {
  return page.evaluate(
    ([n, perStep]) =>
      (
        window as unknown as { __feed: { scroll(p: number, s: number): Promise<void> } }
      ).__feed.scroll(n, perStep),
    [posts, step] as const,
  );
}

/**
 * `runs` fresh pages measured with the extension and as many without it, alternated, so both
 * series meet the machine's noise alike.
 */
async function alternate<T>(
  withExt: { context: BrowserContext },
  plainContext: BrowserContext,
  runs: number,
  measure: (page: Page, extension: boolean) => Promise<T>,
): Promise<{ ext: T[]; base: T[] }> {
  const ext: T[] = [];
  const base: T[] = [];
  for (let run = 0; run < runs; run++) {
    const a = await withExt.context.newPage();
    ext.push(await measure(a, true));
    await a.close();
    const b = await plainContext.newPage();
    base.push(await measure(b, false));
    await b.close();
  }
  return { ext, base };
}

async function scrollFeed(page: Page, url: string, posts = POSTS, step = STEP): Promise<FeedRun> {
  await page.goto(url);
  await page.evaluate(() => {
    (window as unknown as { __long: number }).__long = 0;
    new PerformanceObserver((list) => {
      (window as unknown as { __long: number }).__long += list.getEntries().length;
    }).observe({ type: 'longtask' });
  });
  const scroll = () => scrollFeedBy(page, posts, step);
  const cdp = await page.context().newCDPSession(page);
  // First pass without the profiler: the page's true script time, extension included or not.
  await cdp.send('Performance.enable');
  const before = await pageMetrics(cdp);
  await scroll();
  await page.waitForTimeout(1300);
  const after = await pageMetrics(cdp);
  const unprofiledScriptMs = after.scriptMs - before.scriptMs;
  const renderingMs = after.renderingMs - before.renderingMs;
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await scroll();
  // Let the last flush (1 s) and its badge lookup happen inside the profile.
  await page.waitForTimeout(1300);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await cdp.detach();
  const longTasks = await page.evaluate(() => (window as unknown as { __long: number }).__long);
  return { ...attribute(profile), longTasks, unprofiledScriptMs, renderingMs };
}

/** The site's bench feed served to a browser with the extension and to one without it. */
function feedBrowsers(site: 'x' | 'linkedin') {
  const html = site === 'x' ? benchFeedPage() : benchLinkedInFeedPage();
  const url = site === 'x' ? 'https://x.com/home' : 'https://www.linkedin.com/feed/';
  return browsersServing(url, html);
}

/** One page served at `url` to a browser with the extension and to one without it. */
async function browsersServing(url: string, html: string) {
  const withExt = await launchChromium({ headless: true });
  withExt.serve(url, html);
  const plain = await launchProfile({ headless: true });
  const plainContext = plain.context;
  await plainContext.route('**/*', (route) =>
    route.request().url() === url
      ? route.fulfill({ contentType: 'text/html', body: html })
      : route.fulfill({ status: 404, body: '' }),
  );
  return { url, withExt, plain, plainContext };
}

async function annotation(site: 'x' | 'linkedin' = 'x') {
  const { url, withExt, plain, plainContext } = await feedBrowsers(site);
  const { ext, base } = await alternate(withExt, plainContext, RUNS, (page) =>
    scrollFeed(page, url),
  );
  // The same work costs several times more per post done in many small tasks: on this machine
  // code that reads the DOM does in a page without the extension too (README, Speed).
  const slow = await alternate(withExt, plainContext, Math.min(RUNS, 3), (page) =>
    scrollFeed(page, url, ONE_BY_ONE_POSTS, 1),
  );
  await withExt.close();
  await plain.close();
  const perHundred = median(ext.map((r) => r.extensionMs)) / (POSTS / 100);
  const pageWith = median(ext.map((r) => r.unprofiledScriptMs));
  const pageWithout = median(base.map((r) => r.unprofiledScriptMs));
  return {
    posts: POSTS,
    runs: RUNS,
    extensionMsPer100Posts: round(perHundred, 3),
    // Each run's own figure, low to high: the feeds move more between runs than the floor does.
    extensionMsPer100PostsByRun: ext
      .map((r) => round(r.extensionMs / (POSTS / 100), 2))
      .sort((x, y) => x - y),
    addedScriptMsPer100PostsUnprofiled: round((pageWith - pageWithout) / (POSTS / 100), 3),
    baselinePageScriptMsPer100Posts: round(pageWithout / (POSTS / 100), 3),
    pageScriptRatio: round(pageWith / pageWithout, 3),
    longTasksWithExtension: Math.max(...ext.map((r) => r.longTasks)),
    // Long tasks counted above include the page's own layout; this is the extension's share.
    longestExtensionStretchMs: round(Math.max(...ext.map((r) => r.longestExtensionMs)), 1),
    longTasksWithout: Math.max(...base.map((r) => r.longTasks)),
    // The page's long tasks are frames of style and layout (seen in traces): how much of that
    // the badges add tells whether any long task is the extension's.
    renderingMsWith: round(median(ext.map((r) => r.renderingMs)), 0),
    renderingMsWithout: round(median(base.map((r) => r.renderingMs)), 0),
    renderingRatio: round(
      median(ext.map((r) => r.renderingMs)) / median(base.map((r) => r.renderingMs)),
      3,
    ),
    oneByOne: {
      posts: ONE_BY_ONE_POSTS,
      extensionMsPer100Posts: round(
        median(slow.ext.map((r) => r.extensionMs)) / (ONE_BY_ONE_POSTS / 100),
        3,
      ),
      baselinePageScriptMsPer100Posts: round(
        median(slow.base.map((r) => r.unprofiledScriptMs)) / (ONE_BY_ONE_POSTS / 100),
        3,
      ),
    },
    budget: { msPer100Posts: 3, longTasks: 0, longestExtensionStretchMs: 50 },
  };
}

/**
 * Changes of the page that bring nothing to read (a line of text added to X's timeline, one per
 * frame): the script time each adds with the extension, beside the page's own per change.
 */
async function quietChangesBench() {
  const changes = 300;
  const url = 'https://x.com/home';
  const { withExt, plain, plainContext } = await browsersServing(url, benchQuietChangesPage());
  const { ext, base } = await alternate(withExt, plainContext, Math.min(RUNS, 3), async (page) => {
    await page.goto(url);
    // A timeline of posts, read and badged, as the changes find it.
    await scrollFeedBy(page, 40);
    await page.waitForTimeout(1200);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await pageMetrics(cdp);
    await page.evaluate(
      (n) =>
        (window as unknown as { __quiet: { change(n: number): Promise<void> } }).__quiet.change(n),
      changes,
    );
    await page.waitForTimeout(300);
    const after = await pageMetrics(cdp);
    await cdp.detach();
    return after.scriptMs - before.scriptMs;
  });
  await withExt.close();
  await plain.close();
  const perChangeUs = (values: number[]) => round((median(values) / changes) * 1000, 1);
  return {
    changes,
    pageUsPerChangeWith: perChangeUs(ext),
    pageUsPerChangeWithout: perChangeUs(base),
    addedUsPerChange: round(perChangeUs(ext) - perChangeUs(base), 1),
  };
}

/**
 * A list that keeps growing, as LinkedIn's do (the feed, a list of connections: what was scrolled
 * stays): 5,000 posts by as many new people, none dropped. The content script's time per 100
 * posts over the last 1,000 beside the first 1,000 of the same page: work that grows with what
 * the page already holds (a lookup of every badge after each batch did) shows as a ratio above 1.
 */
async function growingBench() {
  const posts = 5000;
  const measured = 1000;
  const url = 'https://www.linkedin.com/feed/';
  const withExt = await launchChromium({ headless: true });
  withExt.serve(url, benchLinkedInFeedPage(true));
  const first: number[] = [];
  const last: number[] = [];
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    const page = await withExt.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(1000);
    const scroll = (count: number) => scrollFeedBy(page, count);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    const profiled = async (count: number) => {
      await cdp.send('Profiler.start');
      await scroll(count);
      // The last flush (1 s) and its lookup inside the profile.
      await page.waitForTimeout(1300);
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
      return attribute(profile).extensionMs / (count / 100);
    };
    first.push(await profiled(measured));
    await scroll(posts - 2 * measured);
    await page.waitForTimeout(1300);
    last.push(await profiled(measured));
    await cdp.detach();
    await page.close();
  }
  await withExt.close();
  const firstMs = median(first);
  const lastMs = median(last);
  return {
    posts,
    window: measured,
    runs: first.length,
    firstMsPer100Posts: round(firstMs, 2),
    lastMsPer100Posts: round(lastMs, 2),
    ratio: round(lastMs / firstMs, 2),
  };
}

/**
 * LinkedIn's first-load data: a feed page embedding 20 responses Rapport reads (the real comments
 * response, 5.5 MB in all), loaded with the extension and without it. The content script reads
 * them when the page is idle, a slice at a time; counted are the page's long tasks (≥ 50 ms,
 * PerformanceObserver) either way and the extension's longest unbroken stretch (profiled).
 */
async function embeddedBench() {
  const responses = 20;
  const url = 'https://www.linkedin.com/feed/';
  const html = benchLinkedInEmbeddedPage(responses);
  const { withExt, plain, plainContext } = await browsersServing(url, html);
  const load = async (page: Page, profiled: boolean) => {
    await page.addInitScript(() => {
      const seen: number[] = [];
      (window as unknown as { __long: number[] }).__long = seen;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const cdp = profiled ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    await page.goto(url);
    // The reading waits for idle moments (at most 2 s each); it has ended well before this.
    await page.waitForTimeout(4000);
    const stats = cdp
      ? attribute(((await cdp.send('Profiler.stop')) as { profile: Profile }).profile)
      : undefined;
    await cdp?.detach();
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    return {
      longTasks: long.length,
      longestTaskMs: Math.max(0, ...long),
      extensionMs: stats?.extensionMs ?? 0,
      longestExtensionMs: stats?.longestExtensionMs ?? 0,
    };
  };
  const { ext, base } = await alternate(withExt, plainContext, RUNS, load);
  await withExt.close();
  await plain.close();
  return {
    responses,
    embeddedMb: round(html.length / 2 ** 20, 1),
    extensionMs: round(median(ext.map((r) => r.extensionMs)), 1),
    longestExtensionStretchMs: round(Math.max(...ext.map((r) => r.longestExtensionMs)), 1),
    longTasksWith: Math.max(...ext.map((r) => r.longTasks)),
    longTasksWithout: Math.max(...base.map((r) => r.longTasks)),
    longestTaskMsWith: round(Math.max(...ext.map((r) => r.longestTaskMs)), 0),
    longestTaskMsWithout: round(Math.max(...base.map((r) => r.longestTaskMs)), 0),
    budget: { longestExtensionStretchMs: 50, addedLongTasks: 0 },
  };
}

/**
 * Memory after scrolling 2,000 posts: the page's JS heap (after a forced GC) and its live DOM node
 * count, with the extension beside without it. Nodes the extension keeps beyond its badges in the
 * page (each an element and its shadow root) would be detached nodes it holds on to.
 */
async function heapBench(site: 'x' | 'linkedin') {
  const { url, withExt, plain, plainContext } = await feedBrowsers(site);
  const measure = async (page: Page) => {
    await page.goto(url);
    await page.bringToFront();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await page.waitForTimeout(1500);
    await cdp.send('HeapProfiler.collectGarbage');
    const scroll = (posts: number) => scrollFeedBy(page, posts);
    const nodeCount = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { nodes } = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
      const badges = await page.evaluate(() => document.querySelectorAll('rapport-badge').length);
      return { nodes, badges };
    };
    // A first screen of posts: what the extension creates once (its bridge, its world) is
    // counted here, so the comparison below sees only what grows with scrolling.
    await scroll(100);
    await page.waitForTimeout(1500);
    const early = await nodeCount();
    const before = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    await scroll(POSTS);
    // The last flush and its badge lookup, then a full collection.
    await page.waitForTimeout(2500);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const after = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const late = await nodeCount();
    await cdp.detach();
    return {
      growthMb: (after.usedSize - before.usedSize) / 2 ** 20,
      // Nodes alive beyond the live badges (an element and a shadow root each), and how that
      // changed over 2,000 posts.
      fixedNodes: early.nodes - 2 * early.badges,
      nodeGrowth: late.nodes - 2 * late.badges - (early.nodes - 2 * early.badges),
      badges: late.badges,
    };
  };
  const { ext, base } = await alternate(withExt, plainContext, Math.min(RUNS, 3), measure);
  await withExt.close();
  await plain.close();
  const growthWith = median(ext.map((r) => r.growthMb));
  const growthWithout = median(base.map((r) => r.growthMb));
  return {
    posts: POSTS,
    heapGrowthMbWith: round(growthWith, 2),
    heapGrowthMbWithout: round(growthWithout, 2),
    extensionHeapGrowthMb: round(growthWith - growthWithout, 2),
    liveBadges: median(ext.map((r) => r.badges)),
    // Nodes kept alive by the extension beyond its live badges, grown over 2,000 posts beyond
    // what the page alone grows: detached nodes it holds on to.
    detachedNodesKept: median(ext.map((r) => r.nodeGrowth)) - median(base.map((r) => r.nodeGrowth)),
    fixedNodesWith: median(ext.map((r) => r.fixedNodes)),
    fixedNodesWithout: median(base.map((r) => r.fixedNodes)),
    budget: { extensionHeapGrowthMb: 5, detachedNodesKept: 0 },
  };
}

/**
 * Service worker cold start to first answer: the worker stopped (CDP), then a badge lookup sent
 * from the content script's own world on x.com, until its answer; beside a minimal extension
 * whose worker only answers, loaded in the same browser and asked the same way.
 */
async function coldStartBench() {
  const minimal = mkdtempSync(join(tmpdir(), 'rapport-minimal-'));
  writeFileSync(
    join(minimal, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Minimal worker',
      version: '1.0',
      background: { service_worker: 'sw.js' },
      content_scripts: [{ matches: ['https://x.com/*'], js: ['cs.js'], run_at: 'document_start' }],
    }),
  );
  writeFileSync(
    join(minimal, 'sw.js'),
    'chrome.runtime.onMessage.addListener((m, s, reply) => { reply({ ok: true }); });',
  );
  writeFileSync(join(minimal, 'cs.js'), '');
  const userDataDir = mkdtempSync(join(tmpdir(), 'rapport-cold-'));
  const dists = `${DIST},${minimal}`;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    args: chromiumArgs(dists, true),
  });
  await context.route('**/*', (route) =>
    route.request().url().startsWith('https://x.com/')
      ? route.fulfill({ contentType: 'text/html', body: '<!doctype html><main></main>' })
      : route.continue(),
  );
  while (context.serviceWorkers().length < 2) await context.waitForEvent('serviceworker');
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const worlds = new Map<string, number>();
  cdp.on('Runtime.executionContextCreated', (event: { context: { id: number; name: string } }) => {
    worlds.set(event.context.name, event.context.id);
  });
  await cdp.send('Runtime.enable');
  await cdp.send('ServiceWorker.enable');
  await page.goto('https://x.com/cold');
  await page.waitForTimeout(500);
  const ask = async (world: string, message: unknown) => {
    const contextId = worlds.get(world);
    if (contextId === undefined) throw new Error(`no content-script world named ${world}`);
    const { result } = (await cdp.send('Runtime.evaluate', {
      contextId,
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => { const t = performance.now(); await chrome.runtime.sendMessage(${JSON.stringify(message)}); return performance.now() - t; })()`,
    })) as { result: { value: number } };
    return result.value;
  };
  const rapport: number[] = [];
  const bare: number[] = [];
  const warm: number[] = [];
  const lookup = { type: 'lookup', viewer: 'x:bench_me', accounts: ['x:someone'] };
  for (let run = 0; run < RUNS; run++) {
    await cdp.send('ServiceWorker.stopAllWorkers');
    await page.waitForTimeout(300);
    rapport.push(await ask('Rapport', lookup));
    warm.push(await ask('Rapport', lookup));
    await cdp.send('ServiceWorker.stopAllWorkers');
    await page.waitForTimeout(300);
    bare.push(await ask('Minimal worker', { hello: true }));
  }
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  rmSync(minimal, { recursive: true, force: true });
  const cold = median(rapport);
  const minimalMs = median(bare);
  return {
    coldFirstAnswerMs: round(cold, 1),
    minimalWorkerMs: round(minimalMs, 1),
    warmAnswerMs: round(median(warm), 1),
    ratio: round(cold / minimalMs, 2),
    budget: { coldFirstAnswerMs: 150 },
  };
}

/**
 * What the capture wrapper adds to a GraphQL response the page reads: the page's own
 * fetch-and-read latency with the extension beside the same without it (same run, medians), and
 * the wrapper's script time per response (profiled: the copy it reads and hands over).
 */
async function captureBench() {
  const body = readFileSync(resolve('tests/fixtures/x-json/tweet_details.json'), 'utf8');
  const page = '<!doctype html><main role="main"></main>';
  const responses = 40;
  // Each iteration reads the response twice, interleaved: through the page's fetch (wrapped by
  // Rapport, captured) and through a same-origin about:blank frame's fetch (no content script
  // runs there: unwrapped). The idle work a captured response triggers later (hand-over, parse)
  // falls on either series alike; the difference is what the wrapper adds to the page's read.
  const readPairs = (target: Page) =>
    target.evaluate(
      async ({ n, path }) => {
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const bare = (frame.contentWindow as Window).fetch.bind(frame.contentWindow);
        const wrapped: number[] = [];
        const unwrapped: number[] = [];
        // No helper functions here: the bench runner's transform would name them (__name).
        for (let i = 0; i < 2 * n; i++) {
          // Alternate which goes first: wrapped, bare, bare, wrapped, wrapped, bare…
          const useWrapped = (i + (Math.floor(i / 2) % 2)) % 2 === 0;
          const start = performance.now();
          await (await (useWrapped ? fetch : bare)(path)).text();
          (useWrapped ? wrapped : unwrapped).push(performance.now() - start);
        }
        frame.remove();
        wrapped.sort((a, b) => a - b);
        unwrapped.sort((a, b) => a - b);
        return {
          wrapped: wrapped[Math.floor(n / 2)] as number,
          unwrapped: unwrapped[Math.floor(n / 2)] as number,
        };
      },
      { n: responses, path: '/i/api/graphql/Bench1/TweetDetail' },
    );
  const readAll = (target: Page) =>
    target.evaluate(async (n) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        await (await fetch('/i/api/graphql/Bench1/TweetDetail')).text();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)] as number;
    }, responses);

  const withExt = await launchChromium({ headless: true });
  withExt.serve('/i/api/graphql/Bench1/TweetDetail', body, 'application/json');
  withExt.serve('/capture-bench', page);
  const plain = await launchProfile({ headless: true });
  const plainPage = await plain.context.newPage();
  await plainPage.route('**/*', (route) =>
    route.request().url().includes('/graphql/')
      ? route.fulfill({ contentType: 'application/json', body })
      : route.fulfill({ contentType: 'text/html', body: page }),
  );
  await plainPage.goto('https://x.com/capture-bench');
  const extPage = await withExt.context.newPage();
  await extPage.goto('https://x.com/capture-bench');
  const latencyWith: number[] = [];
  const latencyWithout: number[] = [];
  const wrappedMs: number[] = [];
  const unwrappedMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const pair = await readPairs(extPage);
    wrappedMs.push(pair.wrapped);
    unwrappedMs.push(pair.unwrapped);
    latencyWith.push(await readAll(extPage));
    latencyWithout.push(await readAll(plainPage));
  }
  const cdp = await extPage.context().newCDPSession(extPage);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await readAll(extPage);
  await extPage.waitForTimeout(300);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await withExt.close();
  await plain.close();
  const { extensionMs } = attribute(profile, '/src/capture/x-main.js');
  const withMs = median(latencyWith);
  const withoutMs = median(latencyWithout);
  const wrapped = median(wrappedMs);
  const unwrapped = median(unwrappedMs);
  return {
    responses,
    bodyKb: round(body.length / 1024, 1),
    readMsWrapped: round(wrapped, 3),
    readMsUnwrapped: round(unwrapped, 3),
    // Same page, same body, interleaved: through Rapport's wrapper and around it.
    addedMsPerResponse: round(wrapped - unwrapped, 3),
    readMsWithExtension: round(withMs, 3),
    readMsWithout: round(withoutMs, 3),
    addedMsVersusNoExtension: round(withMs - withoutMs, 3),
    wrapperScriptMsPerResponse: round(extensionMs / responses, 3),
    budget: { addedMsPerResponse: 0.1 },
  };
}

/**
 * The floor of the content script's work per post: the adapter's own steps on saved posts just
 * inserted, in an isolated world (as a content script runs), beside one native walk of each
 * post. Quiet enough to measure one parser change; the feed measure above is the budget's.
 */
async function floorBench(): Promise<
  Record<string, { unitsPerRun: number; msPer100Posts: Record<string, number> }>
> {
  const code = await bundle('tests/bench/floor-entry.ts', 'rapportFloor');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumArgs(undefined, true),
  });
  const out: Record<string, { unitsPerRun: number; msPer100Posts: Record<string, number> }> = {};
  for (const [site, url, fixture, wrap] of [
    [
      'x',
      'https://x.com/home',
      'tests/fixtures/x/home-timeline.html',
      (inner: string) => `<main role="main"><div id="holder">${inner}</div></main>`,
    ],
    [
      'linkedin',
      'https://www.linkedin.com/feed/',
      'tests/fixtures/linkedin/recent-activity.html',
      (inner: string) => `<main><div id="holder">${inner}</div></main>`,
    ],
  ] as const) {
    const page = await browser.newPage();
    const html = `<!doctype html><body>${wrap(readFileSync(fixture, 'utf8'))}</body>`;
    await page.route('**/*', (route) =>
      route.request().url() === url
        ? route.fulfill({ contentType: 'text/html', body: html })
        : route.fulfill({ status: 404, body: '' }),
    );
    await page.goto(url);
    const cdp = await page.context().newCDPSession(page);
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as {
      frameTree: { frame: { id: string } };
    };
    const { executionContextId } = (await cdp.send('Page.createIsolatedWorld', {
      frameId: frameTree.frame.id,
      worldName: 'rapport-floor',
    })) as { executionContextId: number };
    await cdp.send('Runtime.evaluate', { expression: code, contextId: executionContextId });
    const result = (await cdp.send('Runtime.evaluate', {
      expression: `rapportFloor.floor(${JSON.stringify(site)}, 'holder', ${site === 'x' ? 25 : 50}, ${Math.max(RUNS * 4, 15)})`,
      contextId: executionContextId,
      returnByValue: true,
    })) as { result: { value?: { units: number; msPer100: Record<string, number> } } };
    const value = result.result.value;
    if (!value) throw new Error(`floor bench on ${site} returned nothing`);
    out[site] = {
      unitsPerRun: value.units,
      msPer100Posts: Object.fromEntries(
        Object.entries(value.msPer100).map(([step, ms]) => [step, round(ms, 2)]),
      ),
    };
    await page.close();
  }
  await browser.close();
  return out;
}

/**
 * The popup with 50,000 people and 500,000 pieces of evidence in the real extension database:
 * time to the first row shown, beside a bare open-and-read of the same top 50 by the index, in
 * the same page; a search over everyone; the CSV export of everyone.
 */
async function popupBench() {
  const accounts = Number(process.env.BENCH_ACCOUNTS ?? 50_000);
  const perAccount = 10;
  const code = await bundle('tests/bench/popup-entry.ts', 'rapportPopupBench');
  // The built extension with one page more, the bare read's (never in what ships): the same
  // origin and database as the popup, loaded the way the popup is.
  const dist = mkdtempSync(join(tmpdir(), 'rapport-popup-bench-'));
  cpSync(DIST, dist, { recursive: true });
  writeFileSync(
    join(dist, 'bench-bare.html'),
    '<!doctype html><meta charset="utf-8"><title>bare</title><script type="module" src="./bench-bare.js"></script>',
  );
  writeFileSync(join(dist, 'bench-bare.js'), `${code}\nrapportPopupBench.barePage();\n`);
  const session = await launchChromium({ headless: true, dist });
  const popupUrl = `chrome-extension://${session.extensionId}/src/popup/index.html`;
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 380, height: 600 });
  await page.goto(popupUrl);
  await page.waitForSelector('.empty');
  // CDP evaluation is not held to the page's CSP: the bundle defines window.rapportPopupBench.
  await page.evaluate(code);
  const seedMs = await page.evaluate(
    ([n, per, now]) =>
      (
        window as unknown as {
          rapportPopupBench: { seed(a: number, b: number, c: number): Promise<number> };
        }
      ).rapportPopupBench.seed(n, per, now),
    [accounts, perAccount, Date.now()] as const,
  );
  const firstRow: number[] = [];
  const ownWork: number[] = [];
  const bare: number[] = [];
  const barePage: number[] = [];
  /** Start and first rows by the page's marks; throws when they are not there. */
  const ownPart = async (what: string) => {
    // (No helper functions inside: the bench runner's transform would name them, __name.)
    const marks = await page.evaluate(() => ({
      start: performance.getEntriesByName('rapport:start')[0]?.startTime ?? NaN,
      rows: performance.getEntriesByName('rapport:first-rows')[0]?.startTime ?? NaN,
      all: performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('rapport:'))
        .map((m) => `${m.name.slice(8)} ${m.startTime.toFixed(1)}`)
        .join(', '),
    }));
    if (process.argv.includes('--profile'))
      console.log(`${what} marks (ms from navigation): ${marks.all}`);
    if (!Number.isFinite(marks.rows))
      throw new Error(`the ${what} had no rows within 1.5 s (marks: ${marks.all})`);
    return marks;
  };
  const blank = await session.context.newPage();
  const search: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Nothing else reading the database: the popup page is blank, its work is over.
    await page.goto('about:blank');
    await page.waitForTimeout(1500);
    // The baseline in a page of the same origin that runs nothing else (the manifest).
    await blank.goto(`chrome-extension://${session.extensionId}/manifest.json`);
    await blank.evaluate(code);
    bare.push(
      await blank.evaluate(() =>
        (
          window as unknown as { rapportPopupBench: { bareTop50(): Promise<number> } }
        ).rapportPopupBench.bareTop50(),
      ),
    );
    // The same read in a page of its own, loaded as the popup is, in the popup's tab.
    await page.waitForTimeout(300);
    await page.bringToFront();
    await page.goto(`chrome-extension://${session.extensionId}/bench-bare.html`);
    await page.waitForTimeout(1000);
    const bareMarks = await ownPart('bare page');
    barePage.push(bareMarks.rows - bareMarks.start);
    await page.goto('about:blank');
    await page.waitForTimeout(300);
    await page.goto(popupUrl);
    // Nothing of the bench's runs in the page while it loads: waiting for a selector would
    // evaluate Playwright's injected script there (~9 ms on the popup's main thread, seen in
    // a trace, in the middle of its first screen). The marks say when the rows came.
    await page.waitForTimeout(1500);
    // From the popup's marks: navigation start to its first rows, and its own part of that
    // (from its script's start), beside the bare open-and-read.
    const marks = await ownPart('popup');
    if (!(await page.$('.row'))) throw new Error('the popup shows no rows');
    firstRow.push(marks.rows);
    ownWork.push(marks.rows - marks.start);
    await page.click('[data-section="everyone"]');
    await page.waitForFunction(
      (n) =>
        (document.querySelector('[data-section="everyone"] .count')?.textContent ?? '') ===
          n.toLocaleString() && !document.querySelector('.none'),
      accounts,
    );
    await page.bringToFront();
    // Let the whole list load before searching it.
    await page.waitForSelector('[role="tabpanel"][aria-busy="false"]', { timeout: 120_000 });
    await page.waitForTimeout(300);
    search.push(
      await page.evaluate(async () => {
        const input = document.querySelector('input[type="search"]') as HTMLInputElement;
        const started = performance.now();
        input.value = 'person 4999';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // Preact renders on a microtask: after a task, the filtered list is in the DOM. (Not
        // requestAnimationFrame: a tab in the background gets no frames.)
        await new Promise((r) => setTimeout(r, 0));
        if (!document.querySelector('.row')) throw new Error('no row after the search');
        return performance.now() - started;
      }),
    );
  }
  const options = await session.context.newPage();
  await options.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
  await options.waitForSelector('[data-storage]');
  const started = Date.now();
  await Promise.all([options.waitForEvent('download'), options.click('text=Everyone (CSV)')]);
  const csvMs = Date.now() - started;
  await session.close();
  rmSync(dist, { recursive: true, force: true });
  const first = median(firstRow);
  const bareMs = median(bare);
  const barePageMs = median(barePage);
  return {
    accounts,
    evidence: accounts * perAccount,
    seedSeconds: round(seedMs / 1000, 1),
    firstRowMs: round(first, 1),
    popupOwnMs: round(median(ownWork), 1),
    // The baseline the budget holds the popup to: the bare read as a page's first act.
    barePageTop50Ms: round(barePageMs, 1),
    ratio: round(median(ownWork) / barePageMs, 2),
    ratiosByRun: pairedRatios(ownWork, barePage),
    // The same read in a page long loaded and idle: what the database alone takes.
    bareTop50Ms: round(bareMs, 1),
    ratioToQuietRead: round(median(ownWork) / bareMs, 2),
    ratiosToQuietReadByRun: pairedRatios(ownWork, bare),
    searchMs: round(median(search), 1),
    csvExportMs: csvMs,
    budget: { firstRowMs: 100, ratio: 3, searchMs: 200, csvExportMs: 2000 },
  };
}

/** How long the ingest bench lets the database backend rest before each measure. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);

async function ingestBench() {
  const code = await bundle('tests/bench/ingest-entry.ts', 'rapportBench');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumArgs(undefined, true),
  });
  const page = await browser.newPage();
  await page.route('**/*', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><script>${code.replace(/<\/script/g, '<\\/script')}</script>`,
    }),
  );
  await page.goto('https://bench.rapport.test/');
  const n = 10_000;
  const bare: number[] = [];
  const ingest: number[] = [];
  const oneByOne: number[] = [];
  const intoStore: number[] = [];
  // Each measure starts once the database backend is quiet: deleting the last measure's
  // database leaves the shared store compacting for a while, which slowed whichever came next.
  const settle = () => page.waitForTimeout(SETTLE_MS);
  for (let run = 0; run < RUNS; run++) {
    await settle();
    intoStore.push(
      await page.evaluate(
        ([count, r]) =>
          (
            window as unknown as {
              rapportBench: { bareIntoStore(n: number, s: string): Promise<number> };
            }
          ).rapportBench.bareIntoStore(count, `store-${r}`),
        [n, run] as const,
      ),
    );
    await settle();
    bare.push(
      await page.evaluate(
        ([count, r]) =>
          (
            window as unknown as { rapportBench: { bare(n: number, s: string): Promise<number> } }
          ).rapportBench.bare(count, `bare-${r}`),
        [n, run] as const,
      ),
    );
    // Alternated, so neither way of sending always runs second.
    for (const together of run % 2 === 0 ? [true, false] : [false, true]) {
      await settle();
      (together ? ingest : oneByOne).push(
        await page.evaluate(
          ([count, r, all]) =>
            (
              window as unknown as {
                rapportBench: { ingest(n: number, s: string, t: boolean): Promise<number> };
              }
            ).rapportBench.ingest(count, `ingest-${r}-${all}`, all),
          [n, run, together] as const,
        ),
      );
    }
  }
  // The same, with as many people as observations: every account new, every exchange with the
  // user a new relationship row (the measure has 500 people, whom the ingest's account
  // cache soon knows). Fewer runs: it informs, the budget is the measure above.
  const many = n;
  const bareMany: number[] = [];
  const ingestMany: number[] = [];
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    await settle();
    bareMany.push(
      await page.evaluate(
        ([count, r, people]) =>
          (
            window as unknown as {
              rapportBench: { bare(n: number, s: string, p: number): Promise<number> };
            }
          ).rapportBench.bare(count, `bare-many-${r}`, people),
        [n, run, many] as const,
      ),
    );
    await settle();
    ingestMany.push(
      await page.evaluate(
        ([count, r, people]) =>
          (
            window as unknown as {
              rapportBench: {
                ingest(n: number, s: string, t: boolean, b: number, p: number): Promise<number>;
              };
            }
          ).rapportBench.ingest(count, `ingest-many-${r}`, true, 1000, people),
        [n, run, many] as const,
      ),
    );
  }
  await browser.close();
  const ingestMs = median(ingest);
  const bareMs = median(bare);
  const intoStoreMs = median(intoStore);
  return {
    observations: n,
    runs: RUNS,
    ingestMs: round(ingestMs, 1),
    bareIdbPutLoopMs: round(bareMs, 1),
    ratio: round(ingestMs / bareMs, 3),
    ratiosByRun: pairedRatios(ingest, bare),
    bareIntoEvidenceStoreMs: round(intoStoreMs, 1),
    ratioToEvidenceStore: round(ingestMs / intoStoreMs, 3),
    oneByOneMs: round(median(oneByOne), 1),
    oneByOneRatio: round(median(oneByOne) / bareMs, 3),
    everyoneNew: {
      people: many,
      ingestMs: round(median(ingestMany), 1),
      bareIdbPutLoopMs: round(median(bareMany), 1),
      ratio: round(median(ingestMany) / median(bareMany), 3),
    },
    budget: { ratio: 1.3 },
  };
}

/** Parse of the largest X API response per 100 timeline entries, beside JSON.parse of the same text. */
function jsonParseBench() {
  const real = resolve('../shared/fixtures/real/x-graphql-twscrape');
  const dir = existsSync(real) ? real : resolve('tests/fixtures/x-json');
  const largest = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0] as string;
  const text = readFileSync(largest, 'utf8');
  const entries = (text.match(/"entryId"/g) ?? []).length || 1;
  const time = (fn: () => unknown) => {
    const runs: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      fn();
      runs.push(performance.now() - start);
    }
    return median(runs);
  };
  const jsonParse = time(() => JSON.parse(text));
  const withRapport = time(() => parseXJson(JSON.parse(text)));
  return {
    file: largest.split('/').slice(-2).join('/'),
    entries,
    jsonParseMsPer100Entries: round((jsonParse / entries) * 100, 3),
    rapportMsPer100Entries: round((withRapport / entries) * 100, 3),
    ratio: round(withRapport / jsonParse, 3),
    budget: { ratio: 2 },
  };
}

/** gzip bytes of a built entry and every chunk it imports, statically. */
function entrySize(file: string, seen = new Set<string>()): number {
  if (seen.has(file)) return 0;
  seen.add(file);
  const code = readFileSync(file);
  let size = gzipSync(code).length;
  for (const match of code.toString('utf8').matchAll(/(?:import|from)\s*["']([^"']+\.js)["']/g)) {
    const spec = match[1] as string;
    const target = spec.startsWith('/') ? join(DIST, spec) : resolve(dirname(file), spec);
    size += entrySize(target, seen);
  }
  return size;
}

function bundles() {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as {
    background: { service_worker: string };
    content_scripts: Array<{ js: string[]; world?: string }>;
    action: { default_popup: string };
  };
  const popupHtml = readFileSync(join(DIST, manifest.action.default_popup), 'utf8');
  const popupAssets = [...popupHtml.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) =>
    join(DIST, m[1] as string),
  );
  const seen = new Set<string>();
  const kb = (bytes: number) => round(bytes / 1024, 1);
  // Content scripts in the isolated world, and the page-world capture scripts, counted apart. A
  // page loads one site's pair: the figure is the largest of the sites' scripts.
  const scriptsKb = (main: boolean) =>
    kb(
      Math.max(
        ...manifest.content_scripts
          .filter((s) => (s.world === 'MAIN') === main)
          .map((s) => s.js.reduce((n, f) => n + entrySize(join(DIST, f)), 0)),
      ),
    );
  return {
    contentKbGzip: scriptsKb(false),
    captureKbGzip: scriptsKb(true),
    backgroundKbGzip: kb(entrySize(join(DIST, manifest.background.service_worker))),
    popupKbGzip: kb(
      popupAssets.reduce(
        (sum, f) =>
          sum + (f.endsWith('.css') ? gzipSync(readFileSync(f)).length : entrySize(f, seen)),
        0,
      ),
    ),
    budget: { contentKbGzip: 30, captureKbGzip: 10, backgroundKbGzip: 25, popupKbGzip: 60 },
  };
}

/** The rows of one site's annotation figures. */
function annotationRows(site: string, a: Awaited<ReturnType<typeof annotation>>): string[][] {
  return [
    [
      `${site}content script per 100 posts (profiled)`,
      `${a.extensionMsPer100Posts} ms (by run ${a.extensionMsPer100PostsByRun.join(', ')})`,
      `page script ${a.baselinePageScriptMsPer100Posts} ms`,
      '',
      '≤ 3 ms',
    ],
    [
      `${site}content script per 100 posts added one per page change (${a.oneByOne.posts} posts)`,
      `${a.oneByOne.extensionMsPer100Posts} ms`,
      `page script ${a.oneByOne.baselinePageScriptMsPer100Posts} ms`,
      '',
      'informs ≤ 3 ms',
    ],
    [
      `${site}added page script per 100 posts (unprofiled)`,
      `${a.addedScriptMsPer100PostsUnprofiled} ms`,
      `page script ${a.baselinePageScriptMsPer100Posts} ms`,
      `${a.pageScriptRatio}× page total`,
      '≤ 1.10×',
    ],
    [
      `${site}longest stretch of extension script`,
      `${a.longestExtensionStretchMs} ms`,
      `page long tasks ≥ 50 ms: ${a.longTasksWithExtension} with, ${a.longTasksWithout} without`,
      '',
      '< 50 ms',
    ],
    [
      `${site}page style + layout (where its long tasks are)`,
      `${a.renderingMsWith} ms`,
      `${a.renderingMsWithout} ms without the extension`,
      `${a.renderingRatio}×`,
      '',
    ],
  ];
}

async function main() {
  const check = process.argv.includes('--check');
  const onlySizes = process.argv.includes('--sizes');
  // One measure alone, printed (a quick look while working on it): --x, --linkedin, --capture…
  const single: Record<string, () => Promise<unknown>> = {
    '--capture': captureBench,
    '--linkedin': () => annotation('linkedin'),
    '--x': () => annotation('x'),
    '--heap': async () => ({ x: await heapBench('x'), linkedin: await heapBench('linkedin') }),
    '--cold': coldStartBench,
    '--popup': popupBench,
    '--ingest': ingestBench,
    '--floor': floorBench,
    '--embedded': embeddedBench,
    '--growing': growingBench,
    '--quiet': quietChangesBench,
  };
  const chosen = Object.entries(single).find(([name]) => process.argv.includes(name));
  if (chosen) {
    console.log(JSON.stringify(await chosen[1](), null, 2));
    return;
  }
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    bundles: bundles(),
  };
  // --sizes: only what does not depend on the machine's speed (CI checks it on every run).
  if (!onlySizes) {
    results.jsonParse = jsonParseBench();
    results.annotation = await annotation();
    results.annotationLinkedIn = await annotation('linkedin');
    results.floor = await floorBench();
    results.ingest = await ingestBench();
    results.capture = await captureBench();
    results.embedded = await embeddedBench();
    results.growing = await growingBench();
    results.quietChanges = await quietChangesBench();
    results.popup = await popupBench();
    results.heapX = await heapBench('x');
    results.heapLinkedIn = await heapBench('linkedin');
    results.coldStart = await coldStartBench();
  }
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');

  const b = results.bundles as ReturnType<typeof bundles>;
  const rows: string[][] = [['measure', 'figure', 'baseline (same run)', 'ratio', 'budget']];
  if (!onlySizes) {
    const i = results.ingest as Awaited<ReturnType<typeof ingestBench>>;
    rows.push(...annotationRows('', results.annotation as Awaited<ReturnType<typeof annotation>>));
    rows.push(
      ...annotationRows(
        'LinkedIn: ',
        results.annotationLinkedIn as Awaited<ReturnType<typeof annotation>>,
      ),
    );
    for (const [site, f] of Object.entries(
      results.floor as Awaited<ReturnType<typeof floorBench>>,
    )) {
      const steps = f.msPer100Posts;
      rows.push([
        `${site === 'x' ? 'X' : 'LinkedIn'}: floor per 100 fresh posts (read, parse, badge; no observer, no messages)`,
        `${steps['fingerprint + parse + badges']} ms`,
        `one native walk of each post ${steps.walk} ms`,
        '',
        'informs ≤ 3 ms',
      ]);
    }
    const c = results.capture as Awaited<ReturnType<typeof captureBench>>;
    rows.push([
      'page reads a captured GraphQL response (fetch + text)',
      `${c.readMsWrapped} ms`,
      `${c.readMsUnwrapped} ms unwrapped, same page`,
      `+${c.addedMsPerResponse} ms`,
      '≤ +0.1 ms',
    ]);
    rows.push([
      'whole extension, against a browser without it',
      `${c.readMsWithExtension} ms`,
      `${c.readMsWithout} ms without`,
      `+${c.addedMsVersusNoExtension} ms`,
      '',
    ]);
    rows.push([
      'capture script time per response (incl. the page’s own fetch and read)',
      `${c.wrapperScriptMsPerResponse} ms`,
      `${c.bodyKb} KB body`,
      '',
      '',
    ]);
    const g = results.growing as Awaited<ReturnType<typeof growingBench>>;
    rows.push([
      `LinkedIn: content script per 100 posts, last ${g.window} of a list grown to ${g.posts} (nothing dropped)`,
      `${g.lastMsPer100Posts} ms`,
      `first ${g.window} of the same page ${g.firstMsPer100Posts} ms`,
      `${g.ratio}×`,
      '(≈ 1×: no work grows with the page)',
    ]);
    const q = results.quietChanges as Awaited<ReturnType<typeof quietChangesBench>>;
    rows.push([
      `X: script added per change of the page that brings nothing to read (${q.changes}, one per frame)`,
      `${q.addedUsPerChange} µs`,
      `the page's own ${q.pageUsPerChangeWithout} µs per change`,
      '',
      'informs ≤ 3 ms per 100 posts',
    ]);
    const e = results.embedded as Awaited<ReturnType<typeof embeddedBench>>;
    rows.push([
      `LinkedIn: first-load data read (${e.responses} responses, ${e.embeddedMb} MB): longest extension stretch`,
      `${e.longestExtensionStretchMs} ms (${e.extensionMs} ms in all)`,
      `page long tasks ${e.longTasksWith} with (longest ${e.longestTaskMsWith} ms), ${e.longTasksWithout} without (${e.longestTaskMsWithout} ms)`,
      '',
      '< 50 ms, no long task added',
    ]);
    const p = results.popup as Awaited<ReturnType<typeof popupBench>>;
    rows.push([
      'popup: first rows, 50k people / 500k evidence (from navigation)',
      `${p.firstRowMs} ms`,
      `popup's own part ${p.popupOwnMs} ms; bare open + top-50 read as a page's first act ${p.barePageTop50Ms} ms (in a page long loaded ${p.bareTop50Ms} ms)`,
      `${p.ratio}× (own part / bare page; by run ${p.ratiosByRun.join(', ')}); ${p.ratioToQuietRead}× the read in a loaded page (by run ${p.ratiosToQuietReadByRun.join(', ')})`,
      '≤ 100 ms, ≤ 3×',
    ]);
    rows.push(['popup: search everyone', `${p.searchMs} ms`, '', '', '≤ 200 ms']);
    for (const [site, h] of [
      ['X', results.heapX],
      ['LinkedIn', results.heapLinkedIn],
    ] as const) {
      const heap = h as Awaited<ReturnType<typeof heapBench>>;
      rows.push([
        `${site}: heap growth after ${heap.posts} posts (after GC)`,
        `${heap.heapGrowthMbWith} MB`,
        `${heap.heapGrowthMbWithout} MB without the extension`,
        `+${heap.extensionHeapGrowthMb} MB`,
        '≤ 5 MB',
      ]);
      rows.push([
        `${site}: detached nodes kept (growth beyond live badges)`,
        `${heap.detachedNodesKept}`,
        `${heap.liveBadges} live badges`,
        '',
        '0',
      ]);
    }
    const cold = results.coldStart as Awaited<ReturnType<typeof coldStartBench>>;
    rows.push([
      'service worker cold start to first answer (a badge lookup)',
      `${cold.coldFirstAnswerMs} ms`,
      `minimal worker ${cold.minimalWorkerMs} ms; warm ${cold.warmAnswerMs} ms`,
      `${cold.ratio}×`,
      '≤ 150 ms',
    ]);
    rows.push(['CSV export of everyone', `${p.csvExportMs} ms`, '', '', '≤ 2,000 ms']);
    rows.push([
      'ingest 10,000 observations (10 messages sent together)',
      `${i.ingestMs} ms (one message at a time, each acknowledged first: ${i.oneByOneMs} ms, ${i.oneByOneRatio}×)`,
      `bare put loop ${i.bareIdbPutLoopMs} ms; into the real evidence store (its indexes) ${i.bareIntoEvidenceStoreMs} ms, ${i.ratioToEvidenceStore}×`,
      `${i.ratio}× (by run ${i.ratiosByRun.join(', ')})`,
      '≤ 1.3×',
    ]);
    rows.push([
      `the same among ${i.everyoneNew.people.toLocaleString('en')} people (every account new)`,
      `${i.everyoneNew.ingestMs} ms`,
      `bare put loop ${i.everyoneNew.bareIdbPutLoopMs} ms`,
      `${i.everyoneNew.ratio}×`,
      'informs ≤ 1.3×',
    ]);
  }
  if (!onlySizes) {
    const j = results.jsonParse as ReturnType<typeof jsonParseBench>;
    rows.push([
      'X API parse per 100 entries (JSON.parse + Rapport)',
      `${j.rapportMsPer100Entries} ms`,
      `JSON.parse ${j.jsonParseMsPer100Entries} ms`,
      `${j.ratio}×`,
      '≤ 2×',
    ]);
  }
  rows.push(['content script gzip (largest site)', `${b.contentKbGzip} KB`, '', '', '≤ 30 KB']);
  rows.push(['capture script gzip (largest site)', `${b.captureKbGzip} KB`, '', '', '≤ 10 KB']);
  rows.push(['background gzip', `${b.backgroundKbGzip} KB`, '', '', '≤ 25 KB']);
  rows.push(['popup gzip', `${b.popupKbGzip} KB`, '', '', '≤ 60 KB']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const row of rows)
    console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  '));
  console.log(`median of ${RUNS} runs each; written to bench/results.json`);

  if (check) {
    const broken: string[] = [];
    if (b.contentKbGzip > 30) broken.push('content script > 30 KB gzip');
    if (b.captureKbGzip > 10) broken.push('capture script > 10 KB gzip');
    if (b.backgroundKbGzip > 25) broken.push('background > 25 KB gzip');
    if (b.popupKbGzip > 60) broken.push('popup > 60 KB gzip');

    if (!onlySizes) {
      const a = results.annotation as Awaited<ReturnType<typeof annotation>>;
      const i = results.ingest as Awaited<ReturnType<typeof ingestBench>>;
      if (a.extensionMsPer100Posts > 3) broken.push('content script > 3 ms per 100 posts');
      if (a.longestExtensionStretchMs >= 50) broken.push('the extension ran ≥ 50 ms at once');
      if (i.ratio > 1.3) broken.push('ingest > 1.3× the bare loop');
      const p = results.popup as Awaited<ReturnType<typeof popupBench>>;
      if (p.firstRowMs > 100) broken.push('popup first rows > 100 ms');
      if (p.ratio > 3) broken.push('popup > 3× the bare read');
      if (p.searchMs > 200) broken.push('popup search > 200 ms');
      if (p.csvExportMs > 2000) broken.push('CSV export > 2 s');
      const l = results.annotationLinkedIn as Awaited<ReturnType<typeof annotation>>;
      if (l.extensionMsPer100Posts > 3) broken.push('LinkedIn content script > 3 ms per 100 posts');
      if (l.longestExtensionStretchMs >= 50)
        broken.push('the extension ran ≥ 50 ms at once on LinkedIn');
      const e = results.embedded as Awaited<ReturnType<typeof embeddedBench>>;
      if (e.longestExtensionStretchMs >= 50 || e.longTasksWith > e.longTasksWithout)
        broken.push('reading LinkedIn’s first-load data made a long task');
      if ((results.jsonParse as ReturnType<typeof jsonParseBench>).ratio > 2)
        broken.push('API parse > 2× JSON.parse');
      if (a.pageScriptRatio > 1.1) broken.push('X page script > 1.10× without the extension');
      if (l.pageScriptRatio > 1.1)
        broken.push('LinkedIn page script > 1.10× without the extension');
      for (const [site, h] of [
        ['X', results.heapX],
        ['LinkedIn', results.heapLinkedIn],
      ] as const) {
        const heap = h as Awaited<ReturnType<typeof heapBench>>;
        if (heap.extensionHeapGrowthMb > 5) broken.push(`${site} heap growth > 5 MB`);
        if (heap.detachedNodesKept > 0) broken.push(`${site}: detached nodes kept`);
      }
      if ((results.coldStart as Awaited<ReturnType<typeof coldStartBench>>).coldFirstAnswerMs > 150)
        broken.push('worker cold start > 150 ms');
    }
    if (broken.length) {
      console.error(`budget broken: ${broken.join('; ')}`);
      process.exitCode = 1;
    }
  }
}

await main();

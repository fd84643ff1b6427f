/**
 * A timeline where one person wrote every other post: 200 badges of one account, for tests that
 * follow every one of them (the content script holds its badges only weakly).
 */
import { PEOPLE, VIEWER } from '../../src/demo/story.ts';
import { pageMarkup, timelineMarkup, type DemoPost } from '../../src/demo/x-markup.ts';

export const MANY_POSTS_PATH = '/many';
export const AIKO_POSTS = 200;
/** Aiko's badges, of a tier. */
export const aikoBadges = (tier: string) =>
  `rapport-badge[data-account="x:aiko_t"][data-tier="${tier}"]`;

export function manyPostsPage(now: number): string {
  const others = Object.values(PEOPLE).filter((person) => person !== PEOPLE.aiko);
  const posts: DemoPost[] = [];
  for (let i = 0; i < 2 * AIKO_POSTS; i++)
    posts.push({
      id: String(1950000000000000000n + BigInt(i)),
      author: i % 2 === 1 ? PEOPLE.aiko : (others[i % others.length] ?? PEOPLE.bram),
      at: new Date(now - i * 60_000).toISOString(),
      text: `Post ${i} of a long timeline.`,
    });
  return pageMarkup({ title: 'Home', viewer: VIEWER, body: timelineMarkup(posts, now) });
}

/** What both drivers' pages offer (Playwright's and Puppeteer's). */
interface Evaluates {
  evaluate(fn: () => unknown): Promise<unknown>;
}

/**
 * Around a forced collection: a page-world object that only a WeakRef holds, moved to the old
 * generation first (it lived through minor collections while held), so that only a full
 * collection in the page's process can take it. Once it is gone, one ran.
 */
export async function plantCollectionProbe(page: Evaluates): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { probeTarget?: object; probe: WeakRef<object> };
    w.probeTarget = { garbage: [1, 2] };
    w.probe = new WeakRef(w.probeTarget);
    // ~100 MB of short-lived objects: several minor collections, each of which the target lives.
    let last: unknown;
    for (let i = 0; i < 3_000_000; i++) last = { i };
    return last !== undefined;
  });
  await page.evaluate(() => {
    delete (window as unknown as { probeTarget?: object }).probeTarget;
  });
  return async () =>
    (await page.evaluate(
      () => (window as unknown as { probe: WeakRef<object> }).probe.deref() === undefined,
    )) === true;
}

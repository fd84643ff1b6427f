/**
 * A timeline where one person wrote every other post: 200 badges of one account, for tests that
 * follow every one of them (the content script holds its badges only weakly).
 */
import { PEOPLE, VIEWER } from '../../src/demo/story.ts';
import { pageMarkup, timelineMarkup, type DemoPost } from '../../src/demo/x-markup.ts';

export const MANY_POSTS_PATH = '/many';
export const AIKO_POSTS = 200;

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

/**
 * Made-up X data for the reliability suite: API responses of reply tweets with unique ids, and
 * timeline pages of posts, generated so that the evidence each one should yield is known.
 */
import { evidenceKey } from '../../src/core/keys.ts';
import type { DemoPerson, DemoPost } from '../../src/demo/x-markup.ts';
import { pageMarkup, timelineMarkup } from '../../src/demo/x-markup.ts';
import { VIEWER } from '../../src/demo/story.ts';

export const person = (i: number): DemoPerson => ({
  handle: `rel_${i}`,
  name: `Reliable ${i}`,
  id: String(3_000_000 + i),
});

/** A TweetDetail-shaped response of `count` replies to the viewer, by accounts first..first+count−1. */
export function repliesResponse(first: number, count: number, at: Date): string {
  const entries = [];
  for (let i = first; i < first + count; i++) {
    const p = person(i);
    entries.push({
      content: {
        itemContent: {
          tweet_results: {
            result: {
              __typename: 'Tweet',
              rest_id: String(7_000_000_000 + i),
              core: {
                user_results: {
                  result: {
                    __typename: 'User',
                    rest_id: p.id,
                    core: { screen_name: p.handle, name: p.name },
                  },
                },
              },
              legacy: {
                created_at: at.toUTCString().replace('GMT', '+0000'),
                in_reply_to_screen_name: VIEWER.handle,
                in_reply_to_status_id_str: '1899999999999999999',
              },
            },
          },
        },
      },
    });
  }
  return JSON.stringify({ data: { threaded_conversation: { instructions: [{ entries }] } } });
}

/** The evidence key of account i's reply in `repliesResponse`. */
export function replyKey(i: number): string {
  return evidenceKey({
    type: 'interaction',
    kind: 'reply',
    from: { platform: 'x', handle: person(i).handle },
    to: { platform: 'x', handle: VIEWER.handle },
    sourceId: String(7_000_000_000 + i),
  });
}

/**
 * A home timeline page: accounts in `range` each reply to the viewer, and the viewer answers
 * every third of them, so the page yields exchanges both ways.
 */
export function timelinePage(range: readonly number[], now: number): string {
  const posts: DemoPost[] = [];
  for (const i of range) {
    const at = new Date(now - (i + 1) * 60_000).toISOString();
    posts.push({
      id: String(8_000_000_000 + i),
      author: person(i),
      at,
      text: `Reply ${i}`,
      replyingTo: [VIEWER.handle],
    });
    if (i % 3 === 0)
      posts.push({
        id: String(8_500_000_000 + i),
        author: VIEWER,
        at,
        text: `Answer ${i}`,
        replyingTo: [person(i).handle],
      });
  }
  return pageMarkup({ title: 'Home', viewer: VIEWER, body: timelineMarkup(posts, now) });
}

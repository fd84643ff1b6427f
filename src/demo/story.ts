/**
 * The demo story: made-up people around one viewer, Robin Vale, so every tier shows up. Used by
 * `npm start` and by the browser tests (whose expectations are spelled out in EXPECTED_TIERS).
 */
import type { Tier } from '../core/model.ts';
import {
  cellsMarkup,
  pageMarkup,
  timelineMarkup,
  type DemoPerson,
  type DemoPost,
} from './x-markup.ts';

const person = (handle: string, name: string, id: string, bio: string): DemoPerson => ({
  handle,
  name,
  id,
  bio,
});

export const VIEWER = person('robin_vale', 'Robin Vale', '1000000001', 'Writes about small teams.');
export const PEOPLE = {
  aiko: person('aiko_t', 'Aiko Tanaka', '1000000002', 'Type designer. Answers every reply.'),
  bram: person('bram_dw', 'Bram de Wit', '1000000003', 'Reads everything, says nothing.'),
  chidi: person('chidi_o', 'Chidi Okafor', '1000000004', 'Asks good questions.'),
  dana: person('dana_w', 'Dana Whitfield', '1000000005', 'Busy founder.'),
  elif: person('elif_k', 'Elif Kaya', '1000000006', 'Reposts what she likes.'),
  farah: person('farah_n', 'Farah Nasser', '1000000007', 'Photographs bridges.'),
  gus: person('gus_m', 'Gus Moreau', '1000000008', 'Bakes, argues kindly.'),
  hana: person('hana_l', 'Hana Lindqvist', '1000000009', 'Mutual since 2019.'),
} as const;

/** What Rapport should conclude once the demo's pages were seen (home, then followers). */
export const EXPECTED_TIERS: Readonly<Record<string, Tier>> = {
  aiko_t: 'conversational',
  gus_m: 'conversational',
  chidi_o: 'unanswered',
  dana_w: 'reaching',
  bram_dw: 'silent-follower',
  hana_l: 'silent-follower',
  elif_k: 'passive',
  farah_n: 'unknown',
};

const HOUR = 3_600_000;

export function homePosts(now: number): DemoPost[] {
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
  const { aiko, chidi, dana, elif, farah, gus } = PEOPLE;
  return [
    {
      id: '1900000000000000001',
      author: aiko,
      at: at(30),
      text: 'Which typeface would you pick for a field guide to rivers?',
      continues: true,
    },
    {
      id: '1900000000000000002',
      author: VIEWER,
      at: at(28),
      text: 'Something with sturdy numerals. Have you tried a slab?',
      continues: true,
    },
    {
      id: '1900000000000000003',
      author: aiko,
      at: at(26),
      text: 'A slab! That is exactly the weight I was missing. Thank you.',
      continues: true,
    },
    {
      id: '1900000000000000010',
      author: VIEWER,
      at: at(25),
      text: 'Send me the proofs when they are ready, I would love to see them.',
    },
    {
      id: '1900000000000000004',
      author: chidi,
      at: at(20),
      text: 'How do you keep a team of five from drowning in meetings?',
      replyingTo: [VIEWER.handle],
    },
    {
      id: '1900000000000000005',
      author: VIEWER,
      at: at(18),
      text: 'Loved your talk on tiny teams. Would you share the slides?',
      replyingTo: [dana.handle],
    },
    {
      id: '1900000000000000006',
      author: VIEWER,
      at: at(40),
      text: 'Small teams ship because they talk.',
      repostedBy: elif,
    },
    {
      id: '1900000000000000007',
      author: farah,
      at: at(12),
      text: 'The old railway bridge at dawn, fog still on the water.',
    },
    {
      id: '1900000000000000008',
      author: gus,
      at: at(10),
      text: 'Sourdough thread, part 3. Questions welcome,',
      mentions: [VIEWER.handle],
    },
    {
      id: '1900000000000000009',
      author: VIEWER,
      at: at(8),
      text: 'Part 3 finally explains the starter. Worth it,',
      mentions: [gus.handle],
      quote: { author: dana, at: at(50), text: 'Slides from the tiny-teams talk are coming soon.' },
    },
  ];
}

export function followerCells() {
  const { aiko, bram, chidi, hana } = PEOPLE;
  return [
    { person: bram, followsYou: true },
    { person: hana, followsYou: true, youFollow: true },
    { person: aiko, followsYou: true, youFollow: true },
    { person: chidi, followsYou: true },
  ];
}

/** Pages of the demo, by path on x.com. */
export function demoPages(now: number): Record<string, string> {
  const home = pageMarkup({
    title: 'Home',
    viewer: VIEWER,
    body: timelineMarkup(homePosts(now), now),
  });
  const followers = pageMarkup({
    title: 'Followers',
    viewer: VIEWER,
    body: cellsMarkup(followerCells()),
  });
  const thread = homePosts(now).slice(0, 4);
  const conversation = pageMarkup({
    title: 'Post',
    viewer: VIEWER,
    body: timelineMarkup(thread, now),
  });
  return {
    '/home': home,
    [`/${VIEWER.handle}/followers`]: followers,
    [`/${PEOPLE.aiko.handle}/status/${thread[1]?.id ?? ''}`]: conversation,
  };
}

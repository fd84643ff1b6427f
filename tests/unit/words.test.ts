import { describe, expect, test } from 'vitest';
import type { Tier } from '../../src/core/model.ts';
import { coverageOf, type Coverage } from '../../src/core/relationship.ts';
import { coverageText, summaryText } from '../../src/shared/words.ts';

describe("the popup's summary in words", () => {
  test.each<[number, number, number, number, string]>([
    // talk, waiting, silent followers, followers
    [
      7,
      3,
      412,
      430,
      '7 people talk with you; 3 are waiting on you; 412 of your 430 followers have never said a word.',
    ],
    [
      1,
      1,
      1,
      2,
      '1 person talks with you; 1 is waiting on you; 1 of your 2 followers has never said a word.',
    ],
    [0, 0, 0, 0, '0 people talk with you.'],
    [2, 0, 0, 5, '2 people talk with you.'],
    [0, 0, 5, 5, '0 people talk with you; none of your 5 followers has ever said a word.'],
    [0, 0, 1, 1, '0 people talk with you; your one follower has never said a word.'],
    [
      1200,
      0,
      41_000,
      50_000,
      '1,200 people talk with you; 41,000 of your 50,000 followers have never said a word.',
    ],
    // Tiers set by hand can leave more silent followers than followers: counted on their own.
    [0, 0, 3, 1, '0 people talk with you; 3 people follow you and have never said a word.'],
    [0, 0, 1, 0, '0 people talk with you; 1 person follows you and has never said a word.'],
  ])('%i talk, %i wait, %i of %i followers silent', (talk, waiting, silent, followers, text) => {
    expect(
      summaryText(
        { conversational: talk, unanswered: waiting, 'silent-follower': silent },
        followers,
      ),
    ).toBe(text);
  });

  test.each<[number, number, string]>([
    [
      412,
      430,
      '0 people talk with you; 412 of your 430 followers and connections have never said a word.',
    ],
    [
      5,
      5,
      '0 people talk with you; none of your 5 followers and connections has ever said a word.',
    ],
    [1, 1, '0 people talk with you; your one follower or connection has never said a word.'],
  ])('with a LinkedIn account shown: %i of %i', (silent, followers, text) => {
    expect(
      summaryText({ conversational: 0, unanswered: 0, 'silent-follower': silent }, followers, {
        withConnections: true,
      }),
    ).toBe(text);
  });
});

describe("a person's coverage: how much of their talk Rapport has read", () => {
  const NOW = Date.parse('2026-06-01T12:00:00Z');
  const daysAgo = (days: number) => NOW - days * 86_400_000;
  test.each<[Coverage, Tier, string]>([
    [
      { exchanges: 23, toViewer: 2, firstSeenAt: daysAgo(40) },
      'conversational',
      'Rapport has read 23 of their replies, mentions and comments (2 to you); first seen 40 days ago.',
    ],
    [
      { exchanges: 1, toViewer: 0, firstSeenAt: daysAgo(0) },
      'silent-follower',
      'Rapport has read one of their replies, mentions or comments (none to you); first seen today.',
    ],
    [
      { exchanges: 1200, toViewer: 1, firstSeenAt: daysAgo(1) },
      'unanswered',
      'Rapport has read 1,200 of their replies, mentions and comments (1 to you); first seen yesterday.',
    ],
    [
      { exchanges: 1, toViewer: 1, firstSeenAt: daysAgo(2) },
      'unanswered',
      'Rapport has read one of their replies, mentions or comments (to you); first seen 2 days ago.',
    ],
    [
      { exchanges: 4, toViewer: 4 },
      'conversational',
      'Rapport has read 4 of their replies, mentions and comments (all to you).',
    ],
    // Nothing read: a tier that rests on silence says the silence may be Rapport's.
    [
      { exchanges: 0, toViewer: 0, firstSeenAt: daysAgo(3) },
      'silent-follower',
      'Rapport has not read a reply, mention or comment of theirs yet (first seen 3 days ago): their silence may be one Rapport missed.',
    ],
    [
      { exchanges: 0, toViewer: 0 },
      'reaching',
      'Rapport has not read a reply, mention or comment of theirs yet: their silence may be one Rapport missed.',
    ],
    [
      { exchanges: 0, toViewer: 0, firstSeenAt: daysAgo(90) },
      'conversational',
      'Rapport has not read a reply, mention or comment of theirs yet (first seen 3 months ago).',
    ],
  ])('%o as %s', (coverage, tier, text) => {
    expect(coverageText(coverage, tier, NOW)).toBe(text);
  });

  test('only exchanges count, whoever they address', () => {
    const acts = [
      { kind: 'reply', to: 'x:me' },
      { kind: 'mention', to: 'x:bob' },
      { kind: 'comment', to: 'x:me' },
      { kind: 'reaction', to: 'x:me' },
      { kind: 'repost', to: 'x:bob' },
      { kind: 'follow', to: 'x:me' },
    ] as const;
    expect(coverageOf(acts, 'x:me')).toEqual({ exchanges: 3, toViewer: 2 });
    expect(coverageOf(acts, 'x:bob', 5)).toEqual({ exchanges: 3, toViewer: 1, firstSeenAt: 5 });
    expect(coverageOf([], 'x:me')).toEqual({ exchanges: 0, toViewer: 0 });
  });
});

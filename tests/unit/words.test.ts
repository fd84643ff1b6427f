import { describe, expect, test } from 'vitest';
import { summaryText } from '../../src/shared/words.ts';

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

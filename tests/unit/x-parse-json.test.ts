import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { parseXJson, readUser, variablesFromUrl } from '../../src/platforms/x/parse-json.ts';
import { operationFromUrl } from '../../src/platforms/x/operations.ts';
import { evidenceKey } from '../../src/core/keys.ts';
import { FIXTURES } from './helpers/dom.ts';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, 'x-json', name), 'utf8'));
const edges = (obs: Observation[]) =>
  obs.flatMap((o) =>
    o.type === 'interaction' ? [`${o.kind} ${o.from.handle}->${o.to.handle}`] : [],
  );
const count = (obs: Observation[], type: Observation['type']) =>
  obs.filter((o) => o.type === type).length;

describe('both user shapes', () => {
  test('2025: legacy{screen_name, name, following, followed_by}', () => {
    const user = readUser({
      __typename: 'User',
      rest_id: '42',
      legacy: { screen_name: 'Ada_L', name: 'Ada', following: true, followed_by: false },
    });
    expect(user).toEqual({
      account: { platform: 'x', handle: 'ada_l', id: '42', name: 'Ada' },
      viewerFollows: true,
      followsViewer: false,
    });
  });
  test('2026: core{screen_name, name} and relationship_perspectives', () => {
    const user = readUser({
      __typename: 'User',
      rest_id: '42',
      core: { screen_name: 'Ada_L', name: 'Ada' },
      relationship_perspectives: { following: false, followed_by: true },
    });
    expect(user).toEqual({
      account: { platform: 'x', handle: 'ada_l', id: '42', name: 'Ada' },
      viewerFollows: false,
      followsViewer: true,
    });
  });
  test.each(['followers.2025-03.json', 'followers.json'])(
    '%s: every listed user with its id',
    (file) => {
      const obs = parseXJson(load(file));
      expect(count(obs, 'relationship')).toBe(8);
      for (const o of obs) if (o.type === 'relationship') expect(o.account.id).toMatch(/^\d+$/);
    },
  );
});

describe('timelines and conversations', () => {
  test('TweetDetail: conversation modules, replies from in_reply_to_*', () => {
    const obs = parseXJson(load('tweet_details.json'));
    expect(count(obs, 'post')).toBe(10);
    const replies = obs.filter((o) => o.type === 'interaction' && o.kind === 'reply');
    expect(replies).toHaveLength(6);
    const posts = obs.filter((o): o is Extract<Observation, { type: 'post' }> => o.type === 'post');
    expect(posts.filter((p) => p.inReplyTo).length).toBeGreaterThanOrEqual(6);
    for (const p of posts) expect(p.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
  test('UserTweetsAndReplies: reposts are passive, quotes and mentions are exchanges', () => {
    const obs = parseXJson(load('user_tweets_and_replies.json'));
    const kinds = new Set(edges(obs).map((e) => e.split(' ')[0]));
    expect(kinds).toEqual(new Set(['repost', 'reply', 'quote']));
    expect(obs.filter((o) => o.type === 'interaction' && o.kind === 'repost')).toHaveLength(4);
  });
  test('SearchTimeline: typed mentions only, not the automatic reply prefix', () => {
    const obs = parseXJson(load('search.json'));
    expect(count(obs, 'post')).toBe(9);
    expect(edges(obs).filter((e) => e.startsWith('mention'))).toHaveLength(5);
  });
  test('a single user (UserByScreenName)', () => {
    expect(parseXJson(load('user_by_login.json'))).toHaveLength(1);
  });
});

describe('context from the request', () => {
  test("the viewer's own Followers list: every user follows the viewer", () => {
    const viewer = { platform: 'x' as const, handle: 'me', id: '777' };
    const obs = parseXJson(load('following.json'), {
      viewer,
      operation: 'Followers',
      variables: { userId: '777' },
    });
    expect(obs.filter((o) => o.type === 'relationship' && o.followsViewer === true)).toHaveLength(
      8,
    );
    const other = parseXJson(load('following.json'), {
      viewer,
      operation: 'Followers',
      variables: { userId: '999' },
    });
    expect(other.filter((o) => o.type === 'relationship' && o.followsViewer === true)).toHaveLength(
      0,
    );
  });
  test('operation and variables from a GraphQL URL, never the query id', () => {
    const url =
      'https://x.com/i/api/graphql/Q1w2E3r4/TweetDetail?variables=%7B%22focalTweetId%22%3A%221%22%7D&features=%7B%7D';
    expect(operationFromUrl(url)).toBe('TweetDetail');
    expect(variablesFromUrl(url)).toEqual({ focalTweetId: '1' });
    expect(operationFromUrl('https://x.com/i/api/1.1/foo.json')).toBeUndefined();
  });
});

describe('bad input yields nothing and never throws', () => {
  test.each([
    null,
    42,
    'text',
    [],
    {},
    { data: null },
    { data: { user: { result: { __typename: 'UserUnavailable' } } } },
    { errors: [{ message: 'x' }] },
  ])('%j', (input) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(parseXJson(input)).toEqual([]);
    warn.mockRestore();
  });
  test('a tweet without a user or with a bad id is skipped, the rest is read', () => {
    const json = {
      data: {
        tl: {
          instructions: [
            {
              type: 'TimelineAddEntries',
              entries: [
                {
                  content: {
                    itemContent: {
                      tweet_results: { result: { __typename: 'Tweet', rest_id: 'x1', legacy: {} } },
                    },
                  },
                },
                {
                  content: {
                    itemContent: { tweet_results: { result: { __typename: 'TweetTombstone' } } },
                  },
                },
                {
                  content: {
                    itemContent: {
                      tweet_results: {
                        result: {
                          __typename: 'Tweet',
                          rest_id: '5',
                          core: {
                            user_results: {
                              result: {
                                __typename: 'User',
                                rest_id: '1',
                                core: { screen_name: 'ok_user', name: 'Ok' },
                              },
                            },
                          },
                          legacy: { created_at: 'Wed Oct 10 20:19:24 +0000 2018', full_text: 'hi' },
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
    };
    expect(parseXJson(json)).toEqual([
      {
        type: 'post',
        id: '5',
        author: { platform: 'x', handle: 'ok_user', id: '1', name: 'Ok' },
        url: 'https://x.com/ok_user/status/5',
        at: '2018-10-10T20:19:24.000Z',
      },
    ]);
  });
});

describe('DOM and JSON agree', () => {
  test('the same reply seen both ways has one evidence key', () => {
    const fromJson = parseXJson({
      data: {
        tl: {
          instructions: [
            {
              entries: [
                {
                  content: {
                    itemContent: {
                      tweet_results: {
                        result: {
                          __typename: 'Tweet',
                          rest_id: '1229278313422849394',
                          core: {
                            user_results: {
                              result: {
                                __typename: 'User',
                                rest_id: '9',
                                core: { screen_name: 'river_kite', name: 'River Kite' },
                              },
                            },
                          },
                          legacy: {
                            created_at: 'Thu Feb 27 18:03:25 +0000 2025',
                            in_reply_to_screen_name: 'quill_otter',
                            in_reply_to_status_id_str: '1118125313012162860',
                            in_reply_to_user_id_str: '8',
                          },
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
    }).find((o) => o.type === 'interaction');
    const domKey = 'x:1229278313422849394:reply:river_kite:quill_otter';
    expect(fromJson && fromJson.type === 'interaction' ? evidenceKey(fromJson) : '').toBe(domKey);
  });
});

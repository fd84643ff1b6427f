import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { operationFromUrl } from '../../src/platforms/x/operations.ts';
import { parseXJson } from '../../src/platforms/x/parse-json.ts';
import { FIXTURES } from './helpers/dom.ts';

const inbox = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, 'x-json', 'dm_inbox.synthetic.json'), 'utf8')) as Record<
    string,
    unknown
  >;
const messages = (obs: Observation[]) =>
  obs.flatMap((o) =>
    o.type === 'interaction' && o.kind === 'message'
      ? [`${o.from.handle}->${o.to.handle} ${o.sourceId} ${o.at ?? ''}`]
      : [],
  );

describe('direct messages (X REST API)', () => {
  test.each([
    [
      'https://x.com/i/api/1.1/dm/inbox_initial_state.json?nsfw_filtering_enabled=false',
      'DirectMessages',
    ],
    ['https://x.com/i/api/1.1/dm/user_updates.json?cursor=GRwm', 'DirectMessages'],
    ['https://x.com/i/api/1.1/dm/conversation/1000-2001.json?context=FETCH_DM', 'DirectMessages'],
    ['https://x.com/i/api/1.1/dm/inbox_timeline/trusted.json?max_id=1', 'DirectMessages'],
    ['https://x.com/i/api/1.1/dm/new2.json', undefined],
    ['https://x.com/i/api/1.1/dm/conversation/1000-2001/accept.json', undefined],
  ])('%s → %s', (url, operation) => {
    expect(operationFromUrl(url)).toBe(operation);
  });

  test('each message is an exchange from its sender, dated, with its id as evidence', () => {
    expect(messages(parseXJson(inbox()))).toEqual([
      `aiko_t->robin_vale 1850000000000000300 ${new Date(1763200000000).toISOString()}`,
      `robin_vale->dana_w 1850000000000000200 ${new Date(1763100000000).toISOString()}`,
      // A small group: to each other member.
      `gus_m->robin_vale 1850000000000000150 ${new Date(1763050000000).toISOString()}`,
      `gus_m->aiko_t 1850000000000000150 ${new Date(1763050000000).toISOString()}`,
      // A room of seven is not a conversation with each member: nothing.
    ]);
  });

  test('message text is never read into an observation', () => {
    const text = JSON.stringify(parseXJson(inbox()));
    for (const words of ['see you thursday', 'loved your talk', 'lunch?', 'big room'])
      expect(text).not.toContain(words);
  });

  test('with the viewer id from the page, the inbox names the viewer', () => {
    const obs = parseXJson(inbox(), { viewerId: '1000' });
    expect(obs[0]).toEqual({
      type: 'viewer',
      account: { platform: 'x', handle: 'robin_vale', id: '1000', name: 'Robin Vale' },
    });
  });

  test('user_updates and conversation responses have the same body under another key', () => {
    const body = inbox().inbox_initial_state;
    expect(messages(parseXJson({ user_events: body }))).toHaveLength(4);
    expect(messages(parseXJson({ conversation_timeline: body }))).toHaveLength(4);
  });

  test.each([
    { inbox_initial_state: { entries: 'x', users: [], conversations: null } },
    {
      inbox_initial_state: {
        entries: [{ message: { message_data: { id: '1', sender_id: '9' } } }],
      },
    },
    {
      inbox_initial_state: {
        entries: [{ message: { message_data: { id: 'not-digits!', sender_id: '1' } } }],
        users: { '1': { screen_name: 'a' } },
      },
    },
  ])('bad or partial bodies yield nothing: %j', (json) => {
    expect(messages(parseXJson(json))).toEqual([]);
  });
});

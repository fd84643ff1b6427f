import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AccountRef, Observation } from '../../src/core/model.ts';
import { parseLinkedInJson } from '../../src/platforms/linkedin/parse-json.ts';
import { FIXTURES } from './helpers/dom.ts';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, 'linkedin-json', name), 'utf8'));
const interactions = (obs: Observation[]) =>
  obs.filter((o): o is Extract<Observation, { type: 'interaction' }> => o.type === 'interaction');

describe('comments (voyager dash Comment entities)', () => {
  const obs = parseLinkedInJson(load('comments.json'));
  const edges = interactions(obs);
  test('every comment whose target is known is an exchange, dated by createdAt', () => {
    expect(edges).toHaveLength(27);
    for (const e of edges) {
      expect(e.kind).toBe('comment');
      expect(e.sourceId).toMatch(/^\d{19}$/);
      expect(e.at).toMatch(/^2025-04-2\dT/);
      expect(e.url).toContain(`%2C${e.sourceId})`);
      expect(e.from.id).toMatch(/^ACoAA/);
    }
  });
  test('replies answer the comment they reply to; top-level comments the author (who commented too)', () => {
    const author = edges.find((e) => e.to.handle === 'tobias-rook-436')?.to.handle;
    expect(author).toBeDefined();
    const toAuthor = edges.filter((e) => e.to.handle === author).length;
    expect(toAuthor).toBeGreaterThan(10);
    expect(edges.some((e) => e.from.handle === author)).toBe(true);
  });
  test('without the author among the commenters, the post author seen on the page is used', () => {
    const somebody: AccountRef = { platform: 'linkedin', handle: 'page-author' };
    const json = load('comments.json') as Record<string, unknown>[];
    const withoutAuthor = json.map((item) =>
      item.commenter
        ? { ...item, commenter: { ...(item.commenter as object), author: false } }
        : item,
    );
    const bare = interactions(parseLinkedInJson(withoutAuthor));
    const helped = interactions(parseLinkedInJson(withoutAuthor, { authorOf: () => somebody }));
    expect(helped.filter((e) => e.to.handle === 'page-author').length).toBeGreaterThan(10);
    expect(bare.length).toBeLessThan(helped.length);
  });
  test('comment text is never copied', () => {
    const raw = JSON.stringify(load('comments.json'));
    const text = /"commentary":\{[^}]*"text":"([^"]{12,40})/.exec(raw)?.[1] as string;
    expect(text).toBeDefined();
    expect(JSON.stringify(obs)).not.toContain(text);
  });
});

describe('connections (dash Connection + Profile)', () => {
  test('every connection with a public identifier, its name and profile id', () => {
    const obs = parseLinkedInJson(load('connections.json'));
    expect(obs).toHaveLength(12);
    for (const o of obs) {
      expect(o).toMatchObject({ type: 'relationship', connected: true });
      if (o.type === 'relationship') expect(o.account.id).toMatch(/^ACoAA/);
    }
  });
});

describe('shapes without a public capture yet (written after LinkedIn’s documented ones)', () => {
  test('me: the viewer', () => {
    const obs = parseLinkedInJson({
      data: {
        '*miniProfile': 'urn:li:fs_miniProfile:ACoAAme',
        $type: 'com.linkedin.voyager.common.Me',
      },
      included: [
        {
          $type: 'com.linkedin.voyager.identity.shared.MiniProfile',
          entityUrn: 'urn:li:fs_miniProfile:ACoAAme',
          publicIdentifier: 'robin-vale',
          firstName: 'Robin',
          lastName: 'Vale',
        },
      ],
    });
    expect(obs).toEqual([
      {
        type: 'viewer',
        account: { platform: 'linkedin', handle: 'robin-vale', name: 'Robin Vale', id: 'ACoAAme' },
      },
    ]);
  });

  test('feed updates: the post, and "reposted this" as passive', () => {
    const obs = parseLinkedInJson({
      data: {},
      included: [
        {
          $type: 'com.linkedin.voyager.dash.feed.Update',
          metadata: { backendUrn: 'urn:li:activity:7401930806958653440' },
          actor: {
            name: { text: 'Ines Okafor' },
            navigationContext: {
              actionTarget: 'https://www.linkedin.com/in/ines-okafor?miniProfileUrn=x',
            },
          },
          header: {
            text: { text: 'Kofi Marsh reposted this' },
            navigationContext: { actionTarget: 'https://www.linkedin.com/in/kofi-marsh' },
          },
          commentary: { text: { text: 'Private words of the post' } },
        },
      ],
    });
    expect(obs).toEqual([
      {
        type: 'post',
        id: '7401930806958653440',
        author: { platform: 'linkedin', handle: 'ines-okafor', name: 'Ines Okafor' },
        url: 'https://www.linkedin.com/feed/update/urn:li:activity:7401930806958653440/',
        at: '2025-12-03T10:30:25.603Z',
      },
      {
        type: 'interaction',
        kind: 'repost',
        from: { platform: 'linkedin', handle: 'kofi-marsh' },
        to: { platform: 'linkedin', handle: 'ines-okafor', name: 'Ines Okafor' },
        sourceId: '7401930806958653440',
        url: 'https://www.linkedin.com/feed/update/urn:li:activity:7401930806958653440/',
      },
    ]);
  });

  const participant = (slug: string, first: string, id: string) => ({
    _type: 'com.linkedin.messenger.MessagingParticipant',
    hostIdentityUrn: `urn:li:fsd_profile:${id}`,
    participantType: {
      member: {
        profileUrl: `https://www.linkedin.com/in/${slug}`,
        firstName: { text: first },
        lastName: { text: 'Demo' },
      },
    },
  });
  const robin = participant('robin-vale', 'Robin', 'ACoAArobin');
  const ines = participant('ines-okafor', 'Ines', 'ACoAAines');
  const messenger = {
    data: {
      messengerConversationsBySyncToken: {
        elements: [
          {
            _type: 'com.linkedin.messenger.Conversation',
            entityUrn: 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAArobin,2-AbC==)',
            lastActivityAt: 1763200000000,
            conversationParticipants: [robin, ines],
            messages: {
              elements: [
                {
                  _type: 'com.linkedin.messenger.Message',
                  entityUrn: 'urn:li:msg_message:(urn:li:fsd_profile:ACoAArobin,2-MTc2Mz==)',
                  deliveredAt: 1763200000000,
                  sender: ines,
                  body: { text: 'see you thursday' },
                  conversation: {
                    entityUrn: 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAArobin,2-AbC==)',
                  },
                },
              ],
            },
          },
        ],
      },
    },
  };
  test('messages: an exchange from the sender to the other participant; the text is never read', () => {
    const obs = parseLinkedInJson(messenger);
    expect(interactions(obs).map((e) => [e.kind, e.from.handle, e.to.handle, e.at])).toEqual([
      ['message', 'ines-okafor', 'robin-vale', new Date(1763200000000).toISOString()],
    ]);
    expect(interactions(obs)[0]?.sourceId).toMatch(/^m[a-z0-9]+$/);
    expect(JSON.stringify(obs)).not.toContain('thursday');
    // The same message read twice is the same evidence.
    expect(interactions(parseLinkedInJson(messenger))[0]?.sourceId).toBe(
      interactions(obs)[0]?.sourceId,
    );
  });

  test.each([
    null,
    3,
    'x',
    [],
    {},
    { included: 'x' },
    { data: { '*miniProfile': 5 }, included: [{}] },
    [{ $type: 'com.linkedin.voyager.dash.social.Comment', entityUrn: 'bad' }],
  ])('bad input %j yields nothing and never throws', (input) => {
    expect(parseLinkedInJson(input)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, test } from 'vitest';
import { evidenceKey } from '../../src/core/keys.ts';
import type { Observation } from '../../src/core/model.ts';
import { parseDocument } from '../../src/platforms/adapter.ts';
import { xAdapter } from '../../src/platforms/x/index.ts';
import { parseXJson } from '../../src/platforms/x/parse-json.ts';
import { FIXTURES } from './helpers/dom.ts';

const viewer = { platform: 'x' as const, handle: 'robin_vale', id: '1000' };
const load = (name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, 'x-json', name), 'utf8'));
const described = (obs: Observation[]) =>
  obs.flatMap((o) =>
    o.type === 'interaction'
      ? [`${o.kind} ${o.from.handle}->${o.to.handle} ${o.sourceId}`]
      : o.type === 'relationship' && o.followsViewer
        ? [`follows ${o.account.handle}`]
        : o.type === 'viewer'
          ? [`viewer ${o.account.handle}`]
          : [],
  );

describe('NotificationsTimeline (JSON)', () => {
  const obs = parseXJson(load('notifications.synthetic.json'), {
    operation: 'NotificationsTimeline',
    viewer,
  });
  test('likes and reposts of the viewer’s post are passive, from each user named', () => {
    expect(described(obs)).toEqual(
      expect.arrayContaining([
        'reaction aiko_t->robin_vale 1850000000000000001',
        'reaction hana_l->robin_vale 1850000000000000001',
        'repost bram_dw->robin_vale 1850000000000000001',
      ]),
    );
  });
  test('"followed you" says they follow the viewer; other notifications say nothing', () => {
    expect(described(obs)).toContain('follows hana_l');
    expect(described(obs).filter((d) => d.includes('aiko_t') && !d.startsWith('reaction'))).toEqual(
      // Aiko's own flags (followed_by) come from the user object, not from the bird_icon item.
      ['follows aiko_t'],
    );
  });
  test('replies and mentions come as posts: an inbound exchange', () => {
    expect(described(obs)).toContain('reply gus_m->robin_vale 1850000000000000009');
  });
  test('dated from the notification', () => {
    const like = obs.find((o) => o.type === 'interaction' && o.kind === 'reaction');
    expect(like && 'at' in like ? like.at : undefined).toBe(new Date(1763110000000).toISOString());
  });
  test('the response is about the viewer: it names them when their handle is there', () => {
    // viewer_v2 holds only the viewer's id here, not a handle: nothing is claimed.
    expect(obs.some((o) => o.type === 'viewer')).toBe(false);
  });
});

/** A notification cell as X draws it: icon, avatars (testid ends with the handle), sentence. */
function cell(sentence: string, handles: string[], status?: string): string {
  const avatars = handles
    .map(
      (h) =>
        `<div data-testid="UserAvatar-Container-${h}"><a href="/${h}" role="link" tabindex="-1"><img alt="" src="https://pbs.twimg.com/a.jpg"></a></div>`,
    )
    .join('');
  const post = status
    ? `<div><a href="${status}" role="link"><span>A post of mine about slow mornings.</span></a></div>`
    : '<div><span>A post of mine about slow mornings.</span></div>';
  return `<div data-testid="cellInnerDiv"><article data-testid="notification" role="article" tabindex="0"><div><div><svg viewBox="0 0 24 24"><path d="M0"></path></svg></div><div><div>${avatars}</div><div><span><a href="/${handles[0]}"><span>Someone</span></a>${sentence}</span></div>${post}</div></div></article></div>`;
}

function notificationsPage(cells: string[]): Document {
  const window = new Window({ url: 'https://x.com/notifications' });
  window.document.body.innerHTML = `<a data-testid="AppTabBar_Profile_Link" href="/robin_vale">Profile</a><main role="main">${cells.join('')}</main>`;
  return window.document as unknown as Document;
}

describe('notification cells (DOM)', () => {
  test.each([
    [' followed you', ['hana_l'], undefined, ['follows hana_l']],
    [
      ' and 1 other followed you',
      ['hana_l', 'bram_dw'],
      undefined,
      ['follows hana_l', 'follows bram_dw'],
    ],
    [
      ' and Hana L liked your post',
      ['aiko_t', 'hana_l'],
      '/robin_vale/status/1850000000000000001',
      [
        'reaction aiko_t->robin_vale 1850000000000000001',
        'reaction hana_l->robin_vale 1850000000000000001',
      ],
    ],
    [
      ' reposted your post',
      ['bram_dw'],
      '/robin_vale/status/1850000000000000001',
      ['repost bram_dw->robin_vale 1850000000000000001'],
    ],
    // Without a link to the post there is no evidence to keep: the JSON response carries it.
    [' liked your post', ['aiko_t'], undefined, []],
    [' has a new post', ['aiko_t'], '/aiko_t/status/1850000000000000005', []],
  ])('"Someone%s" %j', (sentence, handles, status, expected) => {
    const doc = notificationsPage([cell(sentence, handles, status)]);
    const obs = parseDocument(xAdapter, doc, new URL('https://x.com/notifications'));
    expect(described(obs).filter((d) => !d.startsWith('viewer'))).toEqual(expected);
  });
  test('DOM and JSON agree: the same like is the same evidence', () => {
    const doc = notificationsPage([
      cell(
        ' and Hana L liked your post',
        ['aiko_t', 'hana_l'],
        '/robin_vale/status/1850000000000000001',
      ),
    ]);
    const dom = parseDocument(xAdapter, doc, new URL('https://x.com/notifications'));
    const json = parseXJson(load('notifications.synthetic.json'), { viewer });
    const keys = (obs: Observation[]) =>
      obs.flatMap((o) =>
        o.type === 'interaction' && o.kind === 'reaction' ? [evidenceKey(o)] : [],
      );
    expect(keys(dom).sort()).toEqual(keys(json).sort());
  });
});

test('a badge after each name in the sentence, none on the avatars', () => {
  const doc = notificationsPage([
    cell(
      ' and Hana L liked your post',
      ['aiko_t', 'hana_l'],
      '/robin_vale/status/1850000000000000001',
    ),
  ]);
  const unit = doc.querySelector('article') as Element;
  const targets = xAdapter.badgeTargets(unit);
  expect(targets.map((t) => t.account.handle)).toEqual(['aiko_t']);
  expect(targets[0]?.anchor.closest('[data-testid^="UserAvatar-Container-"]')).toBeNull();
});

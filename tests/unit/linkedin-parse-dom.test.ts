import { Window } from 'happy-dom';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { linkedinDemoPages, LINKEDIN_VIEWER } from '../../src/demo/linkedin-story.ts';
import { parseDocument } from '../../src/platforms/adapter.ts';
import { linkedinAdapter } from '../../src/platforms/linkedin/index.ts';
import {
  embeddedLinkedInResponses,
  findLinkedInViewer,
  notificationTarget,
  viewerFromCodeBlocks,
} from '../../src/platforms/linkedin/parse-dom.ts';
import { FIXTURES, loadPage } from './helpers/dom.ts';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const describeObs = (obs: Observation[]) =>
  obs.map((o) =>
    o.type === 'interaction'
      ? `${o.kind} ${o.from.handle}->${o.to.handle}`
      : o.type === 'relationship'
        ? `${o.account.handle}${o.followsViewer ? ' follows you' : ''}${o.connected ? ' connected' : ''}`
        : o.type === 'post'
          ? `post by ${o.author.handle}`
          : `viewer ${o.account.handle}`,
  );

function demoDoc(url: string): Document {
  const html = linkedinDemoPages(NOW)[url] as string;
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true } });
  window.document.write(html);
  return window.document as unknown as Document;
}
const parseDemo = (url: string) => parseDocument(linkedinAdapter, demoDoc(url), new URL(url));
const text = (el: Element) => el.textContent?.replace(/\s+/g, ' ').trim();
/** A demo page as the demo's viewer sees it: what the notification cards' parse needs. */
const viewersPage = (doc: Document) => ({
  url: new URL(doc.URL),
  viewer: { platform: 'linkedin' as const, handle: LINKEDIN_VIEWER.slug },
});

describe('saved LinkedIn pages', () => {
  const url = 'https://www.linkedin.com/in/river_kite/recent-activity/all/';
  const obs = parseDocument(
    linkedinAdapter,
    loadPage(join(FIXTURES, 'linkedin', 'recent-activity.html'), url),
    new URL(url),
  );
  test('each post with its author, id, profile id and time (decoded from the activity id)', () => {
    const posts = obs.filter((o): o is Extract<Observation, { type: 'post' }> => o.type === 'post');
    expect(posts).toHaveLength(4);
    expect(posts[0]).toEqual({
      type: 'post',
      id: '7401930806958653440',
      author: {
        platform: 'linkedin',
        handle: 'river_kite',
        name: 'River Kite',
        id: 'ACoAA2521549615Fake0',
      },
      url: 'https://www.linkedin.com/feed/update/urn:li:activity:7401930806958653440/',
      at: '2025-12-03T10:30:25.603Z',
    });
  });
  test('"<Name> reposted this" is a passive signal to the author; people linked in a post are mentioned', () => {
    expect(describeObs(obs).filter((d) => !d.startsWith('post'))).toEqual([
      'mention moss_lantern->quill_otter',
      'mention moss_lantern->river_kite',
      'repost river_kite->moss_lantern',
    ]);
  });
  test('company links are not people', () => {
    expect(JSON.stringify(obs)).not.toContain('/company/');
  });
  test('the notifications page: cards about other people say nothing about the viewer', () => {
    const page = 'https://www.linkedin.com/notifications/';
    const doc = loadPage(join(FIXTURES, 'linkedin', 'notifications.html'), page);
    const found = parseDocument(linkedinAdapter, doc, new URL(page));
    // Job alerts, a suggested post, an event, a comment on someone else's post, a hiring note.
    expect(found).toEqual([]);
    expect(doc.querySelectorAll('article').length).toBe(6);
  });
  test('the notifications page: a badge after the name of each card’s person the sentence shows', () => {
    const page = 'https://www.linkedin.com/notifications/';
    const doc = loadPage(join(FIXTURES, 'linkedin', 'notifications.html'), page);
    const targets = [...doc.querySelectorAll('article')].map((card) =>
      linkedinAdapter.badgeTargets(card).map((t) => [t.account.handle, text(t.anchor)]),
    );
    expect(targets).toEqual([
      // A job alert's picture is of companies.
      [],
      // A suggested post: the person (Quill Otter) is not named in the sentence.
      [],
      // A company's event.
      [],
      [['fern-harbor', 'Fern Harbor']],
      [],
      // "<Name>'s connection is hiring": the picture is of <Name>.
      [['cobalt-wren', 'Juniper Bay']],
    ]);
  });
});

describe('the LinkedIn demo pages (comments, lists, navigation)', () => {
  test('the viewer from the identity module, named by the Me menu', () => {
    expect(findLinkedInViewer(demoDoc('https://www.linkedin.com/feed/'))).toEqual({
      platform: 'linkedin',
      handle: 'robin-vale',
      name: 'Robin Vale',
    });
  });
  test('comments answer the post author; a reply answers the comment it is nested in', () => {
    expect(describeObs(parseDemo('https://www.linkedin.com/feed/'))).toEqual([
      'viewer robin-vale',
      'post by robin-vale',
      'comment ines-okafor->robin-vale',
      'comment robin-vale->ines-okafor',
      'comment lena-falk->robin-vale',
      'post by arjun-rook',
      'comment robin-vale->arjun-rook',
      'post by mira-castell',
      'post by ines-okafor',
    ]);
  });
  test('notification cards: comments and reactions on your post, follows, accepted invitations', () => {
    expect(describeObs(parseDemo('https://www.linkedin.com/notifications/'))).toEqual([
      'viewer robin-vale',
      'reaction sofia-thorne->robin-vale',
      'comment ines-okafor->robin-vale',
      'kofi-marsh connected',
      'emeka-hollis follows you',
    ]);
  });
  test('notification cards name their person (the picture link’s label), and the badge follows the name', () => {
    const doc = demoDoc('https://www.linkedin.com/notifications/');
    const cards = [...doc.querySelectorAll('article')];
    const people = cards.flatMap((card) => linkedinAdapter.parseUnit(card, viewersPage(doc)));
    expect(
      people.map((o) =>
        o.type === 'interaction' ? o.from.name : o.type === 'relationship' ? o.account.name : '',
      ),
    ).toEqual(['Sofia Thorne', 'Ines Okafor', 'Kofi Marsh', 'Emeka Hollis']);
    expect(
      cards.flatMap((card) =>
        linkedinAdapter
          .badgeTargets(card)
          .map((t) => `${t.account.handle} after ${t.anchor.localName} ${text(t.anchor)}`),
      ),
    ).toEqual([
      'sofia-thorne after strong Sofia Thorne',
      'ines-okafor after strong Ines Okafor',
      'kofi-marsh after strong Kofi Marsh',
      'emeka-hollis after strong Emeka Hollis',
    ]);
  });
  test('a notification card’s name is one its sentence shows: an icon’s alt in the picture is not taken for it', () => {
    const doc = demoDoc('https://www.linkedin.com/notifications/');
    const card = doc.querySelector('article') as Element;
    const picture = card.querySelector('a[data-view-name="notification-card-image"]') as Element;
    const read = () => {
      const [obs] = linkedinAdapter.parseUnit(card, viewersPage(doc));
      const targets = linkedinAdapter.badgeTargets(card);
      return {
        name: obs?.type === 'interaction' ? obs.from.name : undefined,
        badge: targets.map((t) => `${t.account.handle} after ${text(t.anchor)}`),
      };
    };
    const img = (alt: string) => {
      const el = doc.createElement('img');
      el.setAttribute('alt', alt);
      return el;
    };
    // A reaction icon before the photo, the label still there.
    picture.prepend(img('like'));
    expect(read()).toEqual({ name: 'Sofia Thorne', badge: ['sofia-thorne after Sofia Thorne'] });
    // No label: the photo's alt, because the sentence shows it.
    picture.removeAttribute('aria-label');
    picture.append(img('Sofia Thorne'));
    expect(read()).toEqual({ name: 'Sofia Thorne', badge: ['sofia-thorne after Sofia Thorne'] });
    // No label and only the icon: no name, and no badge on a guess.
    picture.lastElementChild?.remove();
    expect(read()).toEqual({ name: undefined, badge: [] });
  });
  test('DOM agrees with itself: the comment card and the comment are one piece of evidence', () => {
    const feed = parseDemo('https://www.linkedin.com/feed/');
    const cards = parseDemo('https://www.linkedin.com/notifications/');
    const id = (obs: Observation[]) =>
      obs.find(
        (o) => o.type === 'interaction' && o.kind === 'comment' && o.from.handle === 'ines-okafor',
      );
    expect(id(cards)).toMatchObject({ sourceId: (id(feed) as { sourceId: string }).sourceId });
  });
  test('connections are connected, followers follow the viewer', () => {
    expect(
      describeObs(parseDemo('https://www.linkedin.com/mynetwork/invite-connect/connections/')),
    ).toEqual(['viewer robin-vale', 'ines-okafor connected', 'kofi-marsh connected']);
    expect(
      describeObs(
        parseDemo('https://www.linkedin.com/mynetwork/network-manager/people-follow/followers/'),
      ),
    ).toEqual(['viewer robin-vale', 'emeka-hollis follows you', 'lena-falk follows you']);
  });
  test('badges go after the author’s and every commenter’s name', () => {
    const doc = demoDoc('https://www.linkedin.com/feed/');
    const post = doc.querySelector('[data-urn]') as Element;
    const targets = linkedinAdapter.badgeTargets(post);
    expect(targets.map((t) => [t.account.handle, t.anchor.textContent])).toEqual([
      ['robin-vale', 'Robin ValeRobin Vale'],
      ['ines-okafor', 'Ines Okafor'],
      ['robin-vale', 'Robin Vale'],
      ['lena-falk', 'Lena Falk'],
    ]);
  });
  test('a post is read again when more comments load', () => {
    const doc = demoDoc('https://www.linkedin.com/feed/');
    const post = doc.querySelectorAll('[data-urn]')[2] as Element;
    const before = linkedinAdapter.unitFingerprint(post);
    const list = post.querySelector('.feed-shared-update-v2__comments-container') as Element;
    const copy = doc.querySelector('article[data-id]')?.cloneNode(true) as Element;
    list.append(copy);
    expect(linkedinAdapter.unitFingerprint(post, copy)).not.toBe(before);
    // Anything else added inside the post (a counter, an image) changes nothing.
    const counter = doc.createElement('span');
    list.append(counter);
    const after = linkedinAdapter.unitFingerprint(post, copy);
    expect(linkedinAdapter.unitFingerprint(post, counter)).toBe(after);
    expect(linkedinAdapter.unitFingerprint(post)).toBe(after);
    // A comments list added whole, with its comments inside, counts too.
    const section = doc.createElement('div');
    section.append(copy.cloneNode(true));
    list.append(section);
    expect(linkedinAdapter.unitFingerprint(post, section)).not.toBe(after);
  });
  test('a comment whose replies are drawn before its own name and text is still read as its own', () => {
    const url = 'https://www.linkedin.com/feed/';
    const expected = describeObs(parseDemo(url));
    const doc = demoDoc(url);
    const replies = [...doc.querySelectorAll('.comments-replies-list')];
    expect(replies.length).toBeGreaterThan(0);
    for (const list of replies) list.parentElement?.prepend(list);
    expect(describeObs(parseDocument(linkedinAdapter, doc, new URL(url)))).toEqual(expected);
    const post = doc.querySelector('[data-urn]') as Element;
    expect(linkedinAdapter.badgeTargets(post).map((t) => t.account.handle)).toEqual([
      'robin-vale',
      'ines-okafor',
      'robin-vale',
      'lena-falk',
    ]);
  });
});

describe('notification links', () => {
  test.each([
    ['/feed/update/urn:li:activity:7400000000000000001/', { postId: '7400000000000000001' }],
    [
      '/feed/?highlightedUpdateUrn=urn%3Ali%3Aactivity%3A7400000000000000002&highlightedUpdateType=COMMENTS_BY_YOUR_NETWORK',
      { postId: '7400000000000000002' },
    ],
    [
      '/feed/update/urn:li:activity:7320724072932298753?commentUrn=urn%3Ali%3Acomment%3A%28activity%3A7320724072932298753%2C7320750839340441600%29&replyUrn=urn%3Ali%3Acomment%3A%28activity%3A7320724072932298753%2C7320752695852638208%29',
      { postId: '7320724072932298753', commentId: '7320752695852638208' },
    ],
    ['/jobs/search-results/?keywords=x', {}],
    ['%E0%A4%A', {}],
  ])('%s → %j', (href, target) => {
    expect(notificationTarget(href)).toEqual(target);
  });
});

describe('the viewer from the data LinkedIn embeds in the page', () => {
  function withCode(request: string, body: unknown): Document {
    const window = new Window({ url: 'https://www.linkedin.com/feed/' });
    const doc = window.document;
    const data = doc.createElement('code');
    data.id = 'bpr-guid-1';
    data.textContent = JSON.stringify(body);
    const meta = doc.createElement('code');
    meta.id = 'datalet-bpr-guid-1';
    meta.textContent = JSON.stringify({ request, status: 200, body: 'bpr-guid-1', method: 'GET' });
    doc.body.append(data, meta);
    return doc as unknown as Document;
  }
  const me = {
    data: {
      '*miniProfile': 'urn:li:fs_miniProfile:ACoAADemo',
      plainId: 1,
      $type: 'com.linkedin.voyager.common.Me',
    },
    included: [
      {
        $type: 'com.linkedin.voyager.identity.shared.MiniProfile',
        entityUrn: 'urn:li:fs_miniProfile:ACoAADemo',
        publicIdentifier: 'Robin-Vale',
        firstName: 'Robin',
        lastName: 'Vale',
      },
    ],
  };
  test('the /voyager/api/me response', () => {
    expect(viewerFromCodeBlocks(withCode('/voyager/api/me', me))).toEqual({
      platform: 'linkedin',
      handle: 'robin-vale',
      name: 'Robin Vale',
      id: 'ACoAADemo',
    });
    expect(findLinkedInViewer(withCode('/voyager/api/me', me))?.handle).toBe(LINKEDIN_VIEWER.slug);
  });
  test.each([
    ['another request', '/voyager/api/feed/updates', me],
    ['a body that is not JSON', '/voyager/api/me', '{"data":'],
  ])('%s: no viewer', (_why, request, body) => {
    expect(viewerFromCodeBlocks(withCode(request, body))).toBeUndefined();
  });
});

describe('first-load data embedded in the page', () => {
  test('the responses Rapport reads are found by their request, and parse like captured ones', () => {
    const window = new Window({ url: 'https://www.linkedin.com/feed/' });
    const doc = window.document;
    const comments = readFileSync(join(FIXTURES, 'linkedin-json', 'comments.json'), 'utf8');
    const add = (id: string, request: string, body: string) => {
      const data = doc.createElement('code');
      data.id = id;
      data.textContent = body;
      const meta = doc.createElement('code');
      meta.id = `datalet-${id}`;
      meta.textContent = JSON.stringify({ request, status: 200, body: id, method: 'GET' });
      doc.body.append(data, meta);
    };
    add(
      'bpr-guid-1',
      '/voyager/api/graphql?queryId=voyagerSocialDashComments.abc&variables=()',
      comments,
    );
    add('bpr-guid-2', '/voyager/api/graphql?queryId=voyagerJobsDashJobCards.1', '{"data":{}}');
    add('bpr-guid-3', '/voyager/api/graphql?queryId=voyagerFeedDashMainFeed.1', '');
    const found = embeddedLinkedInResponses(doc as unknown as Document);
    expect(found.map((r) => [r.operation, r.url.slice(0, 40)])).toEqual([
      ['Comments', 'https://www.linkedin.com/voyager/api/gra'],
    ]);
    const obs = linkedinAdapter.parseResponse?.(
      'Comments',
      found[0]?.url ?? '',
      JSON.parse(found[0]?.body ?? 'null'),
      { url: new URL('https://www.linkedin.com/feed/') },
    );
    expect(obs?.filter((o) => o.type === 'interaction')).toHaveLength(27);
  });
});

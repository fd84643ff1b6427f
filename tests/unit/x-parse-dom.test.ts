import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { parseDocument } from '../../src/platforms/adapter.ts';
import { xAdapter } from '../../src/platforms/x/index.ts';
import { FIXTURES, loadPage } from './helpers/dom.ts';

function parse(file: string, url: string): Observation[] {
  return parseDocument(xAdapter, loadPage(join(FIXTURES, 'x', file), url), new URL(url));
}

/** `kind from->to sourceId` lines: what a reader checks by eye. */
function edges(observations: Observation[]): string[] {
  return observations.flatMap((o) =>
    o.type === 'interaction' ? [`${o.kind} ${o.from.handle}->${o.to.handle} ${o.sourceId}`] : [],
  );
}

function posts(observations: Observation[]) {
  return observations.flatMap((o) => (o.type === 'post' ? [o] : []));
}

describe('home timeline with replies', () => {
  const obs = parse('home-timeline.html', 'https://x.com/home');

  test('every post, with id, author, name, time and permalink', () => {
    expect(posts(obs)).toHaveLength(8);
    expect(posts(obs)[0]).toEqual({
      type: 'post',
      id: '1986724581852041511',
      author: { platform: 'x', handle: 'river_kite', name: 'River Kite' },
      at: '2025-02-27T13:59:04.000Z',
      url: 'https://x.com/river_kite/status/1986724581852041511',
    });
  });

  test('replies from the thread line, mentions from the text, quotes from the quoted post', () => {
    expect(edges(obs)).toEqual([
      'quote river_kite->moss_lantern 1408067613789897945',
      'reply river_kite->quill_otter 1229278313422849394',
      'mention river_kite->fern_harbor 1229278313422849394',
      'quote cobalt_wren->amber_finch 1478433109289973207',
      'reply juniper_bay->cobalt_wren 1102026037950904572',
      'reply river_kite->juniper_bay 1374582309022009146',
      'quote river_kite->cobalt_wren 1193625190565556133',
    ]);
    const reply = posts(obs).find((p) => p.id === '1229278313422849394');
    expect(reply?.inReplyTo).toBe('1118125313012162860');
  });

  test('no viewer on a fragment without navigation', () => {
    expect(obs.some((o) => o.type === 'viewer')).toBe(false);
  });
});

describe('conversation page', () => {
  const focal = 'https://x.com/moss_lantern/status/1370088515168366275';
  const obs = parse('conversation.html', focal);
  test('the focal post answers the row above; rows below answer the focal post', () => {
    expect(edges(obs)).toEqual([
      'reply moss_lantern->river_kite 1370088515168366275',
      'reply river_kite->moss_lantern 1320103139340923476',
    ]);
    expect(posts(obs).map((p) => p.inReplyTo)).toEqual([
      undefined,
      '1157048267739098718',
      '1370088515168366275',
    ]);
  });
  test('on another URL the rows below are not tied to a focal post', () => {
    expect(edges(parse('conversation.html', 'https://x.com/home'))).toEqual([
      'reply moss_lantern->river_kite 1370088515168366275',
    ]);
  });
});

describe('profile with replies', () => {
  const obs = parse('profile-with-replies.html', 'https://x.com/moss_lantern/with_replies');
  test('linked "Replying to @handle" and thread lines', () => {
    expect(edges(obs)).toEqual([
      'mention river_kite->moss_lantern 1869624722219734870',
      'reply moss_lantern->river_kite 1283427859629070868',
      'reply moss_lantern->river_kite 1283754136214692521',
      'reply moss_lantern->river_kite 1273680230113560535',
      'reply moss_lantern->river_kite 1713551032301948576',
    ]);
  });
  test('a tombstone ("This post is unavailable") yields nothing', () => {
    expect(posts(obs)).toHaveLength(7);
  });
});

describe('logged-in status page', () => {
  const obs = parse('status-article.html', 'https://x.com/river_kite/status/1395692578918289605');
  test('the viewer from the account menu', () => {
    expect(obs[0]).toEqual({
      type: 'viewer',
      account: { platform: 'x', handle: 'moss_lantern', name: 'Moss Lantern' },
    });
  });
  test('"Follows you" in a UserCell, with the id from the follow button', () => {
    expect(obs.find((o) => o.type === 'relationship')).toEqual({
      type: 'relationship',
      account: {
        platform: 'x',
        handle: 'river_kite',
        name: 'Fern Harbor',
        id: '1329173184336341678',
      },
      followsViewer: true,
      viewerFollows: false,
    });
  });
});

describe('single posts', () => {
  test('quoted post → quote to its author (no link in the quote)', () => {
    expect(edges(parse('post-with-quote.html', 'https://x.com/home'))).toEqual([
      'quote river_kite->moss_lantern 1110396982242295118',
    ]);
  });
  test('a post with no text of its own still quotes: the first text on it is the quoted one', () => {
    const url = 'https://x.com/home';
    const doc = loadPage(join(FIXTURES, 'x', 'post-with-quote.html'), url);
    const texts = doc.querySelectorAll('[data-testid="tweetText"]');
    expect(texts).toHaveLength(2);
    texts[0]?.remove();
    expect(edges(parseDocument(xAdapter, doc, new URL(url)))).toEqual([
      'quote river_kite->moss_lantern 1110396982242295118',
    ]);
  });
  test('a plain post → one post, no edges', () => {
    const obs = parse('post-sample.html', 'https://x.com/home');
    expect(posts(obs)).toHaveLength(1);
    expect(edges(obs)).toEqual([]);
  });
});

describe('badge targets', () => {
  test('after the author name link of every post, and the quoted author', () => {
    const doc = loadPage(join(FIXTURES, 'x', 'home-timeline.html'));
    const targets = [...doc.querySelectorAll('article[data-testid="tweet"]')].flatMap((a) =>
      xAdapter.badgeTargets(a),
    );
    expect(targets.filter((t) => t.anchor.tagName === 'A')).toHaveLength(8);
    expect(targets).toHaveLength(11);
    for (const t of targets.filter((t) => t.anchor.tagName === 'A')) {
      expect(t.anchor.getAttribute('href')?.toLowerCase()).toBe(`/${t.account.handle}`);
    }
  });
});

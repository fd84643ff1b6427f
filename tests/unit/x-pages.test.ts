import { describe, expect, test } from 'vitest';
import {
  handleFromHref,
  statusFromHref,
  xPageKind,
  X_PAGE_KINDS,
  type XPageKind,
} from '../../src/platforms/x/pages.ts';

const CASES: Array<[string, XPageKind]> = [
  ['https://x.com/', 'home'],
  ['https://x.com/home', 'home'],
  ['https://x.com/alice/status/1881841967291928947', 'status'],
  ['https://x.com/alice/status/1881841967291928947/photo/1', 'status'],
  ['https://x.com/Alice', 'profile'],
  ['https://x.com/alice/with_replies', 'profile-with-replies'],
  ['https://x.com/alice/followers', 'followers'],
  ['https://x.com/alice/verified_followers', 'verified-followers'],
  ['https://x.com/alice/following', 'following'],
  ['https://x.com/notifications', 'notifications'],
  ['https://x.com/notifications/mentions', 'mentions'],
  ['https://x.com/search?q=rapport&src=typed_query', 'search'],
  ['https://x.com/messages', 'messages'],
  ['https://x.com/messages/123-456', 'messages'],
  ['https://x.com/i/chat/123', 'messages'],
  ['https://x.com/settings/account', 'other'],
  ['https://x.com/explore', 'other'],
  ['https://x.com/i/bookmarks', 'other'],
  ['https://x.com/alice/likes', 'other'],
  ['https://x.com/alice/status/notanumber', 'other'],
];

describe('xPageKind', () => {
  test.each(CASES)('%s → %s', (url, kind) => expect(xPageKind(new URL(url))).toBe(kind));

  test.each(X_PAGE_KINDS.filter((k) => k !== 'other'))(
    'detector %s is true only on its own URLs',
    (kind) => {
      const own = CASES.filter(([, k]) => k === kind);
      expect(own.length).toBeGreaterThan(0);
      for (const [url, k] of CASES) expect(xPageKind(new URL(url)) === kind).toBe(k === kind);
    },
  );
});

describe('links', () => {
  test.each([
    ['/Alice', 'alice'],
    ['https://x.com/bob_1', 'bob_1'],
    ['https://twitter.com/carol/', 'carol'],
    ['/i/communities/123', undefined],
    ['/home', undefined],
    ['/alice/status/1', undefined],
    ['https://example.com/alice', undefined],
    [null, undefined],
  ])('handleFromHref(%j) = %j', (href, handle) => expect(handleFromHref(href)).toBe(handle));

  test.each([
    ['/Alice/status/123', { handle: 'alice', id: '123' }],
    ['/alice/status/123/analytics', { handle: 'alice', id: '123' }],
    ['https://x.com/alice/status/9?s=20', { handle: 'alice', id: '9' }],
    ['/i/status/123', undefined],
    ['/alice', undefined],
  ])('statusFromHref(%j)', (href, status) => expect(statusFromHref(href)).toEqual(status));
});

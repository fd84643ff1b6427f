import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { acceptRequest, handleRequest, type SenderInfo } from '../../src/background/router.ts';
import { openRapportDB } from '../../src/store/schema.ts';
import { DEFAULT_SETTINGS, TIERS } from '../../src/core/model.ts';

const OWN = 'abcdefghijklmnopabcdefghijklmnop';
const tab = { id: 1 };
const valid = {
  type: 'ingest',
  batchId: 'b-1',
  viewer: { platform: 'x', handle: 'me' },
  page: { platform: 'x', kind: 'home', url: 'https://x.com/home' },
  seenAt: 1_700_000_000_000,
  observations: [
    {
      type: 'interaction',
      kind: 'reply',
      from: { platform: 'x', handle: 'a' },
      to: { platform: 'x', handle: 'me' },
      sourceId: '1',
      at: '2026-01-01T00:00:00.000Z',
    },
  ],
};

describe('acceptRequest', () => {
  test('a valid batch from our content script is accepted', () => {
    expect(acceptRequest(valid, { id: OWN, tab }, OWN)).toMatchObject({
      type: 'ingest',
      batchId: 'b-1',
    });
  });

  test.each<[string, unknown, { id?: string; tab?: unknown }, RegExp]>([
    ['a foreign extension', valid, { id: 'someone-else', tab }, /foreign sender/],
    ['no tab (not a content script)', valid, { id: OWN }, /not from a content script/],
    ['unknown type', { ...valid, type: 'wipe' }, { id: OWN, tab }, /type/],
    ['missing field', { ...valid, page: undefined }, { id: OWN, tab }, /page/],
    [
      'upper-case handle',
      { ...valid, viewer: { platform: 'x', handle: 'Me' } },
      { id: OWN, tab },
      /lower-case/,
    ],
    ['extra key', { ...valid, extra: 1 }, { id: OWN, tab }, /extra/],
    [
      'prototype key',
      JSON.parse('{"type":"lookup","viewer":"x:me","accounts":[],"__proto__":{"polluted":true}}'),
      { id: OWN, tab },
      /__proto__/,
    ],
    [
      'huge batch',
      { ...valid, observations: Array.from({ length: 1001 }, () => valid.observations[0]) },
      { id: OWN, tab },
      /observations/,
    ],
    [
      'javascript: url',
      { ...valid, page: { ...valid.page, url: 'javascript:alert(1)' } },
      { id: OWN, tab },
      /https/,
    ],
    [
      'an observation of no known type',
      { ...valid, observations: [{ ...valid.observations[0], type: 'like' }] },
      { id: OWN, tab },
      /observations.*type/s,
    ],
    [
      'an interaction without its source',
      { ...valid, observations: [{ ...valid.observations[0], sourceId: undefined }] },
      { id: OWN, tab },
      /sourceId/,
    ],
    [
      'a post shaped as an interaction',
      { ...valid, observations: [{ ...valid.observations[0], type: 'post' }] },
      { id: OWN, tab },
      /observations/,
    ],
    [
      'an observation that is not an object',
      { ...valid, observations: ['interaction'] },
      { id: OWN, tab },
      /observations/,
    ],
    ['a string', 'ingest', { id: OWN, tab }, /.+/],
    ['null', null, { id: OWN, tab }, /.+/],
  ])('refuses %s', (_name, message, sender, reason) => {
    const result = acceptRequest(message, sender as SenderInfo, OWN);
    expect(typeof result).toBe('string');
    expect(result).toMatch(reason);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('handleRequest', () => {
  test('acknowledges a batch by id only after it is stored, then answers lookups', async () => {
    const db = await openRapportDB('router-test');
    const request = acceptRequest(valid, { id: OWN, tab }, OWN);
    if (typeof request === 'string') throw new Error(request);
    expect(await handleRequest(db, request)).toEqual({ ok: true, batchId: 'b-1', added: 1 });
    expect(await db.count('evidence')).toBe(1);
    const lookup = acceptRequest(
      { type: 'lookup', viewer: 'x:me', accounts: ['x:a', 'x:nobody'] },
      { id: OWN, tab },
      OWN,
    );
    if (typeof lookup === 'string') throw new Error(lookup);
    const reply = await handleRequest(db, lookup, () => Date.parse('2026-01-02T00:00:00Z'));
    expect(reply).toMatchObject({
      ok: true,
      tiers: { 'x:a': { tier: 'unanswered', inCount: 1, outCount: 0 } },
    });
    db.close();
  });
});

describe('page status (breakage alarm)', () => {
  test('a kind that stopped yielding is remembered since its first report, and cleared when read again', async () => {
    const db = await openRapportDB('router-health');
    const shown: number[] = [];
    const status = (ok: boolean) => {
      const request = acceptRequest(
        { type: 'page-status', platform: 'x', kind: 'home', ok },
        { id: OWN, tab },
        OWN,
      );
      if (typeof request === 'string') throw new Error(request);
      return request;
    };
    await handleRequest(
      db,
      status(false),
      () => 1000,
      (rows) => shown.push(rows.length),
    );
    await handleRequest(
      db,
      status(false),
      () => 2000,
      (rows) => shown.push(rows.length),
    );
    expect(await db.get('meta', 'breakage')).toEqual([
      { platform: 'x', pageKind: 'home', since: 1000, lastAt: 2000 },
    ]);
    await handleRequest(
      db,
      status(true),
      () => 3000,
      (rows) => shown.push(rows.length),
    );
    expect(await db.get('meta', 'breakage')).toEqual([]);
    expect(shown).toEqual([1, 1, 0]);
    db.close();
  });
  test('a malformed status is refused', () => {
    expect(
      acceptRequest(
        { type: 'page-status', platform: 'x', kind: '<script>', ok: false },
        { id: OWN, tab },
        OWN,
      ),
    ).toMatch(/kind/);
  });
});

describe("the user's settings", () => {
  const ingest = () => {
    const request = acceptRequest(valid, { id: OWN, tab }, OWN);
    if (typeof request === 'string') throw new Error(request);
    return request;
  };
  const lookup = () => {
    const request = acceptRequest(
      { type: 'lookup', viewer: 'x:me', accounts: ['x:a'] },
      { id: OWN, tab },
      OWN,
    );
    if (typeof request === 'string') throw new Error(request);
    return request;
  };
  test('private windows are not recorded unless the user allows it (acknowledged all the same)', async () => {
    const db = await openRapportDB('router-private');
    expect(await handleRequest(db, ingest(), Date.now, undefined, { incognito: true })).toEqual({
      ok: true,
      batchId: 'b-1',
      added: 0,
    });
    // Nothing of the batch: not its exchange, its people, nor the account it was read for.
    const stores = ['evidence', 'accounts', 'viewers', 'relationships'] as const;
    expect(await Promise.all(stores.map((store) => db.count(store)))).toEqual([0, 0, 0, 0]);
    await db.put('settings', { ...DEFAULT_SETTINGS, recordPrivate: true }, 'settings');
    await handleRequest(db, ingest(), Date.now, undefined, { incognito: true });
    expect(await db.count('evidence')).toBe(1);
    db.close();
  });
  test('a site turned off is neither recorded nor badged; hidden tiers are named in the reply', async () => {
    const db = await openRapportDB('router-platforms');
    await db.put(
      'settings',
      { ...DEFAULT_SETTINGS, platforms: { x: false, linkedin: true } },
      'settings',
    );
    expect(await handleRequest(db, ingest())).toEqual({ ok: true, batchId: 'b-1', added: 0 });
    expect(await db.count('evidence')).toBe(0);
    expect(await db.count('viewers')).toBe(0);
    expect(await handleRequest(db, lookup())).toEqual({ ok: true, tiers: {}, hide: [...TIERS] });
    await db.put(
      'settings',
      { ...DEFAULT_SETTINGS, hiddenBadges: ['unknown', 'passive'] },
      'settings',
    );
    await handleRequest(db, ingest());
    expect(await handleRequest(db, lookup())).toMatchObject({
      ok: true,
      hide: ['unknown', 'passive'],
    });
    db.close();
  });
});

import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AccountRef, Observation } from '../../src/core/model.ts';
import type { Relationship } from '../../src/core/relationship.ts';
import { ingestBatch } from '../../src/store/ingest.ts';
import { setOverride } from '../../src/store/people.ts';
import { rankedRelationships } from '../../src/store/queries.ts';
import { openRapportDB, type RapportDatabase } from '../../src/store/schema.ts';
import { updateSettings } from '../../src/store/settings.ts';
import { storyClock } from './helpers/observations.ts';

const me: AccountRef = { platform: 'x', handle: 'me' };
const alt: AccountRef = { platform: 'x', handle: 'me_too' };
const p = (handle: string, name?: string): AccountRef =>
  name ? { platform: 'x', handle, name } : { platform: 'x', handle };
const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const { act } = storyClock(NOW);

/**
 * An old friend (many exchanges, months ago) and a new one (a few, this week), a repost, a
 * follower who never talks, and a second account of the user's with its own exchange.
 */
const story: Observation[] = [
  ...Array.from({ length: 8 }, (_, i) =>
    act('reply', i % 2 ? me : p('old', 'Old Friend'), i % 2 ? p('old') : me, `o${i}`, 120 + i),
  ),
  act('reply', p('new', 'New Friend'), me, 'n1', 2),
  act('reply', me, p('new'), 'n2', 1),
  act('repost', p('fan'), me, 'f1', 10),
  { type: 'relationship', account: p('quiet'), followsViewer: true },
];
const altStory: Observation[] = [
  act('reply', p('old'), alt, 'a1', 3),
  act('reply', alt, p('old'), 'a2', 2),
];

let db: RapportDatabase;
let name = 0;
beforeEach(async () => {
  db = await openRapportDB(`settings-${name++}`);
});
afterEach(() => db.close());

async function fill(target: RapportDatabase): Promise<void> {
  await ingestBatch(target, { viewer: me, observations: story, seenAt: NOW });
  await ingestBatch(target, { viewer: alt, observations: altStory, seenAt: NOW });
}

const rows = async (target: RapportDatabase): Promise<Relationship[]> =>
  (await target.getAll('relationships')).sort((a, b) =>
    `${a.viewer}|${a.account}`.localeCompare(`${b.viewer}|${b.account}`),
  );
const top = async (target: RapportDatabase, viewer: string) =>
  (await rankedRelationships(target, viewer as Relationship['viewer'], { limit: 10 })).map(
    (r) => r.handle,
  );

describe('changing settings', () => {
  test('a shorter window settles every tier again at once', async () => {
    await fill(db);
    const before = await db.get('relationships', ['x:me', 'x:old']);
    expect(before?.tier).toBe('conversational');
    await updateSettings(db, { windowDays: 60 }, NOW);
    expect((await db.get('relationships', ['x:me', 'x:old']))?.tier).toBe('passive');
    expect((await db.get('relationships', ['x:me', 'x:new']))?.tier).toBe('conversational');
    // The other account's rows too.
    expect((await db.get('relationships', ['x:me_too', 'x:old']))?.tier).toBe('conversational');
  });

  test('another half-life builds every row again from its evidence, as if ingested with it', async () => {
    await fill(db);
    await setOverride(db, 'x:me', 'x:fan', 'reaching', NOW);
    await updateSettings(db, { halfLifeDays: 7 }, NOW);

    // The same story ingested into a store that had the short half-life from the start.
    const fresh = await openRapportDB(`settings-fresh-${name++}`);
    await updateSettings(fresh, { halfLifeDays: 7 }, NOW);
    await fill(fresh);
    await setOverride(fresh, 'x:me', 'x:fan', 'reaching', NOW);
    const expected = await rows(fresh);
    fresh.close();

    const actual = await rows(db);
    expect(actual.map((r) => r.halfLifeDays)).toEqual(actual.map(() => 7));
    expect(actual).toHaveLength(expected.length);
    actual.forEach((row, i) => {
      const want = expected[i] as Relationship;
      // Sums built in another order can differ in the last bits: compare the numbers closely.
      const { logIn, logOut, logPassive, rank, rankDesc, ...rest } = row;
      const {
        logIn: wIn,
        logOut: wOut,
        logPassive: wPassive,
        rank: wRank,
        rankDesc: _,
        ...wRest
      } = want;
      expect(rest).toEqual(wRest);
      for (const [got, exp] of [
        [logIn, wIn],
        [logOut, wOut],
        [logPassive, wPassive],
        [rank, wRank],
      ] as const) {
        if (exp === -Infinity) expect(got).toBe(-Infinity);
        else expect(got).toBeCloseTo(exp, 9);
      }
      expect(rankDesc).toBe(-rank);
    });
    // What is not built from evidence is kept: names, the override, the follow.
    const fan = actual.find((r) => r.account === 'x:fan');
    expect(fan?.override).toBe('reaching');
    expect(actual.find((r) => r.account === 'x:old' && r.viewer === 'x:me')?.name).toBe(
      'Old Friend',
    );
    expect(actual.find((r) => r.account === 'x:quiet')?.followsViewer).toBe(true);
  });

  test('with a short half-life a new conversation ranks before an old one; a long one, the reverse', async () => {
    await fill(db);
    await updateSettings(db, { halfLifeDays: 365 }, NOW);
    expect((await top(db, 'x:me')).slice(0, 2)).toEqual(['old', 'new']);
    await updateSettings(db, { halfLifeDays: 7 }, NOW);
    expect((await top(db, 'x:me')).slice(0, 2)).toEqual(['new', 'old']);
    // Back again: the same order as before, nothing lost on the way.
    await updateSettings(db, { halfLifeDays: 365 }, NOW);
    expect((await top(db, 'x:me')).slice(0, 2)).toEqual(['old', 'new']);
    expect((await db.get('relationships', ['x:me', 'x:old']))?.inCount).toBe(4);
  });

  test('more rows than one chunk: all of them settled again, progress to the end', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => act('reply', p(`p${i}`), me, `m${i}`, 100));
    await ingestBatch(db, { viewer: me, observations: many, seenAt: NOW });
    const seen: Array<[number, number]> = [];
    await updateSettings(db, { windowDays: 60, halfLifeDays: 10 }, NOW, (done, total) =>
      seen.push([done, total]),
    );
    const all = await db.getAll('relationships');
    expect(all).toHaveLength(2500);
    expect(all.every((r) => r.tier === 'passive' && r.halfLifeDays === 10)).toBe(true);
    expect(seen).toEqual([
      [2000, 2500],
      [2500, 2500],
    ]);
  });

  test('a rebuild that fails half-way changes nothing, settings included', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => act('reply', p(`p${i}`), me, `m${i}`, 100));
    await ingestBatch(db, { viewer: me, observations: many, seenAt: NOW });
    const before = await rows(db);
    await expect(
      updateSettings(db, { halfLifeDays: 10 }, NOW, () => {
        throw new Error('stopped after the first chunk');
      }),
    ).rejects.toThrow('stopped after the first chunk');
    expect(await rows(db)).toEqual(before);
    expect((await db.get('settings', 'settings'))?.halfLifeDays ?? 30).toBe(30);
  });

  test('settings that change no tier or rank leave the rows as they are', async () => {
    await fill(db);
    const before = await rows(db);
    await updateSettings(db, { quietWeeks: 5, toolbarCount: true }, NOW + DAY);
    expect(await rows(db)).toEqual(before);
  });
});

import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AccountRef, Observation, Tier } from '../../src/core/model.ts';
import { ingestBatch } from '../../src/store/ingest.ts';
import {
  answerNudge,
  getNote,
  isoWeek,
  perMonth,
  personEvidence,
  saveNote,
  setOverride,
  tierReason,
  waitingRows,
  walkRanked,
  weeklyNudge,
  firstScreenRead,
} from '../../src/store/people.ts';
import { openRapportDB, type RapportDatabase } from '../../src/store/schema.ts';
import { updateSettings } from '../../src/store/settings.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const me: AccountRef = { platform: 'x', handle: 'me' };
const p = (handle: string): AccountRef => ({ platform: 'x', handle });
const reply = (from: AccountRef, to: AccountRef, id: string, daysAgo: number): Observation => ({
  type: 'interaction',
  kind: 'reply',
  from,
  to,
  sourceId: id,
  at: new Date(NOW - daysAgo * DAY).toISOString(),
  url: `https://x.com/${from.handle}/status/${id}`,
});

let db: RapportDatabase;
let n = 0;

/** What walking the viewer's rows of `tiers` hands out, in order, and each chunk's size. */
async function walk(tiers: Tier[], chunk: number) {
  const handles: string[] = [];
  const sizes: number[] = [];
  await walkRanked(
    db,
    'x:me',
    tiers,
    (rows) => {
      sizes.push(rows.length);
      handles.push(...rows.map((r) => r.handle));
    },
    chunk,
  );
  return { handles, sizes };
}
beforeEach(async () => {
  db = await openRapportDB(`people-${n++}`);
});
afterEach(() => db.close());

describe('sections', () => {
  test('walking a tier in chunks reads every row once, ties included (1,234 silent followers)', async () => {
    const observations: Observation[] = [];
    for (let i = 0; i < 1234; i++)
      observations.push({ type: 'relationship', account: p(`f${i}`), followsViewer: true });
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations });
    const { handles: seen, sizes } = await walk(['silent-follower'], 100);
    expect(seen).toHaveLength(1234);
    expect(new Set(seen).size).toBe(1234);
    // The first screen goes out before the tie is read; the rest in the index's own order.
    expect(sizes[0]).toBe(50);
    const whole = await db.getAllFromIndex(
      'relationships',
      'byRank',
      IDBKeyRange.bound(['x:me', -Infinity, -Infinity], ['x:me', Infinity, Infinity]),
    );
    expect(seen).toEqual(whole.map((r) => r.handle));
  });

  test('a tie that ends a chunk is read once more, not sent twice, whatever its size', async () => {
    const observations: Observation[] = [];
    // Ranks: t0…t9 distinct, then 30 people tied (one exchange each way on the same day).
    for (let i = 0; i < 40; i++) {
      const days = i < 10 ? i + 1 : 20;
      observations.push(reply(p(`t${i}`), me, `${i}`, days), reply(me, p(`t${i}`), `r${i}`, days));
    }
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations });
    const tied = await Promise.all(
      Array.from({ length: 30 }, (_, i) => db.get('relationships', ['x:me', `x:t${i + 10}`])),
    );
    expect(new Set(tied.map((r) => r?.rankDesc)).size).toBe(1);
    for (const chunk of [7, 12, 25, 60]) {
      const { handles: seen } = await walk(['conversational'], chunk);
      expect(seen.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
      expect([...seen].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `t${i}`).sort());
    }
  });

  test('best first across chunks; stopping early stops reading', async () => {
    const observations: Observation[] = [];
    for (let i = 0; i < 30; i++) {
      observations.push(
        reply(p(`t${i}`), me, `${i}`, i + 1),
        reply(me, p(`t${i}`), `r${i}`, i + 1),
      );
    }
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations });
    const { handles: order } = await walk(['conversational'], 7);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => `t${i}`));
    let calls = 0;
    await walkRanked(db, 'x:me', ['conversational'], () => (calls++, false), 7);
    expect(calls).toBe(1);
  });

  test('a first screen read ahead (with other reads) is handed out instead of read again', async () => {
    const observations: Observation[] = [];
    for (let i = 0; i < 80; i++)
      observations.push(
        reply(p(`t${i}`), me, `${i}`, i + 1),
        reply(me, p(`t${i}`), `r${i}`, i + 1),
      );
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations });
    const ahead = await firstScreenRead(
      db.transaction('relationships').store.index('byRank'),
      'x:me',
      ['conversational'],
    );
    expect(ahead.map((r) => r.handle)).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`));
    const transactions = vi.spyOn(db, 'transaction');
    const handles: string[] = [];
    await walkRanked(
      db,
      'x:me',
      ['conversational'],
      (rows) => void handles.push(...rows.map((r) => r.handle)),
      500,
      ahead,
    );
    expect(handles).toEqual(Array.from({ length: 80 }, (_, i) => `t${i}`));
    // The rest (after the first screen) and the rows tied with its last: no first read.
    expect(transactions).toHaveBeenCalledTimes(2);
    transactions.mockClear();
    await walk(['conversational'], 500);
    expect(transactions).toHaveBeenCalledTimes(3);
  });

  test('waiting on you: oldest first, each with where to answer', async () => {
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [
        reply(p('new'), me, '1', 1),
        reply(p('old'), me, '2', 40),
        reply(p('mid'), me, '3', 10),
      ],
    });
    const rows = await waitingRows(db, 'x:me');
    expect(rows.map((r) => [r.handle, r.lastInUrl])).toEqual([
      ['old', 'https://x.com/old/status/2'],
      ['mid', 'https://x.com/mid/status/3'],
      ['new', 'https://x.com/new/status/1'],
    ]);
  });
});

describe('one person', () => {
  beforeEach(async () => {
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [
        reply(p('ada'), me, '1', 70),
        reply(me, p('ada'), '2', 40),
        reply(p('ada'), me, '3', 2),
        reply(p('bob'), p('ada'), '4', 2),
      ],
    });
  });
  test('the evidence trail: only what passed between the two, newest first', async () => {
    const { trail } = await personEvidence(db, 'x:me', 'x:ada');
    expect(trail.map((e) => [e.sourceId, e.direction])).toEqual([
      ['3', 'in'],
      ['2', 'out'],
      ['1', 'in'],
    ]);
    const months = perMonth(trail, NOW, 4);
    expect(months.map((m) => [m.label, m.in, m.out])).toEqual([
      ['Mar', 1, 0],
      ['Apr', 0, 1],
      ['May', 1, 0],
      ['Jun', 0, 0],
    ]);
  });
  test('coverage: what they said to anyone, to you among it, and since when they are known', async () => {
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW + DAY,
      observations: [
        reply(p('ada'), p('bob'), '5', 1),
        {
          type: 'interaction',
          kind: 'reaction',
          from: p('ada'),
          to: p('cy'),
          sourceId: '6',
          at: new Date(NOW - DAY).toISOString(),
        },
      ],
    });
    // Replies 1 and 3 to me, 5 to bob; the reaction is not talk; bob's reply to ada is bob's.
    expect((await personEvidence(db, 'x:me', 'x:ada')).coverage).toEqual({
      exchanges: 3,
      toViewer: 2,
      firstSeenAt: NOW,
    });
    expect((await personEvidence(db, 'x:me', 'x:cy')).coverage).toEqual({
      exchanges: 0,
      toViewer: 0,
      firstSeenAt: NOW + DAY,
    });
    // Known only from an archive line, never seen on a page: no first sighting to tell.
    expect((await personEvidence(db, 'x:me', 'x:nobody')).coverage).toEqual({
      exchanges: 0,
      toViewer: 0,
    });
  });
  test('a note and tags, saved as typed; emptied, it is gone', async () => {
    await saveNote(db, 'x:ada', 'Met at the river', ['friends', ' friends ', ''], NOW);
    expect(await getNote(db, 'x:ada')).toEqual({
      account: 'x:ada',
      text: 'Met at the river',
      tags: ['friends'],
      updatedAt: NOW,
    });
    await saveNote(db, 'x:ada', '  ', [], NOW);
    expect(await getNote(db, 'x:ada')).toBeUndefined();
  });
  test('a manual tier wins, and can be taken back', async () => {
    const chosen = await setOverride(db, 'x:me', 'x:ada', 'passive', NOW);
    expect(chosen).toMatchObject({
      tier: 'passive',
      computedTier: 'conversational',
      override: 'passive',
    });
    expect(tierReason(chosen as never, 180)).toBe('You chose this tier yourself.');
    const back = await setOverride(db, 'x:me', 'x:ada', undefined, NOW);
    expect(back?.tier).toBe('conversational');
    expect(back && 'override' in back).toBe(false);
    expect(tierReason(back as never, 180)).toMatch(/both ways, in the last 180 days/);
  });
});

describe('the weekly nudge', () => {
  test.each([
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2026-06-01T12:00:00Z', '2026-W23'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
  ])('%s is in %s', (iso, week) => {
    expect(isoWeek(Date.parse(iso))).toBe(week);
  });
  // Talked both ways, then quiet for 5 weeks; and a mutual follow who never talks.
  const quiet: Observation[] = [reply(p('quiet'), me, '1', 40), reply(me, p('quiet'), '2', 35)];
  const mutual: Observation = {
    type: 'relationship',
    account: p('mutual'),
    followsViewer: true,
    viewerFollows: true,
  };
  test('a conversation gone quiet comes first; done ends it for the week', async () => {
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [
        ...quiet,
        reply(p('lively'), me, '3', 2),
        reply(me, p('lively'), '4', 1),
        mutual,
      ],
    });
    const nudge = await weeklyNudge(db, 'x:me', NOW);
    expect(nudge).toMatchObject({
      account: 'x:quiet',
      week: '2026-W23',
      reason: 'You talked, then nothing for 5 weeks.',
    });
    await answerNudge(db, 'x:me', nudge as NonNullable<typeof nudge>, 'done');
    expect(await weeklyNudge(db, 'x:me', NOW)).toBeUndefined();
    expect(await weeklyNudge(db, 'x:me', NOW + 7 * DAY)).toMatchObject({ account: 'x:quiet' });
  });
  test.each([
    [5, 'x:quiet'],
    [6, 'x:mutual'],
  ])('quiet for 5 weeks: with %i quiet weeks set, the suggestion is %s', async (weeks, account) => {
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations: [...quiet, mutual] });
    await updateSettings(db, { quietWeeks: weeks }, NOW);
    expect(await weeklyNudge(db, 'x:me', NOW)).toMatchObject({ account });
  });
  test('else a mutual follow who never talks', async () => {
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [mutual],
    });
    expect(await weeklyNudge(db, 'x:me', NOW)).toMatchObject({ account: 'x:mutual' });
  });
});

test('the toolbar count: people waiting on an answer, only when the user asked for it', async () => {
  const { waitingCount } = await import('../../src/store/queries.ts');
  const { DEFAULT_SETTINGS } = await import('../../src/core/model.ts');
  await ingestBatch(db, {
    viewer: me,
    seenAt: NOW,
    observations: [reply(p('a'), me, '1', 1), reply(p('b'), me, '2', 2), reply(me, p('c'), '3', 1)],
  });
  expect(await waitingCount(db, NOW)).toBeUndefined();
  await db.put('settings', { ...DEFAULT_SETTINGS, toolbarCount: true }, 'settings');
  expect(await waitingCount(db, NOW)).toBe(2);
  // Once their messages left the window, nobody waits: the stored tiers are settled again first.
  const later = NOW + (DEFAULT_SETTINGS.windowDays + 1) * 86_400_000;
  expect(await waitingCount(db, later)).toBe(0);
  expect((await db.get('relationships', ['x:me', 'x:a']))?.tier).not.toBe('unanswered');
});

describe('the same person on X and LinkedIn', () => {
  test('linked both ways, relinked, unlinked; an account never seen or on the same site is refused', async () => {
    const { linkSamePerson, samePersonOf, unlinkSamePerson } =
      await import('../../src/store/people.ts');
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [reply(p('ada'), me, '1', 1), reply(p('bob'), me, '2', 1)],
    });
    await ingestBatch(db, {
      viewer: { platform: 'linkedin', handle: 'me-li' },
      seenAt: NOW,
      observations: [
        {
          type: 'relationship',
          account: { platform: 'linkedin', handle: 'ada-l' },
          connected: true,
        },
      ],
    });
    await linkSamePerson(db, 'x:ada', 'linkedin:ada-l');
    expect(await samePersonOf(db, 'linkedin:ada-l')).toBe('x:ada');
    await linkSamePerson(db, 'x:bob', 'linkedin:ada-l');
    expect(await samePersonOf(db, 'x:ada')).toBeUndefined();
    expect(await samePersonOf(db, 'x:bob')).toBe('linkedin:ada-l');
    await expect(linkSamePerson(db, 'x:bob', 'linkedin:nobody')).rejects.toThrow(/has not seen/);
    await expect(linkSamePerson(db, 'x:bob', 'x:ada')).rejects.toThrow(/across platforms/);
    await unlinkSamePerson(db, 'linkedin:ada-l');
    expect(await samePersonOf(db, 'x:bob')).toBeUndefined();
  });
});

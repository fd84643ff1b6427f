import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AccountRef, Observation } from '../../src/core/model.ts';
import { unwrap } from 'idb';
import { planBatch, type EvidenceRow } from '../../src/core/batch.ts';
import { adoptEvidence } from '../../src/store/evidence.ts';
import {
  addNewEvidence,
  addViewer,
  GROUP_LIMIT,
  ingestBatch,
  nextGroup,
} from '../../src/store/ingest.ts';
import {
  badgeLookup,
  followerCount,
  rankedRelationships,
  tierCounts,
} from '../../src/store/queries.ts';
import { openRapportDB, type RapportDatabase } from '../../src/store/schema.ts';
import { updateSettings } from '../../src/store/settings.ts';
import { storyClock } from './helpers/observations.ts';

const me: AccountRef = { platform: 'x', handle: 'me', name: 'Me' };
const other: AccountRef = { platform: 'x', handle: 'other_me' };
const p = (handle: string): AccountRef => ({ platform: 'x', handle });
const NOW = Date.parse('2026-06-01T00:00:00Z');
const { at, act } = storyClock(NOW);

/** The tiers a badge lookup answers. */
const lookupTiers = async (...args: Parameters<typeof badgeLookup>) =>
  (await badgeLookup(...args)).tiers;

let db: RapportDatabase;
let name = 0;
beforeEach(async () => {
  db = await openRapportDB(`test-${name++}`);
});
afterEach(() => db.close());

/** The story of the e2e test, at the store level. */
const story: Observation[] = [
  act('reply', me, p('a'), '1', 3),
  act('reply', p('a'), me, '2', 2),
  { type: 'relationship', account: p('b'), followsViewer: true },
  act('reply', p('c'), me, '3', 5),
  act('reply', me, p('d'), '4', 4),
  act('repost', p('e'), me, '5', 1),
  act('reply', p('f'), p('g'), '6', 1),
];

describe('ingest', () => {
  test('tiers from the story', async () => {
    await ingestBatch(db, { viewer: me, observations: story, seenAt: NOW });
    const tiers = await lookupTiers(db, 'x:me', ['x:a', 'x:b', 'x:c', 'x:d', 'x:e', 'x:f'], NOW);
    expect(Object.fromEntries(Object.entries(tiers).map(([k, v]) => [k, v.tier]))).toEqual({
      'x:a': 'conversational',
      'x:b': 'silent-follower',
      'x:c': 'unanswered',
      'x:d': 'reaching',
      'x:e': 'passive',
    });
    expect(await tierCounts(db, 'x:me')).toMatchObject({
      conversational: 1,
      unanswered: 1,
      reaching: 1,
      'silent-follower': 1,
      passive: 1,
    });
    const ranked = await rankedRelationships(db, 'x:me', { limit: 10 });
    expect(ranked.map((r) => r.handle)).toEqual(['a', 'c', 'd', 'b', 'e']);
  });

  test('followers are counted whatever their tier, and stop counting when they unfollow', async () => {
    await ingestBatch(db, { viewer: me, observations: story, seenAt: NOW });
    expect(await followerCount(db, 'x:me')).toBe(1);
    // A follower who talks is still a follower: counted beside the silent ones.
    const follows = (handle: string, followsViewer: boolean): Observation => ({
      type: 'relationship',
      account: p(handle),
      followsViewer,
    });
    await ingestBatch(db, {
      viewer: me,
      observations: [follows('a', true), follows('c', true), follows('f', true)],
      seenAt: NOW,
    });
    expect(await followerCount(db, 'x:me')).toBe(4);
    expect(await tierCounts(db, 'x:me')).toMatchObject({ 'silent-follower': 2 });
    await ingestBatch(db, { viewer: me, observations: [follows('f', false)], seenAt: NOW });
    expect(await followerCount(db, 'x:me')).toBe(3);
    expect(await followerCount(db, 'x:other_me')).toBe(0);
  });

  test('ingesting the same evidence twice changes nothing', async () => {
    const first = await ingestBatch(db, { viewer: me, observations: story, seenAt: NOW });
    const snapshot = await db.getAll('relationships');
    const second = await ingestBatch(db, { viewer: me, observations: story, seenAt: NOW });
    expect(first.added).toBe(6);
    expect(second.added).toBe(0);
    expect(await db.getAll('relationships')).toEqual(snapshot);
    expect(await db.count('evidence')).toBe(6);
  });

  test('evidence seen before the viewer is known becomes theirs when they appear', async () => {
    await ingestBatch(db, { observations: [act('reply', p('a'), me, '10')], seenAt: NOW });
    expect(await db.count('relationships')).toBe(0);
    await ingestBatch(db, {
      viewer: me,
      observations: [act('reply', me, p('a'), '11')],
      seenAt: NOW,
    });
    const tiers = await lookupTiers(db, 'x:me', ['x:a'], NOW);
    expect(tiers['x:a']).toMatchObject({ tier: 'conversational', inCount: 1, outCount: 1 });
  });

  test("evidence to an account, stored before it was known as the user's, is found by later rebuilds", async () => {
    // Written when no viewer was known: to x:me and between others, neither marked.
    await ingestBatch(db, {
      observations: [act('reply', p('a'), me, '15'), act('reply', p('a'), p('b'), '16')],
      seenAt: NOW,
    });
    expect(await db.countFromIndex('evidence', 'byToViewer')).toBe(0);
    await ingestBatch(db, {
      viewer: me,
      observations: [act('reply', me, p('a'), '17'), act('reply', p('c'), me, '18')],
      seenAt: NOW,
    });
    // The earlier reply to x:me was marked when x:me appeared; the new one when written.
    expect(await db.countFromIndex('evidence', 'byToViewer', 'x:me')).toBe(2);
    expect(await db.countFromIndex('evidence', 'byToViewer')).toBe(2);
    // A rebuild from the evidence (another half-life) finds both replies to x:me.
    await updateSettings(db, { halfLifeDays: 7 }, NOW);
    const tiers = await lookupTiers(db, 'x:me', ['x:a', 'x:c'], NOW);
    expect(tiers['x:a']).toMatchObject({ tier: 'conversational', inCount: 1, outCount: 1 });
    expect(tiers['x:c']).toMatchObject({ tier: 'unanswered', inCount: 1 });
  });

  test('a backfilled row is written even when the batch brings nothing new', async () => {
    const reply = act('reply', p('a'), me, '12');
    await ingestBatch(db, { observations: [reply], seenAt: NOW });
    await ingestBatch(db, { viewer: me, observations: [reply], seenAt: NOW });
    expect((await lookupTiers(db, 'x:me', ['x:a'], NOW))['x:a']).toMatchObject({
      tier: 'unanswered',
      inCount: 1,
    });
  });

  test('an account added by hand takes what was stored before and becomes the one shown', async () => {
    await ingestBatch(db, { viewer: other, observations: [], seenAt: NOW });
    await ingestBatch(db, {
      observations: [act('reply', p('a'), me, '13'), act('reply', me, p('a'), '14')],
      seenAt: NOW,
    });
    await addViewer(db, { platform: 'x', handle: 'me' }, NOW);
    expect((await lookupTiers(db, 'x:me', ['x:a'], NOW))['x:a']).toMatchObject({
      tier: 'conversational',
    });
    expect(await db.get('meta', 'activeViewer')).toEqual({ x: 'x:me' });
    expect((await db.getAll('viewers')).map((v) => v.key).sort()).toEqual(['x:me', 'x:other_me']);
    // Added again: nothing changes but the date it was last seen.
    await addViewer(db, { platform: 'x', handle: 'me' }, NOW + 1000);
    expect(await db.count('relationships')).toBe(1);
    expect(await db.get('viewers', 'x:me')).toMatchObject({
      firstSeenAt: NOW,
      lastSeenAt: NOW + 1000,
    });
  });

  test('"does not follow you" creates no row, but clears a flag on an existing one', async () => {
    await ingestBatch(db, {
      viewer: me,
      observations: [
        { type: 'relationship', account: p('z'), followsViewer: false, viewerFollows: false },
      ],
      seenAt: NOW,
    });
    expect(await db.count('relationships')).toBe(0);
    await ingestBatch(db, {
      viewer: me,
      observations: [{ type: 'relationship', account: p('b'), followsViewer: true }],
      seenAt: NOW,
    });
    await ingestBatch(db, {
      viewer: me,
      observations: [{ type: 'relationship', account: p('b'), followsViewer: false }],
      seenAt: NOW,
    });
    expect((await db.get('relationships', ['x:me', 'x:b']))?.followsViewer).toBe(false);
  });

  test('two viewers on one browser never mix', async () => {
    await ingestBatch(db, {
      viewer: me,
      observations: [
        act('reply', p('a'), me, '20'),
        { type: 'relationship', account: p('b'), followsViewer: true },
      ],
      seenAt: NOW,
    });
    await ingestBatch(db, {
      viewer: other,
      observations: [act('reply', other, p('a'), '21')],
      seenAt: NOW,
    });
    expect((await lookupTiers(db, 'x:me', ['x:a', 'x:b'], NOW))['x:a']?.tier).toBe('unanswered');
    expect(await lookupTiers(db, 'x:other_me', ['x:a', 'x:b'], NOW)).toEqual({
      'x:a': { tier: 'reaching', inCount: 0, outCount: 1, lastExchangeAt: Date.parse(at(1)) },
    });
    expect(await db.get('meta', 'activeViewer')).toEqual({ x: 'x:other_me' });
  });

  test('a batch that fails leaves nothing behind', async () => {
    const bad = {
      type: 'interaction',
      kind: 'reply',
      from: p('a'),
      to: me,
      sourceId: '30',
      at: at(1),
    } as Observation;
    // A value IndexedDB cannot store (a function) makes the transaction fail midway.
    const poisoned = [
      bad,
      { ...act('reply', p('b'), me, '31'), url: (() => 1) as unknown as string },
    ];
    await expect(
      ingestBatch(db, { viewer: me, observations: poisoned, seenAt: NOW }),
    ).rejects.toThrow();
    expect(await db.count('evidence')).toBe(0);
    expect(await db.count('relationships')).toBe(0);
    expect(await db.count('accounts')).toBe(0);
  });

  test('a worker started afresh rewrites no account stored as it sees it, within the hour', async () => {
    const named = (handle: string, name: string): AccountRef => ({ platform: 'x', handle, name });
    await ingestBatch(db, {
      viewer: me,
      observations: [act('reply', named('a', 'Aiko'), me, '50'), act('reply', me, p('b'), '51')],
      seenAt: NOW,
    });
    // Another connection: the account cache of a worker that has just started is empty.
    const fresh = await openRapportDB(db.name);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const accountPuts = () =>
      put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'accounts').length;
    try {
      const MINUTE = 60_000;
      await ingestBatch(fresh, {
        viewer: me,
        observations: [act('reply', named('a', 'Aiko'), me, '52'), act('reply', me, p('b'), '53')],
        seenAt: NOW + 10 * MINUTE,
      });
      expect(accountPuts()).toBe(0);
      expect(await fresh.get('accounts', 'x:a')).toMatchObject({ name: 'Aiko', lastSeenAt: NOW });
      // Something new about an account is written, whenever it comes.
      await ingestBatch(fresh, {
        viewer: me,
        observations: [act('reply', named('a', 'Aiko T.'), me, '54')],
        seenAt: NOW + 20 * MINUTE,
      });
      expect(accountPuts()).toBe(1);
      expect(await fresh.get('accounts', 'x:a')).toMatchObject({
        name: 'Aiko T.',
        firstSeenAt: NOW,
        lastSeenAt: NOW + 20 * MINUTE,
      });
      // Seen again two hours later: dated anew.
      await ingestBatch(fresh, {
        viewer: me,
        observations: [act('reply', me, p('b'), '55')],
        seenAt: NOW + 120 * MINUTE,
      });
      expect(await fresh.get('accounts', 'x:b')).toMatchObject({
        firstSeenAt: NOW,
        lastSeenAt: NOW + 120 * MINUTE,
      });
    } finally {
      put.mockRestore();
      fresh.close();
    }
  });

  test('a stored tier that expired by time is answered as of now', async () => {
    await ingestBatch(db, {
      viewer: me,
      observations: [act('reply', p('a'), me, '40', 1)],
      seenAt: NOW,
    });
    const later = NOW + 200 * 86_400_000;
    expect((await lookupTiers(db, 'x:me', ['x:a'], later))['x:a']?.tier).toBe('passive');
  });
});

describe('batches handed over together', () => {
  /** The story cut into batches of `size`, in its order. */
  const batches = (size: number) => {
    const out: Observation[][] = [];
    for (let i = 0; i < story.length; i += size) out.push(story.slice(i, i + size));
    return out;
  };
  const everything = async (database: RapportDatabase) => ({
    evidence: await database.getAll('evidence'),
    relationships: await database.getAll('relationships'),
    accounts: await database.getAll('accounts'),
    viewers: await database.getAll('viewers'),
  });

  test('are written in fewer transactions, to the store one by one would leave', async () => {
    const oneByOne = await openRapportDB(`test-${name++}`);
    const added: number[] = [];
    for (const observations of batches(2))
      added.push((await ingestBatch(oneByOne, { viewer: me, observations, seenAt: NOW })).added);
    const transaction = vi.spyOn(db, 'transaction');
    const together = await Promise.all(
      batches(2).map((observations) => ingestBatch(db, { viewer: me, observations, seenAt: NOW })),
    );
    // Handed over in one task: the first waits a task for the others, all go in one transaction.
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(together.map((result) => result.added)).toEqual(added);
    expect(added).toEqual([2, 1, 2, 1]);
    expect(await everything(db)).toEqual(await everything(oneByOne));
    oneByOne.close();
  });

  test('batches that arrive while one is being written wait, and go together after it', async () => {
    const transaction = vi.spyOn(db, 'transaction');
    const [first, ...rest] = batches(2);
    const writing = ingestBatch(db, { viewer: me, observations: first ?? [], seenAt: NOW });
    // A task later, the first batch's transaction has started.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(transaction).toHaveBeenCalledTimes(1);
    const later = rest.map((observations) =>
      ingestBatch(db, { viewer: me, observations, seenAt: NOW }),
    );
    expect((await Promise.all([writing, ...later])).map((result) => result.added)).toEqual([
      2, 1, 2, 1,
    ]);
    expect(transaction).toHaveBeenCalledTimes(2);
  });

  test('each batch is told what it added: evidence another batch brought first is not new', async () => {
    const reply = act('reply', p('a'), me, '40');
    const results = await Promise.all(
      [
        [act('reply', me, p('a'), '41')],
        [reply],
        [reply, act('reply', p('b'), me, '42')],
        [reply],
      ].map((observations) => ingestBatch(db, { viewer: me, observations, seenAt: NOW })),
    );
    expect(results.map((result) => result.added)).toEqual([1, 1, 1, 0]);
    expect(await db.count('evidence')).toBe(3);
  });

  test('a batch that cannot be written fails alone; the others of its group are kept', async () => {
    // A value IndexedDB cannot store (a function): its batch's transaction fails midway.
    const poisoned = {
      ...act('reply', p('b'), me, '51'),
      url: (() => 1) as unknown as string,
    } as Observation;
    const outcomes = await Promise.allSettled(
      [
        [act('reply', p('a'), me, '50')],
        [act('reply', p('c'), me, '52')],
        [poisoned],
        [act('reply', me, p('c'), '53')],
      ].map((observations) => ingestBatch(db, { viewer: me, observations, seenAt: NOW })),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((await db.getAll('evidence')).map((row) => row.sourceId).sort()).toEqual([
      '50',
      '52',
      '53',
    ]);
    expect(await lookupTiers(db, 'x:me', ['x:b', 'x:c'], NOW)).toEqual({
      'x:c': expect.objectContaining({ tier: 'conversational' }),
    });
  });

  test('a batch a setting keeps out is answered and not written, beside one that is', async () => {
    const results = await Promise.all([
      ingestBatch(db, { viewer: me, observations: [act('reply', p('a'), me, '60')], seenAt: NOW }),
      ingestBatch(db, {
        viewer: me,
        observations: [act('reply', p('b'), me, '61')],
        seenAt: NOW,
        recordable: () => false,
      }),
      ingestBatch(db, { viewer: me, observations: [act('reply', p('c'), me, '62')], seenAt: NOW }),
    ]);
    expect(results.map((result) => result.added)).toEqual([1, 0, 1]);
    expect((await db.getAll('evidence')).map((row) => row.sourceId)).toEqual(['60', '62']);
  });

  test('batches of two viewers are never written together, and the order holds', async () => {
    const transaction = vi.spyOn(db, 'transaction');
    await Promise.all([
      ingestBatch(db, { viewer: me, observations: [], seenAt: NOW }),
      ingestBatch(db, {
        viewer: other,
        observations: [act('reply', p('a'), other, '70')],
        seenAt: NOW + 1,
      }),
      ingestBatch(db, {
        viewer: me,
        observations: [act('reply', p('a'), me, '71')],
        seenAt: NOW + 2,
      }),
    ]);
    // One each: `other` sits between the two batches of `me`.
    expect(transaction).toHaveBeenCalledTimes(3);
    // The last batch written names the viewer shown.
    expect(await db.get('meta', 'activeViewer')).toEqual({ x: 'x:me' });
  });
});

describe('addNewEvidence', () => {
  test('tells new rows from known ones among other requests of its transaction, and marks what is addressed to a viewer', async () => {
    const rows = (ids: string[]) =>
      planBatch(
        ids.map((id) => act('reply', p('a'), me, id)),
        undefined,
        NOW,
      ).evidence;
    await ingestBatch(db, { observations: [act('reply', p('a'), me, '2')], seenAt: NOW });
    const tx = db.transaction(['evidence', 'accounts'], 'readwrite');
    // Requests made before and after the adds are answered around theirs.
    const before = tx.objectStore('accounts').get('x:a');
    const isNew = addNewEvidence(
      unwrap(tx.objectStore('evidence')),
      rows(['1', '2', '3']),
      (k) => k === 'x:me',
    );
    const after = tx.objectStore('accounts').count();
    expect(await isNew).toEqual([true, false, true]);
    expect(await before).toMatchObject({ handle: 'a' });
    expect(await after).toBe(2);
    // A known row is not an error of the transaction: it commits.
    await tx.done;
    expect(await db.count('evidence')).toBe(3);
    expect(await db.countFromIndex('evidence', 'byToViewer', 'x:me')).toBe(2);
  });

  test('a row that cannot be stored fails the adds at once', async () => {
    const tx = db.transaction('evidence', 'readwrite');
    const [row] = planBatch([act('reply', p('a'), me, '1')], undefined, NOW).evidence;
    const broken = { ...row, to: undefined } as unknown as EvidenceRow;
    await expect(addNewEvidence(unwrap(tx.store), [broken], () => false)).rejects.toThrow();
    tx.abort();
    await tx.done.catch(() => undefined);
  });
});

describe('adoptEvidence', () => {
  test("marks what was addressed to a new viewer, walking its platform's keys page by page", async () => {
    const li = (handle: string): AccountRef => ({ platform: 'linkedin', handle });
    // Stored with no viewer known: to x:me from five people (and from x:me to two), to others,
    // and to a LinkedIn account of the same handle.
    await ingestBatch(db, {
      seenAt: NOW,
      observations: [
        ...['a', 'b', 'c', 'd', 'e'].map((h, i) => act('reply', p(h), me, `in${i}`)),
        act('reply', me, p('a'), 'out0'),
        act('reply', me, p('z'), 'out1'),
        act('reply', me, me, 'self'),
        act('reply', p('a'), p('b'), 'other0'),
        act('reply', p('y'), p('z'), 'other1'),
        act('reply', li('a'), li('me'), 'li0'),
      ],
    });
    expect(await db.countFromIndex('evidence', 'byToViewer')).toBe(0);
    const tx = db.transaction('evidence', 'readwrite');
    // Two keys a page: the walk goes over several pages.
    const sides = await adoptEvidence(tx.store, 'x:me', 2);
    await tx.done;
    const seen = sides.map((s) => `${s.direction} ${s.other} ${s.row.sourceId}`).sort();
    expect(seen).toEqual(
      [
        'in x:a in0',
        'in x:b in1',
        'in x:c in2',
        'in x:d in3',
        'in x:e in4',
        'out x:a out0',
        'out x:z out1',
      ].sort(),
    );
    // The five replies and the note to self are marked; nothing else, LinkedIn's included.
    expect(await db.countFromIndex('evidence', 'byToViewer', 'x:me')).toBe(6);
    expect(await db.countFromIndex('evidence', 'byToViewer')).toBe(6);
  });
});

describe('nextGroup', () => {
  const batch = (viewerKey: string, size: number) => ({
    viewerKey,
    input: { observations: new Array<number>(size).fill(0) },
  });
  test.each([
    ['one viewer: all of them', [batch('a', 10), batch('a', 10), batch('a', 10)], 3],
    ['up to another viewer', [batch('a', 10), batch('b', 10), batch('a', 10)], 1],
    ['up to the limit', [batch('a', GROUP_LIMIT - 10), batch('a', 10), batch('a', 1)], 2],
    ['a batch over the limit goes alone', [batch('a', GROUP_LIMIT + 1), batch('a', 1)], 1],
    ['batches without a viewer together', [batch('', 1), batch('', 1)], 2],
  ])('%s', (_, waiting, taken) => {
    const all = [...waiting];
    expect(nextGroup(waiting)).toEqual(all.slice(0, taken));
    expect(waiting).toEqual(all.slice(taken));
  });
});

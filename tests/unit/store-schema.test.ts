import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import type { AccountKey } from '../../src/core/keys.ts';
import { DEFAULT_SETTINGS } from '../../src/core/model.ts';
import {
  applyFlags,
  emptyRelationship,
  settle,
  type RelationshipFlags,
} from '../../src/core/relationship.ts';
import { planBatch, type EvidenceRow } from '../../src/core/batch.ts';
import { ingestBatch } from '../../src/store/ingest.ts';
import { personEvidence } from '../../src/store/people.ts';
import { followerCount } from '../../src/store/queries.ts';
import { DB_VERSION, migrate, openRapportDB, STORE_NAMES } from '../../src/store/schema.ts';

const viewer = { platform: 'x' as const, handle: 'me' };
const reply = (n: number) => ({
  type: 'interaction' as const,
  kind: 'reply' as const,
  from: { platform: 'x' as const, handle: `p${n}` },
  to: viewer,
  sourceId: String(n),
});

describe('schema upgrades while the database is open', () => {
  test('a newer version upgrades without hanging on blocked; old connections step aside and reopen on the newer schema', async () => {
    const name = `upgrade-${Math.random()}`;
    let closedA = 0;
    let closedB = 0;
    const a = await openRapportDB(name, { onClosed: () => (closedA += 1) });
    const b = await openRapportDB(name, { onClosed: () => (closedB += 1) });
    expect(b.version).toBe(DB_VERSION);
    await ingestBatch(a, { viewer, observations: [reply(1), reply(2)], seenAt: Date.now() });

    let blocked = 0;
    // A test-only next migration: a new index, as an update would add.
    const upgraded = await Promise.race([
      openDB(name, DB_VERSION + 1, {
        upgrade(_db, _old, _new, tx) {
          tx.objectStore('evidence').createIndex('byKind', 'kind');
        },
        blocked: () => (blocked += 1),
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('upgrade hung')), 2000)),
    ]);
    expect(upgraded.version).toBe(DB_VERSION + 1);
    expect(blocked).toBe(0);
    expect(closedA).toBe(1);
    expect(closedB).toBe(1);
    upgraded.close();

    // This (older) code opens the newer database as it is, and its data are intact.
    const again = await openRapportDB(name);
    expect(again.version).toBe(DB_VERSION + 1);
    expect(await again.count('evidence')).toBe(2);
    await ingestBatch(again, { viewer, observations: [reply(3)], seenAt: Date.now() });
    expect(await again.count('evidence')).toBe(3);
    again.close();
  });

  test('a database at a newer version that lacks a store this code needs is refused clearly', async () => {
    const name = `foreign-${Math.random()}`;
    const foreign = await openDB(name, DB_VERSION + 3, {
      upgrade(db) {
        db.createObjectStore('something-else');
      },
    });
    foreign.close();
    await expect(openRapportDB(name)).rejects.toThrow(/lacks viewers, accounts/);
  });
});

/** A relationship row as code before schema version 3 settled it: without the follower mark. */
function unmarked(handle: string, flags: RelationshipFlags, viewerKey: AccountKey = 'x:me') {
  const empty = emptyRelationship(viewerKey, { platform: 'x', handle }, DEFAULT_SETTINGS);
  const { followerOf: _mark, ...row } = settle(applyFlags(empty, flags), DEFAULT_SETTINGS, 1);
  return row;
}

/** The viewer's reply to p<n>. */
const answer = (n: number) => ({
  type: 'interaction' as const,
  kind: 'reply' as const,
  from: viewer,
  to: { platform: 'x' as const, handle: `p${n}` },
  sourceId: String(1000 + n),
});

describe('migrations', () => {
  test('a database each earlier version left is brought to this one, its rows intact', async () => {
    for (let from = 1; from < DB_VERSION; from++) {
      const name = `migrate-${from}-${Math.random()}`;
      // The database as the code of version `from` made it, with a person in it.
      const old = await openDB(name, from, {
        upgrade(db, oldVersion, _newVersion, tx) {
          migrate(db as never, tx as never, oldVersion, from);
        },
      });
      const account = {
        key: 'x:p1',
        platform: 'x',
        handle: 'p1',
        id: '11',
        firstSeenAt: 1,
        lastSeenAt: 2,
      };
      await old.put('accounts', account);
      // Relationship rows as that code settled them: without the follower mark before version 3.
      const asThen = (handle: string, flags: RelationshipFlags) => {
        const row = unmarked(handle, flags);
        return from < 3 ? row : settle(row, DEFAULT_SETTINGS, 1);
      };
      await old.put('relationships', asThen('follows', { followsViewer: true }));
      await old.put('relationships', asThen('followed', { viewerFollows: true }));
      // Evidence as that code stored it: one reply to the viewer, one of the viewer's.
      const stored = planBatch([reply(1), answer(1)], viewer, 1e12).evidence;
      for (const row of stored) await old.put('evidence', row as never);
      old.close();
      // Opened by this code: every store there, the row as it was, and the ingest at work.
      const db = await openRapportDB(name);
      expect(db.version).toBe(DB_VERSION);
      expect([...db.objectStoreNames].sort()).toEqual([...STORE_NAMES].sort());
      expect(await db.get('accounts', 'x:p1')).toEqual(account);
      expect(await followerCount(db, 'x:me')).toBe(1);
      expect((await db.get('relationships', ['x:me', 'x:follows']))?.followerOf).toBe('x:me');
      expect(await db.get('relationships', ['x:me', 'x:followed'])).not.toHaveProperty(
        'followerOf',
      );
      const { trail } = await personEvidence(db, 'x:me', 'x:p1');
      expect(trail.map((e) => [e.key, e.direction]).sort()).toEqual(
        stored.map((e) => [e.key, e.from === 'x:me' ? 'out' : 'in']).sort(),
      );
      // What was stored before is still known: the same reply again adds nothing.
      expect(await ingestBatch(db, { viewer, seenAt: 1e12, observations: [reply(1)] })).toEqual({
        added: 0,
      });
      await ingestBatch(db, { viewer, seenAt: 1e12, observations: [reply(2)] });
      expect(await db.count('evidence')).toBe(3);
      db.close();
    }
  });

  test('version 3 marks every follower of a large store, read page by page', async () => {
    const name = `migrate-followers-${Math.random()}`;
    const old = await openDB(name, 2, {
      upgrade(db, oldVersion, _newVersion, tx) {
        migrate(db as never, tx as never, oldVersion, 2);
      },
    });
    // More rows than one page of the migration's reads, for two viewers; every third follows.
    const tx = old.transaction('relationships', 'readwrite');
    for (let i = 0; i < 12_001; i++) {
      const flags = i % 3 === 0 ? { followsViewer: true } : { viewerFollows: true };
      void tx.store.put(unmarked(`p${i}`, flags, i % 2 === 0 ? 'x:me' : 'x:other'));
    }
    await tx.done;
    old.close();
    const db = await openRapportDB(name);
    // i % 3 === 0 among even i (x:me) and odd i (x:other), 0 ≤ i ≤ 12,000.
    expect(await followerCount(db, 'x:me')).toBe(2001);
    expect(await followerCount(db, 'x:other')).toBe(2000);
    expect(await db.count('relationships')).toBe(12_001);
    db.close();
  });

  test('version 4 re-keys every piece of evidence of a large store, read page by page', async () => {
    const name = `migrate-evidence-${Math.random()}`;
    const old = await openDB(name, 3, {
      upgrade(db, oldVersion, _newVersion, tx) {
        migrate(db as never, tx as never, oldVersion, 3);
      },
    });
    // More rows than two pages of the migration's reads: replies to the viewer from 100 people,
    // and the viewer's answers to them.
    const observations = Array.from({ length: 6_001 }, (_, i) => [
      { ...reply(i % 100), sourceId: `r${i}` },
      { ...answer(i % 100), sourceId: `a${i}` },
    ]).flat();
    const rows = planBatch(observations, viewer, 1e12).evidence;
    const tx = old.transaction(['evidence', 'viewers'], 'readwrite');
    for (const row of rows) void tx.objectStore('evidence').put(row as never);
    void tx.objectStore('viewers').put({
      key: 'x:me',
      platform: 'x',
      handle: 'me',
      firstSeenAt: 1,
      lastSeenAt: 1,
    } as never);
    await tx.done;
    old.close();
    const db = await openRapportDB(name);
    expect(await db.count('evidence')).toBe(12_002);
    expect([...db.objectStoreNames].sort()).toEqual([...STORE_NAMES].sort());
    expect([...db.transaction('evidence').store.indexNames]).toEqual(['byToViewer']);
    // p7 replied 60 times (i = 7, 107, …, 5907) and was answered as often.
    const { trail } = await personEvidence(db, 'x:me', 'x:p7');
    expect(trail.filter((e) => e.direction === 'in')).toHaveLength(60);
    expect(trail.filter((e) => e.direction === 'out')).toHaveLength(60);
    // Every reply to the viewer, known as the user's account, carries the mark; nothing else.
    expect(await db.countFromIndex('evidence', 'byToViewer', 'x:me')).toBe(6_001);
    expect(await db.countFromIndex('evidence', 'byToViewer')).toBe(6_001);
    db.close();
  });

  test('version 5 re-keys the evidence by source and kind, marks kept, page by page', async () => {
    const name = `migrate-evidence-keys-${Math.random()}`;
    const old = await openDB(name, 4, {
      upgrade(db, oldVersion, _newVersion, tx) {
        migrate(db as never, tx as never, oldVersion, 4);
      },
    });
    // Two pages and more; a reply that also mentions the viewer is two acts of one source.
    const observations = Array.from({ length: 6_001 }, (_, i) => [
      { ...reply(i % 100), sourceId: `r${i}` },
      { ...reply(i % 100), kind: 'mention' as const, sourceId: `r${i}` },
    ]).flat();
    const rows = planBatch(observations, viewer, 1e12).evidence;
    const tx = old.transaction('evidence', 'readwrite');
    for (const row of rows) void tx.store.put({ ...row, toViewer: row.to } as never);
    await tx.done;
    old.close();
    const db = await openRapportDB(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([...STORE_NAMES].sort());
    expect(db.transaction('evidence').store.keyPath).toEqual(['from', 'to', 'sourceId', 'kind']);
    expect(await db.count('evidence')).toBe(12_002);
    expect(await db.countFromIndex('evidence', 'byToViewer', 'x:me')).toBe(12_002);
    const first = rows[0] as EvidenceRow;
    expect(await db.get('evidence', [first.from, first.to, first.sourceId, first.kind])).toEqual({
      ...first,
      toViewer: 'x:me',
    });
    // p7 replied and mentioned the viewer 60 times each (i = 7, 107, …, 5907).
    const { trail } = await personEvidence(db, 'x:me', 'x:p7');
    expect(trail.filter((e) => e.kind === 'reply')).toHaveLength(60);
    expect(trail.filter((e) => e.kind === 'mention')).toHaveLength(60);
    db.close();
  });
});

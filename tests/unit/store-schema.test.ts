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
import { ingestBatch } from '../../src/store/ingest.ts';
import { followerCount } from '../../src/store/queries.ts';
import { DB_VERSION, MIGRATIONS, openRapportDB, STORE_NAMES } from '../../src/store/schema.ts';

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

describe('migrations', () => {
  test('a database each earlier version left is brought to this one, its rows intact', async () => {
    for (let from = 1; from < DB_VERSION; from++) {
      const name = `migrate-${from}-${Math.random()}`;
      // The database as the code of version `from` made it, with a person in it.
      const old = await openDB(name, from, {
        upgrade(db, oldVersion, _newVersion, tx) {
          for (let v = oldVersion; v < from; v++) MIGRATIONS[v]?.(db as never, tx as never);
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
      // Relationship rows as earlier code settled them: without the follower mark.
      await old.put('relationships', unmarked('follows', { followsViewer: true }));
      await old.put('relationships', unmarked('followed', { viewerFollows: true }));
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
      await ingestBatch(db, { viewer, seenAt: 1e12, observations: [reply(1)] });
      expect(await db.count('evidence')).toBe(1);
      db.close();
    }
  });

  test('version 3 marks every follower of a large store, read page by page', async () => {
    const name = `migrate-followers-${Math.random()}`;
    const old = await openDB(name, 2, {
      upgrade(db, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < 2; v++) MIGRATIONS[v]?.(db as never, tx as never);
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
});

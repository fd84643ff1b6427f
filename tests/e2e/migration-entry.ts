/**
 * Runs in a Chromium page (real IndexedDB): a database as an earlier schema version left it, full
 * of relationship rows, then opened by this code's `openRapportDB`.
 */
import { deleteDB, openDB } from 'idb';
import type { AccountKey } from '../../src/core/keys.ts';
import { DEFAULT_SETTINGS } from '../../src/core/model.ts';
import { applyFlags, emptyRelationship, settle } from '../../src/core/relationship.ts';
import type { EvidenceRow } from '../../src/core/batch.ts';
import { personEvidence } from '../../src/store/people.ts';
import { followerCount } from '../../src/store/queries.ts';
import { migrate, openRapportDB } from '../../src/store/schema.ts';

export const VIEWERS: readonly AccountKey[] = ['x:me', 'linkedin:me'];

/**
 * `rows` relationship rows written by schema version `version`'s code (before version 3, with
 * no follower mark): row i belongs to VIEWERS[i % 2]; every third follows (X) or is connected (LinkedIn).
 * Beside them, `rows` pieces of evidence as that code stored them (before version 4 keyed by their
 * key alone, with no mark): half of them replies to the viewer of their row, the rest between
 * other people.
 */
export async function olderDatabase(name: string, version: number, rows: number): Promise<void> {
  const db = await openDB(name, version, {
    upgrade(database, oldVersion, _newVersion, tx) {
      migrate(database as never, tx as never, oldVersion, version);
    },
  });
  const tx = db.transaction(['relationships', 'evidence', 'viewers'], 'readwrite');
  for (const viewer of VIEWERS) {
    const [platform, handle] = viewer.split(':') as ['x' | 'linkedin', string];
    void tx
      .objectStore('viewers')
      .put({ key: viewer, platform, handle, firstSeenAt: 1, lastSeenAt: 1 });
  }
  for (let i = 0; i < rows; i++) {
    const viewer = VIEWERS[i % 2] as AccountKey;
    const platform = viewer.startsWith('x:') ? 'x' : 'linkedin';
    const from: AccountKey = `${platform}:p${i}`;
    const to: AccountKey = i % 4 < 2 ? viewer : `${platform}:p${i + 1}`;
    const handle = (key: AccountKey) => key.slice(platform.length + 1);
    const row: EvidenceRow = {
      key: `${platform}:${i}:reply:${handle(from)}:${handle(to)}`,
      platform,
      kind: 'reply',
      from,
      to,
      sourceId: String(i),
      at: 1.7e12 + i,
      seenAt: 1.7e12 + i,
    };
    // From version 4 on, a row addressed to one of the user's accounts is stored with the mark.
    const stored = version >= 4 && to === viewer ? { ...row, toViewer: to } : row;
    void tx.objectStore('evidence').put(stored as never);
  }
  for (let i = 0; i < rows; i++) {
    const viewer = VIEWERS[i % 2] as AccountKey;
    const platform = viewer.startsWith('x:') ? 'x' : 'linkedin';
    const empty = emptyRelationship(viewer, { platform, handle: `p${i}` }, DEFAULT_SETTINGS);
    const flags =
      i % 3 === 0
        ? platform === 'x'
          ? { followsViewer: true }
          : { connected: true }
        : { viewerFollows: true };
    const settled = settle(applyFlags(empty, flags), DEFAULT_SETTINGS, 1);
    // Code before version 3 knew no follower mark; version 3's code sets it.
    const { followerOf: _mark, ...unmarked } = settled;
    const row = version < 3 ? unmarked : settled;
    void tx.objectStore('relationships').put(row as never);
  }
  await tx.done;
  db.close();
}

/** Opens the database with this code, as the extension does after an update. */
export async function upgrade(name: string) {
  const started = performance.now();
  const db = await openRapportDB(name);
  const ms = performance.now() - started;
  const followers = await Promise.all(VIEWERS.map((viewer) => followerCount(db, viewer)));
  const result = {
    ms,
    version: db.version,
    rows: await db.count('relationships'),
    followers,
    // A follower's row and a non-follower's, as stored now.
    marked: (await db.get('relationships', ['x:me', 'x:p0']))?.followerOf ?? null,
    unmarked: (await db.get('relationships', ['x:me', 'x:p2']))?.followerOf ?? null,
    evidence: await db.count('evidence'),
    // Per viewer: replies addressed to it, marked, and found by the queries' ranges.
    addressed: await Promise.all(
      VIEWERS.map((viewer) => db.countFromIndex('evidence', 'byToViewer', viewer)),
    ),
    trail: (await personEvidence(db, 'x:me', 'x:p4')).trail.map((e) => `${e.key} ${e.direction}`),
  };
  db.close();
  // Gone before the next version's test: an origin's databases share one store on disk, and
  // writes slow down as it grows.
  await deleteDB(name);
  return result;
}

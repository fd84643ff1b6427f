/**
 * Runs in a Chromium page (real IndexedDB): a database as an earlier schema version left it, full
 * of relationship rows, then opened by this code's `openRapportDB`.
 */
import { openDB } from 'idb';
import type { AccountKey } from '../../src/core/keys.ts';
import { DEFAULT_SETTINGS } from '../../src/core/model.ts';
import { applyFlags, emptyRelationship, settle } from '../../src/core/relationship.ts';
import { followerCount } from '../../src/store/queries.ts';
import { MIGRATIONS, openRapportDB } from '../../src/store/schema.ts';

export const VIEWERS: readonly AccountKey[] = ['x:me', 'linkedin:me'];

/**
 * `rows` relationship rows written by schema version `version`'s code, which knew no follower
 * mark: row i belongs to VIEWERS[i % 2]; every third follows (X) or is connected (LinkedIn).
 */
export async function olderDatabase(name: string, version: number, rows: number): Promise<void> {
  const db = await openDB(name, version, {
    upgrade(database, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < version; v++) MIGRATIONS[v]?.(database as never, tx as never);
    },
  });
  const tx = db.transaction('relationships', 'readwrite');
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
    const { followerOf: _mark, ...row } = settle(applyFlags(empty, flags), DEFAULT_SETTINGS, 1);
    void tx.objectStore('relationships').put(row);
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
  };
  db.close();
  return result;
}

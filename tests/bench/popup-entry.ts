/**
 * Runs in the extension's own popup page (its real IndexedDB): fills the store with a large
 * history, and reads the top 50 the bare way, with idb and the byRank index, as the baseline.
 */
import type { EvidenceRow } from '../../src/core/batch.ts';
import type { AccountKey } from '../../src/core/keys.ts';
import { DEFAULT_SETTINGS, TIER_ORDER, type InteractionKind } from '../../src/core/model.ts';
import {
  applyEvidence,
  applyFlags,
  emptyRelationship,
  settle,
} from '../../src/core/relationship.ts';
import { openRapportDB } from '../../src/store/schema.ts';

const DAY = 86_400_000;

/** `accounts` people around one viewer, `perAccount` exchanges each (in and out, over a year). */
export async function seed(accounts: number, perAccount: number, now: number): Promise<number> {
  const db = await openRapportDB();
  const viewer: AccountKey = 'x:bench_me';
  await db.put('viewers', {
    key: viewer,
    platform: 'x',
    handle: 'bench_me',
    firstSeenAt: now,
    lastSeenAt: now,
  });
  await db.put('meta', { x: viewer }, 'activeViewer');
  const started = performance.now();
  const CHUNK = 1000;
  for (let start = 0; start < accounts; start += CHUNK) {
    const tx = db.transaction(['accounts', 'evidence', 'relationships'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(accounts, start + CHUNK); i++) {
      const handle = `person_${i}`;
      const key: AccountKey = `x:${handle}`;
      writes.push(
        tx.objectStore('accounts').put({
          key,
          platform: 'x',
          handle,
          name: `Person ${i}`,
          firstSeenAt: now,
          lastSeenAt: now,
        }),
      );
      let row = emptyRelationship(viewer, { platform: 'x', handle }, DEFAULT_SETTINGS);
      // A few talk both ways, some only one way, most follow silently or only like.
      const style = i % 10;
      for (let j = 0; j < perAccount; j++) {
        const inbound = style < 3 ? j % 2 === 0 : style < 5 ? true : style < 6 ? false : true;
        const kind: InteractionKind = style < 6 ? 'reply' : 'reaction';
        const at = now - ((i * 7 + j * 37) % 365) * DAY;
        const ev: EvidenceRow = {
          key: `x:${i}_${j}:${kind}:${inbound ? handle : 'bench_me'}:${inbound ? 'bench_me' : handle}`,
          platform: 'x',
          kind,
          from: inbound ? key : viewer,
          to: inbound ? viewer : key,
          sourceId: `${i}_${j}`,
          at,
          seenAt: now,
          url: `https://x.com/${handle}/status/${i}${j}`,
        };
        // As the ingest stores it: what is addressed to the viewer carries the mark.
        writes.push(tx.objectStore('evidence').put(inbound ? { ...ev, toViewer: viewer } : ev));
        row = applyEvidence(row, {
          kind,
          direction: inbound ? 'in' : 'out',
          at,
          url: ev.url as string,
        });
      }
      if (style >= 8) row = applyFlags(row, { followsViewer: true });
      // As the ingest writes it: with the account's name.
      writes.push(
        tx
          .objectStore('relationships')
          .put(settle({ ...row, name: `Person ${i}` }, DEFAULT_SETTINGS, now)),
      );
    }
    await Promise.all([...writes, tx.done]);
  }
  db.close();
  return performance.now() - started;
}

/** The baseline: open the database and read the top 50 rows by the byRank index, nothing else. */
export async function bareTop50(): Promise<number> {
  const started = performance.now();
  const db = await openRapportDB();
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const rows = await index.getAll(
    IDBKeyRange.bound(
      ['x:bench_me', TIER_ORDER.conversational, -Infinity],
      ['x:bench_me', Infinity, Infinity],
    ),
    50,
  );
  const elapsed = performance.now() - started;
  db.close();
  if (rows.length !== 50) throw new Error(`expected 50 rows, read ${rows.length}`);
  return elapsed;
}

/**
 * The baseline as a page of its own, opened like the popup: its script's first act is the bare
 * open-and-read, marked as the popup marks its own part (start, first rows). A page that has just
 * loaded queues the database's answers behind its own loading (DOMContentLoaded, the load event,
 * layout), which a read in a page long loaded never meets.
 */
export function barePage(): void {
  performance.mark('rapport:start');
  void bareTop50().then(() => performance.mark('rapport:first-rows'));
}

/** Where a first screen's time goes: each read the popup makes, timed alone (bench --profile). */
export async function steps(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    out[name] = Math.round((now - t) * 10) / 10;
    t = now;
  };
  const db = await openRapportDB();
  lap('open');
  await Promise.all([
    db.getAll('viewers'),
    db.get('meta', 'breakage'),
    db.get('meta', 'activeViewer'),
  ]);
  lap('viewers+meta');
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const rows = await index.getAll(
    IDBKeyRange.bound(
      ['x:bench_me', TIER_ORDER.conversational, -Infinity],
      ['x:bench_me', TIER_ORDER.conversational, Infinity],
    ),
    50,
  );
  lap('top50');
  const tx = db.transaction('accounts', 'readonly');
  await Promise.all(rows.map((r) => tx.store.get(r.account)));
  lap('names49');
  const tx2 = db.transaction('accounts', 'readonly');
  await Promise.all(rows.map((r) => tx2.store.get(r.account)));
  lap('names49-again');
  db.close();
  return out;
}

/**
 * Runs in a Chromium page (real IndexedDB): the background's ingest path, message validation
 * included, beside a bare idb put loop of the same rows in one transaction.
 */
import { deleteDB, openDB, unwrap, wrap } from 'idb';
import { acceptRequest, handleRequest } from '../../src/background/router.ts';
import { planBatch } from '../../src/core/batch.ts';
import type { Observation } from '../../src/core/model.ts';
import { openRapportDB } from '../../src/store/schema.ts';

const OWN = 'bench';

/**
 * n interactions among `people` people (500: the measure; as many as observations: a
 * feed where nobody comes back), one in ten touching the viewer.
 */
function workload(n: number, people = 500): Observation[] {
  const out: Observation[] = [];
  const person = (i: number) => ({
    platform: 'x' as const,
    handle: `p${i % people}`,
    name: `Person ${i % people}`,
  });
  const me = { platform: 'x' as const, handle: 'me' };
  for (let i = 0; i < n; i++) {
    const from = i % 10 === 0 ? me : person(i);
    const to = i % 10 === 5 ? me : person(i * 7 + 3);
    out.push({
      type: 'interaction',
      kind: i % 3 === 0 ? 'mention' : 'reply',
      from,
      to,
      sourceId: String(1e15 + i),
      at: new Date(1.7e12 + i * 60_000).toISOString(),
    });
  }
  return out;
}

/** A batch as the content script sends it. */
function batchMessage(index: number, observations: Observation[]) {
  return {
    type: 'ingest',
    batchId: `b${index}`,
    viewer: { platform: 'x', handle: 'me' },
    page: { platform: 'x', kind: 'home', url: 'https://x.com/home' },
    seenAt: Date.now(),
    observations,
  };
}

export async function bare(n: number, name: string, people?: number): Promise<number> {
  const db = await openDB(name, 1, {
    upgrade: (d) => d.createObjectStore('evidence', { keyPath: 'key' }),
  });
  return putLoop(unwrap(db), n, name, people);
}

/**
 * The same rows put in one transaction into the evidence store of a fresh Rapport database: the
 * store the ingest writes, with the indexes the queries need (their upkeep is the rows' own cost).
 */
export async function bareIntoStore(n: number, name: string): Promise<number> {
  return putLoop(unwrap(await openRapportDB(name)), n, name);
}

/** Both baselines' timed part: the rows put with idb in one transaction; then the database goes. */
async function putLoop(
  database: IDBDatabase,
  n: number,
  name: string,
  people?: number,
): Promise<number> {
  const rows = planBatch(workload(n, people), undefined, Date.now()).evidence;
  const db = wrap(database);
  const start = performance.now();
  const tx = db.transaction('evidence', 'readwrite');
  for (const row of rows) void tx.store.put(row);
  await tx.done;
  const ms = performance.now() - start;
  db.close();
  // Each measured database goes: an origin's databases share one store on disk, and what earlier
  // runs left there would make later runs slower (compactions at random moments).
  await deleteDB(name);
  return ms;
}

/**
 * The ingest path, message validation included. `together`: the batches are handed over at once,
 * as the content script's sender sends what waits (it does not wait for one acknowledgement to
 * send the next), and the background writes those that arrive while one is being written in one
 * transaction. Otherwise one at a time, each acknowledged before the next is sent.
 */
export async function ingest(
  n: number,
  name: string,
  together: boolean,
  batch = 1000,
  people?: number,
): Promise<number> {
  const observations = workload(n, people);
  const db = await openRapportDB(name);
  const start = performance.now();
  const replies: Promise<void>[] = [];
  for (let i = 0; i < n; i += batch) {
    const message = batchMessage(i, observations.slice(i, i + batch));
    const request = acceptRequest(message, { id: OWN, tab: {} }, OWN);
    if (typeof request === 'string') throw new Error(request);
    const reply = handleRequest(db, request).then((answer) => {
      if (!answer.ok) throw new Error('error' in answer ? answer.error : 'ingest failed');
    });
    if (together) replies.push(reply);
    else await reply;
  }
  await Promise.all(replies);
  const ms = performance.now() - start;
  db.close();
  await deleteDB(name);
  return ms;
}

/** The message validation alone, for the same batches: how much of ingest is the schema. */
export function validation(n: number, batch = 1000): number {
  const observations = workload(n);
  const start = performance.now();
  for (let i = 0; i < n; i += batch) {
    const message = batchMessage(i, observations.slice(i, i + batch));
    if (typeof acceptRequest(message, { id: OWN, tab: {} }, OWN) === 'string')
      throw new Error('invalid');
  }
  return performance.now() - start;
}

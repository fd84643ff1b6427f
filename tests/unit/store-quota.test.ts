/**
 * The browser refusing to store more (quota): a batch is all or nothing, and the notice the
 * popup shows starts and ends with the failures.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import {
  isQuotaError,
  noteSaveOutcome,
  readStorageFull,
  STORAGE_FULL_KEY,
  type SessionArea,
} from '../../src/shared/storage-full.ts';
import { ingestBatch } from '../../src/store/ingest.ts';
import { openRapportDB, STORE_NAMES, type RapportDatabase } from '../../src/store/schema.ts';

const me = { platform: 'x' as const, handle: 'me' };
const replies = (from: number, count: number): Observation[] =>
  Array.from({ length: count }, (_, i) => ({
    type: 'interaction' as const,
    kind: 'reply' as const,
    from: { platform: 'x' as const, handle: `p${from + i}`, name: `P ${from + i}` },
    to: me,
    sourceId: String(from + i),
    at: '2026-06-01T00:00:00.000Z',
  }));

async function counts(db: RapportDatabase) {
  const out: Record<string, number> = {};
  for (const store of STORE_NAMES) out[store] = await db.count(store);
  return out;
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
afterEach(() => vi.restoreAllMocks());

describe('a quota error during ingest', () => {
  test.each([
    ['refused at a put', 'sync'],
    ['refused at commit (the transaction aborts)', 'abort'],
  ])('%s: no partial batch; the next batch saves once there is room', async (_name, how) => {
    const db = await openRapportDB(`quota-${how}-${Math.random()}`);
    await ingestBatch(db, { viewer: me, observations: replies(0, 10), seenAt: Date.now() });
    const before = await counts(db);

    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      calls += 1;
      // Half-way through the batch's writes, the browser says no.
      if (calls === 40) {
        if (how === 'sync') throw quota();
        const request = put.apply(this, args);
        this.transaction.abort();
        return request;
      }
      return put.apply(this, args);
    });
    await expect(
      ingestBatch(db, { viewer: me, observations: replies(100, 50), seenAt: Date.now() }),
    ).rejects.toBeDefined();
    expect(calls).toBeGreaterThanOrEqual(40);
    expect(await counts(db)).toEqual(before);

    vi.restoreAllMocks();
    const saved = await ingestBatch(db, {
      viewer: me,
      observations: replies(100, 50),
      seenAt: Date.now(),
    });
    expect(saved.added).toBe(50);
    expect((await counts(db)).evidence).toBe(before.evidence! + 50);
    db.close();
  });
});

function memoryArea(): SessionArea & { items: Record<string, unknown> } {
  const items: Record<string, unknown> = {};
  return {
    items,
    get: async (key) => (key in items ? { [key]: items[key] } : {}),
    set: async (more) => void Object.assign(items, more),
    remove: async (key) => void delete items[key],
  };
}

describe('the storage-full notice', () => {
  test.each<[unknown, boolean]>([
    [quota(), true],
    [new Error('QuotaExceededError: too much'), true],
    [{ name: 'QuotaExceededError' }, true],
    [new DOMException('Transaction aborted', 'AbortError'), false],
    [new Error('database connection is closing'), false],
    [undefined, false],
  ])('isQuotaError(%s) → %s', (error, expected) => {
    expect(isQuotaError(error)).toBe(expected);
  });

  test('starts at the first quota failure, keeps its start, ends at the next save', async () => {
    const area = memoryArea();
    expect(
      await noteSaveOutcome({ ok: false, error: new Error('other') }, 1, area),
    ).toBeUndefined();
    expect(await noteSaveOutcome({ ok: false, error: quota() }, 100, area)).toEqual({
      since: 100,
      lastAt: 100,
    });
    expect(await noteSaveOutcome({ ok: false, error: quota() }, 200, area)).toEqual({
      since: 100,
      lastAt: 200,
    });
    expect(await readStorageFull(area)).toEqual({ since: 100, lastAt: 200 });
    expect(await noteSaveOutcome({ ok: true }, 300, area)).toBeUndefined();
    expect(area.items).toEqual({});
  });

  test('a malformed notice is ignored with a logged reason', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const area = memoryArea();
    area.items[STORAGE_FULL_KEY] = { since: 'yesterday', extra: true };
    expect(await readStorageFull(area)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('malformed storage notice'),
      expect.any(String),
    );
  });
});

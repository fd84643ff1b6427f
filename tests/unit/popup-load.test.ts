import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AccountRef, Observation } from '../../src/core/model.ts';
import { loadCounts, loadPopup, loadSection, type PopupRow } from '../../src/popup/load.ts';
import type { Relationship } from '../../src/core/relationship.ts';
import { ingestBatch } from '../../src/store/ingest.ts';
import { openRapportDB, type RapportDatabase } from '../../src/store/schema.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const me: AccountRef = { platform: 'x', handle: 'me', name: 'Me' };
const talk = (handle: string, name: string, id: string): Observation[] => [
  {
    type: 'interaction',
    kind: 'reply',
    from: { platform: 'x', handle, name },
    to: me,
    sourceId: `${id}a`,
    at: new Date(NOW - 3_600_000).toISOString(),
  },
  {
    type: 'interaction',
    kind: 'reply',
    from: me,
    to: { platform: 'x', handle },
    sourceId: `${id}b`,
    at: new Date(NOW - 1_800_000).toISOString(),
  },
];

/** Every report of a section until it says done, then any late redraw. */
function collect(db: RapportDatabase, viewers: string[]) {
  const reports: { rows: PopupRow[]; done: boolean }[] = [];
  loadSection(db, viewers as never, 'talk', (rows, done) => reports.push({ rows, done }), NOW);
  return reports;
}
const settle = () => new Promise((r) => setTimeout(r, 50));

let db: RapportDatabase;
let n = 0;
beforeEach(async () => {
  db = await openRapportDB(`popup-load-${n++}`);
});
afterEach(() => db.close());

describe('the first screen reads names from the rows themselves', () => {
  test('the ingest writes the name into the relationship row; the popup shows it', async () => {
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations: talk('ada', 'Ada L.', '1') });
    expect(await db.get('relationships', ['x:me', 'x:ada'])).toMatchObject({ name: 'Ada L.' });
    const data = await loadPopup(db);
    expect(data.shown.map((v) => v.key)).toEqual(['x:me']);
    const reports = collect(db, ['x:me']);
    await settle();
    expect(reports.at(-1)?.rows.map((r) => [r.handle, r.name])).toEqual([['ada', 'Ada L.']]);
  });

  test('the accounts shown last time get their first rows read with the accounts; a wrong guess is dropped', async () => {
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations: talk('ada', 'Ada L.', '1') });
    const data = await loadPopup(db, {}, ['x:me', 'linkedin:gone']);
    expect([...(data.talkFirstScreen?.keys() ?? [])]).toEqual(['x:me']);
    expect(data.talkFirstScreen?.get('x:me')?.map((r) => r.handle)).toEqual(['ada']);
    expect((await loadPopup(db)).talkFirstScreen).toBeUndefined();
    const reports: { rows: PopupRow[]; done: boolean }[] = [];
    const ahead = new Map(data.talkFirstScreen);
    // What was read ahead is what shows (a row read ahead, then changed, shows as read ahead).
    ahead.set('x:me', [{ ...(ahead.get('x:me')?.[0] as Relationship), name: 'Read ahead' }]);
    loadSection(db, ['x:me'], 'talk', (rows, done) => reports.push({ rows, done }), NOW, ahead);
    await settle();
    expect(reports[0]?.rows.map((r) => [r.handle, r.name])).toEqual([['ada', 'Read ahead']]);
  });

  test('a name changed since the row was written is redrawn from the accounts store', async () => {
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations: talk('ada', 'Ada L.', '1') });
    // A later sighting with a new name and no new evidence: the row keeps its copy.
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [
        { type: 'post', id: '9', author: { platform: 'x', handle: 'ada', name: 'Ada Lovelace' } },
      ],
    });
    expect(await db.get('relationships', ['x:me', 'x:ada'])).toMatchObject({ name: 'Ada L.' });
    const reports = collect(db, ['x:me']);
    await settle();
    expect(reports[0]?.rows[0]?.name).toBe('Ada L.');
    const last = reports.at(-1);
    expect(last?.rows[0]).toMatchObject({ name: 'Ada Lovelace', searchText: 'ada lovelace ada' });
    expect(last?.done).toBe(true);
  });

  test('rows written before names were kept in them get their names from the accounts store', async () => {
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations: talk('ada', 'Ada L.', '1') });
    const row = await db.get('relationships', ['x:me', 'x:ada']);
    delete row?.name;
    await db.put('relationships', row!);
    const reports = collect(db, ['x:me']);
    await settle();
    expect(reports[0]?.rows[0]?.name).toBe('Ada L.');
  });
});

describe('the counts under the summary', () => {
  const li: AccountRef = { platform: 'linkedin', handle: 'me-li' };
  const follower = (handle: string): Observation => ({
    type: 'relationship',
    account: { platform: 'x', handle },
    followsViewer: true,
  });
  const connection = (handle: string): Observation => ({
    type: 'relationship',
    account: { platform: 'linkedin', handle },
    connected: true,
  });

  test('tiers and followers of every shown account added up; LinkedIn brings connections', async () => {
    await ingestBatch(db, {
      viewer: me,
      seenAt: NOW,
      observations: [...talk('ada', 'Ada', '1'), follower('ada'), follower('bo'), follower('cy')],
    });
    await ingestBatch(db, {
      viewer: li,
      seenAt: NOW,
      observations: [connection('dee'), connection('eli')],
    });
    const data = await loadPopup(db, { platform: 'all' });
    expect(await loadCounts(db, data.shown, NOW)).toEqual({
      tiers: expect.objectContaining({ conversational: 1, 'silent-follower': 4 }),
      followers: 5,
      withConnections: true,
    });
    const onX = await loadPopup(db, { platform: 'x' });
    expect(await loadCounts(db, onX.shown, NOW)).toEqual({
      tiers: expect.objectContaining({ conversational: 1, 'silent-follower': 2 }),
      followers: 3,
      withConnections: false,
    });
  });

  test('tiers expired by time are settled, counted as they are now, and the toolbar is asked to redraw', async () => {
    const written: Record<string, unknown>[] = [];
    const local = { set: async (items: Record<string, unknown>) => void written.push(items) };
    vi.stubGlobal('chrome', { storage: { local } });
    try {
      await ingestBatch(db, { viewer: me, seenAt: NOW, observations: talk('ada', 'Ada', '1') });
      const data = await loadPopup(db);
      expect((await loadCounts(db, data.shown, NOW)).tiers.conversational).toBe(1);
      await settle();
      expect(written).toEqual([]);
      const later = NOW + 400 * 86_400_000;
      const counts = await loadCounts(db, data.shown, later);
      expect(counts.tiers.conversational).toBe(0);
      expect(counts.tiers.passive + counts.tiers.unknown).toBe(1);
      await settle();
      expect(written).toEqual([{ repaint: expect.any(Number) }]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

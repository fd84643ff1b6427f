import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AccountKey } from '../../src/core/keys.ts';
import type { AccountRef, Observation } from '../../src/core/model.ts';
import { loadPopup, loadSection, type PopupData, type PopupRow } from '../../src/popup/load.ts';
import {
  forgetPopupShown,
  POPUP_SHOWN_KEY,
  readPopupShown,
  writePopupShown,
} from '../../src/shared/popup-hint.ts';
import { memoryArea } from './helpers/session-area.ts';
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
function collect(db: RapportDatabase, viewers: string[], firstRows?: PopupData['firstRows']) {
  const reports: { rows: PopupRow[]; done: boolean }[] = [];
  loadSection(
    db,
    viewers as never,
    'talk',
    (rows, done) => reports.push({ rows, done }),
    NOW,
    firstRows,
  );
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

describe('the first rows of the accounts shown last time are read with the accounts', () => {
  /** 120 people who talk with the viewer: the first screen (50) and more, ranks tied in pairs. */
  async function seed() {
    const observations: Observation[] = [];
    for (let i = 0; i < 120; i++) {
      const [a, b] = talk(`p${i}`, `P ${i}`, String(1000 + i)) as [Observation, Observation];
      // Two people per hour: equal ranks at the first screen's edge too.
      const at = new Date(NOW - Math.floor(i / 2) * 3_600_000).toISOString();
      observations.push({ ...a, at } as Observation, { ...b, at } as Observation);
    }
    await ingestBatch(db, { viewer: me, seenAt: NOW, observations });
  }

  test('the walk that starts from them hands out the same rows, in the same order', async () => {
    await seed();
    const data = await loadPopup(db, {}, ['x:me']);
    expect(data.firstRows?.get('x:me')).toHaveLength(50);
    const ahead = collect(db, ['x:me'], data.firstRows);
    const plain = collect(db, ['x:me']);
    await settle();
    const handles = (reports: typeof plain) => reports.at(-1)?.rows.map((r) => r.handle);
    expect(handles(ahead)).toHaveLength(120);
    expect(new Set(handles(ahead)).size).toBe(120);
    expect(handles(ahead)).toEqual(handles(plain));
    expect(ahead.at(-1)?.done).toBe(true);
  });

  test('the first screen is the rows read ahead, not a second read', async () => {
    await seed();
    const data = await loadPopup(db, {}, ['x:me']);
    const top = data.firstRows?.get('x:me')?.[0];
    // Gone from the store after the read ahead: the first screen still shows what was read.
    await db.delete('relationships', ['x:me', top?.account as never]);
    const reports = collect(db, ['x:me'], data.firstRows);
    await settle();
    expect(reports[0]?.rows[0]?.account).toBe(top?.account);
  });

  test.each<[string, AccountKey[]]>([
    ['an account that is not known', ['x:someone-else']],
    ['no record', []],
  ])(
    'a wrong guess (%s) reads nothing ahead; the popup shows the known account',
    async (_, expected) => {
      await seed();
      const data = await loadPopup(db, {}, expected);
      expect(data.shown.map((v) => v.key)).toEqual(['x:me']);
      expect(data.firstRows).toBeUndefined();
    },
  );

  test('only the guessed accounts that are shown keep their rows', async () => {
    await seed();
    const data = await loadPopup(db, {}, ['x:me', 'linkedin:gone']);
    expect([...(data.firstRows?.keys() ?? [])]).toEqual(['x:me']);
  });
});

describe('the record of the accounts the popup showed (session storage)', () => {
  test('written, read back, forgotten', async () => {
    const area = memoryArea();
    expect(await readPopupShown(area)).toEqual([]);
    await writePopupShown(['x:me', 'linkedin:ada-l'], area);
    expect(await readPopupShown(area)).toEqual(['x:me', 'linkedin:ada-l']);
    await forgetPopupShown(area);
    expect(area.items).toEqual({});
  });

  test('no session storage (an older browser): no record, no error', async () => {
    expect(await readPopupShown(undefined)).toEqual([]);
    await expect(writePopupShown(['x:me'], undefined)).resolves.toBeUndefined();
  });

  test.each<[string, unknown]>([
    ['not a list', 'x:me'],
    ['not an account key', ['me']],
    ['an unknown platform', ['mastodon:me']],
    ['more accounts than platforms', ['x:a', 'x:b', 'x:c']],
  ])('a malformed record (%s) is ignored with a logged reason', async (_, stored) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const area = memoryArea();
    area.items[POPUP_SHOWN_KEY] = stored;
    expect(await readPopupShown(area)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('malformed popup record'),
      expect.any(String),
    );
    warn.mockRestore();
  });
});

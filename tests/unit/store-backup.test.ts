import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS, type AccountRef, type Observation } from '../../src/core/model.ts';
import {
  BackupError,
  deleteEverything,
  exportBackup,
  exportCsv,
  exportFileName,
  exportMarkdown,
  importBackup,
  importOutside,
  markdownText,
  parseBackup,
} from '../../src/store/backup.ts';
import { csvCell, toCsv } from '../../src/store/formats/csv.ts';
import {
  connectedOn,
  ImportError,
  readLinkedInConnections,
  readOutsideFile,
  readXArchive,
} from '../../src/store/formats/outside.ts';
import { ingestBatch } from '../../src/store/ingest.ts';
import { followerCount } from '../../src/store/queries.ts';
import { openRapportDB, type RapportDatabase } from '../../src/store/schema.ts';
import { getSettings, updateSettings } from '../../src/store/settings.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const me: AccountRef = { platform: 'x', handle: 'me', name: 'Me', id: '1' };
const p = (handle: string, name?: string, id?: string): AccountRef => ({
  platform: 'x',
  handle,
  ...(name ? { name } : {}),
  ...(id ? { id } : {}),
});
const reply = (from: AccountRef, to: AccountRef, id: string, daysAgo: number): Observation => ({
  type: 'interaction',
  kind: 'reply',
  from,
  to,
  sourceId: id,
  at: new Date(NOW - daysAgo * 86_400_000).toISOString(),
  url: `https://x.com/${from.handle}/status/${id}`,
});

let db: RapportDatabase;
let n = 0;
beforeEach(async () => {
  db = await openRapportDB(`backup-${n++}`);
});
afterEach(() => db.close());

async function seed(target = db) {
  await ingestBatch(target, {
    viewer: me,
    seenAt: NOW,
    observations: [
      reply(me, p('ada', 'Ada L', '11'), '100', 3),
      reply(p('ada', 'Ada L', '11'), me, '101', 2),
      reply(p('eve', '=HYPERLINK("http://evil","x")', '12'), me, '102', 1),
      { type: 'relationship', account: p('bob', 'Bob', '13'), followsViewer: true },
    ],
  });
  await target.put('notes', {
    account: 'x:ada',
    text: 'Met at the <b>river</b> meetup.\n# not a heading',
    tags: ['friends', '+1'],
    updatedAt: NOW - 1000,
  });
}

describe('CSV', () => {
  test.each([
    ['plain', 'plain'],
    ['=1+2', "'=1+2"],
    ['+cmd', "'+cmd"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded ', '" padded "'],
    [-2, '-2'],
    [undefined, ''],
  ])('cell %j → %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
  test('a BOM, CRLF line ends, a header', () => {
    expect(toCsv(['a', 'b'], [['1', '=2']])).toBe("\ufeffa,b\r\n1,'=2\r\n");
  });
  test('one row per account; a name that is a formula stays text', async () => {
    await seed();
    const csv = await exportCsv(db, NOW);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'platform,handle,name,tier,score,in,out,last exchange,follows you,you follow,tags,note',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^x,ada,Ada L,conversational,[\d.]+,1,1,2026-05-30T00:00:00.000Z,,,friends; \+1,"Met at/,
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    for (const line of lines)
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+@]/);
  });
});

describe('JSON backup', () => {
  test('export → delete everything → import gives the same export, byte for byte', async () => {
    await seed();
    const first = await exportBackup(db, NOW);
    await deleteEverything(db);
    expect(await db.count('evidence')).toBe(0);
    await importBackup(db, await parseBackup(first), NOW);
    const second = await exportBackup(db, NOW);
    expect(second).toBe(first);
    const rows = await db.getAll('relationships');
    expect(Object.fromEntries(rows.map((r) => [r.handle, r.tier]))).toEqual({
      ada: 'conversational',
      eve: 'unanswered',
      bob: 'silent-follower',
    });
    // The follower index is rebuilt with the rows: bob follows.
    expect(await followerCount(db, 'x:me')).toBe(1);
  });

  test('importing the same backup twice changes nothing', async () => {
    await seed();
    const file = await exportBackup(db, NOW);
    const other = await openRapportDB(`backup-other-${n++}`);
    await importBackup(other, await parseBackup(file), NOW);
    const once = await exportBackup(other, NOW);
    const summary = await importBackup(other, await parseBackup(file), NOW);
    expect(summary).toEqual({ evidenceAdded: 0, accounts: 0, notes: 0, relationships: 0 });
    expect(await exportBackup(other, NOW)).toBe(once);
    other.close();
  });

  test('a backup merges into a store that already has data: new evidence counts, old stays', async () => {
    await seed();
    const file = await exportBackup(db, NOW);
    const other = await openRapportDB(`backup-merge-${n++}`);
    await ingestBatch(other, {
      viewer: me,
      seenAt: NOW,
      observations: [reply(me, p('eve'), '200', 1)],
    });
    await importBackup(other, await parseBackup(file), NOW);
    const eve = await other.get('relationships', ['x:me', 'x:eve']);
    expect(eve).toMatchObject({ inCount: 1, outCount: 1, tier: 'conversational' });
    other.close();
  });

  test("a backup naming one of the user's accounts this store never knew: what the store holds about it becomes its own", async () => {
    await seed();
    const file = await exportBackup(db, NOW);
    // The backup carries the evidence only, not the store's marks of what was addressed to me.
    expect(file).not.toContain('toViewer');
    const other = await openRapportDB(`backup-adopt-${n++}`);
    // Read before any page named the viewer: a reply to x:me, stored with no viewer known.
    await ingestBatch(other, { seenAt: NOW, observations: [reply(p('zed'), me, '300', 1)] });
    expect(await other.count('relationships')).toBe(0);
    await importBackup(other, await parseBackup(file), NOW);
    expect(await other.get('relationships', ['x:me', 'x:zed'])).toMatchObject({
      inCount: 1,
      tier: 'unanswered',
    });
    // Marked, so later rebuilds from the evidence find it: zed's reply and eve's and ada's.
    expect(await other.countFromIndex('evidence', 'byToViewer', 'x:me')).toBe(3);
    other.close();
  });

  test.each([
    ['cut short', (t: string) => t.slice(0, t.length / 2), /cut short or damaged/],
    ['not a backup', () => '{"hello":1}', /not a Rapport backup/],
    [
      'from a newer Rapport',
      (t: string) => t.replace('"version":1', '"version":9'),
      /newer Rapport/,
    ],
    ['changed after it was written', (t: string) => t.replace('"ada"', '"adb"'), /checksum/],
    ['oversized', (t: string) => t + ' '.repeat(10), /larger than any Rapport backup/],
  ])(
    'a backup %s is refused with a clear message, and the store is unchanged',
    async (_why, damage, message) => {
      await seed();
      const good = await exportBackup(db, NOW);
      const before = await exportBackup(db, NOW);
      const limit = _why === 'oversized' ? good.length + 5 : undefined;
      await expect(parseBackup(damage(good), limit)).rejects.toThrow(message);
      await expect(parseBackup(damage(good), limit)).rejects.toBeInstanceOf(BackupError);
      expect(await exportBackup(db, NOW)).toBe(before);
    },
  );

  test('a malformed entry with a valid checksum is refused too', async () => {
    await seed();
    const good = JSON.parse(await exportBackup(db, NOW)) as {
      data: { evidence: { kind: string }[] };
    };
    const data = good.data;
    (data.evidence[0] as { kind: string }).kind = 'teleport';
    await expect(parseBackup(await signed(data))).rejects.toThrow(
      /malformed entry \(evidence\.0\.kind/,
    );
  });

  test('the quiet weeks travel in the backup; one written before the setting keeps the default', async () => {
    await seed();
    await updateSettings(db, { quietWeeks: 8 }, NOW);
    const file = await exportBackup(db, NOW);
    const restored = await openRapportDB(`backup-quiet-${n++}`);
    await importBackup(restored, await parseBackup(file), NOW);
    expect((await getSettings(restored)).quietWeeks).toBe(8);
    restored.close();

    const data = (JSON.parse(file) as { data: { settings: Record<string, unknown> } }).data;
    delete data.settings.quietWeeks;
    const older = await openRapportDB(`backup-quiet-${n++}`);
    await importBackup(older, await parseBackup(await signed(data)), NOW);
    expect((await getSettings(older)).quietWeeks).toBe(DEFAULT_SETTINGS.quietWeeks);
    older.close();

    data.settings.quietWeeks = 99;
    await expect(parseBackup(await signed(data))).rejects.toThrow(
      /malformed entry \(settings\.quietWeeks/,
    );
  });
});

/** A backup of `data` with a valid checksum, as a tool other than Rapport could write it. */
async function signed(data: unknown): Promise<string> {
  const body = JSON.stringify(data);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  const checksum = `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  return `{"format":"rapport-backup","version":1,"exportedAt":"x","checksum":"${checksum}","data":${body}}`;
}

describe('Markdown digest of notes', () => {
  test('names and notes are text, never markup', async () => {
    await seed();
    const md = await exportMarkdown(db, NOW);
    expect(md).toContain('## Ada L (@ada, X)');
    expect(md).toContain('Met at the \\<b\\>river\\</b\\> meetup\\.');
    expect(md).toContain('\\# not a heading');
    expect(md).toContain('Tags: friends, \\+1');
    expect(markdownText('[x](javascript:alert(1))')).toBe('\\[x\\]\\(javascript:alert\\(1\\)\\)');
  });
  test('file names carry the date', () => {
    expect(exportFileName('csv', NOW)).toBe('rapport-2026-06-01.csv');
    expect(exportFileName('json', NOW)).toBe('rapport-backup-2026-06-01.json');
    expect(exportFileName('md', NOW)).toBe('rapport-notes-2026-06-01.md');
  });
});

describe("X's data archive", () => {
  const follower = `window.YTD.follower.part0 = [
  { "follower" : { "accountId" : "12", "userLink" : "https://twitter.com/intent/user?user_id=12" } },
  { "follower" : { "userLink" : "https://twitter.com/intent/user?user_id=13" } },
  { "follower" : { "accountId" : "not a number" } }
]`;
  test('follower.js: every id, from accountId or the user link', () => {
    expect(readXArchive(follower, 'follower.js')).toEqual({
      kind: 'x-followers',
      relationships: [
        { platform: 'x', id: '12', followsViewer: true },
        { platform: 'x', id: '13', followsViewer: true },
      ],
    });
  });
  test('following.js part1 and account.js', () => {
    expect(
      readXArchive('window.YTD.following.part1 = [{"following":{"accountId":"14"}}]').relationships,
    ).toEqual([{ platform: 'x', id: '14', viewerFollows: true }]);
    expect(
      readXArchive(
        'window.YTD.account.part0 = [{"account":{"accountId":"1","username":"Me","accountDisplayName":"Me"}}]',
      ).owner,
    ).toEqual({ platform: 'x', id: '1', handle: 'me', name: 'Me' });
  });
  test.each([
    ['window.YTD.follower.part0 = [{"follower":', /cut short or damaged/],
    ['alert(1)', /Rapport can import/],
    ['window.YTD.tweets.part0 = []', /not tweets/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => readOutsideFile(text, 'file.js')).toThrow(message);
    expect(() => readOutsideFile(text, 'file.js')).toThrow(ImportError);
  });
  test('archive ids join accounts whose id was seen; the rest are counted, not guessed', async () => {
    await seed();
    const result = await importOutside(db, 'x:me', readXArchive(follower), NOW);
    // Ids 12 (eve) and 13 (bob) were seen on pages; 14 never was.
    expect(result).toEqual({ matched: 2, unmatched: 0 });
    expect(await db.get('relationships', ['x:me', 'x:eve'])).toMatchObject({
      followsViewer: true,
      tier: 'unanswered',
    });
    // Followers whatever their tier: eve waits on an answer, bob followed already.
    expect(await followerCount(db, 'x:me')).toBe(2);
    const more = readXArchive('window.YTD.follower.part1 = [{"follower":{"accountId":"14"}}]');
    expect(await importOutside(db, 'x:me', more, NOW)).toEqual({ matched: 0, unmatched: 1 });
    // Again: nothing changes.
    const before = await exportBackup(db, NOW);
    await importOutside(db, 'x:me', readXArchive(follower), NOW);
    expect((await exportBackup(db, NOW)).replace(/"exportedAt":"[^"]+"/, '')).toBe(
      before.replace(/"exportedAt":"[^"]+"/, ''),
    );
  });
});

describe("LinkedIn's Connections.csv", () => {
  const csv = [
    '\ufeffNotes:',
    '"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"',
    '',
    'First Name,Last Name,URL,Email Address,Company,Position,Connected On',
    'Ines,Okafor,https://www.linkedin.com/in/Ines-Okafor,,"Stripe, Inc.","Senior Engineer ""Platform""",12 Mar 2024',
    'Kofi,Marsh,https://www.linkedin.com/in/kofi-marsh/,kofi@example.com,Acme,Recruiter,01 Jan 2023',
    'No,Url,,,,,05 May 2022',
    'Jérôme,L,https://www.linkedin.com/in/j%C3%A9r%C3%B4me-l,,,,7 Feb 2021',
  ].join('\r\n');
  test('the preamble is skipped; quoted fields, CRLF, mixed case and encoded slugs are read', () => {
    const read = readLinkedInConnections(csv);
    expect(read.relationships).toEqual([
      {
        platform: 'linkedin',
        handle: 'ines-okafor',
        name: 'Ines Okafor',
        connected: true,
        since: Date.UTC(2024, 2, 12),
      },
      {
        platform: 'linkedin',
        handle: 'kofi-marsh',
        name: 'Kofi Marsh',
        connected: true,
        since: Date.UTC(2023, 0, 1),
      },
      {
        platform: 'linkedin',
        handle: 'jérôme-l',
        name: 'Jérôme L',
        connected: true,
        since: Date.UTC(2021, 1, 7),
      },
    ]);
    // The row without a profile link is counted, so the user is told it was skipped.
    expect(read.skipped).toBe(1);
  });
  test('dates', () => {
    expect(connectedOn('12 Mar 2024')).toBe(Date.UTC(2024, 2, 12));
    expect(connectedOn('12 Foo 2024')).toBeUndefined();
  });
  test.each([
    ['no header', 'a,b,c\n1,2,3', /no "First Name/],
    [
      'cut inside a quoted field',
      'First Name,Last Name,URL\nA,"B,https://www.linkedin.com/in/a',
      /not closed/,
    ],
  ])('%s: refused', (_why, text, message) => {
    expect(() => readLinkedInConnections(text)).toThrow(message);
  });
  test('imported for the LinkedIn viewer: connected, a silent follower until they talk', async () => {
    await ingestBatch(db, {
      viewer: { platform: 'linkedin', handle: 'robin-vale' },
      seenAt: NOW,
      observations: [],
    });
    await importOutside(db, 'linkedin:robin-vale', readOutsideFile(csv, 'Connections.csv'), NOW);
    const rows = await db.getAll('relationships');
    expect(rows.map((r) => [r.handle, r.tier, r.connected, r.name])).toEqual([
      ['ines-okafor', 'silent-follower', true, 'Ines Okafor'],
      ['jérôme-l', 'silent-follower', true, 'Jérôme L'],
      ['kofi-marsh', 'silent-follower', true, 'Kofi Marsh'],
    ]);
    // The popup's "of your N followers" counts connections.
    expect(await followerCount(db, 'linkedin:robin-vale')).toBe(3);
  });
});

test('after everything is deleted, the next pages read fill the store again (no stale cache)', async () => {
  await seed();
  expect(await db.count('accounts')).toBe(4);
  await deleteEverything(db);
  await seed();
  expect(await db.count('accounts')).toBe(4);
  expect(await db.count('relationships')).toBe(3);
});

test('"same person" links travel in the backup', async () => {
  const { linkSamePerson, samePersonOf } = await import('../../src/store/people.ts');
  await seed();
  await ingestBatch(db, {
    viewer: { platform: 'linkedin', handle: 'me-li' },
    seenAt: NOW,
    observations: [
      { type: 'relationship', account: { platform: 'linkedin', handle: 'ada-l' }, connected: true },
    ],
  });
  await linkSamePerson(db, 'x:ada', 'linkedin:ada-l');
  const file = await exportBackup(db, NOW);
  expect(file).toContain('"links":[["linkedin:ada-l","x:ada"]]');
  await deleteEverything(db);
  await importBackup(db, await parseBackup(file), NOW);
  expect(await samePersonOf(db, 'x:ada')).toBe('linkedin:ada-l');
  expect(await exportBackup(db, NOW)).toBe(file);
});

describe('long imports and exports', () => {
  /** 2,500 exchanges with 700 people: more than one chunk of every kind the import reads. */
  async function seedMany(target = db) {
    for (let batch = 0; batch < 3; batch++) {
      const observations: Observation[] = [];
      for (let i = batch * 1000; i < Math.min(2500, (batch + 1) * 1000); i++) {
        const other = p(`p${i % 700}`, `P ${i % 700}`);
        observations.push(
          i % 2
            ? reply(me, other, String(5000 + i), i % 90)
            : reply(other, me, String(5000 + i), 1),
        );
      }
      await ingestBatch(target, { viewer: me, seenAt: NOW, observations });
    }
  }

  test('a backup larger than one chunk: the same store back, progress counted to the end', async () => {
    await seedMany();
    const steps: Array<[number, number]> = [];
    const file = await exportBackup(db, NOW, (done, total) => steps.push([done, total]));
    expect(steps.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(steps.every(([, total]) => total === 10)).toBe(true);

    await deleteEverything(db);
    const progress: Array<[number, number]> = [];
    const summary = await importBackup(db, await parseBackup(file), NOW, (done, total) =>
      progress.push([done, total]),
    );
    expect(summary.evidenceAdded).toBe(2500);
    expect(await exportBackup(db, NOW)).toBe(file);
    const dones = progress.map(([done]) => done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    const total = progress[0]?.[1] as number;
    expect(total).toBeGreaterThan(2500);
    // The accounts in one chunk, then the exchanges in two (2,000 and 500).
    expect(dones).toEqual([total - 2500, total - 500, total]);
  });

  test('an entry given twice is taken once (accounts merged, evidence counted once)', async () => {
    await seed();
    const data = (
      JSON.parse(await exportBackup(db, NOW)) as {
        data: {
          accounts: Array<{ key: string; firstSeenAt: number; lastSeenAt: number }>;
          evidence: unknown[];
        };
      }
    ).data;
    const ada = data.accounts.find((a) => a.key === 'x:ada') as (typeof data.accounts)[number];
    data.accounts.push({ ...ada, firstSeenAt: NOW - 1000, lastSeenAt: NOW + 1000 });
    data.evidence.push(data.evidence[0]);
    const other = await openRapportDB(`backup-twice-${n++}`);
    const summary = await importBackup(other, await parseBackup(await signed(data)), NOW);
    expect(summary.evidenceAdded).toBe(data.evidence.length - 1);
    expect(await other.get('accounts', 'x:ada')).toMatchObject({
      firstSeenAt: NOW - 1000,
      lastSeenAt: NOW + 1000,
    });
    other.close();
  });

  test('an outside file: progress to the end; a person listed twice is one person', async () => {
    await ingestBatch(db, {
      viewer: { platform: 'linkedin', handle: 'robin-vale' },
      seenAt: NOW,
      observations: [],
    });
    const rows = Array.from({ length: 2100 }, (_, i) => ({
      platform: 'linkedin' as const,
      handle: `person-${i % 2050}`,
      name: `Person ${i % 2050}`,
      connected: true as const,
    }));
    const progress: number[] = [];
    const done = await importOutside(
      db,
      'linkedin:robin-vale',
      { kind: 'linkedin-connections', relationships: rows, skipped: 0 },
      NOW,
      (count, total) => {
        expect(total).toBe(2100);
        progress.push(count);
      },
    );
    expect(done).toEqual({ matched: 2050, unmatched: 0 });
    expect(progress).toEqual([2000, 2100]);
    expect(await db.count('relationships')).toBe(2050);
    expect(await db.count('accounts')).toBe(2050);
  });
});

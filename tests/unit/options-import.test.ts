import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { importJobs, readImportFiles } from '../../src/options/import-files.ts';
import {
  deleteEverything,
  exportBackup,
  importBackup,
  importOutside,
  parseBackup,
} from '../../src/store/backup.ts';
import {
  combineXArchive,
  ImportError,
  readXArchive,
  readOutsideZip,
} from '../../src/store/formats/outside.ts';
import { addViewer, ingestBatch } from '../../src/store/ingest.ts';
import { listViewers } from '../../src/store/queries.ts';
import { openRapportDB, type RapportDatabase } from '../../src/store/schema.ts';
import { forgetViewer } from '../../src/store/settings.ts';
import { writeZip } from '../../src/tools/zip.ts';
import { memorySource, toZip64 } from './helpers/zip.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');

const ytd = (name: string, part: number, rows: unknown[]) =>
  `window.YTD.${name}.part${part} = ${JSON.stringify(rows, null, 2)}`;
const ACCOUNT = ytd('account', 0, [
  { account: { accountId: '900', username: 'Robin_Vale', accountDisplayName: 'Robin Vale' } },
]);
const FOLLOWER = ytd('follower', 0, [
  { follower: { accountId: '11' } },
  { follower: { accountId: '12' } },
]);
const FOLLOWER_PART1 = ytd('follower', 1, [{ follower: { accountId: '13' } }]);
const FOLLOWING = ytd('following', 0, [{ following: { accountId: '11' } }]);

/** X's archive as X sends it: nested in a folder, among files Rapport does not read. */
function archiveZip(files: Record<string, string>, folder = 'twitter-2026-06-01-ab12/') {
  return writeZip([
    ...Object.entries(files).map(([name, text]) => ({
      name: `${folder}data/${name}`,
      data: Buffer.from(text),
    })),
    { name: `${folder}data/tweets.js`, data: Buffer.from(ytd('tweets', 0, [])) },
    { name: `${folder}data/tweets_media/1.jpg`, data: Buffer.alloc(5000, 7) },
    { name: `__MACOSX/${folder}data/._follower.js`, data: Buffer.from('\0\x05\x16\x07') },
    { name: `${folder}Your archive.html`, data: Buffer.from('<html>') },
  ]);
}
const WHOLE = {
  'account.js': ACCOUNT,
  'follower.js': FOLLOWER,
  'follower-part1.js': FOLLOWER_PART1,
  'following.js': FOLLOWING,
};

let db: RapportDatabase;
let n = 0;
beforeEach(async () => {
  db = await openRapportDB(`import-${n++}`);
  // Three of the archive's ids were seen on pages (13 never was).
  await ingestBatch(db, {
    seenAt: NOW,
    observations: [11, 12].map((id) => ({
      type: 'relationship' as const,
      account: { platform: 'x' as const, handle: `p${id}`, id: String(id) },
    })),
  });
});
afterEach(() => db.close());

const progress = () => undefined;
const file = (name: string, body: string | Buffer) =>
  new File([typeof body === 'string' ? body : new Uint8Array(body)], name);
/** The whole archive's zip imported before Rapport knew any account of X. */
const importWholeArchive = async () =>
  importJobs(
    db,
    await readImportFiles([file('twitter.zip', archiveZip(WHOLE))]),
    { viewers: [] },
    progress,
    NOW,
  );
const snapshot = async () => (await exportBackup(db, NOW)).replace(/"exportedAt":"[^"]+"/, '');

describe("X's archive zip", () => {
  test.each([
    ['as written', (zip: Buffer) => zip],
    ['in zip64 form', toZip64],
  ])('%s: every part of follower.js and following.js, owned by account.js', async (_, shape) => {
    const read = await readOutsideZip(memorySource(shape(archiveZip(WHOLE))), 'twitter.zip');
    expect(read).toEqual({
      kind: 'x-archive',
      owner: { platform: 'x', id: '900', handle: 'robin_vale', name: 'Robin Vale' },
      relationships: [
        { platform: 'x', id: '11', followsViewer: true },
        { platform: 'x', id: '12', followsViewer: true },
        { platform: 'x', id: '13', followsViewer: true },
        { platform: 'x', id: '11', viewerFollows: true },
      ],
    });
  });

  test.each([
    [
      'no follower or following file',
      () => archiveZip({ 'account.js': ACCOUNT }),
      /no data\/follower\.js/,
    ],
    [
      'two archives in one zip',
      () =>
        writeZip([
          { name: 'a/data/follower.js', data: Buffer.from(FOLLOWER) },
          { name: 'b/data/follower.js', data: Buffer.from(FOLLOWER) },
        ]),
      /more than one archive/,
    ],
    [
      'a follower.js cut short',
      () => archiveZip({ 'follower.js': FOLLOWER.slice(0, 40) }),
      /twitter\.zip: twitter-2026-06-01-ab12\/data\/follower\.js: the archive file is cut short/,
    ],
    [
      'a download cut short',
      () => archiveZip(WHOLE).subarray(0, -100),
      /twitter\.zip: it is not a zip archive, or one cut short/,
    ],
  ])('%s: refused, saying why', async (_, zip, message) => {
    const reading = readOutsideZip(memorySource(zip()), 'twitter.zip');
    await expect(reading).rejects.toThrow(message);
    await expect(reading).rejects.toThrow(ImportError);
  });

  test('files of two accounts are not one archive', () => {
    const other = ytd('account', 0, [{ account: { accountId: '901', username: 'someone' } }]);
    expect(() =>
      combineXArchive([readXArchive(ACCOUNT), readXArchive(other)], 'account.js, account (1).js'),
    ).toThrow(/archives of @robin_vale and @someone/);
  });
});

describe("LinkedIn's data export zip", () => {
  const CONNECTIONS = [
    'Notes:',
    '"When exporting your connection data, you may notice that some of the email addresses are missing."',
    '',
    'First Name,Last Name,URL,Email Address,Company,Position,Connected On',
    'Ada,Lovelace,https://www.linkedin.com/in/Ada-L,,"Engines, Ltd",Analyst,12 Mar 2024',
  ].join('\r\n');
  const exportZip = (...names: string[]) =>
    writeZip([
      ...names.map((name) => ({ name, data: Buffer.from(CONNECTIONS) })),
      { name: 'Profile.csv', data: Buffer.from('First Name,Last Name\nRobin,Vale') },
      { name: 'messages.csv', data: Buffer.from('CONVERSATION ID,FROM,TO,CONTENT') },
    ]);

  test('its Connections.csv is read, nothing else', async () => {
    expect(await readOutsideZip(memorySource(exportZip('Connections.csv')), 'export.zip')).toEqual({
      kind: 'linkedin-connections',
      relationships: [
        {
          platform: 'linkedin',
          handle: 'ada-l',
          name: 'Ada Lovelace',
          connected: true,
          since: Date.UTC(2024, 2, 12),
        },
      ],
    });
  });

  test('two of them: refused', async () => {
    await expect(
      readOutsideZip(memorySource(exportZip('Connections.csv', 'old/Connections.csv')), 'e.zip'),
    ).rejects.toThrow(/more than one Connections\.csv/);
  });

  test('imported for the LinkedIn account Rapport knows', async () => {
    await addViewer(db, { platform: 'linkedin', handle: 'robin-vale' }, NOW);
    const jobs = await readImportFiles([
      new File([new Uint8Array(exportZip('Connections.csv'))], 'Basic_LinkedInDataExport.zip'),
    ]);
    expect(await importJobs(db, jobs, { viewers: await listViewers(db) }, progress, NOW)).toBe(
      'Imported Basic_LinkedInDataExport.zip for in/robin-vale on LinkedIn: 1 person.',
    );
    expect(await db.get('relationships', ['linkedin:robin-vale', 'linkedin:ada-l'])).toMatchObject({
      connected: true,
      tier: 'silent-follower',
    });
  });
});

describe('the import field', () => {
  test("the zip of someone Rapport never saw: imported for the owner, made one of the user's accounts", async () => {
    const said = await importWholeArchive();
    expect(said).toBe(
      'Imported twitter.zip for @robin_vale on X (now one of your accounts): 2 people; 1 more known only by an id so far, joined when Rapport sees it.',
    );
    expect(await listViewers(db)).toMatchObject([{ key: 'x:robin_vale', id: '900' }]);
    expect(await db.get('relationships', ['x:robin_vale', 'x:p11'])).toMatchObject({
      followsViewer: true,
      viewerFollows: true,
    });
    expect(await db.get('relationships', ['x:robin_vale', 'x:p12'])).toMatchObject({
      followsViewer: true,
    });
    // Again: nothing changes.
    const before = await snapshot();
    await importJobs(
      db,
      await readImportFiles([file('twitter.zip', archiveZip(WHOLE))]),
      {
        viewers: await listViewers(db),
      },
      progress,
      NOW,
    );
    expect(await snapshot()).toBe(before);
  });

  test('an id no page has shown waits, travels in the backup, and joins its account once seen', async () => {
    await importWholeArchive();
    expect(await db.getAll('unjoined')).toEqual([
      { platform: 'x', id: '13', viewer: 'x:robin_vale', followsViewer: true },
    ]);
    // Export, delete everything, import: the waiting line is back.
    const backup = await exportBackup(db, NOW);
    expect(backup).toContain('"unjoined":[{"followsViewer":true,"id":"13"');
    await deleteEverything(db);
    await importBackup(db, await parseBackup(backup), NOW);
    expect(await snapshot()).toBe(backup.replace(/"exportedAt":"[^"]+"/, ''));
    // A page shows the account with id 13: the archive's line becomes its row, and stops waiting.
    await ingestBatch(db, {
      seenAt: NOW + 1000,
      observations: [{ type: 'relationship', account: { platform: 'x', handle: 'p13', id: '13' } }],
    });
    expect(await db.get('relationships', ['x:robin_vale', 'x:p13'])).toMatchObject({
      followsViewer: true,
      tier: 'silent-follower',
    });
    expect(await db.getAll('unjoined')).toEqual([]);
  });

  test('a backup merges its waiting lines with those already waiting; twice changes nothing', async () => {
    await importJobs(
      db,
      await readImportFiles([file('follower.js', FOLLOWER_PART1), file('account.js', ACCOUNT)]),
      { viewers: [] },
      progress,
      NOW,
    );
    const backup = await parseBackup(await exportBackup(db, NOW));
    await db.clear('unjoined');
    await db.put('unjoined', {
      platform: 'x',
      id: '13',
      viewer: 'x:robin_vale',
      viewerFollows: true,
    });
    await importBackup(db, backup, NOW);
    const merged = await snapshot();
    expect(await db.getAll('unjoined')).toEqual([
      { platform: 'x', id: '13', viewer: 'x:robin_vale', followsViewer: true, viewerFollows: true },
    ]);
    await importBackup(db, backup, NOW);
    expect(await snapshot()).toBe(merged);
  });

  test('ids are joined the same whether looked up one by one (small file) or all at once', async () => {
    const archive = readXArchive(FOLLOWER);
    // A store much larger than the file: single lookups.
    await ingestBatch(db, {
      seenAt: NOW,
      observations: Array.from({ length: 30 }, (_, i) => ({
        type: 'relationship' as const,
        account: { platform: 'x' as const, handle: `pad${i}`, id: String(5000 + i) },
      })),
    });
    await addViewer(db, { platform: 'x', handle: 'me' }, NOW);
    expect(await importOutside(db, 'x:me', archive, NOW)).toEqual({ matched: 2, unmatched: 0 });
    const single = await db.getAll('relationships');
    // The same file over the store without the padding: one read of every account.
    const other = await openRapportDB(`import-bulk-${n++}`);
    await ingestBatch(other, {
      seenAt: NOW,
      observations: [11, 12].map((id) => ({
        type: 'relationship' as const,
        account: { platform: 'x' as const, handle: `p${id}`, id: String(id) },
      })),
    });
    await addViewer(other, { platform: 'x', handle: 'me' }, NOW);
    expect(await importOutside(other, 'x:me', archive, NOW)).toEqual({ matched: 2, unmatched: 0 });
    expect(await other.getAll('relationships')).toEqual(
      single.filter((row) => !row.account.startsWith('x:pad')),
    );
    other.close();
  });

  test('forgetting the account forgets what waited on its behalf', async () => {
    await importWholeArchive();
    const others = {
      platform: 'x' as const,
      id: '13',
      viewer: 'x:other' as const,
      viewerFollows: true as const,
    };
    await db.put('unjoined', others);
    await forgetViewer(db, 'x:robin_vale');
    // Another account's lines stay.
    expect(await db.getAll('unjoined')).toEqual([others]);
  });

  test("files picked together are one archive; the owner's name beats the first account of X", async () => {
    await addViewer(db, { platform: 'x', handle: 'other' }, NOW);
    const jobs = await readImportFiles([
      file('follower.js', FOLLOWER),
      file('account.js', ACCOUNT),
      file('following.js', FOLLOWING),
    ]);
    expect(jobs).toHaveLength(1);
    const said = await importJobs(db, jobs, { viewers: await listViewers(db) }, progress, NOW);
    expect(said).toMatch(/^Imported follower\.js, account\.js, following\.js for @robin_vale on X/);
    expect(await db.get('relationships', ['x:other', 'x:p11'])).toBeUndefined();
  });

  test('an archive made before a change of handle goes to the account with its id', async () => {
    await addViewer(db, { platform: 'x', handle: 'robin_now', id: '900' }, NOW);
    const jobs = await readImportFiles([file('twitter.zip', archiveZip(WHOLE))]);
    const said = await importJobs(db, jobs, { viewers: await listViewers(db) }, progress, NOW);
    expect(said).toMatch(/^Imported twitter\.zip for @robin_now on X: 2 people/);
    expect((await listViewers(db)).map((v) => v.key)).toEqual(['x:robin_now']);
  });

  test('an archive imported for another account than the one it names: refused, nothing changed', async () => {
    const before = await snapshot();
    const jobs = await readImportFiles([file('twitter.zip', archiveZip(WHOLE))]);
    await expect(
      importJobs(db, jobs, { viewers: [], chosen: 'x:someone_else' }, progress, NOW),
    ).rejects.toThrow(
      /is the archive of @robin_vale on X, not of @someone_else on X\. Nothing was changed/,
    );
    expect(await snapshot()).toBe(before);
  });

  test('one bad file among several: refused before anything is written', async () => {
    const before = await snapshot();
    await expect(
      readImportFiles([
        file('twitter.zip', archiveZip(WHOLE)),
        file('Connections.csv', 'Notes:\n"cut'),
      ]),
    ).rejects.toThrow(/Connections\.csv: Rapport can import/);
    expect(await snapshot()).toBe(before);
  });

  test('a follower.js alone goes to the account of X Rapport knows, as before', async () => {
    await addViewer(db, { platform: 'x', handle: 'me' }, NOW);
    const jobs = await readImportFiles([file('follower.js', FOLLOWER)]);
    expect(await importJobs(db, jobs, { viewers: await listViewers(db) }, progress, NOW)).toBe(
      'Imported follower.js for @me on X: 2 people.',
    );
  });
});

import { randomBytes } from 'node:crypto';
import { crc32 as nodeCrc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  crc32,
  ZipError,
  zipEntries,
  zipEntryBytes,
  type ZipSource,
} from '../../src/store/formats/zip.ts';
import { writeZip } from '../../src/tools/zip.ts';
import { memorySource, toZip64 } from './helpers/zip.ts';

const ENTRIES = [
  {
    name: 'twitter-2026/data/follower.js',
    data: Buffer.from('window.YTD.follower.part0 = []\n'.repeat(200)),
  },
  { name: 'twitter-2026/data/tweets_media/photo.jpg', data: randomBytes(3000) },
  { name: 'twitter-2026/Your archive.html', data: Buffer.from('') },
];

/** Every entry's bytes, read the way the import does. */
async function readAll(source: ZipSource) {
  const out: Record<string, string> = {};
  for (const entry of await zipEntries(source))
    out[entry.name] = Buffer.from(await zipEntryBytes(source, entry, 2 ** 20)).toString('hex');
  return out;
}
const expected = Object.fromEntries(ENTRIES.map((e) => [e.name, e.data.toString('hex')]));

/** A source that counts what was read: the reader loads the table of contents, not the archive. */
function counting(bytes: Uint8Array) {
  const inner = memorySource(bytes);
  const source = {
    size: inner.size,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      source.bytesRead += length;
      return inner.read(offset, length);
    },
  };
  return source;
}

describe('zip reader', () => {
  test.each([
    ['plain', (zip: Buffer) => zip],
    ['zip64', toZip64],
    // An archive comment after the end record (the reader searches back for it).
    [
      'with a comment',
      (zip: Buffer) => {
        const comment = Buffer.from('archive made for the test; PK\x05\x06 inside a comment');
        const out = Buffer.concat([zip, comment]);
        out.writeUInt16LE(comment.length, zip.length - 2);
        return out;
      },
    ],
  ])('%s: names and bytes as written', async (_, shape) => {
    expect(await readAll(memorySource(shape(writeZip(ENTRIES))))).toEqual(expected);
  });

  test('reads one entry without loading the others', async () => {
    const big = { name: 'media/video.mp4', data: randomBytes(2_000_000) };
    const zip = writeZip([...ENTRIES, big]);
    const source = counting(zip);
    const entry = (await zipEntries(source)).find((e) => e.name.endsWith('follower.js'));
    expect(entry).toBeDefined();
    const bytes = await zipEntryBytes(source, entry!, 2 ** 20);
    expect(Buffer.from(bytes)).toEqual(ENTRIES[0]!.data);
    expect(source.bytesRead).toBeLessThan(100_000);
  });

  test.each([
    ['cut short at the end', (zip: Buffer) => zip.subarray(0, zip.length - 5), /cut short/],
    ['cut in half', (zip: Buffer) => zip.subarray(0, zip.length >> 1), /cut short/],
    ['not a zip', () => Buffer.from('window.YTD.follower.part0 = []'), /not a zip archive/],
    ['empty', () => Buffer.alloc(0), /not a zip archive/],
    [
      'a table of contents pointing past the end',
      (zip: Buffer) => {
        const out = Buffer.from(zip);
        out.writeUInt32LE(zip.length, zip.length - 22 + 16);
        return out;
      },
      /points past its end/,
    ],
  ])('%s: refused with a reason', async (_, damage, message) => {
    const source = memorySource(damage(writeZip(ENTRIES)));
    await expect(readAll(source)).rejects.toThrow(message);
    await expect(readAll(source)).rejects.toThrow(ZipError);
  });

  test('a damaged byte inside an entry: its checksum says so', async () => {
    const zip = writeZip([ENTRIES[0]!]);
    const at = 30 + ENTRIES[0]!.name.length + 10;
    zip.writeUInt8(zip.readUInt8(at) ^ 0x55, at);
    await expect(readAll(memorySource(zip))).rejects.toThrow(/follower\.js is damaged/);
  });

  test.each([
    ['encrypted', (entry: { encrypted: boolean }) => (entry.encrypted = true), /encrypted/],
    ['another method', (entry: { method: number }) => (entry.method = 12), /cannot read/],
    ['beyond the limit', (entry: { size: number }) => (entry.size = 2 ** 21), /larger than 1 MB/],
  ])('an entry %s is refused', async (_, change, message) => {
    const source = memorySource(writeZip([ENTRIES[0]!]));
    const [entry] = await zipEntries(source);
    change(entry!);
    await expect(zipEntryBytes(source, entry!, 2 ** 20)).rejects.toThrow(message);
  });

  test('an entry that inflates beyond its declared size is refused', async () => {
    const source = memorySource(writeZip([ENTRIES[0]!]));
    const [entry] = await zipEntries(source);
    await expect(zipEntryBytes(source, { ...entry!, size: 100 }, 2 ** 20)).rejects.toThrow(
      /inflates beyond its size/,
    );
  });

  test('crc32 agrees with zlib', () => {
    for (const data of [Buffer.alloc(0), Buffer.from('123456789'), randomBytes(10_000)])
      expect(crc32(data)).toBe(nodeCrc32(data));
  });
});

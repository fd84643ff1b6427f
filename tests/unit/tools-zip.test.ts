import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { excludedFromPackage } from '../../src/tools/package.ts';
import { readZip, writeZip } from '../../src/tools/zip.ts';

describe('zip', () => {
  test('round trip: text, empty, incompressible and UTF-8 names; entries sorted', async () => {
    const entries = [
      { name: 'src/popup/index.html', data: Buffer.from('<!doctype html>'.repeat(100)) },
      { name: 'empty.txt', data: new Uint8Array() },
      { name: 'random.bin', data: randomBytes(5000) },
      { name: 'ünïcode/名前.json', data: Buffer.from('{"a":1}') },
    ];
    const zip = writeZip(entries);
    const back = await readZip(zip);
    expect(back.map((e) => e.name)).toEqual([...entries.map((e) => e.name)].sort());
    for (const entry of entries)
      expect(Buffer.from(back.find((e) => e.name === entry.name)!.data)).toEqual(
        Buffer.from(entry.data),
      );
    // Compressed where it helps.
    expect(zip.length).toBeLessThan(5000 + 1500 + 500);
  });

  test('deterministic: the same entries in any order give the same bytes', () => {
    const a = { name: 'a.txt', data: Buffer.from('a') };
    const b = { name: 'b.txt', data: Buffer.from('b') };
    expect(writeZip([a, b]).equals(writeZip([b, a]))).toBe(true);
  });

  test.each(['/etc/passwd', '../up.txt', 'a\\b.txt'])('refuses the unsafe name %s', (name) => {
    expect(() => writeZip([{ name, data: Buffer.from('x') }])).toThrow(/unsafe/);
  });

  test('a damaged entry is detected, not silently returned', async () => {
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('hello hello hello hello') }]);
    const damaged = Buffer.from(zip);
    const at = 30 + 'a.txt'.length + 2;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0xff, at);
    await expect(readZip(damaged)).rejects.toThrow(/a\.txt is damaged/);
    await expect(readZip(Buffer.from('not a zip'))).rejects.toThrow(/not a zip archive/);
  });
});

describe('what a store package leaves out', () => {
  test.each([
    ['assets/popup-abc.js.map', true],
    ['tests/unit/a.test.ts', true],
    ['src/foo.test.ts', true],
    ['src/foo.e2e.ts', true],
    ['.vite/manifest.json', true],
    ['assets/popup-abc.js', false],
    ['src/content/x.js', false],
    ['manifest.json', false],
    ['src/tools/latest.ts', false],
  ])('%s → %s', (path, excluded) => {
    expect(excludedFromPackage(path)).toBe(excluded);
  });
});

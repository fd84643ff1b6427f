/** `npm run package` on the fresh builds: versioned zips with exactly the right contents. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readZip, type ZipEntry } from '../../src/tools/zip.ts';

const root = process.cwd();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
};
const zips: Record<string, ZipEntry[]> = {};
const bytes: Record<string, Buffer> = {};

function runPackage(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'src/tools/package.ts'], {
    cwd: root,
    stdio: 'pipe',
  });
}

beforeAll(async () => {
  runPackage();
  for (const kind of ['chrome', 'firefox', 'source']) {
    bytes[kind] = readFileSync(join(root, `artifacts/rapport-${version}-${kind}.zip`));
    zips[kind] = await readZip(bytes[kind]);
  }
}, 60_000);

const names = (kind: string) => (zips[kind] ?? []).map((e) => e.name);
const manifestOf = (kind: string) =>
  JSON.parse(
    Buffer.from(zips[kind]!.find((e) => e.name === 'manifest.json')!.data).toString('utf8'),
  ) as {
    version: string;
    background: Record<string, unknown>;
    browser_specific_settings?: unknown;
  };

describe('store packages', () => {
  test.each(['chrome', 'firefox'])('%s: every built file, no maps, no tests', (kind) => {
    const dist = join(root, 'dist', kind);
    const built = readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((name) => statSync(join(dist, name)).isFile())
      .filter((name) => !name.endsWith('.map') && !name.startsWith('.vite/'))
      .sort();
    expect(names(kind)).toEqual(built);
    expect(names(kind).filter((n) => n.endsWith('.map') || /test|e2e|fixture/.test(n))).toEqual([]);
    expect(manifestOf(kind).version).toBe(version);
    for (const file of ['src/content/x.js', 'src/capture/x-main.js', 'src/popup/index.html'])
      expect(names(kind)).toContain(file);
  });

  test.each(['chrome', 'firefox'])(
    '%s: the extension pages ask V8 to compile their scripts at load; content scripts do not',
    (kind) => {
      const text = (name: string) =>
        Buffer.from(zips[kind]!.find((e) => e.name === name)!.data).toString('utf8');
      const chunks = names(kind).filter((n) => n.startsWith('assets/') && n.endsWith('.js'));
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) expect(text(chunk)).toMatch(/^\/\/# allFunctionsCalledOnLoad\n/);
      for (const script of ['src/content/x.js', 'src/content/linkedin.js', 'src/capture/x-main.js'])
        expect(text(script)).not.toContain('allFunctionsCalledOnLoad');
    },
  );

  test('chrome has a service worker; firefox has background scripts and a gecko id', () => {
    expect(manifestOf('chrome').background).toHaveProperty('service_worker');
    expect(manifestOf('chrome').browser_specific_settings).toBeUndefined();
    expect(manifestOf('firefox').background).toHaveProperty('scripts');
    expect(manifestOf('firefox').browser_specific_settings).toMatchObject({
      gecko: { id: 'rapport@rapport.local', data_collection_permissions: { required: ['none'] } },
    });
  });

  test('the source zip rebuilds the add-on: sources, lockfile and config, no tests', () => {
    const source = names('source');
    for (const file of [
      'package.json',
      'package-lock.json',
      'vite.config.ts',
      'tsconfig.json',
      'manifest/manifest.ts',
      'src/background/index.ts',
      'README.md',
    ])
      expect(source).toContain(file);
    expect(source.filter((n) => n.startsWith('tests/') || n.endsWith('.map'))).toEqual([]);
    expect(source.filter((n) => n.startsWith('dist/') || n.startsWith('node_modules/'))).toEqual(
      [],
    );
  });

  test('packaging again gives byte-identical zips', () => {
    runPackage();
    for (const kind of ['chrome', 'firefox', 'source'])
      expect(
        readFileSync(join(root, `artifacts/rapport-${version}-${kind}.zip`)).equals(bytes[kind]!),
        kind,
      ).toBe(true);
  });
});

/**
 * `npm run package`: store-ready zips of the built extension for Chrome and Firefox, and the
 * source zip Mozilla's review asks for, into artifacts/, named with package.json's version.
 * Run after both builds (the npm script does them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeZip, type ZipEntry } from './zip.ts';

const root = process.cwd();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
};

/** What never belongs in a store package: maps, tests, and the build tool's scratch. */
export function excludedFromPackage(path: string): boolean {
  return (
    path.endsWith('.map') ||
    /(^|\/)(tests?|__tests__)\//.test(path) ||
    /\.(test|spec|e2e)\.[cm]?[jt]sx?$/.test(path) ||
    path.startsWith('.vite/') ||
    path.endsWith('.DS_Store')
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => name.split('\\').join('/'));
}

function zipDirectory(dir: string): Buffer {
  const entries: ZipEntry[] = filesUnder(dir)
    .filter((name) => !excludedFromPackage(name))
    .map((name) => ({ name, data: readFileSync(join(dir, name)) }));
  return writeZip(entries);
}

/** The tracked source a reviewer needs to rebuild the add-on: no tests, fixtures or pictures. */
function zipSource(): Buffer {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    .filter((name) => !excludedFromPackage(name) && !name.startsWith('docs/screenshots/'));
  return writeZip(tracked.map((name) => ({ name, data: readFileSync(join(root, name)) })));
}

function main(): void {
  const out = resolve(root, 'artifacts');
  mkdirSync(out, { recursive: true });
  const written: [string, Buffer][] = [
    [`rapport-${version}-chrome.zip`, zipDirectory(join(root, 'dist/chrome'))],
    [`rapport-${version}-firefox.zip`, zipDirectory(join(root, 'dist/firefox'))],
    [`rapport-${version}-source.zip`, zipSource()],
  ];
  for (const [name, zip] of written) {
    writeFileSync(join(out, name), zip);
    console.log(`${relative(root, join(out, name))}  ${(zip.length / 1024).toFixed(1)} KB`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();

import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InspectError, inspectFile } from '../../src/tools/inspect-core.ts';

const FIXTURE = join(process.cwd(), 'tests/fixtures/x/home-timeline.html');
const tmp = mkdtempSync(join(tmpdir(), 'rapport-inspect-'));

describe('inspect', () => {
  test('reads a saved X page without a URL (guessed from its hooks)', () => {
    expect(inspectFile(FIXTURE).filter((o) => o.type === 'post')).toHaveLength(8);
  });

  test('reads a saved X API response (.json)', () => {
    const obs = inspectFile(join(process.cwd(), 'tests/fixtures/x-json/tweet_details.json'));
    expect(obs.filter((o) => o.type === 'post')).toHaveLength(10);
  });

  test.each([
    [
      'a truncated response',
      (() => {
        const p = join(tmp, 'c.json');
        writeFileSync(p, '{"data": {"user": ');
        return p;
      })(),
      /not valid JSON.*truncated/,
    ],
    [
      'JSON that is no API response',
      (() => {
        const p = join(tmp, 'd.json');
        writeFileSync(p, '[1,2,3]');
        return p;
      })(),
      /not a response Rapport knows/,
    ],
    ['a missing file', join(tmp, 'nope.html'), /cannot read/],
    [
      'plain text',
      (() => {
        const p = join(tmp, 'a.txt');
        writeFileSync(p, 'hello');
        return p;
      })(),
      /not an HTML page/,
    ],
    [
      'a page of no known site',
      (() => {
        const p = join(tmp, 'b.html');
        writeFileSync(p, '<html><body><p>hi</p></body></html>');
        return p;
      })(),
      /cannot tell which site/,
    ],
  ])('refuses %s with a reason', (_name, path, reason) => {
    expect(() => inspectFile(path)).toThrow(InspectError);
    expect(() => inspectFile(path)).toThrow(reason);
  });

  test('the command prints one JSON array on stdout and nothing else; errors go to stderr with exit 1', () => {
    const out = execFileSync(
      'npx',
      ['tsx', 'src/tools/inspect.ts', FIXTURE, '--url', 'https://x.com/home'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const parsed = JSON.parse(out) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed.length).toBeGreaterThan(8);
    const bad = spawnSync('npx', ['tsx', 'src/tools/inspect.ts', join(tmp, 'nope.html')], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/inspect: cannot read/);
    const help = spawnSync('npx', ['tsx', 'src/tools/inspect.ts', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run --silent inspect -- <saved page \.html/);
    const unknown = spawnSync('npx', ['tsx', 'src/tools/inspect.ts', FIXTURE, '--ur', 'x'], {
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/inspect: unknown option --ur\nusage:/);
  }, 60_000);
});

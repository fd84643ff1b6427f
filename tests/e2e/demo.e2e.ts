/** `npm start -- --screenshot DIR`: the demo reads its whole story and saves the README's pictures. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

test('the demo saves the X feed, the LinkedIn feed, the popup and a person with a note', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-demo-'));
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/tools/start.ts', '--screenshot', dir],
      { cwd: process.cwd(), timeout: 90_000 },
    );
    expect(stdout).toContain('saved');
    for (const name of ['x-feed.png', 'linkedin-feed.png', 'popup.png', 'person.png']) {
      const png = readFileSync(join(dir, name));
      expect(png.subarray(1, 4).toString('latin1'), name).toBe('PNG');
      expect(png.length, name).toBeGreaterThan(10_000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

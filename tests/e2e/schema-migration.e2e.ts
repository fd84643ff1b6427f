import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs } from '../../src/tools/launch.ts';
import { DB_VERSION } from '../../src/store/schema.ts';
import { bundle } from '../bundle.ts';

/** What tests/e2e/migration-entry.ts exposes on `window.rapportMigration`. */
interface Migration {
  olderDatabase(name: string, version: number, rows: number): Promise<void>;
  upgrade(name: string): Promise<{
    ms: number;
    version: number;
    rows: number;
    followers: number[];
    marked: string | null;
    unmarked: string | null;
    evidence: number;
    addressed: number[];
    trail: string[];
  }>;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const code = await bundle('tests/e2e/migration-entry.ts', 'rapportMigration');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumArgs(undefined, true),
  });
  page = await browser.newPage();
  await page.route('**/*', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><script>${code.replace(/<\/script/g, '<\\/script')}</script>`,
    }),
  );
  await page.goto('https://migration.rapport.test/');
});

afterAll(async () => {
  await browser?.close();
});

describe('schema migrations in real IndexedDB', () => {
  // Two pages of the migrations' page-by-page copy (5,000 rows a page). 20,000 rows took 30-55 s
  // a version on a slow machine, the databases then kept (later versions' tests ran slower) and
  // large transactions slowing down more than in proportion (a bare put loop: 53 µs a row for
  // 2,000 rows, 137 µs for 40,000).
  const ROWS = 6_000;
  // Writing the older database and upgrading it are disk-bound, slower beside other e2e files.
  const TIMEOUT_MS = 180_000;

  test.each([1, 2, 3, 4])(
    'rows written by schema version %i open at this version, every follower and every reply to the user marked',
    async (from) => {
      const name = `migrate-from-${from}`;
      await page.evaluate(
        ([n, v, rows]) =>
          (window as unknown as { rapportMigration: Migration }).rapportMigration.olderDatabase(
            n,
            v,
            rows,
          ),
        [name, from, ROWS] as const,
      );
      const result = await page.evaluate(
        (n) => (window as unknown as { rapportMigration: Migration }).rapportMigration.upgrade(n),
        name,
      );
      console.log(
        `migration: ${ROWS.toLocaleString()} relationship rows and as much evidence from version ${from} to ${result.version} in ${result.ms.toFixed(0)} ms`,
      );
      expect(result.version).toBe(DB_VERSION);
      expect(result.rows).toBe(ROWS);
      // Row i belongs to viewer i % 2 and follows when i % 3 === 0: i % 6 is 0 (X) or 3 (LinkedIn).
      let onX = 0;
      let onLinkedIn = 0;
      for (let i = 0; i < ROWS; i += 3) {
        if (i % 2 === 0) onX += 1;
        else onLinkedIn += 1;
      }
      expect(result.followers).toEqual([onX, onLinkedIn]);
      expect(result.marked).toBe('x:me');
      expect(result.unmarked).toBeNull();
      // Every piece of evidence re-keyed; those to a viewer (i % 4 < 2) marked, by viewer i % 2.
      expect(result.evidence).toBe(ROWS);
      expect(result.addressed).toEqual([ROWS / 4, ROWS / 4]);
      expect(result.trail).toEqual(['x:4:reply:p4:me in']);
    },
    TIMEOUT_MS,
  );
});

import { afterAll, beforeAll, describe, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs } from '../../src/tools/launch.ts';
import { bundle } from '../bundle.ts';
import { expectUpgraded, type Migration } from './migration-expect.ts';

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
      expectUpgraded(result, ROWS);
    },
    TIMEOUT_MS,
  );
});

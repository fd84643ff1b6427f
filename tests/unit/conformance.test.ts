// Runs the parsers over every real capture in ../shared/fixtures/real (present in CI) and fails
// when a file yields less of any kind of observation, or a saved page fewer places for a badge
// (`badge`), than it did when this baseline was written.
// When a parser learns more, raise the baseline; never lower it without saying why in the commit.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { inspectFile, loadSavedPage } from '../../src/tools/inspect-core.ts';
import { REAL, REAL_URLS, realFiles } from './helpers/dom.ts';

const BASELINE: Record<string, Record<string, number>> = JSON.parse(
  readFileSync(join(process.cwd(), 'tests/fixtures/conformance-baseline.json'), 'utf8'),
);

function tally(observations: Observation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of observations) {
    const key = o.type === 'interaction' ? `interaction:${o.kind}` : o.type;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The badges a saved page gets: each unit's targets, every one after a name in the page. */
function badges(path: string, url: string | undefined): number {
  const { adapter, doc } = loadSavedPage(path, readFileSync(path, 'utf8'), url);
  let count = 0;
  for (const unit of doc.querySelectorAll(adapter.unitSelector)) {
    for (const target of adapter.badgeTargets(unit)) {
      expect(target.anchor.isConnected, `${path}: a badge anchor outside the page`).toBe(true);
      expect(target.account.platform).toBe(adapter.platform);
      count++;
    }
  }
  return count;
}

const files = [
  ...realFiles('x-dom-', '.html'),
  ...realFiles('x-graphql-', '.json'),
  ...realFiles('linkedin-dom-', '.html'),
  ...realFiles('linkedin-voyager-', '.json'),
];

describe.runIf(files.length > 0)(`conformance over ${REAL}`, () => {
  test.each(files.map((f) => [basename(f), f]))('%s yields at least its baseline', (name, path) => {
    const observations = inspectFile(path, REAL_URLS[name]);
    const found = tally(observations);
    if (path.endsWith('.html')) found.badge = badges(path, REAL_URLS[name]);
    console.log(`${name}: ${JSON.stringify(found)}`);
    const baseline = BASELINE[name];
    expect(baseline, `no baseline for ${name}: add one`).toBeDefined();
    for (const [key, count] of Object.entries(baseline ?? {})) {
      expect(found[key] ?? 0, `${name} ${key}`).toBeGreaterThanOrEqual(count);
    }
  });
});

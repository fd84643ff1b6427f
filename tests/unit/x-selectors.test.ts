import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { X } from '../../src/platforms/x/selectors.ts';
import { FIXTURES, loadPage } from './helpers/dom.ts';

const pairs = Object.entries(X).flatMap(([name, spec]) =>
  Object.entries(spec.seenIn).map(([file, count]) => [name, spec.css, file, count] as const),
);

describe('X selectors match the saved pages they were written for', () => {
  test.each(pairs)('%s (%s) in %s: %i', (_name, css, file, count) => {
    const path = join(FIXTURES, 'x', file);
    expect(existsSync(path)).toBe(true);
    expect(loadPage(path).querySelectorAll(css).length).toBe(count);
  });

  test('every selector but the side-navigation link and notification cells is exercised by a saved page', () => {
    const unexercised = Object.entries(X)
      .filter(([, spec]) => Object.keys(spec.seenIn).length === 0)
      .map(([name]) => name);
    // No saved real page has the side navigation's Profile link (the demo feed and e2e pages do)
    // nor a notifications page (x-notifications.test.ts builds the cell X draws).
    expect(unexercised).toEqual(['viewerProfileLink', 'notification']);
  });

  test('no selector uses a hashed class name', () => {
    for (const spec of Object.values(X)) expect(spec.css).not.toMatch(/\.(css|r)-[a-z0-9]+/);
  });
});

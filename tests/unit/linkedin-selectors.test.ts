import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LINKEDIN } from '../../src/platforms/linkedin/selectors.ts';
import { FIXTURES, loadPage } from './helpers/dom.ts';

const pairs = Object.entries(LINKEDIN).flatMap(([name, spec]) =>
  Object.entries(spec.seenIn).map(([file, count]) => [name, spec.css, file, count] as const),
);

describe('LinkedIn selectors match the saved pages they were written for', () => {
  test.each(pairs)('%s (%s) in %s: %i', (_name, css, file, count) => {
    const path = join(FIXTURES, 'linkedin', file);
    expect(existsSync(path)).toBe(true);
    expect(loadPage(path, 'https://www.linkedin.com/feed/').querySelectorAll(css).length).toBe(
      count,
    );
  });

  test('only hooks without a saved real page are unexercised, and they are named here', () => {
    const unexercised = Object.entries(LINKEDIN)
      .filter(([, spec]) => Object.keys(spec.seenIn).length === 0)
      .map(([name]) => name);
    // No public capture shows loaded comments, the connections or followers lists, or the global
    // navigation: the demo pages (src/demo/linkedin-markup.ts) carry them, tested in
    // linkedin-parse-dom.test.ts.
    expect(unexercised).toEqual([
      'comment',
      'commentMeta',
      'commentName',
      'commentText',
      'connectionCard',
      'followerCard',
      'viewerLink',
      'viewerName',
    ]);
  });

  test('no selector uses a hashed class name', () => {
    for (const spec of Object.values(LINKEDIN)) expect(spec.css).not.toMatch(/\.[A-Za-z]{20,}\b/);
  });
});

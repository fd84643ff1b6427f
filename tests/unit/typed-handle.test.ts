import { describe, expect, test } from 'vitest';
import type { Platform } from '../../src/core/model.ts';
import { typedHandle } from '../../src/platforms/typed.ts';

describe('an account the user typed', () => {
  test.each<[Platform, string, string | undefined]>([
    ['x', '@Robin_Vale', 'robin_vale'],
    ['x', 'robin_vale', 'robin_vale'],
    ['x', '  @robin_vale  ', 'robin_vale'],
    ['x', 'https://x.com/Robin_Vale', 'robin_vale'],
    ['x', 'x.com/robin_vale', 'robin_vale'],
    ['x', 'https://twitter.com/robin_vale?s=20', 'robin_vale'],
    ['x', 'mobile.twitter.com/robin_vale', 'robin_vale'],
    ['x', '', undefined],
    ['x', '@', undefined],
    ['x', 'robin vale', undefined],
    ['x', '@a_name_far_too_long_for_x', undefined],
    ['x', 'home', undefined],
    ['x', 'x.com/explore', undefined],
    ['x', 'https://x.com/robin_vale/status/1', undefined],
    ['x', 'https://example.com/robin_vale', undefined],
    ['linkedin', 'in/robin-vale', 'robin-vale'],
    ['linkedin', '/in/Robin-Vale/', 'robin-vale'],
    ['linkedin', 'robin-vale', 'robin-vale'],
    ['linkedin', 'https://www.linkedin.com/in/robin-vale/', 'robin-vale'],
    ['linkedin', 'www.linkedin.com/in/robin-vale?trk=x', 'robin-vale'],
    ['linkedin', 'de.linkedin.com/in/j%C3%BCrgen-m', 'jürgen-m'],
    ['linkedin', 'in/', undefined],
    ['linkedin', 'https://www.linkedin.com/company/acme/', undefined],
    ['linkedin', 'https://www.linkedin.com/feed/', undefined],
    ['linkedin', '<b>robin</b>', undefined],
  ])('%s: %j → %s', (platform, typed, handle) => {
    expect(typedHandle(platform, typed)).toBe(handle);
  });
});

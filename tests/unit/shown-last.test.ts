// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { forgetShown, rememberShown, shownLastTime } from '../../src/shared/shown-last.ts';

afterEach(() => {
  localStorage.clear();
  vi.restoreAllMocks();
});

describe('the accounts the popup showed last', () => {
  test('remembered, read back, forgotten', () => {
    expect(shownLastTime()).toEqual([]);
    rememberShown(['x:robin_vale', 'linkedin:robin-vale']);
    expect(shownLastTime()).toEqual(['x:robin_vale', 'linkedin:robin-vale']);
    forgetShown();
    expect(shownLastTime()).toEqual([]);
  });

  test.each([
    ['not JSON', '{"x:'],
    ['not a list', '"x:robin_vale"'],
    ['not an account key', '["robin_vale"]'],
    ['markup', '["x:<img src=x onerror=alert(1)>"]'],
    ['more than one per platform', '["x:a","x:b","linkedin:c"]'],
  ])('%s: nothing is guessed, the value is dropped and the reason logged', (_, stored) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    localStorage.setItem('rapport:shown-last', stored);
    expect(shownLastTime()).toEqual([]);
    expect(localStorage.getItem('rapport:shown-last')).toBeNull();
    expect(warn).toHaveBeenCalledWith(
      '[rapport] forgot the accounts shown last:',
      expect.any(String),
    );
  });

  test('a storage that refuses writes loses only the guess', () => {
    vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(() => rememberShown(['x:robin_vale'])).not.toThrow();
    expect(shownLastTime()).toEqual([]);
  });
});

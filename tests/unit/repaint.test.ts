import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  onRepaintRequest,
  REPAINT_KEY,
  requestRepaint,
  type StorageEvents,
} from '../../src/shared/repaint.ts';

type Listener = Parameters<StorageEvents['addListener']>[0];

/** `storage.onChanged` as the browser drives it: every listener hears every change. */
function storageEvents() {
  const listeners = new Set<Listener>();
  const events: StorageEvents = {
    addListener: (l) => void listeners.add(l),
    removeListener: (l) => void listeners.delete(l),
  };
  const change = (area: string, newValue: unknown, key = REPAINT_KEY) => {
    for (const l of listeners) l({ [key]: { newValue } }, area);
  };
  return { events, change, listeners };
}

afterEach(() => vi.useRealTimers());

describe('repaint requests from the extension’s pages', () => {
  test('each request writes a new value, so every one is heard', async () => {
    const written: Record<string, unknown>[] = [];
    const area = { set: async (items: Record<string, unknown>) => void written.push(items) };
    await requestRepaint(area, 1000);
    await requestRepaint(area, 1001);
    expect(written).toEqual([{ [REPAINT_KEY]: 1000 }, { [REPAINT_KEY]: 1001 }]);
    // Storage that refuses the write loses nothing but the repaint.
    await expect(
      requestRepaint({ set: () => Promise.reject(new Error('gone')) }, 1002),
    ).resolves.toBeUndefined();
  });

  test('requests in quick succession (a note typed) repaint once, when they pause', () => {
    vi.useFakeTimers();
    const { events, change } = storageEvents();
    const repaint = vi.fn();
    onRepaintRequest(repaint, events, 300);
    for (let i = 0; i < 5; i++) {
      change('local', 1000 + i);
      vi.advanceTimersByTime(100);
    }
    expect(repaint).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(repaint).toHaveBeenCalledTimes(1);
    change('local', 2000);
    vi.advanceTimersByTime(300);
    expect(repaint).toHaveBeenCalledTimes(2);
  });

  test.each<[string, string, unknown, string, boolean]>([
    ['another storage area', 'session', 1000, REPAINT_KEY, false],
    ['another key', 'local', 1000, 'storageFull', false],
    ['the key removed (storage cleared)', 'local', undefined, REPAINT_KEY, false],
    ['a value that is not a time', 'local', '<img src=x>', REPAINT_KEY, true],
    ['a value that is not finite', 'local', Number.NaN, REPAINT_KEY, true],
  ])('%s asks for nothing', (_, area, value, key, logged) => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { events, change } = storageEvents();
    const repaint = vi.fn();
    onRepaintRequest(repaint, events, 300);
    change(area, value, key);
    vi.advanceTimersByTime(1000);
    expect(repaint).not.toHaveBeenCalled();
    expect(warn.mock.calls.flat().join(' ').includes('malformed repaint request')).toBe(logged);
    warn.mockRestore();
  });

  test('stopping listens no more and drops a repaint still waiting', () => {
    vi.useFakeTimers();
    const { events, change, listeners } = storageEvents();
    const repaint = vi.fn();
    const stop = onRepaintRequest(repaint, events, 300);
    change('local', 1000);
    stop();
    vi.advanceTimersByTime(1000);
    change('local', 1001);
    vi.advanceTimersByTime(1000);
    expect(repaint).not.toHaveBeenCalled();
    expect(listeners.size).toBe(0);
  });
});

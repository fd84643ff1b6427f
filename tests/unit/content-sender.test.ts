import { describe, expect, test, vi } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { BatchSender, FLUSH_AFTER_MS, FLUSH_AT } from '../../src/content/sender.ts';
import type { IngestMessage } from '../../src/shared/messages.ts';

const post = (i: number): Observation => ({
  type: 'post',
  id: String(i),
  author: { platform: 'x', handle: `a${i}` },
});

function harness(reply: (m: IngestMessage, attempt: number) => unknown) {
  const sent: IngestMessage[] = [];
  const attempts = new Map<string, number>();
  const saved: number[] = [];
  let orphaned = false;
  const sender = new BatchSender({
    platform: 'x',
    transport: async (message) => {
      sent.push(message);
      const n = (attempts.get(message.batchId) ?? 0) + 1;
      attempts.set(message.batchId, n);
      return reply(message, n);
    },
    page: () => ({ kind: 'home', url: 'https://x.com/home' }),
    viewer: () => ({ platform: 'x', handle: 'me' }),
    onSaved: (added) => saved.push(added),
    onOrphaned: () => (orphaned = true),
  });
  return { sender, sent, saved, orphaned: () => orphaned };
}

const ack = (m: IngestMessage) => ({ ok: true, batchId: m.batchId, added: m.observations.length });

describe('BatchSender', () => {
  test(`flushes at ${FLUSH_AT} observations at once`, async () => {
    vi.useFakeTimers();
    const h = harness(ack);
    h.sender.add(Array.from({ length: FLUSH_AT - 1 }, (_, i) => post(i)));
    expect(h.sent).toHaveLength(0);
    h.sender.add([post(999)]);
    await vi.runOnlyPendingTimersAsync();
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]?.observations).toHaveLength(FLUSH_AT);
    expect(h.saved).toEqual([FLUSH_AT]);
    vi.useRealTimers();
  });

  test(`flushes after ${FLUSH_AFTER_MS} ms otherwise, one batch for all that came meanwhile`, async () => {
    vi.useFakeTimers();
    const h = harness(ack);
    h.sender.add([post(1)]);
    await vi.advanceTimersByTimeAsync(FLUSH_AFTER_MS / 2);
    h.sender.add([post(2)]);
    expect(h.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(FLUSH_AFTER_MS / 2);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]?.observations).toHaveLength(2);
    expect(h.sent[0]?.viewer).toEqual({ platform: 'x', handle: 'me' });
    vi.useRealTimers();
  });

  test('re-sends the same batch until it is acknowledged by id', async () => {
    vi.useFakeTimers();
    // No answer (worker asleep), a wrong id, a failure, then the acknowledgement.
    const h = harness((m, attempt) =>
      attempt === 1
        ? undefined
        : attempt === 2
          ? { ok: true, batchId: 'other', added: 1 }
          : attempt === 3
            ? { ok: false, error: 'QuotaExceededError' }
            : ack(m),
    );
    h.sender.add([post(1)]);
    h.sender.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.sent).toHaveLength(4);
    expect(new Set(h.sent.map((m) => m.batchId)).size).toBe(1);
    expect(h.saved).toEqual([1]);
    expect(h.sender.waiting).toBe(0);
    vi.useRealTimers();
  });

  test('stops quietly when the extension context is gone', async () => {
    const sent: string[] = [];
    let orphaned = false;
    const sender = new BatchSender({
      platform: 'x',
      transport: async () => {
        sent.push('x');
        throw new Error('Extension context invalidated.');
      },
      page: () => ({ kind: 'home', url: 'https://x.com/home' }),
      viewer: () => undefined,
      onSaved: () => undefined,
      onOrphaned: () => (orphaned = true),
    });
    sender.add([post(1)]);
    sender.flush();
    await new Promise((r) => setTimeout(r, 10));
    expect(orphaned).toBe(true);
    sender.add([post(2)]);
    sender.flush();
    expect(sent).toHaveLength(1);
  });

  test('a refused batch is sent again without its malformed observations; a wholly bad one is dropped', async () => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // The background's verdict, as the router gives it: refused when any observation is bad.
    const h = harness((m) =>
      m.observations.some((o) => o.type === 'post' && o.id.includes(' '))
        ? { ok: false, error: 'refused: observations.1.id: Invalid format' }
        : ack(m),
    );
    const bad: Observation = {
      type: 'post',
      id: 'not an id',
      author: { platform: 'x', handle: 'b' },
    };
    h.sender.add([post(1), bad, post(2)]);
    h.sender.flush();
    await vi.runOnlyPendingTimersAsync();
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]?.observations).toEqual([post(1), post(2)]);
    expect(h.saved).toEqual([2]);
    expect(h.sender.waiting).toBe(0);

    h.sender.add([bad]);
    h.sender.flush();
    await vi.runOnlyPendingTimersAsync();
    expect(h.sent).toHaveLength(3);
    expect(h.sender.waiting).toBe(0);
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
});

import * as v from 'valibot';
import type { AccountRef, Observation, Platform } from '../core/model.ts';
import {
  describeIssues,
  IngestAckSchema,
  MAX_BATCH,
  ObservationSchema,
  type IngestMessage,
} from '../shared/messages.ts';

/**
 * A batch goes when this many observations wait (or after FLUSH_AFTER_MS). Each message and the
 * badge lookup its acknowledgement triggers cost the page a fixed amount: a fast scroll sends
 * fewer, larger batches (250 rather than 100: ~7 messages per 2,000 posts instead of 18).
 */
export const FLUSH_AT = 250;
export const FLUSH_AFTER_MS = 1000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

export interface SenderOptions {
  platform: Platform;
  /** Sends a message to the background and resolves with its raw reply. */
  transport: (message: IngestMessage) => Promise<unknown>;
  page: () => { kind: string; url: string };
  viewer: () => AccountRef | undefined;
  /** Called after a batch was acknowledged as saved, with what it carried. */
  onSaved: (added: number, observations: readonly Observation[]) => void;
  /** Called when the extension is gone (reloaded or removed): stop everything. */
  onOrphaned: () => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function isContextInvalidated(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Extension context invalidated|context invalidated|Receiving end does not exist.*reload/i.test(
    message,
  );
}

/**
 * Batches observations (flush at FLUSH_AT or after 1 s) and sends each batch until the background
 * acknowledges it by id. An unacknowledged batch is kept and sent again with backoff: only an
 * acknowledgement counts as saved.
 */
export class BatchSender {
  private pending: Observation[] = [];
  private readonly unacked = new Map<string, { message: IngestMessage; attempts: number }>();
  private flushTimer: unknown;
  private stopped = false;
  private counter = 0;

  constructor(private readonly options: SenderOptions) {}

  get waiting(): number {
    return (
      this.pending.length +
      [...this.unacked.values()].reduce((n, b) => n + b.message.observations.length, 0)
    );
  }

  add(observations: readonly Observation[]): void {
    if (this.stopped || observations.length === 0) return;
    this.pending.push(...observations);
    if (this.pending.length >= FLUSH_AT) this.flush();
    else this.flushTimer ??= this.timer(() => this.flush(), FLUSH_AFTER_MS);
  }

  flush(): void {
    if (this.flushTimer !== undefined) {
      this.clear(this.flushTimer);
      this.flushTimer = undefined;
    }
    while (!this.stopped && this.pending.length > 0) {
      const observations = this.pending.splice(0, MAX_BATCH);
      const viewer = this.options.viewer();
      const page = this.options.page();
      const message: IngestMessage = {
        type: 'ingest',
        batchId: `${(this.options.now ?? Date.now)().toString(36)}-${(this.counter++).toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
        page: { platform: this.options.platform, kind: page.kind, url: page.url },
        seenAt: (this.options.now ?? Date.now)(),
        observations,
        ...(viewer ? { viewer } : {}),
      };
      this.unacked.set(message.batchId, { message, attempts: 0 });
      void this.send(message.batchId);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.flushTimer !== undefined) this.clear(this.flushTimer);
  }

  private async send(batchId: string): Promise<void> {
    const entry = this.unacked.get(batchId);
    if (!entry || this.stopped) return;
    entry.attempts += 1;
    let reply: unknown;
    try {
      reply = await this.options.transport(entry.message);
    } catch (error) {
      if (isContextInvalidated(error)) {
        this.stopped = true;
        this.options.onOrphaned();
        return;
      }
      reply = undefined;
    }
    const ack = v.safeParse(IngestAckSchema, reply);
    if (ack.success && ack.output.ok && ack.output.batchId === batchId) {
      this.unacked.delete(batchId);
      this.options.onSaved(ack.output.added, entry.message.observations);
      return;
    }
    if (ack.success && !ack.output.ok && ack.output.error.startsWith('refused:')) {
      // The background will never take this batch as it is. Keep what is valid in it: one
      // malformed observation (a parser bug, a page's oddity) must not lose the others.
      console.warn('[rapport] batch refused:', ack.output.error);
      this.unacked.delete(batchId);
      const valid = entry.message.observations.filter((o) => v.is(ObservationSchema, o));
      if (valid.length > 0 && valid.length < entry.message.observations.length) {
        console.warn(
          `[rapport] sending the batch again without its ${entry.message.observations.length - valid.length} malformed observation(s)`,
        );
        const retry: IngestMessage = {
          ...entry.message,
          batchId: `${batchId}r`,
          observations: valid,
        };
        this.unacked.set(retry.batchId, { message: retry, attempts: 0 });
        void this.send(retry.batchId);
      }
      return;
    }
    if (!ack.success && reply !== undefined)
      console.warn('[rapport] bad acknowledgement:', describeIssues(ack.issues));
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (entry.attempts - 1));
    this.timer(() => void this.send(batchId), delay);
  }

  private timer(fn: () => void, ms: number): unknown {
    return (this.options.setTimer ?? ((f, t) => setTimeout(f, t)))(fn, ms);
  }

  private clear(handle: unknown): void {
    (this.options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(handle);
  }
}

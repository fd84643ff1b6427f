import { accountKey, type AccountKey } from '../core/keys.ts';
import type { AccountRef, Observation } from '../core/model.ts';

const LIMIT = 20_000;

/**
 * Drops what this page already handed over: a post sent before (the site re-renders rows when
 * scrolling back) and a display name already sent for that account. Every batch is resent until
 * acknowledged, so what was sent once arrives. Keeps the messages, and so their cost, small.
 */
export class ObservationSlimmer {
  private readonly posts = new Set<string>();
  private readonly names = new Map<AccountKey, string>();

  slim(observations: readonly Observation[]): Observation[] {
    if (this.posts.size > LIMIT) this.posts.clear();
    if (this.names.size > LIMIT) this.names.clear();
    const out: Observation[] = [];
    for (const obs of observations) {
      switch (obs.type) {
        case 'post': {
          const key = `${obs.author.platform}:${obs.id}`;
          if (this.posts.has(key)) continue;
          this.posts.add(key);
          out.push({ ...obs, author: this.account(obs.author) });
          break;
        }
        case 'interaction':
          out.push({ ...obs, from: this.account(obs.from), to: this.account(obs.to) });
          break;
        case 'relationship':
          out.push({ ...obs, account: this.account(obs.account) });
          break;
        case 'viewer':
          out.push(obs);
          break;
      }
    }
    return out;
  }

  private account(ref: AccountRef): AccountRef {
    if (!ref.name) return ref;
    const key = accountKey(ref);
    if (this.names.get(key) !== ref.name) {
      this.names.set(key, ref.name);
      return ref;
    }
    const { name: _sent, ...rest } = ref;
    return rest;
  }
}

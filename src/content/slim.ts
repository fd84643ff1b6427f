import { accountKey, evidenceKey, type AccountKey } from '../core/keys.ts';
import type { AccountRef, Observation } from '../core/model.ts';
import { MAX_NAME_LENGTH } from '../shared/messages.ts';

const LIMIT = 20_000;
/**
 * Exchanges remembered: their copies come close together (the API response and the page within
 * seconds, a post drawn again while it is in view), and a key is larger than an account's.
 */
const EXCHANGE_LIMIT = 5_000;

/**
 * Drops what this page already handed over. The store learns from a post only that its author
 * was seen (with their name and id): once an author went out from this page, their further
 * posts add nothing and stay here; so does a display name already sent. An exchange already sent
 * stays too: the site's API response and its page both show it (and a post drawn again shows it
 * again), and the store keeps the first copy of an exchange anyway. Every batch is resent until
 * acknowledged, so what was sent once arrives. Keeps the messages, and so their cost, small (a
 * feed of 2,000 posts by 40 people sends 40 of them).
 */
export class ObservationSlimmer {
  private readonly authors = new Set<AccountKey>();
  private readonly names = new Map<AccountKey, string>();
  private readonly ids = new Map<AccountKey, string>();
  private readonly exchanges = new Set<string>();

  slim(observations: readonly Observation[]): Observation[] {
    if (this.authors.size > LIMIT) this.authors.clear();
    if (this.names.size > LIMIT) this.names.clear();
    if (this.ids.size > LIMIT) this.ids.clear();
    if (this.exchanges.size > EXCHANGE_LIMIT) this.exchanges.clear();
    const out: Observation[] = [];
    for (const obs of observations) {
      switch (obs.type) {
        case 'post': {
          const key = accountKey(obs.author);
          // Already sent, with nothing new to say about its author (a new name or id)?
          const author = this.account(obs.author, key);
          if (this.authors.has(key) && !author.name && !author.id) continue;
          this.authors.add(key);
          out.push({ ...obs, author });
          break;
        }
        case 'interaction': {
          // Each account's key made once, for its name and id and for the exchange's key.
          const fromKey = accountKey(obs.from);
          const toKey = accountKey(obs.to);
          const from = this.account(obs.from, fromKey);
          const to = this.account(obs.to, toKey);
          const key = evidenceKey(obs, fromKey, toKey);
          // Sent before, with nothing new to say about either account?
          if (this.exchanges.has(key) && !from.name && !from.id && !to.name && !to.id) continue;
          this.exchanges.add(key);
          out.push({ ...obs, from, to });
          break;
        }
        case 'relationship':
          out.push({ ...obs, account: this.account(obs.account) });
          break;
        case 'viewer':
          out.push(
            obs.account.name && obs.account.name.length > MAX_NAME_LENGTH
              ? { ...obs, account: { ...obs.account, name: clampName(obs.account.name) } }
              : obs,
          );
          break;
      }
    }
    return out;
  }

  /** The account with its name and id only when they were not sent from this page yet. */
  private account(ref: AccountRef, known?: AccountKey): AccountRef {
    if (!ref.name && !ref.id) return ref;
    const key = known ?? accountKey(ref);
    const out: AccountRef = { platform: ref.platform, handle: ref.handle };
    if (ref.name && this.names.get(key) !== ref.name) {
      this.names.set(key, ref.name);
      out.name = clampName(ref.name);
    }
    if (ref.id && this.ids.get(key) !== ref.id) {
      this.ids.set(key, ref.id);
      out.id = ref.id;
    }
    return out;
  }
}

/** A name a page may make any length, cut to what the store keeps, never inside a surrogate pair. */
export function clampName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  let end = MAX_NAME_LENGTH - 1;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${name.slice(0, end)}…`;
}

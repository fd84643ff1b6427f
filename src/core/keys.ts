import type { AccountRef, InteractionObservation, Platform } from './model.ts';

/** `platform:handle`, the key of an account everywhere in Rapport. */
export type AccountKey = `${Platform}:${string}`;

export function normalizeHandle(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

export function accountKey(ref: Pick<AccountRef, 'platform' | 'handle'>): AccountKey {
  return `${ref.platform}:${normalizeHandle(ref.handle)}`;
}

export function parseAccountKey(key: string): { platform: Platform; handle: string } | undefined {
  const match = /^(x|linkedin):([^:\s]+)$/.exec(key);
  if (!match) return undefined;
  return { platform: match[1] as Platform, handle: match[2] as string };
}

/**
 * `platform:sourceId:kind:from:to`. The same act seen twice (twice on a page, in the DOM and in an
 * API response, in two tabs) has one key, so ingesting it again changes nothing.
 */
export function evidenceKey(
  obs: InteractionObservation,
  /** The accounts' keys, when the caller has them already (each costs a normalisation). */
  fromKey: AccountKey = accountKey(obs.from),
  toKey: AccountKey = accountKey(obs.to),
): string {
  const from = fromKey.slice(obs.from.platform.length + 1);
  const to = toKey.slice(obs.to.platform.length + 1);
  return `${obs.from.platform}:${obs.sourceId}:${obs.kind}:${from}:${to}`;
}

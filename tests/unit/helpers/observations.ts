import type { AccountRef, Observation } from '../../../src/core/model.ts';

/** An ISO time `daysAgo` days before `now`, and an interaction dated that way. */
export function storyClock(now: number) {
  const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
  const act = (
    kind: 'reply' | 'mention' | 'repost',
    from: AccountRef,
    to: AccountRef,
    id: string,
    daysAgo = 1,
  ): Observation => ({ type: 'interaction', kind, from, to, sourceId: id, at: at(daysAgo) });
  return { at, act };
}

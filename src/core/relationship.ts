import { accountKey, type AccountKey } from './keys.ts';
import {
  DAY_MS,
  EXCHANGE_KINDS,
  PASSIVE_KINDS,
  TIER_ORDER,
  type InteractionKind,
  type Platform,
  type Settings,
  type Tier,
} from './model.ts';

/**
 * What the viewer and one account have done to each other, kept up to date one piece of evidence
 * at a time, so neither the popup nor a badge ever has to read the evidence to know a tier.
 */
export interface Relationship {
  viewer: AccountKey;
  account: AccountKey;
  platform: Platform;
  handle: string;
  /**
   * The account's display name when this row was last written (the accounts store has the
   * latest): lets the popup draw its first screen from this index alone.
   */
  name?: string;
  /** Exchanges the account addressed to the viewer, and the viewer to the account. */
  inCount: number;
  outCount: number;
  passiveIn: number;
  passiveOut: number;
  lastInAt?: number;
  lastOutAt?: number;
  lastPassiveAt?: number;
  /** Where the latest inbound exchange can be answered. */
  lastInUrl?: string;
  /** log2 Σ 2^(t/h) of each kind of act: decayed sums kept time-invariant (see `scoreRank`). */
  logIn: number;
  logOut: number;
  logPassive: number;
  followsViewer?: boolean;
  viewerFollows?: boolean;
  connected?: boolean;
  /**
   * The viewer, present only while the account follows them or is connected: a sparse index on
   * it counts the viewer's followers without reading the rows of everyone else.
   */
  followerOf?: AccountKey;
  /** A tier the user chose; wins over the computed one. */
  override?: Tier;
  computedTier: Tier;
  /** The tier shown: `override ?? computedTier`. */
  tier: Tier;
  tierOrder: number;
  /** Time-invariant ordering key of the score: higher ranks first at any moment. */
  rank: number;
  /** −rank, so an ascending index walks best first. */
  rankDesc: number;
  /** When the computed tier may change by time passing alone (an exchange leaving the window). */
  validUntil: number;
  /** The half-life the log sums were built with; a settings change means a rebuild. */
  halfLifeDays: number;
}

export type Direction = 'in' | 'out';

export interface EvidenceFact {
  kind: InteractionKind;
  direction: Direction;
  at: number;
  url?: string;
}

export function emptyRelationship(
  viewer: AccountKey,
  account: { platform: Platform; handle: string },
  settings: Settings,
): Relationship {
  return {
    viewer,
    account: accountKey(account),
    platform: account.platform,
    handle: account.handle,
    inCount: 0,
    outCount: 0,
    passiveIn: 0,
    passiveOut: 0,
    logIn: -Infinity,
    logOut: -Infinity,
    logPassive: -Infinity,
    computedTier: 'unknown',
    tier: 'unknown',
    tierOrder: TIER_ORDER.unknown,
    rank: -Infinity,
    rankDesc: Infinity,
    validUntil: Infinity,
    halfLifeDays: settings.halfLifeDays,
  };
}

/** Which way an edge runs for this viewer, or undefined when it does not touch the viewer. */
export function directionFor(
  viewer: AccountKey,
  from: AccountKey,
  to: AccountKey,
): { direction: Direction; other: AccountKey } | undefined {
  if (from === to) return undefined;
  if (to === viewer) return { direction: 'in', other: from };
  if (from === viewer) return { direction: 'out', other: to };
  return undefined;
}

/** log2(2^a + 2^b) without overflow. */
export function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const high = Math.max(a, b);
  return high + Math.log2(1 + 2 ** -Math.abs(a - b));
}

const PASSIVE_WEIGHT = 0.1;

/**
 * The score, recency-decayed and reciprocity-weighted:
 *
 *   D_k(now) = Σ_i 2^(-(now - t_i) / h)            for k in {in, out, passive}, h = half-life
 *   score    = D_in + D_out + 2·min(D_in, D_out) + 0.1·D_passive
 *
 * One-sided talk scores its decayed count; talk answered both ways scores up to double. Every
 * D_k is A_k·2^(-now/h) with A_k = Σ 2^(t_i/h), and the score is homogeneous in the D_k, so
 * log2(score) + now/h = log2(A_in + A_out + 2·min(A_in, A_out) + 0.1·A_passive) does not depend
 * on `now`: that is `rank`, an index key that orders accounts by score at any moment.
 */
export function scoreRank(logIn: number, logOut: number, logPassive: number): number {
  const high = Math.max(logIn, logOut, logPassive);
  if (high === -Infinity) return -Infinity;
  const sum =
    2 ** (logIn - high) +
    2 ** (logOut - high) +
    2 * 2 ** (Math.min(logIn, logOut) - high) +
    PASSIVE_WEIGHT * 2 ** (logPassive - high);
  return high + Math.log2(sum);
}

/** The score at `now` from a stored rank. */
export function scoreAt(rank: number, halfLifeDays: number, now: number): number {
  if (rank === -Infinity) return 0;
  return 2 ** (rank - now / (halfLifeDays * DAY_MS));
}

function timeUnits(at: number, halfLifeDays: number): number {
  return at / (halfLifeDays * DAY_MS);
}

/** Facts that decide a tier: never a follower count. */
export type TierInput = Pick<
  Relationship,
  | 'lastInAt'
  | 'lastOutAt'
  | 'lastPassiveAt'
  | 'passiveIn'
  | 'passiveOut'
  | 'inCount'
  | 'outCount'
  | 'followsViewer'
  | 'connected'
>;

export function computeTier(
  facts: TierInput,
  settings: Settings,
  now: number,
): { tier: Tier; validUntil: number } {
  const windowMs = settings.windowDays * DAY_MS;
  const windowStart = now - windowMs;
  const inRecent = facts.lastInAt !== undefined && facts.lastInAt >= windowStart;
  const outRecent = facts.lastOutAt !== undefined && facts.lastOutAt >= windowStart;
  // The tier can change by time alone when the first in-window exchange leaves the window.
  const expiries = [
    inRecent ? (facts.lastInAt as number) + windowMs : Infinity,
    outRecent ? (facts.lastOutAt as number) + windowMs : Infinity,
  ];
  const validUntil = Math.min(...expiries);
  if (inRecent && outRecent) return { tier: 'conversational', validUntil };
  if (inRecent) return { tier: 'unanswered', validUntil };
  if (outRecent) return { tier: 'reaching', validUntil };
  if (isFollower(facts)) return { tier: 'silent-follower', validUntil };
  // Exchanges that left the window still say more than nothing: they rank with passive signals.
  const anyContact = facts.passiveIn + facts.passiveOut + facts.inCount + facts.outCount > 0;
  return { tier: anyContact ? 'passive' : 'unknown', validUntil };
}

/** Recomputes the derived fields (tier, order, rank, follower mark) of a row. */
export function settle(row: Relationship, settings: Settings, now: number): Relationship {
  const { tier: computedTier, validUntil } = computeTier(row, settings, now);
  const tier = row.override ?? computedTier;
  const rank = scoreRank(row.logIn, row.logOut, row.logPassive);
  const { followerOf: _previous, ...rest } = row;
  const settled: Relationship = {
    ...rest,
    computedTier,
    tier,
    tierOrder: TIER_ORDER[tier],
    validUntil,
    rank,
    rankDesc: -rank,
  };
  if (isFollower(row)) settled.followerOf = row.viewer;
  return settled;
}

/** Follows the viewer, or is connected with them (LinkedIn connections follow each other). */
export function isFollower(row: Pick<Relationship, 'followsViewer' | 'connected'>): boolean {
  return row.followsViewer === true || row.connected === true;
}

/** Which decayed sum a fact adds to: exchanges each way, passive signals; follows to none. */
function logField(fact: EvidenceFact): 'logIn' | 'logOut' | 'logPassive' | undefined {
  if (EXCHANGE_KINDS.has(fact.kind)) return fact.direction === 'in' ? 'logIn' : 'logOut';
  return PASSIVE_KINDS.has(fact.kind) ? 'logPassive' : undefined;
}

/** Adds one new piece of evidence (the caller has checked it is new). */
export function applyEvidence(row: Relationship, fact: EvidenceFact): Relationship {
  const next = { ...row };
  const field = logField(fact);
  if (field) next[field] = logAdd(next[field], timeUnits(fact.at, row.halfLifeDays));
  if (EXCHANGE_KINDS.has(fact.kind)) {
    if (fact.direction === 'in') {
      next.inCount += 1;
      if (next.lastInAt === undefined || fact.at >= next.lastInAt) {
        next.lastInAt = fact.at;
        if (fact.url) next.lastInUrl = fact.url;
      }
    } else {
      next.outCount += 1;
      next.lastOutAt = Math.max(next.lastOutAt ?? fact.at, fact.at);
    }
  } else if (PASSIVE_KINDS.has(fact.kind)) {
    if (fact.direction === 'in') next.passiveIn += 1;
    else next.passiveOut += 1;
    next.lastPassiveAt = Math.max(next.lastPassiveAt ?? fact.at, fact.at);
  } else if (fact.kind === 'follow') {
    if (fact.direction === 'in') next.followsViewer = true;
    else next.viewerFollows = true;
  }
  return next;
}

/**
 * The row's decayed sums built again from all its evidence with another half-life; counts, dates
 * and flags do not depend on it. Settle the result.
 */
export function withHalfLife(
  row: Relationship,
  facts: Iterable<EvidenceFact>,
  halfLifeDays: number,
): Relationship {
  const next: Relationship = {
    ...row,
    halfLifeDays,
    logIn: -Infinity,
    logOut: -Infinity,
    logPassive: -Infinity,
  };
  for (const fact of facts) {
    const field = logField(fact);
    if (field) next[field] = logAdd(next[field], timeUnits(fact.at, halfLifeDays));
  }
  return next;
}

export interface RelationshipFlags {
  followsViewer?: boolean;
  viewerFollows?: boolean;
  connected?: boolean;
}

export function applyFlags(row: Relationship, flags: RelationshipFlags): Relationship {
  const next = { ...row };
  if (flags.followsViewer !== undefined) next.followsViewer = flags.followsViewer;
  if (flags.viewerFollows !== undefined) next.viewerFollows = flags.viewerFollows;
  if (flags.connected !== undefined) next.connected = flags.connected;
  return next;
}

/**
 * Coverage (DESIGN.md): how much of an account's talk Rapport has actually read. A tier built on
 * silence ("silent follower", "reaching") means little when Rapport never saw the account address
 * anyone, and much when it read dozens of its replies to others and none to the viewer.
 */
export interface Coverage {
  /** Exchanges the account made with anyone (replies, mentions, quotes, comments, messages). */
  exchanges: number;
  /** Of those, addressed to the viewer. */
  toViewer: number;
  /** When Rapport first saw the account on a page (ms), when it did. */
  firstSeenAt?: number;
}

/** Coverage from the evidence the account is the author of (its `from` side), any addressee. */
export function coverageOf(
  fromAccount: Iterable<{ kind: InteractionKind; to: AccountKey }>,
  viewer: AccountKey,
  firstSeenAt?: number,
): Coverage {
  const coverage: Coverage = { exchanges: 0, toViewer: 0 };
  for (const act of fromAccount) {
    if (!EXCHANGE_KINDS.has(act.kind)) continue;
    coverage.exchanges += 1;
    if (act.to === viewer) coverage.toViewer += 1;
  }
  if (firstSeenAt !== undefined) coverage.firstSeenAt = firstSeenAt;
  return coverage;
}

// The shared vocabulary of DESIGN.md. Pure types and constants: no DOM, no browser API.

export const PLATFORMS = ['x', 'linkedin'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface AccountRef {
  platform: Platform;
  /** Lower-case, without `@`. */
  handle: string;
  /** The platform's stable id (X rest_id, LinkedIn fsd_profile id). */
  id?: string;
  name?: string;
}

export const INTERACTION_KINDS = [
  'reply',
  'mention',
  'quote',
  'comment',
  'reaction',
  'repost',
  'follow',
  'message',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** Direct, addressed acts: these make conversations. */
export const EXCHANGE_KINDS: ReadonlySet<InteractionKind> = new Set([
  'reply',
  'mention',
  'quote',
  'comment',
  'message',
]);
/** Counted, never enough to make a conversation. */
export const PASSIVE_KINDS: ReadonlySet<InteractionKind> = new Set(['reaction', 'repost']);

export interface ViewerObservation {
  type: 'viewer';
  account: AccountRef;
}
export interface PostObservation {
  type: 'post';
  id: string;
  author: AccountRef;
  at?: string;
  url?: string;
  inReplyTo?: string;
}
export interface InteractionObservation {
  type: 'interaction';
  kind: InteractionKind;
  from: AccountRef;
  to: AccountRef;
  sourceId: string;
  at?: string;
  /** Where the proof can be seen (a post or comment URL). */
  url?: string;
}
export interface RelationshipObservation {
  type: 'relationship';
  account: AccountRef;
  followsViewer?: boolean;
  viewerFollows?: boolean;
  connected?: boolean;
}
export type Observation =
  ViewerObservation | PostObservation | InteractionObservation | RelationshipObservation;

export const TIERS = [
  'conversational',
  'unanswered',
  'reaching',
  'silent-follower',
  'passive',
  'unknown',
] as const;
export type Tier = (typeof TIERS)[number];

/** Lower is better: the order of the "who actually talks to me" list. */
export const TIER_ORDER: Readonly<Record<Tier, number>> = {
  conversational: 0,
  unanswered: 1,
  reaching: 2,
  'silent-follower': 3,
  passive: 4,
  unknown: 5,
};

export interface Settings {
  /** Exchanges older than this do not count toward a tier. */
  windowDays: number;
  /** The score of an exchange halves every this many days. */
  halfLifeDays: number;
  /** Sites Rapport reads; a site turned off is neither recorded nor badged. */
  platforms: Readonly<Record<Platform, boolean>>;
  /** Tiers whose badge is not drawn on pages. */
  hiddenBadges: readonly Tier[];
  /** Whether pages in private (incognito) windows are recorded; never, unless the user says. */
  recordPrivate: boolean;
  /** Show on the toolbar icon how many people are waiting on an answer. */
  toolbarCount: boolean;
  /** The weekly suggestion names someone you talked with once they were quiet this many weeks. */
  quietWeeks: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  windowDays: 180,
  halfLifeDays: 30,
  platforms: { x: true, linkedin: true },
  hiddenBadges: [],
  recordPrivate: false,
  toolbarCount: false,
  quietWeeks: 3,
};

/** The range the settings page allows for `quietWeeks` (a backup outside it is refused). */
export const QUIET_WEEKS_RANGE = { min: 1, max: 52 } as const;

/** The range allowed for `halfLifeDays` (a backup outside it is refused). */
export const HALF_LIFE_RANGE = { min: 1, max: 3650 } as const;

export const DAY_MS = 86_400_000;

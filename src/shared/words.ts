import type { Platform, Tier } from '../core/model.ts';
import type { Coverage } from '../core/relationship.ts';

export const TIER_LABEL: Readonly<Record<Tier, string>> = {
  conversational: 'Talk with you',
  unanswered: 'Waiting on you',
  reaching: 'You reach out',
  'silent-follower': 'Silent followers',
  passive: 'Passive',
  unknown: 'Unknown',
};

/** A row's tier, said of one person. */
export const ROW_LABEL: Readonly<Record<Tier, string>> = {
  ...TIER_LABEL,
  conversational: 'Talks with you',
  'silent-follower': 'Silent follower',
};

export const PLATFORM_NAME: Readonly<Record<Platform, string>> = { x: 'X', linkedin: 'LinkedIn' };

/** What to type when a typed account was not one (see `typedHandle`). */
export const NOT_AN_ACCOUNT: Readonly<Record<Platform, string>> = {
  x: 'That is not an X account: type @name or x.com/name.',
  linkedin: 'That is not a LinkedIn profile: type in/name or its linkedin.com/in/ address.',
};

/** How a platform writes an account's address: @handle on X, in/slug on LinkedIn. */
export const shownHandle = (platform: Platform, handle: string) =>
  platform === 'x' ? `@${handle}` : `in/${handle}`;

/** An account as the user knows it: "@handle on X", "in/slug on LinkedIn". */
export const accountLabel = (account: { platform: Platform; handle: string }) =>
  `${shownHandle(account.platform, account.handle)} on ${PLATFORM_NAME[account.platform]}`;

export function whenText(ms: number, now: number): string {
  const days = Math.floor((now - ms) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  return `${Math.round(days / 30)} months ago`;
}

export const people = (n: number) => (n === 1 ? '1 person' : `${n.toLocaleString()} people`);

/**
 * The popup's summary in words: "7 people talk with you; 3 are waiting on you; 412 of your 430
 * followers have never said a word." With a LinkedIn account shown, its connections are among the
 * followers and the sentence says so. A tier set by hand can leave more silent followers than
 * followers: then they are counted on their own.
 */
export function summaryText(
  counts: Readonly<Record<'conversational' | 'unanswered' | 'silent-follower', number>>,
  followers: number,
  { withConnections = false }: { withConnections?: boolean } = {},
): string {
  const talk = counts.conversational;
  const waiting = counts.unanswered;
  const silent = counts['silent-follower'];
  const many = withConnections ? 'followers and connections' : 'followers';
  const parts = [`${people(talk)} ${talk === 1 ? 'talks' : 'talk'} with you`];
  if (waiting > 0)
    parts.push(`${waiting.toLocaleString()} ${waiting === 1 ? 'is' : 'are'} waiting on you`);
  if (silent > 0 && followers === silent)
    parts.push(
      followers === 1
        ? `your one ${withConnections ? 'follower or connection' : 'follower'} has never said a word`
        : `none of your ${followers.toLocaleString()} ${many} has ever said a word`,
    );
  else if (silent > 0 && followers > silent)
    parts.push(
      `${silent.toLocaleString()} of your ${followers.toLocaleString()} ${many} ${silent === 1 ? 'has' : 'have'} never said a word`,
    );
  else if (silent > 0)
    parts.push(
      `${people(silent)} ${silent === 1 ? 'follows' : 'follow'} you and ${silent === 1 ? 'has' : 'have'} never said a word`,
    );
  return `${parts.join('; ')}.`;
}

/** Tiers that rest on what someone has not said: thin coverage makes them a guess. */
const SILENCE_TIERS: ReadonlySet<Tier> = new Set([
  'reaching',
  'silent-follower',
  'passive',
  'unknown',
]);

/**
 * How much of a person's talk Rapport has read, in words: "Rapport has read 23 of their replies,
 * mentions and comments (2 to you); first seen 40 days ago." With nothing read and a tier that
 * rests on silence, it says the silence may be Rapport's own blind spot.
 */
export function coverageText(coverage: Coverage, tier: Tier, now: number): string {
  const { exchanges, toViewer, firstSeenAt } = coverage;
  const seen = firstSeenAt === undefined ? '' : `first seen ${whenText(firstSeenAt, now)}`;
  if (exchanges === 0) {
    const doubt = SILENCE_TIERS.has(tier) ? ': their silence may be one Rapport missed' : '';
    return `Rapport has not read a reply, mention or comment of theirs yet${seen ? ` (${seen})` : ''}${doubt}.`;
  }
  const what =
    exchanges === 1
      ? 'one of their replies, mentions or comments'
      : `${exchanges.toLocaleString()} of their replies, mentions and comments`;
  const toYou =
    toViewer === 0
      ? 'none to you'
      : toViewer === exchanges
        ? exchanges === 1
          ? 'to you'
          : 'all to you'
        : `${toViewer.toLocaleString()} to you`;
  return `Rapport has read ${what} (${toYou})${seen ? `; ${seen}` : ''}.`;
}

// URL → the kind of LinkedIn page, and the identifiers LinkedIn puts in its links. Pure: tested
// against a table of real addresses.

export const LINKEDIN_PAGE_KINDS = [
  'feed',
  'post',
  'recent-activity',
  'notifications',
  'connections',
  'followers',
  'profile',
  'messaging',
  'other',
] as const;
export type LinkedInPageKind = (typeof LINKEDIN_PAGE_KINDS)[number];

export function linkedinPageKind(url: URL): LinkedInPageKind {
  const parts = url.pathname.split('/').filter(Boolean);
  const [first, second, third, fourth] = parts;
  switch (first) {
    case 'feed':
      if (second === undefined) return 'feed';
      if (
        second === 'update' &&
        third &&
        /^urn:li:(activity|ugcPost|share):\d+$/.test(decodeURIComponent(third))
      )
        return 'post';
      if (second === 'followers') return 'followers';
      return 'other';
    case 'posts':
      // /posts/<slug>_<text>-activity-<id>-<hash>: a single post's public address.
      return second && /activity-\d+/.test(second) ? 'post' : 'other';
    case 'notifications':
      return 'notifications';
    case 'messaging':
      return 'messaging';
    case 'mynetwork':
      if (second === 'invite-connect' && third === 'connections') return 'connections';
      if (second === 'network-manager' && third === 'people-follow' && fourth === 'followers')
        return 'followers';
      return 'other';
    case 'in':
      if (!second || !slugOf(second)) return 'other';
      if (third === undefined) return 'profile';
      if (third === 'recent-activity') return 'recent-activity';
      return 'other';
    default:
      return 'other';
  }
}

/** A public identifier as LinkedIn's links carry it (percent-encoded), lower-case and decoded. */
function slugOf(segment: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  // Letters of any script, digits and hyphens (LinkedIn allows non-Latin public identifiers).
  return /^[\p{L}\p{N}_-]{2,100}$/u.test(decoded) ? decoded.toLowerCase() : undefined;
}

/** A reading of links, remembered (bounded): the same few links repeat on every post. */
function remembered(read: (href: string) => string | undefined) {
  const known = new Map<string, string | undefined>();
  return (href: string | null): string | undefined => {
    if (!href) return undefined;
    if (known.has(href)) return known.get(href);
    if (known.size > 2000) known.clear();
    const value = read(href);
    known.set(href, value);
    return value;
  };
}

/** The public identifier of a profile link (`/in/<slug>`, absolute or relative), else undefined. */
export const slugFromHref = remembered(readSlug);

function readSlug(href: string): string | undefined {
  const match =
    /^(?:https?:\/\/(?:[a-z]{2,3}\.|www\.)?linkedin\.com)?\/in\/([^/?#]+)\/?(?:[/?#].*)?$/.exec(
      href,
    );
  return match ? slugOf(match[1] as string) : undefined;
}

/** The profile URN id LinkedIn appends to actor links (`miniProfileUrn=urn:li:fsd_profile:<id>`). */
export const profileIdFromHref = remembered(readProfileId);

function readProfileId(href: string): string | undefined {
  const match = /[?&]miniProfileUrn=([^&#]+)/.exec(href);
  if (!match) return undefined;
  let urn: string;
  try {
    urn = decodeURIComponent(match[1] as string);
  } catch {
    return undefined;
  }
  return profileIdFromUrn(urn);
}

/** `urn:li:fsd_profile:<id>` (or fs_miniProfile / member) → `<id>`. */
export function profileIdFromUrn(urn: unknown): string | undefined {
  if (typeof urn !== 'string') return undefined;
  return /^urn:li:(?:fsd_profile|fs_miniProfile|fs_profile|member):([A-Za-z0-9_-]{1,80})$/.exec(
    urn,
  )?.[1];
}

/** `urn:li:activity:<id>` (or ugcPost / share) → `<id>`. */
export function activityIdFromUrn(urn: string | null | undefined): string | undefined {
  return urn ? /^urn:li:(?:activity|ugcPost|share):(\d{1,25})$/.exec(urn)?.[1] : undefined;
}

/**
 * A comment urn in either form LinkedIn uses, `urn:li:comment:(activity:<post>,<comment>)` or
 * `urn:li:fsd_comment:(<comment>,urn:li:activity:<post>)`, as its post and comment ids.
 */
export function commentFromUrn(
  urn: string | null | undefined,
): { postId: string; commentId: string } | undefined {
  if (!urn) return undefined;
  const plain = /^urn:li:comment:\((?:activity|ugcPost|share):(\d{1,25}),(\d{1,25})\)$/.exec(urn);
  if (plain) return { postId: plain[1] as string, commentId: plain[2] as string };
  const dash =
    /^urn:li:fsd_comment:\((\d{1,25}),urn:li:(?:activity|ugcPost|share):(\d{1,25})\)$/.exec(urn);
  if (dash) return { postId: dash[2] as string, commentId: dash[1] as string };
  return undefined;
}

/**
 * When a LinkedIn id was made: its first 41 bits count milliseconds since the epoch (activity,
 * comment and message ids alike). Undefined for ids that do not decode to a plausible time.
 */
export function timeFromId(id: string): string | undefined {
  if (!/^\d{15,25}$/.test(id)) return undefined;
  // id >> 22, exactly, by long division of the decimal digits (BigInt costs ten times as much).
  let ms = 0;
  let rest = 0;
  for (let i = 0; i < id.length; i++) {
    rest = rest * 10 + (id.charCodeAt(i) - 48);
    const digit = Math.floor(rest / 4194304);
    rest -= digit * 4194304;
    ms = ms * 10 + digit;
  }
  // Between LinkedIn's first such ids (2015) and a day from now.
  if (ms < Date.UTC(2015, 0, 1) || ms > Date.now() + 86_400_000) return undefined;
  return new Date(ms).toISOString();
}

/** The address of one comment (or reply) on its post. */
export function commentUrl(postId: string, commentId: string): string {
  const urn = encodeURIComponent(`urn:li:comment:(activity:${postId},${commentId})`);
  return `${postUrl(postId)}?commentUrn=${urn}`;
}

/**
 * What a "<Name> reposted this" / "likes this" header above a post says its person did, in the
 * interface's English (the DOM's header and the feed API's header text read alike).
 */
export function headerKind(text: string): 'repost' | 'reaction' | undefined {
  if (/\breposted\b/i.test(text)) return 'repost';
  if (/\b(likes?|loves?|celebrates?|supports?|finds? this|reacted|is curious about)\b/i.test(text))
    return 'reaction';
  return undefined;
}

export function postUrl(postId: string): string {
  return `https://www.linkedin.com/feed/update/urn:li:activity:${postId}/`;
}

export function profileUrl(slug: string): string {
  return `https://www.linkedin.com/in/${encodeURIComponent(slug)}/`;
}

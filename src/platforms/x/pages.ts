// URL → the kind of X page. Pure: tested against a table of real addresses.

export const X_PAGE_KINDS = [
  'home',
  'status',
  'profile',
  'profile-with-replies',
  'followers',
  'verified-followers',
  'following',
  'notifications',
  'mentions',
  'search',
  'messages',
  'other',
] as const;
export type XPageKind = (typeof X_PAGE_KINDS)[number];

/** First path segments that are X's own pages, never a user's handle. */
export const RESERVED_PATHS: ReadonlySet<string> = new Set([
  'home',
  'explore',
  'notifications',
  'messages',
  'search',
  'settings',
  'i',
  'compose',
  'login',
  'logout',
  'signup',
  'tos',
  'privacy',
  'jobs',
  'account',
  'hashtag',
  'intent',
  'share',
  'download',
  'bookmarks',
  'lists',
  'communities',
  'premium_sign_up',
  'verified-choose',
  'who_to_follow',
  'following',
  'followers',
  'search-advanced',
  'grok',
  'jf',
  'oauth',
  'analytics',
  'about',
]);

const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

export function isHandleSegment(segment: string): boolean {
  return HANDLE.test(segment) && !RESERVED_PATHS.has(segment.toLowerCase());
}

/** The handle of a profile link such as `/Alice` or `https://x.com/Alice`, else undefined. */
export function handleFromHref(href: string | null): string | undefined {
  if (!href) return undefined;
  // Fast path: X's own links are relative, "/handle" (this runs for every link of every post).
  if (href.charCodeAt(0) === 47 && href.indexOf('/', 1) === -1 && !/[?#]/.test(href)) {
    const segment = href.slice(1);
    return isHandleSegment(segment) ? segment.toLowerCase() : undefined;
  }
  const match =
    /^(?:https?:\/\/(?:www\.|mobile\.)?(?:x|twitter)\.com)?\/([A-Za-z0-9_]{1,15})\/?(?:[?#].*)?$/.exec(
      href,
    );
  const segment = match?.[1];
  return segment && isHandleSegment(segment) ? segment.toLowerCase() : undefined;
}

/** `{handle, id}` of a status link such as `/alice/status/123` (photo/analytics suffixes allowed). */
export function statusFromHref(href: string | null): { handle: string; id: string } | undefined {
  if (!href) return undefined;
  const match =
    /^(?:https?:\/\/(?:www\.|mobile\.)?(?:x|twitter)\.com)?\/([A-Za-z0-9_]{1,15})\/status\/(\d{1,25})(?:[/?#].*)?$/.exec(
      href,
    );
  if (!match || !isHandleSegment(match[1] as string)) return undefined;
  return { handle: (match[1] as string).toLowerCase(), id: match[2] as string };
}

export function xPageKind(url: URL): XPageKind {
  const parts = url.pathname.split('/').filter(Boolean);
  const [first, second, third] = parts;
  if (!first || first === 'home') return 'home';
  if (first === 'notifications') return second === 'mentions' ? 'mentions' : 'notifications';
  if (first === 'search') return 'search';
  if (first === 'messages' || (first === 'i' && second === 'chat')) return 'messages';
  if (!isHandleSegment(first)) return 'other';
  switch (second) {
    case undefined:
      return 'profile';
    case 'with_replies':
      return 'profile-with-replies';
    case 'status':
      return third && /^\d+$/.test(third) ? 'status' : 'other';
    case 'followers':
      return 'followers';
    case 'verified_followers':
      return 'verified-followers';
    case 'following':
      return 'following';
    default:
      return 'other';
  }
}

/** The profile whose lists a followers/following URL shows. */
export function listOwner(url: URL): string | undefined {
  const first = url.pathname.split('/').filter(Boolean)[0];
  return first && isHandleSegment(first) ? first.toLowerCase() : undefined;
}

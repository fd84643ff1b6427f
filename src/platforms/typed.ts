import type { Platform } from '../core/model.ts';
import { slugFromHref } from './linkedin/pages.ts';
import { handleFromHref } from './x/pages.ts';

/**
 * The handle of an account the user typed, as the site's own links would give it: on X `@name`,
 * `name` or a profile address; on LinkedIn `in/name`, `name` or a profile address. Anything else
 * (a post's address, a reserved page such as x.com/home) is not an account: undefined.
 */
export function typedHandle(platform: Platform, typed: string): string | undefined {
  const text = typed.trim();
  if (!text || /\s/.test(text)) return undefined;
  // An address typed without its scheme, as people copy it from the address bar.
  const address = /^(?:www\.|mobile\.|[a-z]{2,3}\.)?(?:x|twitter|linkedin)\.com\//i.test(text)
    ? `https://${text}`
    : text;
  if (platform === 'x') {
    const bare = address.replace(/^@/, '');
    return handleFromHref(bare.includes('/') ? bare : `/${bare}`);
  }
  const path = address.includes('/')
    ? address.replace(/^\/?in\//i, '/in/')
    : `/in/${address.replace(/^@/, '')}`;
  return slugFromHref(path);
}

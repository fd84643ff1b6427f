import type { AccountRef, Observation } from '../../core/model.ts';
import type { BadgeTarget, PageContext } from '../adapter.ts';
import { handleFromHref, listOwner, statusFromHref, xPageKind } from './pages.ts';
import { X } from './selectors.ts';

const HANDLE_TOKEN = /@([A-Za-z0-9_]{1,15})\b/g;
const ONLY_HANDLE = /^@([A-Za-z0-9_]{1,15})$/;

function ref(handle: string, name?: string, id?: string): AccountRef {
  const account: AccountRef = { platform: 'x', handle: handle.toLowerCase() };
  if (name) account.name = name;
  if (id) account.id = id;
  return account;
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').trim();
}

/** The first text inside `root` that is exactly `@handle` (quoted posts and cells carry no link). */
function handleText(root: Element): string | undefined {
  for (const span of root.querySelectorAll('span')) {
    const match = ONLY_HANDLE.exec(text(span));
    if (match) return (match[1] as string).toLowerCase();
  }
  return undefined;
}

/** The logged-in user, from the side navigation or the account menu. */
export function findViewer(doc: Document): AccountRef | undefined {
  const profile = handleFromHref(
    doc.querySelector(X.viewerProfileLink.css)?.getAttribute('href') ?? null,
  );
  const switcher = doc.querySelector(X.accountSwitcher.css);
  const switcherHandle = switcher ? handleText(switcher) : undefined;
  const handle = profile ?? switcherHandle;
  if (!handle) return undefined;
  const name = switcher && switcherHandle === handle ? text(switcher.querySelector('span')) : '';
  return ref(handle, name && !name.startsWith('@') ? name : undefined);
}

interface Author {
  account: AccountRef;
  nameLink?: Element;
}

/** Name, @handle and profile link from a User-Name block (a quoted post's has no links). */
function authorOf(userName: Element): Author | undefined {
  let handle: string | undefined;
  let nameLink: Element | undefined;
  for (const link of userName.querySelectorAll('a[href]')) {
    const h = handleFromHref(link.getAttribute('href'));
    if (h) {
      handle = h;
      nameLink = link;
      break;
    }
  }
  handle ??= handleText(userName);
  if (!handle) return undefined;
  const name = text((nameLink ?? userName).querySelector('span'));
  const author: Author = { account: ref(handle, name && !name.startsWith('@') ? name : undefined) };
  if (nameLink) author.nameLink = nameLink;
  return author;
}

interface PostHeader extends Author {
  id: string;
  at?: string;
}

/**
 * Author, id and time of a post. The id comes from the permalink around its <time>: in the header
 * on timelines, at the bottom on a conversation's focal post.
 */
function headerOf(post: Element): PostHeader | undefined {
  const userName = mainUserName(post);
  const author = userName ? authorOf(userName) : undefined;
  if (!author) return undefined;
  const quote = quoteOf(post);
  for (const time of post.querySelectorAll('a[href*="/status/"] time')) {
    const link = time.closest('a[href]');
    const status = statusFromHref(link?.getAttribute('href') ?? null);
    if (!status || status.handle !== author.account.handle || quote?.contains(time)) continue;
    const header: PostHeader = { ...author, id: status.id };
    const at = time.getAttribute('datetime');
    if (at) header.at = at;
    return header;
  }
  return undefined;
}

/** The post's own User-Name (not a quoted post's). */
function mainUserName(post: Element): Element | null {
  return post.querySelector(X.userName.css);
}

function quoteOf(post: Element): Element | null {
  for (const candidate of post.querySelectorAll(X.quote.css)) {
    if (candidate.querySelector(X.userName.css)) return candidate;
  }
  return null;
}

/**
 * "Replying to @a @b": the blocks between the header (User-Name) and the text or action bar of
 * the post. Read by position rather than by wording, so any interface language works.
 */
function replyContextHandles(post: Element, userName: Element): string[] {
  const end = post.querySelector(X.tweetText.css) ?? post.querySelector(X.actionBar.css);
  if (!end) return [];
  let header: Element = userName;
  while (
    header.parentElement &&
    header.parentElement !== post &&
    !header.parentElement.contains(end)
  ) {
    header = header.parentElement;
  }
  const handles: string[] = [];
  for (
    let block = header.nextElementSibling;
    block && !block.contains(end);
    block = block.nextElementSibling
  ) {
    for (const match of text(block).matchAll(HANDLE_TOKEN))
      handles.push((match[1] as string).toLowerCase());
  }
  return [...new Set(handles)];
}

/** True when the post's avatar column draws the line to the next row: the next row replies to it. */
function continuesThread(post: Element): boolean {
  const avatar = post.querySelector(X.avatar.css);
  return (avatar?.parentElement?.childElementCount ?? 0) > 1;
}

/** The post in the nearest earlier timeline row, skipping rows without one ("Show more replies"). */
function previousPost(post: Element): Element | undefined {
  let cell = post.closest(X.cell.css)?.previousElementSibling;
  for (let steps = 0; cell && steps < 4; steps++, cell = cell.previousElementSibling) {
    const found = cell.querySelector(X.post.css);
    if (found) return found;
  }
  return undefined;
}

function focalId(url: URL): string | undefined {
  return /\/status\/(\d+)/.exec(url.pathname)?.[1];
}

/** Is `earlier` before `later` in document order? */
function precedes(earlier: Element, later: Element): boolean {
  return Boolean(earlier.compareDocumentPosition(later) & 4);
}

function findFocal(post: Element, id: string): Element | undefined {
  const root = post.closest(X.contentRoot.css) ?? post.ownerDocument;
  for (const candidate of root.querySelectorAll(X.post.css)) {
    if (headerOf(candidate)?.id === id) return candidate;
  }
  return undefined;
}

interface ReplyTarget {
  handle: string;
  postId?: string;
}

/**
 * Whom a post answers. In order: its "Replying to" line; the thread line from the row above; on a
 * conversation page, the focal post for rows below it (X draws no line there).
 */
function replyTargets(
  post: Element,
  userName: Element,
  ctx: PageContext,
  ownId: string,
): ReplyTarget[] {
  const explicit = replyContextHandles(post, userName);
  const above = previousPost(post);
  const aboveAuthor = above && continuesThread(above) ? headerOf(above) : undefined;
  if (aboveAuthor) {
    const target: ReplyTarget = { handle: aboveAuthor.account.handle, postId: aboveAuthor.id };
    return explicit.length
      ? [target, ...explicit.filter((h) => h !== target.handle).map((handle) => ({ handle }))]
      : [target];
  }
  if (explicit.length) return explicit.map((handle) => ({ handle }));
  if (xPageKind(ctx.url) === 'status') {
    const id = focalId(ctx.url);
    if (id && id !== ownId) {
      const focal = findFocal(post, id);
      const focalAuthor = focal && precedes(focal, post) ? headerOf(focal) : undefined;
      if (focalAuthor) return [{ handle: focalAuthor.account.handle, postId: id }];
    }
  }
  return [];
}

export function parsePost(post: Element, ctx: PageContext): Observation[] {
  const userName = mainUserName(post);
  const header = headerOf(post);
  if (!userName || !header) return [];
  const { id, at, account: from } = header;
  const url = `https://x.com/${from.handle}/status/${id}`;
  const out: Observation[] = [];
  const postObs: Observation = { type: 'post', id, author: from, url };
  if (at) postObs.at = at;

  const addressed = new Set<string>();
  const edge = (kind: 'reply' | 'mention' | 'quote', to: AccountRef) => {
    const obs: Observation = { type: 'interaction', kind, from, to, sourceId: id, url };
    if (at) obs.at = at;
    out.push(obs);
  };

  const targets = replyTargets(post, userName, ctx, id);
  if (targets[0]?.postId) postObs.inReplyTo = targets[0].postId;
  out.push(postObs);
  for (const target of targets) {
    if (target.handle === from.handle || addressed.has(target.handle)) continue;
    addressed.add(target.handle);
    edge('reply', ref(target.handle));
  }

  const quote = quoteOf(post);
  const body = post.querySelector(X.tweetText.css);
  if (body && !quote?.contains(body)) {
    for (const link of body.querySelectorAll('a[href]')) {
      const handle = handleFromHref(link.getAttribute('href'));
      if (!handle || !text(link).startsWith('@') || handle === from.handle || addressed.has(handle))
        continue;
      addressed.add(handle);
      edge('mention', ref(handle));
    }
  }

  if (quote) {
    const quotedUserName = quote.querySelector(X.userName.css);
    const quoted = quotedUserName ? authorOf(quotedUserName) : undefined;
    if (quoted && quoted.account.handle !== from.handle) edge('quote', quoted.account);
  }

  const social = post.querySelector(X.socialContext.css);
  const reposter = handleFromHref(social?.closest('a[href]')?.getAttribute('href') ?? null);
  // A repost's own time is not shown: the store dates it when first seen.
  if (reposter && reposter !== from.handle) {
    out.push({
      type: 'interaction',
      kind: 'repost',
      from: ref(reposter),
      to: from,
      sourceId: id,
      url,
    });
  }
  return out;
}

/** The account a UserCell shows, with its id from the follow button's testid. */
function cellAccount(cell: Element): Author | undefined {
  let nameLink: Element | undefined;
  let handle: string | undefined;
  for (const link of cell.querySelectorAll('a[href]')) {
    const h = handleFromHref(link.getAttribute('href'));
    if (!h) continue;
    handle ??= h;
    if (
      !nameLink &&
      link.getAttribute('tabindex') !== '-1' &&
      !link.closest('[data-testid^="UserAvatar-Container"]')
    ) {
      nameLink = link;
    }
  }
  if (!handle) return undefined;
  const name = text(nameLink?.querySelector('span'));
  const button = cell.querySelector(X.followButton.css);
  const id = /^(\d+)-(?:un)?follow$/.exec(button?.getAttribute('data-testid') ?? '')?.[1];
  const author: Author = {
    account: ref(handle, name && !name.startsWith('@') ? name : undefined, id),
  };
  if (nameLink) author.nameLink = nameLink;
  return author;
}

export function parseUserCell(cell: Element, ctx: PageContext): Observation[] {
  const found = cellAccount(cell);
  if (!found) return [];
  const { account } = found;
  const observation: Observation = { type: 'relationship', account };
  const kind = xPageKind(ctx.url);
  const ownList = ctx.viewer !== undefined && listOwner(ctx.url) === ctx.viewer.handle;
  if (
    cell.querySelector(X.followsYou.css) ||
    (ownList && (kind === 'followers' || kind === 'verified-followers'))
  ) {
    observation.followsViewer = true;
  }
  const button = cell.querySelector(X.followButton.css)?.getAttribute('data-testid') ?? '';
  if (button.endsWith('-unfollow') || (ownList && kind === 'following'))
    observation.viewerFollows = true;
  else if (button.endsWith('-follow')) observation.viewerFollows = false;
  return [observation];
}

/** A "Follows you" outside any cell: the profile header of the page's account. */
export function parseFollowIndicator(indicator: Element, ctx: PageContext): Observation[] {
  if (indicator.closest(X.userCell.css)) return [];
  const kind = xPageKind(ctx.url);
  if (kind !== 'profile' && kind !== 'profile-with-replies') return [];
  const handle = listOwner(ctx.url);
  return handle ? [{ type: 'relationship', account: ref(handle), followsViewer: true }] : [];
}

export function parseXUnit(unit: Element, ctx: PageContext): Observation[] {
  if (unit.matches(X.post.css)) return parsePost(unit, ctx);
  if (unit.matches(X.userCell.css)) return parseUserCell(unit, ctx);
  if (unit.matches(X.followsYou.css)) return parseFollowIndicator(unit, ctx);
  return [];
}

export function xBadgeTargets(unit: Element): BadgeTarget[] {
  if (unit.matches(X.post.css)) {
    const targets: BadgeTarget[] = [];
    const userName = mainUserName(unit);
    const author = userName ? authorOf(userName) : undefined;
    if (author?.nameLink) targets.push({ account: author.account, anchor: author.nameLink });
    const quoteName = quoteOf(unit)?.querySelector(X.userName.css);
    const quoted = quoteName ? authorOf(quoteName) : undefined;
    const quotedNameBlock = quoteName?.firstElementChild;
    if (quoted && quotedNameBlock)
      targets.push({ account: quoted.account, anchor: quotedNameBlock });
    return targets;
  }
  if (unit.matches(X.userCell.css)) {
    const found = cellAccount(unit);
    return found?.nameLink ? [{ account: found.account, anchor: found.nameLink }] : [];
  }
  return [];
}

export function xUnitFingerprint(unit: Element): string {
  if (unit.matches(X.post.css)) return headerOf(unit)?.id ?? '';
  return unit.querySelector('a[href]')?.getAttribute('href') ?? '';
}

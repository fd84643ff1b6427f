import type { AccountRef, Observation } from '../../core/model.ts';
import type { BadgeTarget, PageContext } from '../adapter.ts';
import { handleFromHref, listOwner, statusFromHref, xPageKind, type XPageKind } from './pages.ts';
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

/**
 * The @handle shown inside `root` (quoted posts and the account menu carry no profile link). One
 * read of the text; only when it holds several @-words (a name with an "@") are spans compared.
 */
function handleText(root: Element): string | undefined {
  const all = (root.textContent ?? '').match(HANDLE_TOKEN);
  if (!all) return undefined;
  if (all.length === 1) return (all[0] as string).slice(1).toLowerCase();
  for (const span of root.getElementsByTagName('span')) {
    const match = ONLY_HANDLE.exec(text(span));
    if (match) return (match[1] as string).toLowerCase();
  }
  return undefined;
}

/**
 * The logged-in user's id from X's `twid` cookie (`u=<id>`), which the page's own scripts read:
 * any account with that id in X's responses is the viewer.
 */
export function viewerIdFromCookie(cookie: string): string | undefined {
  return /(?:^|;\s*)twid="?u(?:%3D|=)(\d{1,25})/.exec(cookie)?.[1];
}

const INITIAL_STATE = 'window.__INITIAL_STATE__=';
const pageStates = new WeakMap<Document, AccountRef | null>();

/**
 * The logged-in user from the state X renders into the page (`window.__INITIAL_STATE__` in an
 * inline script: `session.user_id` and that user's entity). Read as JSON text, once per document.
 */
export function viewerFromPageState(doc: Document): AccountRef | undefined {
  const cached = pageStates.get(doc);
  if (cached !== undefined) return cached ?? undefined;
  let found: AccountRef | undefined;
  const scripts = doc.getElementsByTagName('script');
  for (let i = 0; i < scripts.length && !found; i++) {
    const script = scripts[i] as HTMLScriptElement;
    if (script.src) continue;
    const source = script.textContent ?? '';
    const start = source.indexOf(INITIAL_STATE);
    if (start < 0) continue;
    found = readInitialState(source.slice(start + INITIAL_STATE.length));
  }
  pageStates.set(doc, found ?? null);
  return found;
}

/** `{…};window.__META_DATA__=…`: the first JSON value of the text, then the viewer in it. */
export function readInitialState(text: string): AccountRef | undefined {
  const end = text.indexOf(';window.');
  let state: unknown;
  try {
    state = JSON.parse(end < 0 ? text.replace(/;\s*$/, '') : text.slice(0, end));
  } catch {
    return undefined;
  }
  const get = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[key]
      : undefined;
  const id = get(get(state, 'session'), 'user_id');
  if (typeof id !== 'string' || !/^\d{1,25}$/.test(id)) return undefined;
  const user = get(get(get(get(state, 'entities'), 'users'), 'entities'), id);
  const handle = get(user, 'screen_name');
  const name = get(user, 'name');
  if (typeof handle !== 'string' || !/^[A-Za-z0-9_]{1,15}$/.test(handle)) return undefined;
  return ref(handle, typeof name === 'string' && name ? name.slice(0, 200) : undefined, id);
}

/** The logged-in user: the side navigation, the account menu, else the page's own state. */
export function findViewer(doc: Document): AccountRef | undefined {
  const profile = handleFromHref(
    doc.querySelector(X.viewerProfileLink.css)?.getAttribute('href') ?? null,
  );
  const switcher = doc.querySelector(X.accountSwitcher.css);
  const switcherHandle = switcher ? handleText(switcher) : undefined;
  const handle = profile ?? switcherHandle;
  if (!handle) return viewerFromPageState(doc);
  const name = switcher && switcherHandle === handle ? text(switcher.querySelector('span')) : '';
  return ref(handle, name && !name.startsWith('@') ? name : undefined);
}

interface Author {
  account: AccountRef;
  nameLink?: Element;
}

/** Name, @handle and profile link from a User-Name block (a quoted post's has no links). */
function authorOf(userName: Element): Author | undefined {
  // On x.com the first link of the block is the name link; the loop is for anything else.
  let nameLink: Element | undefined;
  let handle: string | undefined;
  const first = userName.querySelector('a[href]');
  handle = handleFromHref(first?.getAttribute('href') ?? null);
  if (handle) nameLink = first as Element;
  else {
    for (const link of userName.querySelectorAll('a[href]')) {
      handle = handleFromHref(link.getAttribute('href'));
      if (handle) {
        nameLink = link;
        break;
      }
    }
  }
  handle ??= handleText(userName);
  if (!handle) return undefined;
  const name = nameLink ? text(nameLink) : text(userName.querySelector('span'));
  const author: Author = { account: ref(handle, name && !name.startsWith('@') ? name : undefined) };
  if (nameLink) author.nameLink = nameLink;
  return author;
}

interface PostReading extends Author {
  id: string;
  at?: string;
  userName: Element;
  /** The permalink around the post's <time>: when its href changes, the post is another one. */
  permalink: Element;
  href: string;
  quote?: { element: Element; author: Author; nameBlock: Element | null };
  /** The post's text: the end of its reply context, the home of its mentions. */
  body: Element | null;
  /** The author's avatar: its column draws the thread line. */
  avatar: Element | null;
  /** "Name reposted", "Pinned"… */
  social: Element | null;
}

const readings = new WeakMap<Element, PostReading>();
/**
 * The post whose reading the content script just checked (its fingerprint): the parse and the
 * badges that follow at once trust that reading without checking it again.
 */
let justChecked: Element | undefined;

/**
 * Author, id, time and quoted post of a post, read once per element (the parse, the thread line
 * of the next row and the badges all need them). The id comes from the permalink around its
 * <time>: in the header on timelines, at the bottom on a conversation's focal post.
 */
function readPost(post: Element): PostReading | undefined {
  const cached = readings.get(post);
  if (
    cached &&
    (post === justChecked ||
      (cached.permalink.getAttribute('href') === cached.href && post.contains(cached.permalink)))
  ) {
    return cached;
  }
  // Separate single-selector queries: Chrome matches those on a fast path, where one selector
  // list costs ten times as much; index loops, because iterating collections from a content
  // script's isolated world is slow.
  const names = post.querySelectorAll(X.userName.css);
  const userName = names[0];
  const quotedName = names[1];
  const author = userName ? authorOf(userName) : undefined;
  if (!userName || !author) return undefined;
  let quote: PostReading['quote'];
  const quoteElement = quotedName?.closest(X.quote.css);
  if (quotedName && quoteElement && post.contains(quoteElement)) {
    const quoted = authorOf(quotedName);
    if (quoted)
      quote = { element: quoteElement, author: quoted, nameBlock: quotedName.firstElementChild };
  }
  // On timelines the first <time> is the post's own (one cheap query); a conversation's focal
  // post has it at the bottom, after a quoted post's: then all are looked at.
  const first = post.querySelector('time');
  const found =
    (first && permalinkOf(first, author, quote)) ??
    firstPermalink(post.querySelectorAll('time'), author, quote);
  if (!found) return undefined;
  const { time, permalink, href, status } = found;
  const reading: PostReading = {
    ...author,
    id: status.id,
    userName,
    permalink,
    href,
    body: post.querySelector(X.tweetText.css),
    avatar: post.querySelector(X.avatar.css),
    social: socialContextOf(post),
  };
  const at = time.getAttribute('datetime');
  if (at) reading.at = at;
  if (quote) reading.quote = quote;
  readings.set(post, reading);
  return reading;
}

/**
 * "Name reposted", "Pinned": drawn above the author's line. The first of it or the author's name
 * block is looked for, so a post without one (most) is not searched to its end (profiled).
 */
const SOCIAL_OR_NAME = `${X.socialContext.css}, ${X.userName.css}`;
function socialContextOf(post: Element): Element | null {
  const lead = post.querySelector(SOCIAL_OR_NAME);
  return lead?.matches(X.socialContext.css) ? lead : null;
}

interface Permalink {
  time: Element;
  permalink: Element;
  href: string;
  status: { handle: string; id: string };
}

/** The status link around a <time>, when it is the author's own post (not a quoted one). */
function permalinkOf(
  time: Element,
  author: Author,
  quote: PostReading['quote'],
): Permalink | undefined {
  if (quote?.element.contains(time)) return undefined;
  const parent = time.parentElement;
  const permalink = parent?.tagName === 'A' ? parent : time.closest('a[href]');
  const href = permalink?.getAttribute('href') ?? null;
  const status = statusFromHref(href);
  if (!permalink || !href || !status || status.handle !== author.account.handle) return undefined;
  return { time, permalink, href, status };
}

function firstPermalink(
  times: ArrayLike<Element>,
  author: Author,
  quote: PostReading['quote'],
): Permalink | undefined {
  for (let i = 0; i < times.length; i++) {
    const found = permalinkOf(times[i] as Element, author, quote);
    if (found) return found;
  }
  return undefined;
}

/**
 * "Replying to @a @b": the blocks between the header (User-Name) and the text or action bar of
 * the post. Read by position rather than by wording, so any interface language works.
 */
function replyContextHandles(post: Element, userName: Element, body: Element | null): string[] {
  // By position: the blocks after the author line's block, up to the one holding the post's text
  // (or its action bar). Reading only those is cheaper than the whole post's text (profiled).
  const end = body ?? post.querySelector(X.actionBar.css);
  if (!end) return [];
  // Each step reads the parent once: every call into the page's DOM costs (~0.5–1 µs).
  let header: Element = userName;
  for (
    let parent = header.parentElement;
    parent && parent !== post && !parent.contains(end);
    parent = parent.parentElement
  ) {
    header = parent;
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
function continuesThread(reading: PostReading): boolean {
  return (reading.avatar?.parentElement?.childElementCount ?? 0) > 1;
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

const kinds = new WeakMap<URL, XPageKind>();
/** The page kind, worked out once per URL object (the content script keeps one per address). */
function pageKindOf(url: URL): XPageKind {
  let kind = kinds.get(url);
  if (!kind) kinds.set(url, (kind = xPageKind(url)));
  return kind;
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
    if (readPost(candidate)?.id === id) return candidate;
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
function replyTargets(post: Element, reading: PostReading, ctx: PageContext): ReplyTarget[] {
  const explicit = replyContextHandles(post, reading.userName, reading.body);
  const ownId = reading.id;
  const above = previousPost(post);
  const aboveReading = above ? readPost(above) : undefined;
  const aboveAuthor = aboveReading && continuesThread(aboveReading) ? aboveReading : undefined;
  if (aboveAuthor) {
    const target: ReplyTarget = { handle: aboveAuthor.account.handle, postId: aboveAuthor.id };
    return explicit.length
      ? [target, ...explicit.filter((h) => h !== target.handle).map((handle) => ({ handle }))]
      : [target];
  }
  if (explicit.length) return explicit.map((handle) => ({ handle }));
  if (pageKindOf(ctx.url) === 'status') {
    const id = focalId(ctx.url);
    if (id && id !== ownId) {
      const focal = findFocal(post, id);
      const focalAuthor = focal && precedes(focal, post) ? readPost(focal) : undefined;
      if (focalAuthor) return [{ handle: focalAuthor.account.handle, postId: id }];
    }
  }
  return [];
}

export function parsePost(post: Element, ctx: PageContext): Observation[] {
  const reading = readPost(post);
  if (!reading) return [];
  const { id, at, account: from, quote, body } = reading;
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

  const targets = replyTargets(post, reading, ctx);
  if (targets[0]?.postId) postObs.inReplyTo = targets[0].postId;
  out.push(postObs);
  for (const target of targets) {
    if (target.handle === from.handle || addressed.has(target.handle)) continue;
    addressed.add(target.handle);
    edge('reply', ref(target.handle));
  }

  if (body && !quote?.element.contains(body)) {
    const links = body.querySelectorAll('a[href]');
    for (let i = 0; i < links.length; i++) {
      const link = links[i] as Element;
      const handle = handleFromHref(link.getAttribute('href'));
      if (!handle || !text(link).startsWith('@') || handle === from.handle || addressed.has(handle))
        continue;
      addressed.add(handle);
      edge('mention', ref(handle));
    }
  }

  if (quote && quote.author.account.handle !== from.handle) edge('quote', quote.author.account);

  const social = reading.social;
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
  const kind = pageKindOf(ctx.url);
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
  const kind = pageKindOf(ctx.url);
  if (kind !== 'profile' && kind !== 'profile-with-replies') return [];
  const handle = listOwner(ctx.url);
  return handle ? [{ type: 'relationship', account: ref(handle), followsViewer: true }] : [];
}

type NotificationKind = 'reaction' | 'repost' | 'follow';

/**
 * What a notification cell says happened. X draws the kind only as an icon and a sentence, so the
 * sentence is read (English interface); X's notifications response, read too, names the kind in
 * any language.
 */
const NOTIFICATION_WORDING: readonly [RegExp, NotificationKind][] = [
  // The cell's text runs on into the post it shows: no word boundary after the words.
  [/\bfollowed you/i, 'follow'],
  [/\bliked\s/i, 'reaction'],
  [/\breposted\s/i, 'repost'],
];

/** The accounts a notification names: its avatars (testid `UserAvatar-Container-<handle>`). */
function notificationAccounts(cell: Element): AccountRef[] {
  const handles = new Set<string>();
  const avatars = cell.querySelectorAll(X.userAvatar.css);
  for (let i = 0; i < avatars.length; i++) {
    const avatar = avatars[i] as Element;
    const handle =
      handleFromHref(avatar.querySelector('a[href]')?.getAttribute('href') ?? null) ??
      handleFromHref(
        `/${(avatar.getAttribute('data-testid') ?? '').slice('UserAvatar-Container-'.length)}`,
      );
    if (handle) handles.add(handle);
  }
  return [...handles].map((handle) => ref(handle));
}

/**
 * A notification cell: "followed you" → they follow the viewer; a like or repost of the viewer's
 * post → passive, when the cell links the post (its id is the evidence).
 */
export function parseNotification(cell: Element, ctx: PageContext): Observation[] {
  const sentence = text(cell);
  const kind = NOTIFICATION_WORDING.find(([wording]) => wording.test(sentence))?.[1];
  if (!kind) return [];
  const viewer = ctx.viewer?.handle;
  const accounts = notificationAccounts(cell).filter((account) => account.handle !== viewer);
  if (kind === 'follow')
    return accounts.map((account) => ({ type: 'relationship', account, followsViewer: true }));
  let status: ReturnType<typeof statusFromHref>;
  for (const link of cell.querySelectorAll('a[href*="/status/"]')) {
    status ??= statusFromHref(link.getAttribute('href'));
  }
  if (!status) return [];
  const to = ref(status.handle);
  const url = `https://x.com/${status.handle}/status/${status.id}`;
  return accounts
    .filter((account) => account.handle !== to.handle)
    .map((from) => ({ type: 'interaction', kind, from, to, sourceId: status.id, url }));
}

/** Posts are articles with the tweet testid (a notification cell is an article too). */
const isPost = (unit: Element) =>
  unit.localName === 'article' && unit.getAttribute('data-testid') === 'tweet';
const isNotification = (unit: Element) =>
  unit.localName === 'article' && unit.getAttribute('data-testid') === 'notification';

export function parseXUnit(unit: Element, ctx: PageContext): Observation[] {
  // The unit whose fingerprint was just taken is a post: no need to ask the page again.
  if (unit === justChecked || isPost(unit)) return parsePost(unit, ctx);
  if (isNotification(unit)) return parseNotification(unit, ctx);
  if (unit.matches(X.userCell.css)) return parseUserCell(unit, ctx);
  if (unit.matches(X.followsYou.css)) return parseFollowIndicator(unit, ctx);
  return [];
}

export function xBadgeTargets(unit: Element): BadgeTarget[] {
  if (unit === justChecked || isPost(unit)) {
    const reading = readPost(unit);
    const targets: BadgeTarget[] = [];
    if (reading?.nameLink) targets.push({ account: reading.account, anchor: reading.nameLink });
    if (reading?.quote?.nameBlock) {
      targets.push({ account: reading.quote.author.account, anchor: reading.quote.nameBlock });
    }
    return targets;
  }
  if (isNotification(unit)) {
    // The names in the sentence ("Aiko and Hana liked your post"), not the avatars.
    const targets: BadgeTarget[] = [];
    const seen = new Set<string>();
    for (const link of unit.querySelectorAll('a[href]')) {
      const handle = handleFromHref(link.getAttribute('href'));
      if (!handle || seen.has(handle) || !text(link) || link.closest(X.userAvatar.css)) continue;
      seen.add(handle);
      targets.push({ account: ref(handle), anchor: link });
    }
    return targets;
  }
  if (unit.matches(X.userCell.css)) {
    const found = cellAccount(unit);
    return found?.nameLink ? [{ account: found.account, anchor: found.nameLink }] : [];
  }
  return [];
}

export function xUnitFingerprint(unit: Element): string {
  justChecked = undefined;
  if (isPost(unit)) {
    const id = readPost(unit)?.id ?? '';
    justChecked = unit;
    return id;
  }
  // A notification cell is redrawn when more people like the same post: its text changes.
  if (isNotification(unit)) return text(unit).slice(0, 300);
  return unit.querySelector('a[href]')?.getAttribute('href') ?? '';
}

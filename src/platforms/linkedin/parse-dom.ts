import type { AccountRef, Observation } from '../../core/model.ts';
import type { BadgeTarget, EmbeddedResponse, PageContext } from '../adapter.ts';
import { linkedinOperationFromUrl } from './operations.ts';
import {
  activityIdFromUrn,
  commentFromUrn,
  commentUrl,
  headerKind,
  linkedinPageKind,
  postUrl,
  profileIdFromHref,
  profileIdFromUrn,
  slugFromHref,
  timeFromId,
  type LinkedInPageKind,
} from './pages.ts';
import { LINKEDIN } from './selectors.ts';

function ref(slug: string, name?: string, id?: string): AccountRef {
  const account: AccountRef = { platform: 'linkedin', handle: slug };
  if (name) account.name = name.slice(0, 200);
  if (id) account.id = id;
  return account;
}

function text(el: Element | null | undefined): string {
  const raw = el?.textContent ?? '';
  // Most names are one clean line: only collapse whitespace when there is some to collapse.
  return /\s\s|[\t\n\r]/.test(raw) ? raw.replace(/\s+/g, ' ').trim() : raw.trim();
}

/** The first profile link in `root` that is not inside `outside` (a nested reply, the text). */
function profileLink(root: Element, ...outside: (Element | null)[]): Element | undefined {
  // Usually the first such link: found without walking the whole of `root`.
  const first = root.querySelector('a[href*="/in/"]');
  if (!first) return undefined;
  if (!outside.some((el) => el?.contains(first)) && slugFromHref(first.getAttribute('href')))
    return first;
  const links = root.querySelectorAll('a[href*="/in/"]');
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Element;
    if (outside.some((el) => el?.contains(link))) continue;
    if (slugFromHref(link.getAttribute('href'))) return link;
  }
  return undefined;
}

function accountOfLink(link: Element, name?: string): AccountRef | undefined {
  const href = link.getAttribute('href');
  const slug = slugFromHref(href);
  if (!slug) return undefined;
  return ref(slug, name, profileIdFromHref(href));
}

// ---------------------------------------------------------------- the viewer

/**
 * The logged-in user: the feed's identity module or the Me menu; else the first-load data
 * LinkedIn embeds in the page (`<code>` blocks: the `/voyager/api/me` response).
 */
export function findLinkedInViewer(doc: Document): AccountRef | undefined {
  const link = doc.querySelector(LINKEDIN.viewerLink.css);
  const photo = doc.querySelector(LINKEDIN.viewerName.css);
  const name = photo?.getAttribute('alt')?.trim() || text(link) || undefined;
  const fromLink = link ? accountOfLink(link, name) : undefined;
  return fromLink ?? viewerFromCodeBlocks(doc);
}

const embedded = new WeakMap<Document, AccountRef | null>();

/** The `/voyager/api/me` response among the page's `<code>` blocks, read as JSON text, once. */
export function viewerFromCodeBlocks(doc: Document): AccountRef | undefined {
  const cached = embedded.get(doc);
  if (cached !== undefined) return cached ?? undefined;
  let found: AccountRef | undefined;
  const blocks = doc.querySelectorAll('code[id^="datalet-"]');
  for (let i = 0; i < blocks.length && !found; i++) {
    const meta = parseJson(text(blocks[i] as Element));
    if (!isRecord(meta) || typeof meta.request !== 'string' || typeof meta.body !== 'string')
      continue;
    if (!/\/voyager\/api\/me(?:[?#]|$)/.test(meta.request)) continue;
    const body = doc.getElementById(meta.body);
    found = viewerFromMe(parseJson(body?.textContent ?? ''));
  }
  embedded.set(doc, found ?? null);
  return found;
}

/**
 * LinkedIn's first-load data: each `<code id="datalet-…">` names a request and the `<code>` that
 * holds its response body. Those Rapport reads (comments, feed, connections…) are returned.
 */
export function embeddedLinkedInResponses(doc: Document): EmbeddedResponse[] {
  const out: EmbeddedResponse[] = [];
  const blocks = doc.querySelectorAll('code[id^="datalet-"]');
  for (let i = 0; i < blocks.length && out.length < 50; i++) {
    const meta = parseJson(text(blocks[i] as Element));
    if (!isRecord(meta) || typeof meta.request !== 'string' || typeof meta.body !== 'string')
      continue;
    const url = new URL(meta.request, 'https://www.linkedin.com').href;
    const operation = linkedinOperationFromUrl(url);
    const body = operation ? doc.getElementById(meta.body)?.textContent : undefined;
    if (operation && body) out.push({ operation, url, body });
  }
  return out;
}

function parseJson(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `me` response: `data['*miniProfile']` names the MiniProfile in `included`. */
export function viewerFromMe(json: unknown): AccountRef | undefined {
  if (!isRecord(json) || !isRecord(json.data)) return undefined;
  const urn = json.data['*miniProfile'];
  const included = Array.isArray(json.included) ? json.included : [];
  for (const item of included) {
    if (!isRecord(item) || (urn !== undefined && item.entityUrn !== urn)) continue;
    const slug = slugFromHref(
      typeof item.publicIdentifier === 'string' ? `/in/${item.publicIdentifier}` : null,
    );
    if (!slug) continue;
    const name = [item.firstName, item.lastName].filter((p) => typeof p === 'string').join(' ');
    return ref(slug, name || undefined, profileIdFromUrn(item.entityUrn));
  }
  return undefined;
}

// ---------------------------------------------------------------- posts and comments

interface PostReading {
  urn: string;
  id: string;
  author?: AccountRef;
  /** The author's profile link: the header, when there is one, comes before it. */
  actorLink?: Element;
  /** Where the author's badge goes: after their name. */
  nameAnchor?: Element;
  /** "<Name> reposted this", "likes this": above the author's block, when shown. */
  header: Element | null;
}

/**
 * The header, when there is one, comes before the author's link: one search for the first of the
 * two finds the link without walking past it, and the header on the way (climbing from the link
 * through its ancestors' earlier siblings was about a third of the parse in `bench --floor`).
 */
const HEADER_OR_ACTOR = `${LINKEDIN.header.css}, ${LINKEDIN.actorLink.css}`;

const postReadings = new WeakMap<Element, PostReading>();

/**
 * A post's id and author, read once per element (parse, badges and fingerprint all need them).
 * LinkedIn posts are large subtrees: every search below is one that stops early.
 */
function readPost(post: Element): PostReading | undefined {
  const urn = post.getAttribute('data-urn') ?? '';
  const cached = postReadings.get(post);
  if (cached?.urn === urn && (!cached.actorLink || post.contains(cached.actorLink))) return cached;
  const id = activityIdFromUrn(urn);
  if (!id) return undefined;
  const lead = post.querySelector(HEADER_OR_ACTOR);
  const header = lead?.matches(LINKEDIN.header.css) ? lead : null;
  const reading: PostReading = { urn, id, header };
  postReadings.set(post, reading);
  const link = header ? post.querySelector(LINKEDIN.actorLink.css) : lead;
  if (link) reading.actorLink = link;
  const nameEl = link?.querySelector(LINKEDIN.actorName.css) ?? null;
  // Companies and showcase pages post too: they are not people, so no author.
  const author = link ? accountOfLink(link, text(nameEl) || undefined) : undefined;
  if (author) {
    reading.author = author;
    const anchor = nameEl?.closest('span[dir="ltr"]') ?? nameEl;
    if (anchor) reading.nameAnchor = anchor;
  }
  return reading;
}

/** How many times comments arrived in a post (see `linkedinUnitFingerprint`). */
const commentArrivals = new WeakMap<Element, number>();
const commentLists = new WeakMap<Element, { arrivals: number; comments: Element[] }>();

/** The comments of a post, found once per arrival of comments (parse and badges both need them). */
function commentsOf(post: Element): Element[] {
  const arrivals = commentArrivals.get(post) ?? 0;
  const known = commentLists.get(post);
  if (known?.arrivals === arrivals) return known.comments;
  const comments = findComments(post);
  commentLists.set(post, { arrivals, comments });
  return comments;
}

/**
 * The post's comments and replies. One native search with the selector: a third cheaper than
 * walking the post's <article> elements and reading each one's data-id here (0.75–0.85 against
 * 1.05–1.5 ms per 100 saved posts, alternated in one page).
 */
function findComments(post: Element): Element[] {
  const found = post.querySelectorAll(LINKEDIN.comment.css);
  const out: Element[] = [];
  for (let i = 0; i < found.length; i++) out.push(found[i] as Element);
  return out;
}

function mentions(
  root: Element | null,
  from: AccountRef,
  sourceId: string,
  url: string,
  at: string | undefined,
  skip: ReadonlySet<string>,
): Observation[] {
  if (!root) return [];
  const out: Observation[] = [];
  const seen = new Set(skip);
  const links = root.querySelectorAll('a[href*="/in/"]');
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Element;
    const to = accountOfLink(link, text(link) || undefined);
    if (!to || seen.has(to.handle) || to.handle === from.handle) continue;
    seen.add(to.handle);
    const obs: Observation = { type: 'interaction', kind: 'mention', from, to, sourceId, url };
    if (at) obs.at = at;
    out.push(obs);
  }
  return out;
}

interface CommentReading {
  postId: string;
  commentId: string;
  commenter?: AccountRef;
  nameAnchor?: Element;
  body: Element | null;
}

const commentReadings = new WeakMap<Element, CommentReading | null>();

function readComment(comment: Element): CommentReading | undefined {
  const cached = commentReadings.get(comment);
  if (cached !== undefined) return cached ?? undefined;
  const ids = commentFromUrn(comment.getAttribute('data-id'));
  let reading: CommentReading | undefined;
  if (ids) {
    // The commenter's block comes before the text and before any nested reply.
    const nested = comment.querySelector(LINKEDIN.comment.css);
    const body = firstOutside(comment, LINKEDIN.commentText.css, nested);
    const meta = firstOutside(comment, LINKEDIN.commentMeta.css, nested) ?? comment;
    const link = profileLink(meta, nested, body);
    const nameEl = firstOutside(meta, LINKEDIN.commentName.css, nested);
    reading = { ...ids, body };
    const commenter = link
      ? accountOfLink(link, text(nameEl) || text(link) || undefined)
      : undefined;
    if (commenter) {
      reading.commenter = commenter;
      const anchor = nameEl ?? link;
      if (anchor) reading.nameAnchor = anchor;
    }
  }
  commentReadings.set(comment, reading ?? null);
  return reading;
}

/** The first match in `root` not inside `outside`; usually the very first, found without a full walk. */
function firstOutside(root: Element, css: string, outside: Element | null): Element | null {
  const first = root.querySelector(css);
  if (!first || !outside?.contains(first)) return first;
  const all = root.querySelectorAll(css);
  for (let i = 0; i < all.length; i++) {
    const el = all[i] as Element;
    if (!outside?.contains(el)) return el;
  }
  return null;
}

/**
 * A comment answers the post's author; a reply (nested in a thread) answers the thread's
 * commenter. Mentions in either are exchanges too.
 */
function parseComment(comment: Element, postAuthor: AccountRef | undefined): Observation[] {
  const reading = readComment(comment);
  if (!reading?.commenter) return [];
  const { postId, commentId, commenter, body } = reading;
  const parent = comment.parentElement?.closest(LINKEDIN.comment.css);
  const to = parent ? readComment(parent)?.commenter : postAuthor;
  const at = timeFromId(commentId);
  const url = commentUrl(postId, commentId);
  const out: Observation[] = [];
  const addressed = new Set<string>();
  if (to && to.handle !== commenter.handle) {
    addressed.add(to.handle);
    const obs: Observation = {
      type: 'interaction',
      kind: 'comment',
      from: commenter,
      to,
      sourceId: commentId,
      url,
    };
    if (at) obs.at = at;
    out.push(obs);
  }
  out.push(...mentions(body, commenter, commentId, url, at, addressed));
  return out;
}

export function parseLinkedInPost(post: Element): Observation[] {
  const reading = readPost(post);
  if (!reading) return [];
  const { id, author } = reading;
  const url = postUrl(id);
  const at = timeFromId(id);
  const out: Observation[] = [];
  if (author) {
    const obs: Observation = { type: 'post', id, author, url };
    if (at) obs.at = at;
    out.push(obs);
    out.push(
      ...mentions(post.querySelector(LINKEDIN.postText.css), author, id, url, at, new Set()),
    );
    const header = reading.header;
    const kind = headerKind(text(header));
    const by = header ? profileLink(header) : undefined;
    const from = by ? accountOfLink(by, text(by) || undefined) : undefined;
    // The header's own time is not shown: the store dates it when first seen.
    if (kind && from && from.handle !== author.handle)
      out.push({ type: 'interaction', kind, from, to: author, sourceId: id, url });
  }
  for (const comment of commentsOf(post)) out.push(...parseComment(comment, author));
  return out;
}

// ---------------------------------------------------------------- notifications and lists

type NotificationKind = 'comment' | 'mention' | 'reaction' | 'repost' | 'follow' | 'connect';

/** What a card says happened to the viewer (English interface; other cards say nothing). */
const NOTIFICATION_WORDING: readonly [RegExp, NotificationKind][] = [
  [/\b(commented on|replied to) your\b/i, 'comment'],
  [/\bmentioned you\b/i, 'mention'],
  [/\breposted your\b/i, 'repost'],
  [/\b(reacted to|likes?|liked|loves?|celebrates?|supports?|finds?) [^.]*\byour\b/i, 'reaction'],
  [/\b(started following you|followed you|follows you)\b/i, 'follow'],
  [/\baccepted your invitation\b/i, 'connect'],
];

/** The post or comment a card's link points at: `highlightedUpdateUrn`, `/feed/update/…`, `commentUrn`. */
export function notificationTarget(href: string | null): { postId?: string; commentId?: string } {
  if (!href) return {};
  let decoded: string;
  try {
    decoded = decodeURIComponent(href);
  } catch {
    return {};
  }
  const reply = /[?&]replyUrn=(urn:li:comment:\([^)]*\))/.exec(decoded)?.[1];
  const comment = commentFromUrn(
    reply ?? /[?&]commentUrn=(urn:li:comment:\([^)]*\))/.exec(decoded)?.[1],
  );
  const postId =
    comment?.postId ?? /urn:li:(?:activity|ugcPost|share):(\d{1,25})/.exec(decoded)?.[1];
  const target: { postId?: string; commentId?: string } = {};
  if (postId) target.postId = postId;
  if (comment) target.commentId = comment.commentId;
  return target;
}

/** "View Ines Okafor’s profile.": the picture link's label (English interface). */
const PROFILE_LABEL = /^View (.+?)[’']s profile\.?$/;

interface CardPerson {
  account: AccountRef;
  /** Their name in the card's sentence, when it shows it: where the badge goes. */
  nameAnchor?: Element;
}

/**
 * The person a card is about: its picture links to their profile (a company's or a job alert's
 * picture links elsewhere). Their name is the one of the picture's names (the link's label, its
 * images' alts) that the sentence shows in bold; an alt alone is not trusted as a name (a small
 * icon in the picture may have one), the label is. A suggestion or a job alert names others.
 */
function notificationPerson(card: Element): CardPerson | undefined {
  const image = card.querySelector(LINKEDIN.notificationImage.css);
  if (!image) return undefined;
  const labelled = PROFILE_LABEL.exec(image.getAttribute('aria-label')?.trim() ?? '')?.[1];
  const names = new Set<string>();
  if (labelled) names.add(labelled);
  const photos = card.querySelectorAll(LINKEDIN.notificationPhoto.css);
  for (let i = 0; i < photos.length; i++) {
    const alt = (photos[i] as Element).getAttribute('alt')?.trim();
    if (alt) names.add(alt);
  }
  let name = labelled;
  let nameAnchor: Element | undefined;
  if (names.size > 0) {
    const bold = card.querySelectorAll(LINKEDIN.notificationName.css);
    for (let i = 0; i < bold.length && !nameAnchor; i++) {
      const shown = text(bold[i] as Element);
      if (names.has(shown)) {
        name = shown;
        nameAnchor = bold[i] as Element;
      }
    }
  }
  const account = accountOfLink(image, name);
  if (!account) return undefined;
  return nameAnchor ? { account, nameAnchor } : { account };
}

export function parseNotificationCard(card: Element, ctx: PageContext): Observation[] {
  const person = notificationPerson(card)?.account;
  const headline = card.querySelector(LINKEDIN.notificationHeadline.css);
  const sentence = text(headline);
  const kind = NOTIFICATION_WORDING.find(([words]) => words.test(sentence))?.[1];
  if (!person || !kind) return [];
  if (kind === 'follow') return [{ type: 'relationship', account: person, followsViewer: true }];
  if (kind === 'connect') return [{ type: 'relationship', account: person, connected: true }];
  const viewer = ctx.viewer;
  const { postId, commentId } = notificationTarget(headline?.getAttribute('href') ?? null);
  const sourceId = kind === 'comment' || kind === 'mention' ? (commentId ?? postId) : postId;
  if (!viewer || !sourceId || person.handle === viewer.handle) return [];
  const url =
    postId && commentId ? commentUrl(postId, commentId) : postId ? postUrl(postId) : undefined;
  const obs: Observation = { type: 'interaction', kind, from: person, to: viewer, sourceId };
  const at = timeFromId(sourceId);
  if (at) obs.at = at;
  if (url) obs.url = url;
  return [obs];
}

/** A card of the connections or followers list: the person, connected or following the viewer. */
function parseListCard(card: Element, kind: LinkedInPageKind): Observation[] {
  const link = profileLink(card);
  const account = link ? accountOfLink(link, cardName(card, link)) : undefined;
  if (!account) return [];
  if (kind === 'connections') return [{ type: 'relationship', account, connected: true }];
  if (kind === 'followers') return [{ type: 'relationship', account, followsViewer: true }];
  return [];
}

function cardName(card: Element, link: Element): string | undefined {
  const named = card.querySelector('.mn-connection-card__name, .follows-recommendation-card__name');
  return text(named) || text(link) || undefined;
}

const kinds = new WeakMap<URL, LinkedInPageKind>();
function pageKindOf(url: URL): LinkedInPageKind {
  let kind = kinds.get(url);
  if (!kind) kinds.set(url, (kind = linkedinPageKind(url)));
  return kind;
}

const isPost = (unit: Element) => unit.hasAttribute('data-urn');
const isNotification = (unit: Element) => unit.localName === 'article';

export function parseLinkedInUnit(unit: Element, ctx: PageContext): Observation[] {
  if (isPost(unit)) return parseLinkedInPost(unit);
  if (isNotification(unit)) return parseNotificationCard(unit, ctx);
  return parseListCard(unit, pageKindOf(ctx.url));
}

export function linkedinBadgeTargets(unit: Element): BadgeTarget[] {
  if (isPost(unit)) {
    const targets: BadgeTarget[] = [];
    const reading = readPost(unit);
    if (reading?.author && reading.nameAnchor)
      targets.push({ account: reading.author, anchor: reading.nameAnchor });
    for (const element of commentsOf(unit)) {
      const comment = readComment(element);
      if (comment?.commenter && comment.nameAnchor)
        targets.push({ account: comment.commenter, anchor: comment.nameAnchor });
    }
    return targets;
  }
  if (isNotification(unit)) {
    const person = notificationPerson(unit);
    return person?.nameAnchor ? [{ account: person.account, anchor: person.nameAnchor }] : [];
  }
  const link = profileLink(unit);
  const account = link ? accountOfLink(link) : undefined;
  const named =
    unit.querySelector('.mn-connection-card__name, .follows-recommendation-card__name') ?? link;
  return account && named ? [{ account, anchor: named }] : [];
}

/**
 * A post is read again when comments arrive in it: when what was just added inside it is or holds
 * an <article> (comments are). Looking at the added piece, not counting the post's articles,
 * spares a walk of the whole post each time it is looked at (the hottest function, profiled).
 */
export function linkedinUnitFingerprint(unit: Element, added?: Element): string {
  if (isPost(unit)) {
    if (added && (added.tagName === 'ARTICLE' || added.querySelector('article') !== null))
      commentArrivals.set(unit, (commentArrivals.get(unit) ?? 0) + 1);
    return `${unit.getAttribute('data-urn') ?? ''}|${commentArrivals.get(unit) ?? 0}`;
  }
  if (isNotification(unit))
    return (
      unit.querySelector(LINKEDIN.notificationHeadline.css)?.getAttribute('href') ??
      text(unit).slice(0, 200)
    );
  return unit.querySelector('a[href*="/in/"]')?.getAttribute('href') ?? '';
}

/**
 * Observations from the JSON LinkedIn already sends the page: its Voyager API responses (the
 * normalised `{ data, included[] }` form and the nested GraphQL form) and the first-load data it
 * embeds in `<code>` blocks. Entities are recognised by their `$type`, wherever they sit:
 *   Comment     → commenter → post author (a reply: → the parent comment's author)
 *   Connection  → connected
 *   Update      → post, and "<Name> reposted / likes this" → passive
 *   me          → the viewer
 *   messenger Message → exchange from its sender to the conversation's other participants
 * Message text is never read. Anything unexpected yields nothing for that part and never throws.
 */
import type { AccountRef, Observation } from '../../core/model.ts';
import {
  activityIdFromUrn,
  commentFromUrn,
  commentUrl,
  headerKind,
  postUrl,
  profileIdFromUrn,
  slugFromHref,
  timeFromId,
} from './pages.ts';

export interface LinkedInJsonContext {
  viewer?: AccountRef;
  operation?: string;
  /** The author of a post already seen on the page (comments name their post, not its author). */
  authorOf?: (postId: string) => AccountRef | undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
/** `{ text }` view models LinkedIn uses for every visible string. */
const textOf = (value: unknown): string | undefined =>
  isObject(value) ? str(value.text) : str(value);

const TYPE = {
  comment: 'com.linkedin.voyager.dash.social.Comment',
  connection: 'com.linkedin.voyager.dash.relationships.Connection',
  profile: 'com.linkedin.voyager.dash.identity.profile.Profile',
  miniProfile: 'com.linkedin.voyager.identity.shared.MiniProfile',
  update: 'com.linkedin.voyager.dash.feed.Update',
  message: 'com.linkedin.messenger.Message',
  conversation: 'com.linkedin.messenger.Conversation',
} as const;

/** Every object with a type, in the order met: `$type` (REST) or `_type` (GraphQL). */
function typedObjects(root: unknown): Json[] {
  const found: Json[] = [];
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  let visited = 0;
  while (stack.length > 0 && visited < 200_000) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    visited += 1;
    if (depth > 14) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1 });
    } else if (isObject(value)) {
      if (typeof value.$type === 'string' || typeof value._type === 'string') found.push(value);
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = value[keys[i] as string];
        if (typeof child === 'object' && child !== null)
          stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return found;
}

const typeOf = (value: Json): string => str(value.$type) ?? str(value._type) ?? '';

function account(slug: string, name?: string, id?: string): AccountRef {
  const ref: AccountRef = { platform: 'linkedin', handle: slug };
  if (name) ref.name = name.slice(0, 200);
  if (id) ref.id = id;
  return ref;
}

/** A profile entity (dash Profile or MiniProfile) as an account. */
function profileAccount(profile: Json): AccountRef | undefined {
  const identifier = str(profile.publicIdentifier);
  const slug = identifier ? slugFromHref(`/in/${encodeURIComponent(identifier)}`) : undefined;
  if (!slug) return undefined;
  const name = [str(profile.firstName), str(profile.lastName)].filter(Boolean).join(' ');
  return account(slug, name || undefined, profileIdFromUrn(profile.entityUrn));
}

function isoMs(value: unknown): string | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(ms) && ms > 1e12 ? new Date(ms).toISOString() : undefined;
}

/** A stable evidence id for urns that are not plain digits (messages): FNV-1a, twice. */
function digest(value: string): string {
  let a = 2166136261;
  let b = 5381;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b, 33) ^ c;
  }
  return `m${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}

/** The commenter of a dash Comment: `/in/` link, name, profile id. */
function commenterOf(comment: Json): { account: AccountRef; isAuthor: boolean } | undefined {
  const commenter = isObject(comment.commenter) ? comment.commenter : undefined;
  const slug = slugFromHref(str(commenter?.navigationUrl) ?? null);
  if (!commenter || !slug) return undefined;
  const actor = isObject(commenter.actor) ? commenter.actor : undefined;
  const id =
    str(commenter.commenterProfileId) ??
    profileIdFromUrn(actor?.['*profileUrn'] ?? actor?.profileUrn);
  return {
    account: account(
      slug,
      textOf(commenter.title),
      id && /^[\w-]{1,80}$/.test(id) ? id : undefined,
    ),
    isAuthor: commenter.author === true,
  };
}

/** Which comment a reply answers: its permalink carries `commentUrn` (the thread) and `replyUrn`. */
function parentCommentId(comment: Json): string | undefined {
  const permalink = str(comment.permalink);
  if (!permalink) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(permalink);
  } catch {
    return undefined;
  }
  if (!/[?&]replyUrn=/.test(decoded)) return undefined;
  return commentFromUrn(/[?&]commentUrn=(urn:li:comment:\([^)]*\))/.exec(decoded)?.[1])?.commentId;
}

export function parseLinkedInJson(json: unknown, ctx: LinkedInJsonContext = {}): Observation[] {
  if (!isObject(json) && !Array.isArray(json)) return [];
  const out: Observation[] = [];
  const objects = typedObjects(json);

  const profiles = new Map<string, AccountRef>();
  for (const object of objects) {
    const type = typeOf(object);
    if (type !== TYPE.profile && type !== TYPE.miniProfile) continue;
    const found = profileAccount(object);
    const urn = str(object.entityUrn);
    if (found && urn) profiles.set(urn, found);
  }

  // The `me` response: its data names the viewer's MiniProfile.
  if (isObject(json) && isObject(json.data)) {
    const me = str(json.data['*miniProfile']);
    const viewer = me ? profiles.get(me) : undefined;
    if (viewer) out.push({ type: 'viewer', account: viewer });
  }

  // Comments: who wrote each, and the post author when one of them is the author.
  const comments = objects.filter((object) => typeOf(object) === TYPE.comment);
  const authors = new Map<string, AccountRef>();
  const commenters = new Map<string, AccountRef>();
  for (const comment of comments) {
    const ids = commentFromUrn(str(comment.entityUrn) ?? str(comment.urn));
    const commenter = commenterOf(comment);
    if (!ids || !commenter) continue;
    commenters.set(ids.commentId, commenter.account);
    if (commenter.isAuthor) authors.set(ids.postId, commenter.account);
  }
  const seen = new Set<string>();
  for (const comment of comments) {
    const ids = commentFromUrn(str(comment.entityUrn) ?? str(comment.urn));
    const from = ids ? commenters.get(ids.commentId) : undefined;
    if (!ids || !from || seen.has(ids.commentId)) continue;
    seen.add(ids.commentId);
    const parentId = parentCommentId(comment);
    const to = parentId
      ? commenters.get(parentId)
      : (authors.get(ids.postId) ?? ctx.authorOf?.(ids.postId));
    if (!to || to.handle === from.handle) continue;
    const obs: Observation = {
      type: 'interaction',
      kind: 'comment',
      from,
      to,
      sourceId: ids.commentId,
      url: commentUrl(ids.postId, ids.commentId),
    };
    const at = isoMs(comment.createdAt) ?? timeFromId(ids.commentId);
    if (at) obs.at = at;
    out.push(obs);
  }

  for (const object of objects) {
    const type = typeOf(object);
    if (type === TYPE.connection) {
      const member = str(object.connectedMember) ?? str(object['*connectedMemberResolutionResult']);
      const person = member ? profiles.get(member) : undefined;
      if (person) out.push({ type: 'relationship', account: person, connected: true });
    } else if (type === TYPE.update) {
      out.push(...parseUpdate(object));
    }
  }

  out.push(...parseMessages(objects, ctx));
  return out;
}

/** A feed Update: the post by its actor, and a "reposted / likes this" header as passive. */
function parseUpdate(update: Json): Observation[] {
  const metadata = isObject(update.metadata) ? update.metadata : undefined;
  const id = activityIdFromUrn(str(metadata?.backendUrn));
  const actor = isObject(update.actor) ? update.actor : undefined;
  const actorTarget = isObject(actor?.navigationContext)
    ? str(actor.navigationContext.actionTarget)
    : undefined;
  const slug = slugFromHref(actorTarget ?? null);
  if (!id || !slug) return [];
  const author = account(slug, textOf(actor?.name));
  const url = postUrl(id);
  const post: Observation = { type: 'post', id, author, url };
  const at = timeFromId(id);
  if (at) post.at = at;
  const out: Observation[] = [post];
  const header = isObject(update.header) ? update.header : undefined;
  const headerText = textOf(header?.text);
  const headerTarget = isObject(header?.navigationContext)
    ? str(header.navigationContext.actionTarget)
    : undefined;
  const bySlug = slugFromHref(headerTarget ?? null);
  const kind = headerText ? headerKind(headerText) : undefined;
  if (kind && bySlug && bySlug !== slug)
    out.push({ type: 'interaction', kind, from: account(bySlug), to: author, sourceId: id, url });
  return out;
}

/** A messenger participant's member profile: `participantType.member.profileUrl`. */
function participantAccount(participant: unknown): AccountRef | undefined {
  if (!isObject(participant)) return undefined;
  const type = isObject(participant.participantType) ? participant.participantType : undefined;
  const member = isObject(type?.member) ? type.member : undefined;
  const slug = slugFromHref(str(member?.profileUrl) ?? null);
  if (!member || !slug) return undefined;
  const name = [textOf(member.firstName), textOf(member.lastName)].filter(Boolean).join(' ');
  return account(slug, name || undefined, profileIdFromUrn(participant.hostIdentityUrn));
}

const MAX_GROUP = 5;

/** Messages: one exchange per message, from its sender to the conversation's other members. */
function parseMessages(objects: Json[], ctx: LinkedInJsonContext): Observation[] {
  const members = new Map<string, AccountRef[]>();
  for (const object of objects) {
    if (typeOf(object) !== TYPE.conversation) continue;
    const urn = str(object.entityUrn);
    const list = Array.isArray(object.conversationParticipants)
      ? object.conversationParticipants
      : [];
    const people = list.flatMap((p) => {
      const found = participantAccount(p);
      return found ? [found] : [];
    });
    if (urn) members.set(urn, people);
  }
  const out: Observation[] = [];
  const seen = new Set<string>();
  for (const object of objects) {
    if (typeOf(object) !== TYPE.message) continue;
    const urn = str(object.entityUrn);
    const from = participantAccount(object.sender);
    if (!urn || !from || seen.has(urn)) continue;
    seen.add(urn);
    const conversation = isObject(object.conversation)
      ? str(object.conversation.entityUrn)
      : str(object['*conversation']);
    const people = (conversation ? members.get(conversation) : undefined) ?? [];
    let recipients = people.filter((p) => p.handle !== from.handle);
    // A one-to-one conversation whose other member is the viewer may list only the other side.
    if (recipients.length === 0 && ctx.viewer && ctx.viewer.handle !== from.handle)
      recipients = [ctx.viewer];
    if (recipients.length > MAX_GROUP) continue;
    const at = isoMs(object.deliveredAt);
    for (const to of recipients) {
      const obs: Observation = {
        type: 'interaction',
        kind: 'message',
        from,
        to,
        sourceId: digest(urn),
        url: 'https://www.linkedin.com/messaging/',
      };
      if (at) obs.at = at;
      out.push(obs);
    }
  }
  return out;
}

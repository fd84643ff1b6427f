/**
 * Observations from X's own GraphQL responses (the JSON the page already received): timelines,
 * conversations, user lists. Typed readers of the shapes X ships, both user shapes included:
 *   2025: user.legacy{screen_name, name, following, followed_by}
 *   2026: user.core{screen_name, name}, user.relationship_perspectives{following, followed_by}
 * Anything unexpected yields nothing for that part and never throws.
 */
import type { AccountRef, Observation } from '../../core/model.ts';

export interface JsonContext {
  /** The logged-in user, when known: lists of their own followers mean they follow them. */
  viewer?: AccountRef;
  operation?: string;
  /** The request's `variables` (X sends them in the URL). */
  variables?: Record<string, unknown>;
  /** The logged-in user's id when the page says it (X's `twid` cookie): that user is the viewer. */
  viewerId?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
const bool = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;
const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

/** X wraps every nested tweet or user as `{ <key>: { result } }`. */
const resultOf = (parent: Json | undefined, key: string): unknown =>
  isObject(parent?.[key]) ? (parent[key] as Json).result : undefined;

/** An account named in a tweet (reply target, mention), with its id when X gave a valid one. */
function namedAccount(handle: string, id: unknown): AccountRef {
  const account: AccountRef = { platform: 'x', handle: handle.toLowerCase() };
  const valid = str(id);
  if (valid && ID.test(valid)) account.id = valid;
  return account;
}
const ID = /^\d{1,25}$/;

export function variablesFromUrl(url: string): Record<string, unknown> | undefined {
  try {
    const raw = new URL(url, 'https://x.com').searchParams.get('variables');
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface UserReading {
  account: AccountRef;
  followsViewer?: boolean;
  viewerFollows?: boolean;
}

/** A User result in either shape; undefined for tombstones and anything unrecognised. */
export function readUser(result: unknown): UserReading | undefined {
  if (!isObject(result) || result.__typename !== 'User') return undefined;
  const core = isObject(result.core) ? result.core : undefined;
  const legacy = isObject(result.legacy) ? result.legacy : undefined;
  const handle = str(core?.screen_name) ?? str(legacy?.screen_name);
  if (!handle || !HANDLE.test(handle)) return undefined;
  const account: AccountRef = { platform: 'x', handle: handle.toLowerCase() };
  const id = str(result.rest_id);
  if (id && ID.test(id)) account.id = id;
  const name = str(core?.name) ?? str(legacy?.name);
  if (name) account.name = name.slice(0, 200);
  const perspectives = isObject(result.relationship_perspectives)
    ? result.relationship_perspectives
    : undefined;
  const reading: UserReading = { account };
  const followedBy = bool(perspectives?.followed_by) ?? bool(legacy?.followed_by);
  const following = bool(perspectives?.following) ?? bool(legacy?.following);
  if (followedBy !== undefined) reading.followsViewer = followedBy;
  if (following !== undefined) reading.viewerFollows = following;
  return reading;
}

/** A Tweet result, unwrapping TweetWithVisibilityResults; undefined for tombstones. */
function tweetOf(result: unknown): Json | undefined {
  if (!isObject(result)) return undefined;
  if (result.__typename === 'TweetWithVisibilityResults') return tweetOf(result.tweet);
  if (result.__typename !== 'Tweet' && !(result.__typename === undefined && 'legacy' in result))
    return undefined;
  return result;
}

function isoTime(createdAt: unknown): string | undefined {
  const ms = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

type RelationshipObservation = Extract<Observation, { type: 'relationship' }>;
type NotificationKind = 'reaction' | 'repost' | 'follow';

/** X's notification icons name what happened, whatever the interface language. */
const NOTIFICATION_ICONS: Readonly<Record<string, NotificationKind>> = {
  heart_icon: 'reaction',
  retweet_icon: 'repost',
  person_icon: 'follow',
};

/** Milliseconds since the epoch (as digits) or an ISO time, as an ISO time. */
function msTime(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const ms = /^\d{10,16}$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

class Collector {
  readonly out: Observation[] = [];
  private readonly posts = new Set<string>();
  private readonly users = new Map<string, RelationshipObservation>();
  private viewerSeen = false;

  constructor(private readonly ctx: JsonContext) {}

  /** The logged-in user, once, when a response names them. */
  viewer(account: AccountRef): void {
    if (this.viewerSeen) return;
    this.viewerSeen = true;
    this.out.push({ type: 'viewer', account });
  }

  user(result: unknown, listedAs?: 'follower' | 'following'): AccountRef | undefined {
    const reading = readUser(result);
    if (!reading) return undefined;
    if (this.ctx.viewerId !== undefined && reading.account.id === this.ctx.viewerId) {
      this.viewer(reading.account);
      return reading.account;
    }
    const relationship: RelationshipObservation = {
      type: 'relationship',
      account: reading.account,
    };
    if (reading.followsViewer !== undefined) relationship.followsViewer = reading.followsViewer;
    if (reading.viewerFollows !== undefined) relationship.viewerFollows = reading.viewerFollows;
    if (listedAs === 'follower') relationship.followsViewer = true;
    if (listedAs === 'following') relationship.viewerFollows = true;
    const viewerHandle = this.ctx.viewer?.handle;
    const known = this.users.get(reading.account.handle);
    if (
      reading.account.handle !== viewerHandle &&
      !known &&
      (relationship.followsViewer !== undefined || relationship.viewerFollows !== undefined)
    ) {
      this.users.set(reading.account.handle, relationship);
      this.out.push(relationship);
    }
    return reading.account;
  }

  tweet(result: unknown, depth = 0): AccountRef | undefined {
    const tweet = tweetOf(result);
    const legacy = isObject(tweet?.legacy) ? tweet.legacy : undefined;
    if (!tweet || !legacy || depth > 3) return undefined;
    const core = isObject(tweet.core) ? tweet.core : undefined;
    const author = this.user(resultOf(core, 'user_results'));
    const id = str(tweet.rest_id) ?? str(legacy.id_str);
    if (!author || !id || !ID.test(id)) return undefined;
    if (this.posts.has(id)) return author;
    this.posts.add(id);

    const at = isoTime(legacy.created_at);
    const url = `https://x.com/${author.handle}/status/${id}`;
    const post: Observation = { type: 'post', id, author, url };
    if (at) post.at = at;
    const edge = (
      kind: 'reply' | 'mention' | 'quote' | 'repost',
      from: AccountRef,
      to: AccountRef,
    ) => {
      if (from.handle === to.handle) return;
      const obs: Observation = { type: 'interaction', kind, from, to, sourceId: id, url };
      if (at) obs.at = at;
      this.out.push(obs);
    };

    // A repost is the reposter's act on the original: passive, and the original is read too.
    const retweeted = resultOf(legacy, 'retweeted_status_result');
    if (retweeted !== undefined) {
      const original = this.tweet(retweeted, depth + 1);
      if (original) edge('repost', author, original);
      return author;
    }

    const replyTo = str(legacy.in_reply_to_screen_name);
    const parentId = str(legacy.in_reply_to_status_id_str);
    if (parentId && ID.test(parentId)) post.inReplyTo = parentId;
    this.out.push(post);
    const addressed = new Set<string>([author.handle]);
    if (replyTo && HANDLE.test(replyTo)) {
      const to = namedAccount(replyTo, legacy.in_reply_to_user_id_str);
      addressed.add(to.handle);
      edge('reply', author, to);
    }

    // Mentions typed in the text; those before display_text_range are X's automatic reply prefix.
    const range = Array.isArray(legacy.display_text_range) ? legacy.display_text_range : [];
    const textStart = typeof range[0] === 'number' ? range[0] : 0;
    const entities = isObject(legacy.entities) ? legacy.entities : undefined;
    const mentions = Array.isArray(entities?.user_mentions) ? entities.user_mentions : [];
    for (const mention of mentions) {
      if (!isObject(mention)) continue;
      const handle = str(mention.screen_name);
      const indices = Array.isArray(mention.indices) ? mention.indices : [];
      if (
        !handle ||
        !HANDLE.test(handle) ||
        (typeof indices[0] === 'number' && indices[0] < textStart)
      )
        continue;
      const lower = handle.toLowerCase();
      if (addressed.has(lower)) continue;
      addressed.add(lower);
      const to = namedAccount(lower, mention.id_str);
      edge('mention', author, to);
    }

    const quoted = resultOf(tweet, 'quoted_status_result');
    if (quoted !== undefined) {
      const quotedAuthor = this.tweet(quoted, depth + 1);
      if (quotedAuthor) edge('quote', author, quotedAuthor);
    }
    return author;
  }

  /**
   * A notification: likes and reposts of the viewer's posts are passive signals from each user
   * named; "followed you" says they follow the viewer. (Replies and mentions come as tweets.)
   */
  notification(content: Json): void {
    const icon = str(content.notification_icon);
    const kind = icon ? NOTIFICATION_ICONS[icon] : undefined;
    const template = isObject(content.template) ? content.template : undefined;
    if (!kind || !template) return;
    const at = msTime(content.timestamp_ms);
    const from: AccountRef[] = [];
    for (const ref of list(template.from_users ?? template.fromUsers)) {
      const account = isObject(ref) ? this.user(resultOf(ref, 'user_results')) : undefined;
      if (account && account.handle !== this.ctx.viewer?.handle) from.push(account);
    }
    if (kind === 'follow') {
      for (const account of from) this.follower(account);
      return;
    }
    for (const target of list(template.target_objects ?? template.targetObjects)) {
      const tweet = isObject(target) ? tweetOf(resultOf(target, 'tweet_results')) : undefined;
      const id = str(tweet?.rest_id);
      const to = tweet ? this.tweet(tweet) : undefined;
      if (!id || !ID.test(id) || !to) continue;
      const url = `https://x.com/${to.handle}/status/${id}`;
      for (const account of from) {
        if (account.handle === to.handle) continue;
        const obs: Observation = {
          type: 'interaction',
          kind,
          from: account,
          to,
          sourceId: id,
          url,
        };
        if (at) obs.at = at;
        this.out.push(obs);
      }
    }
  }

  /** Someone who follows the viewer (one relationship row per account and response). */
  follower(account: AccountRef): void {
    const known = this.users.get(account.handle);
    if (known) {
      known.followsViewer = true;
      return;
    }
    const relationship: RelationshipObservation = {
      type: 'relationship',
      account,
      followsViewer: true,
    };
    this.users.set(account.handle, relationship);
    this.out.push(relationship);
  }

  /** One timeline item: a tweet, a user or a notification, whatever module it sits in. */
  item(itemContent: unknown, listedAs?: 'follower' | 'following'): void {
    if (!isObject(itemContent)) return;
    if (
      itemContent.itemType === 'TimelineNotification' ||
      itemContent.__typename === 'TimelineNotification'
    )
      this.notification(itemContent);
    else if (isObject(itemContent.tweet_results))
      this.tweet(resultOf(itemContent, 'tweet_results'));
    else if (isObject(itemContent.user_results))
      this.user(resultOf(itemContent, 'user_results'), listedAs);
  }

  entry(entry: unknown, listedAs?: 'follower' | 'following'): void {
    if (!isObject(entry)) return;
    const content = isObject(entry.content)
      ? entry.content
      : isObject(entry.item)
        ? entry.item
        : undefined;
    if (!content) return;
    if (isObject(content.itemContent)) this.item(content.itemContent, listedAs);
    // Conversation threads and other modules: items[].item.itemContent.
    if (Array.isArray(content.items)) {
      for (const item of content.items) {
        if (isObject(item) && isObject(item.item)) this.item(item.item.itemContent, listedAs);
      }
    }
  }
}

/** Every `instructions` array under `data`, wherever this operation keeps its timeline. */
function findInstructions(node: unknown, depth = 0, found: unknown[][] = []): unknown[][] {
  if (!isObject(node) || depth > 6) return found;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'instructions' && Array.isArray(value)) found.push(value);
    else if (isObject(value)) findInstructions(value, depth + 1, found);
  }
  return found;
}

/**
 * Observations of one GraphQL response. `listedAs` comes from the operation and its variables:
 * the viewer's own Followers list means every listed user follows the viewer.
 */
export function parseXJson(json: unknown, ctx: JsonContext = {}): Observation[] {
  if (!isObject(json)) return [];
  const dm = directMessagesOf(json);
  if (dm) return parseDirectMessages(dm, ctx);
  if (!isObject(json.data)) return [];
  const collector = new Collector(ctx);
  // Viewer (and the notifications timeline) answer about the logged-in user themself.
  for (const key of ['viewer', 'viewer_v2']) {
    const own = isObject(json.data[key]) ? json.data[key] : undefined;
    const reading = own ? readUser(resultOf(own, 'user_results')) : undefined;
    if (reading) collector.viewer(reading.account);
  }
  const own = ctx.viewer?.id !== undefined && ctx.variables?.userId === ctx.viewer.id;
  const op = ctx.operation;
  const listedAs =
    own && (op === 'Followers' || op === 'BlueVerifiedFollowers')
      ? 'follower'
      : own && op === 'Following'
        ? 'following'
        : undefined;
  for (const instructions of findInstructions(json.data)) {
    for (const instruction of instructions) {
      if (!isObject(instruction)) continue;
      if (Array.isArray(instruction.entries))
        for (const entry of instruction.entries) collector.entry(entry, listedAs);
      if (isObject(instruction.entry)) collector.entry(instruction.entry, listedAs);
      if (Array.isArray(instruction.moduleItems))
        for (const item of instruction.moduleItems) collector.entry(item, listedAs);
    }
  }
  // UserByScreenName and similar: a single user.
  const single = isObject(json.data.user) ? json.data.user.result : undefined;
  if (single !== undefined && findInstructions(json.data).length === 0) collector.user(single);
  return collector.out;
}

/** The body of a direct-message response, whichever endpoint sent it. */
function directMessagesOf(json: Json): Json | undefined {
  for (const key of [
    'inbox_initial_state',
    'user_events',
    'conversation_timeline',
    'inbox_timeline',
  ]) {
    if (isObject(json[key])) return json[key];
  }
  return undefined;
}

/** Groups larger than this are rooms, not conversations with each member. */
const MAX_DM_GROUP = 5;

/** A user of X's REST API (`id_str`, `screen_name`, `name`). */
function restUser(value: unknown): AccountRef | undefined {
  if (!isObject(value)) return undefined;
  const handle = str(value.screen_name);
  if (!handle || !HANDLE.test(handle)) return undefined;
  const account = namedAccount(handle, value.id_str);
  const name = str(value.name);
  if (name) account.name = name.slice(0, 200);
  return account;
}

/**
 * The direct-message inbox and conversations: each message is an exchange from its sender to the
 * other participant (in small groups, to each other member), dated, with the message id as
 * evidence. Message text is never read.
 */
export function parseDirectMessages(dm: Json, ctx: JsonContext = {}): Observation[] {
  const users = new Map<string, AccountRef>();
  if (isObject(dm.users)) {
    for (const [id, value] of Object.entries(dm.users)) {
      const account = restUser(value);
      if (account && ID.test(id)) users.set(id, account);
    }
  }
  const participants = new Map<string, string[]>();
  if (isObject(dm.conversations)) {
    for (const [id, conversation] of Object.entries(dm.conversations)) {
      if (!isObject(conversation)) continue;
      const members = list(conversation.participants).flatMap((p) => {
        const userId = isObject(p) ? str(p.user_id) : undefined;
        return userId ? [userId] : [];
      });
      participants.set(id, members);
    }
  }
  const out: Observation[] = [];
  const seen = new Set<string>();
  for (const entry of list(dm.entries)) {
    const message = isObject(entry) && isObject(entry.message) ? entry.message : undefined;
    const data = isObject(message?.message_data) ? message.message_data : undefined;
    const id = str(data?.id) ?? str(message?.id);
    const senderId = str(data?.sender_id);
    if (!data || !id || !ID.test(id) || !senderId || seen.has(id)) continue;
    seen.add(id);
    const from = users.get(senderId);
    if (!from) continue;
    const conversationId = str(message?.conversation_id) ?? '';
    const recipientId = str(data.recipient_id);
    const members = participants.get(conversationId) ?? [];
    const recipients = recipientId
      ? [recipientId]
      : members.length <= MAX_DM_GROUP
        ? members.filter((member) => member !== senderId)
        : [];
    const at = msTime(data.time ?? message?.time);
    const url = /^[\w-]{1,80}$/.test(conversationId)
      ? `https://x.com/messages/${conversationId}`
      : undefined;
    for (const recipientKey of recipients) {
      const to = users.get(recipientKey);
      if (!to || to.handle === from.handle) continue;
      const obs: Observation = { type: 'interaction', kind: 'message', from, to, sourceId: id };
      if (at) obs.at = at;
      if (url) obs.url = url;
      out.push(obs);
    }
  }
  if (ctx.viewerId) {
    const viewer = users.get(ctx.viewerId);
    if (viewer) out.unshift({ type: 'viewer', account: viewer });
  }
  return out;
}

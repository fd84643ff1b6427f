/**
 * What the popup reads and writes about people: a section's rows from the byRank index, the
 * evidence trail of one person, notes and tags, a manual tier override, the weekly nudge.
 */
import type { EvidenceRow } from '../core/batch.ts';
import type { AccountKey } from '../core/keys.ts';
import { DAY_MS, TIER_ORDER, type Tier } from '../core/model.ts';
import { coverageOf, settle, type Coverage, type Relationship } from '../core/relationship.ts';
import {
  evidenceBetween,
  evidenceFrom,
  type MetaValues,
  type NoteRow,
  type RapportDatabase,
} from './schema.ts';
import { getSettings } from './settings.ts';

/** Rows in a section's first screen: read alone, so they show while the rest is read. */
const FIRST_SCREEN = 50;

const tierOrders = (tiers: readonly Tier[]) =>
  [...new Set(tiers.map((t) => TIER_ORDER[t]))].sort((a, b) => a - b);

/**
 * The first read `walkRanked` makes, asked of a `byRank` index of any transaction: the popup reads
 * its first screen in the transaction that reads the accounts, a round trip less.
 */
export function firstScreenRead(
  index: { getAll(range: IDBKeyRange, count: number): Promise<Relationship[]> },
  viewer: AccountKey,
  tiers: readonly Tier[],
): Promise<Relationship[]> {
  const order = tierOrders(tiers)[0] ?? 0;
  return index.getAll(
    IDBKeyRange.bound([viewer, order, -Infinity], [viewer, order, Infinity]),
    FIRST_SCREEN,
  );
}

/**
 * A viewer's rows of some tiers, best first, walking the byRank index `chunk` rows at a time:
 * `onChunk` gets each chunk as it is read, so the first rows show while the rest load.
 */
export async function walkRanked(
  db: RapportDatabase,
  viewer: AccountKey,
  tiers: readonly Tier[],
  onChunk: (rows: Relationship[]) => Promise<boolean | void> | boolean | void,
  chunk = 500,
  /** What `firstScreenRead` already read (with other reads, in one transaction). */
  firstScreen?: Relationship[],
): Promise<void> {
  const orders = tierOrders(tiers);
  // One short read transaction per chunk: the ingest is never held up behind the popup.
  const index = () => db.transaction('relationships', 'readonly').store.index('byRank');
  let first = true;
  for (const order of orders) {
    let lower: IDBValidKey = [viewer, order, -Infinity];
    let open = false;
    for (;;) {
      const upper = [viewer, order, Infinity];
      // The first chunk is one screen: it shows while the rest is read.
      const size = first ? Math.min(chunk, FIRST_SCREEN) : chunk;
      const given = first && size === FIRST_SCREEN ? firstScreen : undefined;
      first = false;
      const rows: Relationship[] =
        given ?? (await index().getAll(IDBKeyRange.bound(lower, upper, open, false), size));
      if (rows.length === 0) break;
      // The chunk goes out as read: it is the start of the index's order, whatever follows.
      if ((await onChunk(rows)) === false) return;
      if (rows.length < size) break;
      // The next chunk starts after the last rank; the rest of the rows tied with it (every row
      // without an exchange ranks the same) are read now, so none is skipped. Equal keys come
      // in primary-key order, so the tied rows already sent are the first of the tie read; they
      // are left out by account (a row written between the two reads cannot shift them).
      const lastRank = (rows[rows.length - 1] as Relationship).rankDesc;
      const sent = new Set<AccountKey>();
      for (const r of rows) if (r.rankDesc === lastRank) sent.add(r.account);
      const tied = await index().getAll(IDBKeyRange.only([viewer, order, lastRank]));
      const rest = tied.filter((r) => !sent.has(r.account));
      if (rest.length > 0 && (await onChunk(rest)) === false) return;
      // Nothing ranks after the last possible rank (rows without any exchange).
      if (lastRank === Infinity) break;
      lower = [viewer, order, lastRank];
      open = true;
    }
  }
}

/** Waiting on you: the oldest unanswered first (a queue, not a ranking). */
export async function waitingRows(
  db: RapportDatabase,
  viewer: AccountKey,
): Promise<Relationship[]> {
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const order = TIER_ORDER.unanswered;
  const rows = await index.getAll(
    IDBKeyRange.bound([viewer, order, -Infinity], [viewer, order, Infinity]),
  );
  return rows.sort((a, b) => (a.lastInAt ?? 0) - (b.lastInAt ?? 0));
}

export type Trail = (EvidenceRow & { direction: 'in' | 'out' })[];

/**
 * One person's page: every exchange and passive signal between the viewer and the account,
 * newest first, and how much of the account's talk with anyone Rapport has read (its coverage),
 * from the same reads: the account's evidence both ways, and its first sighting.
 */
export async function personEvidence(
  db: RapportDatabase,
  viewer: AccountKey,
  account: AccountKey,
): Promise<{ trail: Trail; coverage: Coverage }> {
  const tx = db.transaction(['evidence', 'accounts'], 'readonly');
  const evidence = tx.objectStore('evidence');
  const [fromThem, fromViewer, known] = await Promise.all([
    evidence.getAll(evidenceFrom(account)),
    evidence.getAll(evidenceBetween(viewer, account)),
    tx.objectStore('accounts').get(account),
  ]);
  const trail: Trail = [
    ...fromThem.filter((e) => e.to === viewer).map((e) => ({ ...e, direction: 'in' as const })),
    ...fromViewer.map((e) => ({ ...e, direction: 'out' as const })),
  ].sort((a, b) => b.at - a.at);
  return { trail, coverage: coverageOf(fromThem, viewer, known?.firstSeenAt) };
}

/** Exchanges per month for the last `months` months, oldest first: the detail's small chart. */
export function perMonth(
  evidence: readonly { at: number; direction: 'in' | 'out'; kind: string }[],
  now: number,
  months = 12,
): { label: string; in: number; out: number }[] {
  const end = new Date(now);
  const buckets: { label: string; in: number; out: number; year: number; month: number }[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - i, 1));
    buckets.push({
      label: d.toLocaleString('en', { month: 'short', timeZone: 'UTC' }),
      in: 0,
      out: 0,
      year: d.getUTCFullYear(),
      month: d.getUTCMonth(),
    });
  }
  for (const e of evidence) {
    if (e.kind === 'reaction' || e.kind === 'repost' || e.kind === 'follow') continue;
    const d = new Date(e.at);
    const bucket = buckets.find(
      (b) => b.year === d.getUTCFullYear() && b.month === d.getUTCMonth(),
    );
    if (bucket) bucket[e.direction] += 1;
  }
  return buckets.map(({ label, in: inbound, out }) => ({ label, in: inbound, out }));
}

export async function getNote(
  db: RapportDatabase,
  account: AccountKey,
): Promise<NoteRow | undefined> {
  return db.get('notes', account);
}

/** Saves a note and its tags as typed: one small write, so closing the popup loses nothing. */
export async function saveNote(
  db: RapportDatabase,
  account: AccountKey,
  text: string,
  tags: readonly string[],
  now = Date.now(),
): Promise<void> {
  const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))].slice(0, 100);
  if (!text.trim() && clean.length === 0) await db.delete('notes', account);
  else
    await db.put('notes', { account, text: text.slice(0, 100_000), tags: clean, updatedAt: now });
}

/** The user's own tier for a person (undefined: back to the computed one). */
export async function setOverride(
  db: RapportDatabase,
  viewer: AccountKey,
  account: AccountKey,
  tier: Tier | undefined,
  now = Date.now(),
): Promise<Relationship | undefined> {
  const tx = db.transaction(['relationships', 'settings'], 'readwrite');
  const settings = await getSettings(tx.objectStore('settings'));
  const row = await tx.objectStore('relationships').get([viewer, account]);
  if (!row) return undefined;
  const next: Relationship = { ...row };
  if (tier) next.override = tier;
  else delete next.override;
  const settled = settle(next, settings, now);
  await tx.objectStore('relationships').put(settled);
  await tx.done;
  return settled;
}

/** Why a person has their tier, in words. */
export function tierReason(row: Relationship, windowDays: number): string {
  if (row.override) return 'You chose this tier yourself.';
  switch (row.computedTier) {
    case 'conversational':
      return `You have addressed each other, both ways, in the last ${windowDays} days.`;
    case 'unanswered':
      return `They addressed you; you have not answered in the last ${windowDays} days.`;
    case 'reaching':
      return `You addressed them; they have not answered in the last ${windowDays} days.`;
    case 'silent-follower':
      return row.connected
        ? 'You are connected, and have never exchanged a word in this window.'
        : 'They follow you, and have never said a word to you in this window.';
    case 'passive':
      return 'Only likes, reactions or reposts: no words exchanged.';
    default:
      return 'Seen, but nothing is known about the two of you yet.';
  }
}

export interface Nudge {
  week: string;
  account: AccountKey;
  reason: string;
}

/** ISO week of a time, as `2026-W47`. */
export function isoWeek(ms: number): string {
  const day = new Date(ms);
  const date = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  // The week belongs to the year of its Thursday.
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7));
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * This week's one person to reach out to: someone you talked with who went quiet for the weeks
 * the settings say or more (three unless changed; the longest quiet first), else a mutual follow
 * who never talks. Done or "not now" ends it for the week.
 */
export async function weeklyNudge(
  db: RapportDatabase,
  viewer: AccountKey,
  now = Date.now(),
): Promise<Nudge | undefined> {
  const week = isoWeek(now);
  const [answered, settings] = await Promise.all([
    db.get('meta', 'nudges') as Promise<MetaValues['nudges'] | undefined>,
    getSettings(db),
  ]);
  if (answered?.[`${viewer}|${week}`]) return undefined;
  const index = db.transaction('relationships', 'readonly').store.index('byRank');
  const talk = await index.getAll(
    IDBKeyRange.bound(
      [viewer, TIER_ORDER.conversational, -Infinity],
      [viewer, TIER_ORDER.conversational, Infinity],
    ),
    2000,
  );
  const last = (r: Relationship) => Math.max(r.lastInAt ?? 0, r.lastOutAt ?? 0);
  const quiet = talk
    .filter((r) => now - last(r) >= settings.quietWeeks * 7 * DAY_MS)
    .sort((a, b) => last(a) - last(b));
  const pick = quiet[0];
  if (pick)
    return {
      week,
      account: pick.account,
      reason: `You talked, then nothing for ${Math.floor((now - last(pick)) / (7 * DAY_MS))} weeks.`,
    };
  const silent = await index.getAll(
    IDBKeyRange.bound(
      [viewer, TIER_ORDER['silent-follower'], -Infinity],
      [viewer, TIER_ORDER['silent-follower'], Infinity],
    ),
    2000,
  );
  const mutual = silent.find((r) => r.followsViewer && r.viewerFollows);
  return mutual
    ? { week, account: mutual.account, reason: 'You follow each other and have never talked.' }
    : undefined;
}

/** Done or "not now": either way, no more nudging this week. */
export async function answerNudge(
  db: RapportDatabase,
  viewer: AccountKey,
  nudge: Nudge,
  answer: 'done' | 'later',
): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const answered = ((await tx.store.get('nudges')) as MetaValues['nudges'] | undefined) ?? {};
  answered[`${viewer}|${nudge.week}`] = `${answer}:${nudge.account}`;
  await tx.store.put(answered, 'nudges');
  await tx.done;
}

/** The account the user said is the same person on the other platform, if any. */
export async function samePersonOf(
  db: RapportDatabase,
  account: AccountKey,
): Promise<AccountKey | undefined> {
  const links = (await db.get('meta', 'sameAs')) as MetaValues['sameAs'] | undefined;
  return links?.[account];
}

/**
 * Links an account with one on the other platform as the same person (a link replaces an older
 * one on either side). Refused, with a reason, when the other account was never seen.
 */
export async function linkSamePerson(
  db: RapportDatabase,
  account: AccountKey,
  other: AccountKey,
): Promise<void> {
  const platform = (key: AccountKey) => key.slice(0, key.indexOf(':'));
  if (platform(account) === platform(other))
    throw new Error('The same person is linked across platforms: X with LinkedIn.');
  const tx = db.transaction(['meta', 'accounts'], 'readwrite');
  if (!(await tx.objectStore('accounts').get(other)))
    throw new Error(
      `Rapport has not seen ${other.replace(':', ' ')} yet: open their profile once.`,
    );
  const meta = tx.objectStore('meta');
  const links = { ...(((await meta.get('sameAs')) as MetaValues['sameAs'] | undefined) ?? {}) };
  for (const key of [account, other]) {
    const old = links[key];
    if (old) delete links[old];
  }
  links[account] = other;
  links[other] = account;
  await meta.put(links, 'sameAs');
  await tx.done;
}

export async function unlinkSamePerson(db: RapportDatabase, account: AccountKey): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const links = { ...(((await tx.store.get('sameAs')) as MetaValues['sameAs'] | undefined) ?? {}) };
  const other = links[account];
  delete links[account];
  if (other) delete links[other];
  await tx.store.put(links, 'sameAs');
  await tx.done;
}

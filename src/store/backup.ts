/**
 * Everything Rapport knows, out and back in: a versioned JSON backup with a checksum, a CSV of
 * accounts, a Markdown digest of notes; imports of the backup and of outside files, merged so
 * that importing the same file twice changes nothing; and deleting everything.
 *
 * A backup holds what cannot be derived (viewers, accounts, evidence, follow flags, overrides,
 * notes, settings). Relationship rows are derived: they are rebuilt from the evidence on import.
 */
import { unwrap } from 'idb';
import * as v from 'valibot';
import type { EvidenceRow } from '../core/batch.ts';
import { accountKey, type AccountKey } from '../core/keys.ts';
import {
  DEFAULT_SETTINGS,
  HALF_LIFE_RANGE,
  INTERACTION_KINDS,
  PLATFORMS,
  QUIET_WEEKS_RANGE,
  TIERS,
  type Platform,
  type Settings,
} from '../core/model.ts';
import {
  applyEvidence,
  applyFlags,
  directionFor,
  emptyRelationship,
  scoreAt,
  settle,
  type EvidenceFact,
  type Relationship,
} from '../core/relationship.ts';
import { toCsv } from './formats/csv.ts';
import type { OutsideImport } from './formats/outside.ts';
import {
  abandon,
  STORE_NAMES,
  type AccountRow,
  type MetaValues,
  type NoteRow,
  type RapportDatabase,
  type UnjoinedRow,
  type ViewerRow,
} from './schema.ts';
import { addNewEvidence } from './ingest.ts';
import { adoptEvidence, factOf, withoutMark, type ViewerEvidence } from './evidence.ts';
import { getSettings } from './settings.ts';

export const BACKUP_FORMAT = 'rapport-backup';
export const BACKUP_VERSION = 1;
/** Larger than any real store; a bigger file is refused before it is parsed. */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024;

export class BackupError extends Error {}

const Key = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(/^(x|linkedin):[^\s]+$/),
  v.transform((key) => key as AccountKey),
);
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Time = v.pipe(v.number(), v.finite());

const ViewerSchema = v.object({
  key: Key,
  platform: v.picklist(PLATFORMS),
  handle: Text(100),
  id: v.optional(Text(80)),
  name: v.optional(Text(1000)),
  firstSeenAt: Time,
  lastSeenAt: Time,
});
const EvidenceSchema = v.object({
  key: Text(400),
  platform: v.picklist(PLATFORMS),
  kind: v.picklist(INTERACTION_KINDS),
  from: Key,
  to: Key,
  sourceId: Text(80),
  at: Time,
  seenAt: Time,
  url: v.optional(Text(2048)),
});
const FlagsSchema = v.object({
  viewer: Key,
  account: Key,
  platform: v.picklist(PLATFORMS),
  handle: Text(100),
  followsViewer: v.optional(v.boolean()),
  viewerFollows: v.optional(v.boolean()),
  connected: v.optional(v.boolean()),
  override: v.optional(v.picklist(TIERS)),
});
const UnjoinedSchema = v.object({
  platform: v.picklist(PLATFORMS),
  id: Text(80),
  viewer: Key,
  followsViewer: v.optional(v.literal(true)),
  viewerFollows: v.optional(v.literal(true)),
});
const NoteSchema = v.object({
  account: Key,
  text: Text(100_000),
  tags: v.pipe(v.array(Text(100)), v.maxLength(100)),
  updatedAt: Time,
});
const SettingsSchema = v.object({
  windowDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
  halfLifeDays: v.pipe(
    v.number(),
    v.minValue(HALF_LIFE_RANGE.min),
    v.maxValue(HALF_LIFE_RANGE.max),
  ),
  platforms: v.optional(v.object({ x: v.boolean(), linkedin: v.boolean() })),
  hiddenBadges: v.optional(v.array(v.picklist(TIERS))),
  recordPrivate: v.optional(v.boolean()),
  toolbarCount: v.optional(v.boolean()),
  // Absent from backups written before it was a setting.
  quietWeeks: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(QUIET_WEEKS_RANGE.min),
      v.maxValue(QUIET_WEEKS_RANGE.max),
    ),
  ),
});
const BackupDataSchema = v.object({
  viewers: v.array(ViewerSchema),
  accounts: v.array(ViewerSchema),
  evidence: v.array(EvidenceSchema),
  flags: v.array(FlagsSchema),
  notes: v.array(NoteSchema),
  settings: v.optional(SettingsSchema),
  /** "Same person" links, each pair once. */
  links: v.optional(v.array(v.tuple([Key, Key]))),
  /** Imported lines waiting for an account id to be seen (absent when none, and before them). */
  unjoined: v.optional(v.array(UnjoinedSchema)),
});
const BackupSchema = v.object({
  format: v.literal(BACKUP_FORMAT),
  version: v.number(),
  exportedAt: v.string(),
  checksum: v.pipe(v.string(), v.regex(/^sha256:[0-9a-f]{64}$/)),
  data: v.unknown(),
});

export type BackupData = v.InferOutput<typeof BackupDataSchema>;
type FlagRow = v.InferOutput<typeof FlagsSchema>;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A row with its keys in one order, whatever order they were written in. */
function canonical<T extends object>(row: T): T {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ) as T;
}

/** Rows in a stable order, so the same store always exports the same bytes. */
const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export async function backupData(
  db: RapportDatabase,
  /** Called as each of the eight reads is done. */
  onRead?: () => void,
): Promise<BackupData> {
  const tx = db.transaction(
    ['viewers', 'accounts', 'evidence', 'relationships', 'notes', 'unjoined', 'settings', 'meta'],
    'readonly',
  );
  const read = <T>(request: Promise<T>) =>
    onRead ? request.then((value) => (onRead(), value)) : request;
  const [viewers, accounts, evidence, relationships, notes, unjoined, settings, sameAs] =
    await Promise.all([
      read(tx.objectStore('viewers').getAll()),
      read(tx.objectStore('accounts').getAll()),
      read(tx.objectStore('evidence').getAll()),
      read(tx.objectStore('relationships').getAll()),
      read(tx.objectStore('notes').getAll()),
      read(tx.objectStore('unjoined').getAll()),
      read(tx.objectStore('settings').get('settings')),
      read(tx.objectStore('meta').get('sameAs') as Promise<MetaValues['sameAs'] | undefined>),
    ]);
  const flags: FlagRow[] = [];
  for (const row of relationships) {
    if (
      row.followsViewer === undefined &&
      row.viewerFollows === undefined &&
      row.connected === undefined &&
      !row.override
    )
      continue;
    const flag: FlagRow = {
      viewer: row.viewer,
      account: row.account,
      platform: row.platform,
      handle: row.handle,
    };
    if (row.followsViewer !== undefined) flag.followsViewer = row.followsViewer;
    if (row.viewerFollows !== undefined) flag.viewerFollows = row.viewerFollows;
    if (row.connected !== undefined) flag.connected = row.connected;
    if (row.override) flag.override = row.override;
    flags.push(flag);
  }
  const data: BackupData = {
    viewers: viewers.sort(byKey((r) => r.key)).map(canonical),
    accounts: accounts.sort(byKey((r) => r.key)).map(canonical),
    evidence: evidence
      .map(withoutMark)
      .sort(byKey((r) => r.key))
      .map(canonical),
    flags: flags.sort(byKey((r) => `${r.viewer}|${r.account}`)).map(canonical),
    notes: notes.sort(byKey((r) => r.account)).map(canonical),
  };
  if (settings) {
    const full = { ...DEFAULT_SETTINGS, ...settings };
    data.settings = canonical({ ...full, hiddenBadges: [...full.hiddenBadges] });
  }
  const links = Object.entries(sameAs ?? {})
    .filter(([a, b]) => a < b)
    .map(([a, b]) => [a, b] as [AccountKey, AccountKey])
    .sort(byKey((pair) => pair[0]));
  if (links.length > 0) data.links = links;
  // In key order already (platform, id, viewer).
  if (unjoined.length > 0) data.unjoined = unjoined.map(canonical);
  return data;
}

/**
 * The backup file's text: the data with its format, version, date and checksum. `onProgress`
 * counts its ten steps: the eight reads, the writing of the text, its checksum.
 */
export async function exportBackup(
  db: RapportDatabase,
  now = Date.now(),
  onProgress?: Progress,
): Promise<string> {
  let steps = 0;
  const step = () => onProgress?.(++steps, 10);
  const data = await backupData(db, step);
  const body = JSON.stringify(data);
  step();
  const checksum = await sha256(body);
  step();
  return `{"format":"${BACKUP_FORMAT}","version":${BACKUP_VERSION},"exportedAt":"${new Date(now).toISOString()}","checksum":"${checksum}","data":${body}}\n`;
}

/** Reads a backup file, or says plainly why it cannot be used. Nothing is written here. */
export async function parseBackup(text: string, maxBytes = MAX_BACKUP_BYTES): Promise<BackupData> {
  if (text.length > maxBytes)
    throw new BackupError(
      `This file is larger than any Rapport backup (${Math.round(text.length / 1048576)} MB): refused.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError(
      'This backup is cut short or damaged: it is not complete JSON. Nothing was changed.',
    );
  }
  const envelope = v.safeParse(BackupSchema, json);
  if (!envelope.success)
    throw new BackupError(
      'This is not a Rapport backup (no "rapport-backup" format, version and checksum). Nothing was changed.',
    );
  const { version, checksum, data } = envelope.output;
  if (version !== BACKUP_VERSION)
    throw new BackupError(
      version > BACKUP_VERSION
        ? `This backup was written by a newer Rapport (format ${version}); update Rapport to import it. Nothing was changed.`
        : `This backup's format (${version}) is not one Rapport reads. Nothing was changed.`,
    );
  // The checksum covers the data exactly as written.
  const start = text.indexOf('"data":');
  const body = start >= 0 ? text.slice(start + 7).replace(/\}\s*$/, '') : '';
  if ((await sha256(body)) !== checksum)
    throw new BackupError(
      'This backup was changed or damaged after it was written (its checksum does not match). Nothing was changed.',
    );
  const parsed = v.safeParse(BackupDataSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
    throw new BackupError(
      `This backup holds a malformed entry (${where}: ${issue?.message ?? 'invalid'}). Nothing was changed.`,
    );
  }
  return parsed.output;
}

export interface ImportSummary {
  evidenceAdded: number;
  accounts: number;
  notes: number;
  relationships: number;
}

/** Told as a long import or export goes on: how many of its entries or steps are done, of how many. */
export type Progress = (done: number, total: number) => void;

/** Entries read and written per round trip: each chunk's requests go out together. */
const IMPORT_CHUNK = 2000;

function* chunksOf<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += IMPORT_CHUNK) yield items.slice(i, i + IMPORT_CHUNK);
}

/**
 * Merges a backup into the store in one transaction: new evidence is added (what is there stays),
 * accounts keep their earliest and latest sightings, the newer note wins, and the relationship
 * rows the new evidence or flags touch are brought up to date. Importing it again changes nothing.
 * Each chunk's reads and writes go out together (one awaited request per entry took 23 s for
 * 50,000 exchanges); a failed write aborts the transaction, and nothing of the import remains.
 */
export async function importBackup(
  db: RapportDatabase,
  data: BackupData,
  now = Date.now(),
  onProgress?: Progress,
): Promise<ImportSummary> {
  const tx = db.transaction([...STORE_NAMES], 'readwrite');
  const done = tx.done;
  const summary: ImportSummary = { evidenceAdded: 0, accounts: 0, notes: 0, relationships: 0 };
  const total =
    data.accounts.length +
    data.notes.length +
    data.evidence.length +
    data.flags.length +
    (data.unjoined?.length ?? 0);
  let progress = 0;
  const step = (count: number) => {
    progress += count;
    onProgress?.(progress, total);
  };
  const stores = {
    viewers: tx.objectStore('viewers'),
    accounts: tx.objectStore('accounts'),
    evidence: tx.objectStore('evidence'),
    relationships: tx.objectStore('relationships'),
    notes: tx.objectStore('notes'),
    settings: tx.objectStore('settings'),
  };
  // Plain requests for the writes: one that fails aborts the transaction, and `done` says so.
  const raw = {
    viewers: unwrap(stores.viewers),
    accounts: unwrap(stores.accounts),
    evidence: unwrap(stores.evidence),
    relationships: unwrap(stores.relationships),
    notes: unwrap(stores.notes),
  };
  try {
    const storedSettings = await stores.settings.get('settings');
    if (!storedSettings && data.settings)
      await stores.settings.put({ ...DEFAULT_SETTINGS, ...data.settings }, 'settings');
    const settings: Settings = await getSettings(stores.settings);

    const viewerRows = new Map((await stores.viewers.getAll()).map((row) => [row.key, row]));
    const storedViewers = new Set(viewerRows.keys());
    for (const viewer of data.viewers) {
      const next = merged(viewerRows.get(viewer.key), viewer as ViewerRow);
      viewerRows.set(viewer.key, next);
      raw.viewers.put(next);
    }
    const viewers = [...viewerRows.keys()];

    // An entry may come twice (a hand-edited file): the second merges with the first.
    const accountsSeen = new Map<AccountKey, AccountRow>();
    for (const chunk of chunksOf(data.accounts)) {
      const stored = await Promise.all(
        chunk.map((a) => (accountsSeen.has(a.key) ? undefined : stores.accounts.get(a.key))),
      );
      chunk.forEach((account, i) => {
        const known = accountsSeen.get(account.key) ?? stored[i];
        const next = merged(known, account as AccountRow);
        accountsSeen.set(account.key, next);
        if (!known || JSON.stringify(known) !== JSON.stringify(next)) {
          raw.accounts.put(next);
          summary.accounts += 1;
        }
      });
      step(chunk.length);
    }

    // Lines waiting for an id: flags merged with what already waits.
    if (data.unjoined?.length) {
      const store = tx.objectStore('unjoined');
      const waiting = await waitingLines(store);
      for (const chunk of chunksOf(data.unjoined)) {
        for (const line of chunk) mergeLine(waiting, line, unwrap(store));
        step(chunk.length);
      }
    }

    const notesSeen = new Map<AccountKey, NoteRow>();
    for (const chunk of chunksOf(data.notes)) {
      const stored = await Promise.all(
        chunk.map((n) => (notesSeen.has(n.account) ? undefined : stores.notes.get(n.account))),
      );
      chunk.forEach((note, i) => {
        const known = notesSeen.get(note.account) ?? stored[i];
        if (!known || known.updatedAt < note.updatedAt) {
          notesSeen.set(note.account, note as NoteRow);
          raw.notes.put(note as NoteRow);
          summary.notes += 1;
        }
      });
      step(chunk.length);
    }

    // The relationship rows the import touches, read once each (in parallel, per chunk).
    type Wanted = Map<
      string,
      { viewer: AccountKey; other: { platform: Platform; handle: string } }
    >;
    const rows = new Map<string, Relationship>();
    const readRows = async (wanted: Wanted) => {
      const missing = [...wanted].filter(([key]) => !rows.has(key));
      const stored = await Promise.all(
        missing.map(([, w]) => stores.relationships.get([w.viewer, accountKey(w.other)])),
      );
      missing.forEach(([key, w], i) =>
        rows.set(key, stored[i] ?? emptyRelationship(w.viewer, w.other, settings)),
      );
    };
    const changed = new Set<string>();
    /** Evidence between viewers and others, learned by their relationship rows. */
    const learn = async (sides: Iterable<{ viewer: AccountKey; side: ViewerEvidence }>) => {
      const wanted: Wanted = new Map();
      const facts: Array<{ key: string; fact: EvidenceFact }> = [];
      for (const { viewer, side } of sides) {
        const ev = side.row;
        const other = { platform: ev.platform, handle: side.other.slice(ev.platform.length + 1) };
        const key = `${viewer}|${accountKey(other)}`;
        wanted.set(key, { viewer, other });
        facts.push({ key, fact: factOf(ev, side.direction) });
      }
      await readRows(wanted);
      for (const { key, fact } of facts) {
        rows.set(key, applyEvidence(rows.get(key) as Relationship, fact));
        changed.add(key);
      }
    };

    // An account the backup names as the user's that this store did not know: what the store
    // holds about it becomes its own, as when a page first names it.
    for (const viewer of viewers) {
      if (storedViewers.has(viewer)) continue;
      const adopted = await adoptEvidence(stores.evidence, viewer);
      await learn(adopted.map((side) => ({ viewer, side })));
    }

    const isViewer = (key: AccountKey) => viewerRows.has(key);
    for (const chunk of chunksOf(data.evidence)) {
      const isNew = await addNewEvidence(raw.evidence, chunk as readonly EvidenceRow[], isViewer);
      await learn(
        chunk.flatMap((ev, i) => {
          if (!isNew[i]) return [];
          summary.evidenceAdded += 1;
          return viewers.flatMap((viewer) => {
            const side = directionFor(viewer, ev.from, ev.to);
            return side ? [{ viewer, side: { row: ev as EvidenceRow, ...side } }] : [];
          });
        }),
      );
      step(chunk.length);
    }

    for (const chunk of chunksOf(data.flags)) {
      const wanted: Wanted = new Map();
      const keyOf = (flag: (typeof chunk)[number]) =>
        `${flag.viewer}|${accountKey({ platform: flag.platform, handle: flag.handle })}`;
      for (const flag of chunk)
        wanted.set(keyOf(flag), {
          viewer: flag.viewer,
          other: { platform: flag.platform, handle: flag.handle },
        });
      await readRows(wanted);
      for (const flag of chunk) {
        const key = keyOf(flag);
        const row = rows.get(key) as Relationship;
        const next = applyFlags(row, flag);
        if (flag.override && !row.override) next.override = flag.override;
        if (
          next.followsViewer !== row.followsViewer ||
          next.viewerFollows !== row.viewerFollows ||
          next.connected !== row.connected ||
          next.override !== row.override
        ) {
          rows.set(key, next);
          changed.add(key);
        }
      }
      step(chunk.length);
    }

    const names = new Map(data.accounts.flatMap((a) => (a.name ? [[a.key, a.name]] : [])));
    for (const key of changed) {
      const row = rows.get(key) as Relationship;
      const name = names.get(row.account);
      raw.relationships.put(settle(name ? { ...row, name } : row, settings, now));
      summary.relationships += 1;
    }
    if (data.links?.length) {
      const meta = tx.objectStore('meta');
      const known = { ...(((await meta.get('sameAs')) as MetaValues['sameAs'] | undefined) ?? {}) };
      let linked = false;
      for (const [a, b] of data.links) {
        if (known[a] || known[b]) continue;
        known[a] = b;
        known[b] = a;
        linked = true;
      }
      if (linked) await meta.put(known, 'sameAs');
    }
    if (summary.accounts > 0 || summary.evidenceAdded > 0)
      await tx.objectStore('meta').put(now, 'generation');
    await done;
    return summary;
  } catch (error) {
    await abandon(tx, [done]);
    throw error;
  }
}

/** Sightings merged: the earliest first sighting, the latest last one, and its name and id. */
function merged<T extends ViewerRow | AccountRow>(known: T | undefined, incoming: T): T {
  if (!known) return incoming;
  const newer = incoming.lastSeenAt > known.lastSeenAt ? incoming : known;
  const out = {
    ...known,
    ...newer,
    firstSeenAt: Math.min(known.firstSeenAt, incoming.firstSeenAt),
    lastSeenAt: Math.max(known.lastSeenAt, incoming.lastSeenAt),
  };
  if (!out.name && (known.name ?? incoming.name))
    out.name = (known.name ?? incoming.name) as string;
  if (!out.id && (known.id ?? incoming.id)) out.id = (known.id ?? incoming.id) as string;
  return out;
}

/**
 * What waits already, by platform, id and viewer: read in one request (one per line made a
 * 300,000-line archive take 44 s instead of 35).
 */
async function waitingLines(store: {
  getAll(): Promise<UnjoinedRow[]>;
}): Promise<Map<string, UnjoinedRow>> {
  return new Map((await store.getAll()).map((line) => [lineKey(line), line]));
}

const lineKey = (line: UnjoinedRow) => `${line.platform}|${line.id}|${line.viewer}`;

/** A line merged into what waits for its id; written when it adds a flag or is new. */
function mergeLine(
  waiting: Map<string, UnjoinedRow>,
  line: UnjoinedRow,
  store: { put(row: UnjoinedRow): unknown },
): void {
  const known = waiting.get(lineKey(line));
  const next: UnjoinedRow = { ...(known ?? line) };
  if (line.followsViewer) next.followsViewer = true;
  if (line.viewerFollows) next.viewerFollows = true;
  if (
    known &&
    next.followsViewer === known.followsViewer &&
    next.viewerFollows === known.viewerFollows
  )
    return;
  waiting.set(lineKey(line), next);
  store.put(next);
}

/**
 * An outside file merged for a viewer: follows and connections become flags; X archive rows (ids
 * only) are joined to the accounts whose id is known, the rest wait for the id to be seen. One
 * transaction; each chunk's reads go out together.
 */
export async function importOutside(
  db: RapportDatabase,
  viewer: AccountKey,
  file: OutsideImport,
  now = Date.now(),
  onProgress?: Progress,
): Promise<{ matched: number; unmatched: number }> {
  const tx = db.transaction(
    ['accounts', 'relationships', 'unjoined', 'settings', 'meta'],
    'readwrite',
  );
  const done = tx.done;
  try {
    const settings = await getSettings(tx.objectStore('settings'));
    await tx.objectStore('meta').put(now, 'generation');
    const accounts = tx.objectStore('accounts');
    const relationships = tx.objectStore('relationships');
    const unjoinedStore = tx.objectStore('unjoined');
    const raw = {
      accounts: unwrap(accounts),
      relationships: unwrap(relationships),
      unjoined: unwrap(unjoinedStore),
    };
    // Lines naming an id no page has shown yet wait for it, merged with what already waits.
    const waiting = await waitingLines(unjoinedStore);
    // People, not lines: someone both followed and following, or listed twice, counts once.
    const matched = new Set<AccountKey>();
    const unmatched = new Set<string>();
    let progress = 0;
    // Rows written by this import: a person listed twice is merged, not read again.
    const written = new Map<AccountKey, Relationship>();
    const created = new Set<AccountKey>();
    // Ids are looked up one by one, or, for a file with ids for a good part of the store, in one
    // read of every account (a 300,000-line archive spent ~10 s in single reads).
    const idLines = file.relationships.filter((rel) => !rel.handle && rel.id).length;
    const handleOfId =
      idLines > 0 && idLines * 3 >= (await accounts.count())
        ? new Map(
            (await accounts.getAll()).flatMap((a) =>
              a.id ? [[`${a.platform}|${a.id}`, a.handle] as const] : [],
            ),
          )
        : undefined;
    for (const chunk of chunksOf(file.relationships)) {
      const byId = await Promise.all(
        chunk.map((rel) =>
          rel.handle || !rel.id
            ? undefined
            : handleOfId
              ? handleOfId.get(`${rel.platform}|${rel.id}`)
              : accounts
                  .index('byId')
                  .get([rel.platform, rel.id])
                  .then((row) => row?.handle),
        ),
      );
      const people = chunk.flatMap((rel, i) => {
        const handle = rel.handle ?? byId[i];
        if (!handle) {
          if (rel.id) {
            unmatched.add(rel.id);
            const line: UnjoinedRow = { platform: rel.platform, id: rel.id, viewer };
            if (rel.followsViewer) line.followsViewer = true;
            if (rel.viewerFollows) line.viewerFollows = true;
            mergeLine(waiting, line, raw.unjoined);
          }
          return [];
        }
        return [{ rel, handle, key: accountKey({ platform: rel.platform, handle }) }];
      });
      const [known, stored] = await Promise.all([
        Promise.all(people.map((p) => (created.has(p.key) ? true : accounts.get(p.key)))),
        Promise.all(people.map((p) => written.get(p.key) ?? relationships.get([viewer, p.key]))),
      ]);
      people.forEach(({ rel, handle, key }, i) => {
        if (!known[i] && !created.has(key)) {
          const row: AccountRow = {
            key,
            platform: rel.platform,
            handle,
            firstSeenAt: rel.since ?? now,
            lastSeenAt: rel.since ?? now,
          };
          if (rel.name) row.name = rel.name;
          if (rel.id) row.id = rel.id;
          raw.accounts.put(row);
          created.add(key);
        }
        const row =
          written.get(key) ??
          stored[i] ??
          emptyRelationship(viewer, { platform: rel.platform, handle }, settings);
        const next = applyFlags(row, rel);
        // The popup's first screen reads names from the rows (see Relationship.name).
        if (rel.name && !next.name) next.name = rel.name;
        if (
          next.followsViewer !== row.followsViewer ||
          next.viewerFollows !== row.viewerFollows ||
          next.connected !== row.connected
        ) {
          const settled = settle(next, settings, now);
          written.set(key, settled);
          raw.relationships.put(settled);
        }
        matched.add(key);
      });
      progress += chunk.length;
      onProgress?.(progress, file.relationships.length);
    }
    await done;
    return { matched: matched.size, unmatched: unmatched.size };
  } catch (error) {
    await abandon(tx, [done]);
    throw error;
  }
}

export const CSV_HEADER = [
  'platform',
  'handle',
  'name',
  'tier',
  'score',
  'in',
  'out',
  'last exchange',
  'follows you',
  'you follow',
  'tags',
  'note',
];

/** One row per account and viewer; cells that would start a formula are neutralised. */
export async function exportCsv(db: RapportDatabase, now = Date.now()): Promise<string> {
  const tx = db.transaction(['relationships', 'accounts', 'notes'], 'readonly');
  const [relationships, accounts, notes] = await Promise.all([
    tx.objectStore('relationships').getAll(),
    tx.objectStore('accounts').getAll(),
    tx.objectStore('notes').getAll(),
  ]);
  const names = new Map(accounts.map((a) => [a.key, a.name]));
  const noteOf = new Map(notes.map((n) => [n.account, n]));
  relationships.sort(
    (a, b) =>
      a.tierOrder - b.tierOrder || a.rankDesc - b.rankDesc || (a.account < b.account ? -1 : 1),
  );
  const rows = relationships.map((r) => {
    const last = Math.max(r.lastInAt ?? -Infinity, r.lastOutAt ?? -Infinity);
    const note = noteOf.get(r.account);
    return [
      r.platform,
      r.handle,
      names.get(r.account) ?? '',
      r.tier,
      Math.round(scoreAt(r.rank, r.halfLifeDays, now) * 1000) / 1000,
      r.inCount,
      r.outCount,
      Number.isFinite(last) ? new Date(last).toISOString() : '',
      r.followsViewer === true || r.connected === true ? 'yes' : '',
      r.viewerFollows === true || r.connected === true ? 'yes' : '',
      note?.tags.join('; ') ?? '',
      note?.text ?? '',
    ];
  });
  return toCsv(CSV_HEADER, rows);
}

/** Text that Markdown (or HTML inside it) would read as markup, shown as written. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}

/** A digest of notes: one section per person with a note, newest first. */
export async function exportMarkdown(db: RapportDatabase, now = Date.now()): Promise<string> {
  const tx = db.transaction(['notes', 'accounts'], 'readonly');
  const [notes, accounts] = await Promise.all([
    tx.objectStore('notes').getAll(),
    tx.objectStore('accounts').getAll(),
  ]);
  const names = new Map(accounts.map((a) => [a.key, a.name]));
  const lines = [`# Rapport notes, ${new Date(now).toISOString().slice(0, 10)}`, ''];
  for (const note of notes.sort((a, b) => b.updatedAt - a.updatedAt)) {
    if (!note.text.trim() && note.tags.length === 0) continue;
    const [platform, ...rest] = note.account.split(':');
    const handle = rest.join(':');
    const site = platform === 'x' ? 'X' : 'LinkedIn';
    const who = names.get(note.account) ?? handle;
    lines.push(
      `## ${markdownText(who)} (${markdownText(platform === 'x' ? `@${handle}` : `in/${handle}`)}, ${site})`,
      '',
    );
    if (note.tags.length) lines.push(`Tags: ${note.tags.map(markdownText).join(', ')}`, '');
    for (const line of note.text.split(/\r?\n/)) lines.push(markdownText(line));
    lines.push('', `_Updated ${new Date(note.updatedAt).toISOString().slice(0, 10)}_`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Deletes everything Rapport stored; the next page read starts afresh. */
export async function deleteEverything(db: RapportDatabase): Promise<void> {
  const tx = db.transaction([...STORE_NAMES], 'readwrite');
  await Promise.all(STORE_NAMES.map((name) => tx.objectStore(name).clear()));
  await tx.objectStore('meta').put(Date.now(), 'generation');
  await tx.done;
}

/** The file name of an export, with the date: `rapport-2026-11-22.csv`. */
export function exportFileName(kind: 'csv' | 'json' | 'md', now = Date.now()): string {
  const date = new Date(now).toISOString().slice(0, 10);
  return kind === 'json'
    ? `rapport-backup-${date}.json`
    : kind === 'md'
      ? `rapport-notes-${date}.md`
      : `rapport-${date}.csv`;
}

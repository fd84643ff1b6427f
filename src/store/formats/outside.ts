/**
 * Files from outside Rapport (see ../shared/FORMATS.md): X's data archive (`data/follower.js`,
 * `data/following.js`, `data/account.js`) and LinkedIn's `Connections.csv`. Read as data, never
 * evaluated. Each reader returns what the file says, or a reason a person can act on.
 */
import Papa from 'papaparse';
import { ZipError, zipEntries, zipEntryBytes, type ZipSource } from './zip.ts';

export class ImportError extends Error {}

/** One account an outside file names, relative to its owner (the viewer). */
export interface OutsideRelationship {
  platform: 'x' | 'linkedin';
  /** X archives carry only numeric ids; LinkedIn's CSV carries the profile slug. */
  id?: string;
  handle?: string;
  name?: string;
  followsViewer?: true;
  viewerFollows?: true;
  connected?: true;
  /** When the file says it began (LinkedIn's "Connected On"), ms. */
  since?: number;
}

export interface OutsideImport {
  /** One file of X's archive, the archive's files together (`x-archive`), or LinkedIn's CSV. */
  kind: 'x-followers' | 'x-following' | 'x-account' | 'x-archive' | 'linkedin-connections';
  /** The archive owner, when the file names them (X's account.js). */
  owner?: { platform: 'x'; id: string; handle: string; name?: string };
  relationships: OutsideRelationship[];
  /** Rows the file has that name no account Rapport can keep (no profile link, say). */
  skipped?: number;
}

const YTD = /^\s*window\.YTD\.([A-Za-z_]+)\.part\d+\s*=\s*/;

/** `window.YTD.<name>.partN = [ … ]`: the JSON array after the `=`. */
function ytdArray(text: string, fileName: string): { name: string; rows: unknown[] } {
  const match = YTD.exec(text.replace(/^\ufeff/, ''));
  if (!match)
    throw new ImportError(
      `${fileName}: not a file from X's data archive (expected "window.YTD.….part0 = [").`,
    );
  let rows: unknown;
  try {
    rows = JSON.parse(
      text
        .replace(/^\ufeff/, '')
        .slice(match[0].length)
        .replace(/;\s*$/, ''),
    );
  } catch {
    throw new ImportError(
      `${fileName}: the archive file is cut short or damaged (its JSON does not parse).`,
    );
  }
  if (!Array.isArray(rows)) throw new ImportError(`${fileName}: expected a list after "=".`);
  return { name: match[1] as string, rows };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `https://twitter.com/intent/user?user_id=123` → `123`. */
function idFromUserLink(link: unknown): string | undefined {
  return typeof link === 'string' ? /[?&]user_id=(\d{1,25})\b/.exec(link)?.[1] : undefined;
}

export function readXArchive(text: string, fileName = 'archive file'): OutsideImport {
  const { name, rows } = ytdArray(text, fileName);
  if (name === 'account') {
    const account = rows.map((r) =>
      isObject(r) && isObject(r.account) ? r.account : undefined,
    )[0];
    const id = typeof account?.accountId === 'string' ? account.accountId : undefined;
    const handle =
      typeof account?.username === 'string' ? account.username.toLowerCase() : undefined;
    if (!id || !handle || !/^\d{1,25}$/.test(id) || !/^[a-z0-9_]{1,15}$/.test(handle))
      throw new ImportError(`${fileName}: account.js names no account.`);
    const owner: OutsideImport['owner'] = { platform: 'x', id, handle };
    if (typeof account?.accountDisplayName === 'string') owner.name = account.accountDisplayName;
    return { kind: 'x-account', owner, relationships: [] };
  }
  if (name !== 'follower' && name !== 'following')
    throw new ImportError(
      `${fileName}: Rapport reads follower.js, following.js and account.js from X's archive, not ${name}.`,
    );
  const relationships: OutsideRelationship[] = [];
  for (const row of rows) {
    const entry = isObject(row) && isObject(row[name]) ? row[name] : undefined;
    const id =
      (typeof entry?.accountId === 'string' && /^\d{1,25}$/.test(entry.accountId)
        ? entry.accountId
        : undefined) ?? idFromUserLink(entry?.userLink);
    if (!id) continue;
    relationships.push(
      name === 'follower'
        ? { platform: 'x', id, followsViewer: true }
        : { platform: 'x', id, viewerFollows: true },
    );
  }
  return { kind: name === 'follower' ? 'x-followers' : 'x-following', relationships };
}

/**
 * Files of one X archive read together (picked side by side, or found in its zip): every
 * follower and following part as one import, owned by the account account.js names.
 */
export function combineXArchive(parts: readonly OutsideImport[], fileName: string): OutsideImport {
  const owners = new Map<string, NonNullable<OutsideImport['owner']>>();
  for (const part of parts) {
    if (part.kind === 'linkedin-connections')
      throw new ImportError(`${fileName}: LinkedIn's Connections.csv is not part of X's archive.`);
    if (part.owner) owners.set(part.owner.id, part.owner);
  }
  if (owners.size > 1)
    throw new ImportError(
      `${fileName}: these files come from the archives of ${[...owners.values()].map((o) => `@${o.handle}`).join(' and ')}; import one archive at a time.`,
    );
  const [owner] = owners.values();
  return {
    kind: 'x-archive',
    ...(owner ? { owner } : {}),
    relationships: parts.flatMap((part) => part.relationships),
  };
}

/** The files of X's archive Rapport reads, at any depth (the zip may nest them in a folder). */
const ARCHIVE_FILE = /^(.*\/)?data\/(account|follower|following)(-part\d+)?\.js$/;
/** The largest archive file read (millions of followers; a JS string holds at most ~512 MB). */
const ARCHIVE_FILE_LIMIT = 500 * 2 ** 20;

/** LinkedIn's Connections.csv inside its data export, at any depth. */
const CONNECTIONS_FILE = /^(.*\/)?Connections\.csv$/i;

/**
 * The archive X sends, or LinkedIn's data export: a zip of which only the table of contents and
 * the files Rapport reads are loaded (the media in X's can weigh gigabytes). A damaged or
 * foreign zip changes nothing.
 */
export async function readOutsideZip(source: ZipSource, fileName: string): Promise<OutsideImport> {
  const said = (error: unknown): never => {
    if (error instanceof ZipError) throw new ImportError(`${fileName}: ${error.message}.`);
    throw error;
  };
  const entries = (await zipEntries(source).catch(said)).filter(
    (entry) => !entry.name.startsWith('__MACOSX/'),
  );
  const connections = entries.filter((entry) => CONNECTIONS_FILE.test(entry.name));
  if (connections.length > 0 && !entries.some((entry) => ARCHIVE_FILE.test(entry.name))) {
    if (connections.length > 1)
      throw new ImportError(
        `${fileName}: it holds more than one Connections.csv; import them one by one.`,
      );
    const entry = connections[0] as (typeof connections)[number];
    const bytes = await zipEntryBytes(source, entry, ARCHIVE_FILE_LIMIT).catch(said);
    return readLinkedInConnections(new TextDecoder().decode(bytes), `${fileName}: ${entry.name}`);
  }
  const wanted = entries
    .map((entry) => ({ entry, match: ARCHIVE_FILE.exec(entry.name) }))
    .filter(({ match }) => match)
    // account.js, then each list part by part (follower.js is part 0, follower-part1.js next).
    .sort((a, b) => orderOf(a.match) - orderOf(b.match));
  if (!wanted.some(({ match }) => match?.[2] !== 'account'))
    throw new ImportError(
      `${fileName}: neither X's archive (no data/follower.js or data/following.js inside) nor LinkedIn's export (no Connections.csv).`,
    );
  const folders = new Set(wanted.map(({ match }) => match?.[1] ?? ''));
  if (folders.size > 1)
    throw new ImportError(`${fileName}: it holds more than one archive; import them one by one.`);
  const text = new TextDecoder();
  const parts: OutsideImport[] = [];
  for (const { entry } of wanted) {
    const bytes = await zipEntryBytes(source, entry, ARCHIVE_FILE_LIMIT).catch(said);
    parts.push(readXArchive(text.decode(bytes), `${fileName}: ${entry.name}`));
  }
  return combineXArchive(parts, fileName);
}

const ARCHIVE_ORDER = ['account', 'follower', 'following'];
const orderOf = (match: RegExpExecArray | null) =>
  ARCHIVE_ORDER.indexOf(match?.[2] ?? '') * 1e6 + Number(match?.[3]?.slice(5) ?? 0);

/** A zip by its first bytes (a local file header, or the end record of an empty archive). */
export async function isZip(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** `12 Mar 2024` (LinkedIn's export) or an ISO date, as ms at UTC midnight. */
export function connectedOn(text: string): number | undefined {
  const match = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4})$/.exec(text.trim());
  if (match) {
    const month = MONTHS[(match[2] as string).toLowerCase()];
    if (month === undefined) return undefined;
    return Date.UTC(Number(match[3]), month, Number(match[1]));
  }
  const iso = Date.parse(text);
  return Number.isFinite(iso) ? iso : undefined;
}

const HEADER = [
  'First Name',
  'Last Name',
  'URL',
  'Email Address',
  'Company',
  'Position',
  'Connected On',
];

export function readLinkedInConnections(text: string, fileName = 'Connections.csv'): OutsideImport {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  // The "Notes:" preamble ends where the header begins.
  const start = lines.findIndex((line) => /^\s*"?First Name"?\s*,\s*"?Last Name"?/.test(line));
  if (start < 0)
    throw new ImportError(
      `${fileName}: not LinkedIn's Connections.csv (no "First Name,Last Name,URL,…" header).`,
    );
  const parsed = Papa.parse<Record<string, string>>(lines.slice(start).join('\n'), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const fields = parsed.meta.fields ?? [];
  if (!['First Name', 'Last Name', 'URL'].every((f) => fields.includes(f)))
    throw new ImportError(`${fileName}: the header lacks ${HEADER.slice(0, 3).join(', ')}.`);
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal)
    throw new ImportError(
      `${fileName}: a quoted field is not closed (row ${(fatal.row ?? 0) + 1}); the file looks cut short.`,
    );
  const relationships: OutsideRelationship[] = [];
  let skipped = 0;
  for (const row of parsed.data) {
    const url = (row.URL ?? '').trim();
    const slug = /linkedin\.com\/in\/([^/?#\s]+)/i.exec(url)?.[1];
    let handle: string | undefined;
    try {
      handle = slug ? decodeURIComponent(slug).toLowerCase() : undefined;
    } catch {
      // Not a valid percent-escape: counted as skipped below.
    }
    if (!handle || !/^[\p{L}\p{N}_-]{2,100}$/u.test(handle)) {
      skipped += 1;
      continue;
    }
    const name = `${row['First Name'] ?? ''} ${row['Last Name'] ?? ''}`.trim();
    const out: OutsideRelationship = { platform: 'linkedin', handle, connected: true };
    if (name) out.name = name.slice(0, 200);
    const since = connectedOn(row['Connected On'] ?? '');
    if (since !== undefined) out.since = since;
    relationships.push(out);
  }
  return { kind: 'linkedin-connections', relationships, ...(skipped ? { skipped } : {}) };
}

/** Any of the outside files, told apart by content. */
export function readOutsideFile(text: string, fileName: string): OutsideImport {
  if (YTD.test(text.replace(/^\ufeff/, ''))) return readXArchive(text, fileName);
  if (/First Name\s*,\s*"?Last Name/.test(text.slice(0, 4000)))
    return readLinkedInConnections(text, fileName);
  throw new ImportError(
    `${fileName}: Rapport can import its own backup (.json), X's archive files (follower.js, following.js, account.js) and LinkedIn's Connections.csv.`,
  );
}

/**
 * The import field's files, from the pick to the store: every file is read and checked before
 * anything is written, so a bad file among several changes nothing. Files of one X archive
 * (picked side by side, or its zip) are imported together, for the account the archive names.
 */
import { accountKey, parseAccountKey, type AccountKey } from '../core/keys.ts';
import type { Platform } from '../core/model.ts';
import {
  importBackup,
  importOutside,
  parseBackup,
  type BackupData,
  type Progress,
} from '../store/backup.ts';
import {
  combineXArchive,
  ImportError,
  isZip,
  readOutsideFile,
  readOutsideZip,
  type OutsideImport,
} from '../store/formats/outside.ts';
import { blobSource } from '../store/formats/zip.ts';
import { addViewer } from '../store/ingest.ts';
import type { RapportDatabase, ViewerRow } from '../store/schema.ts';
import { accountLabel, people, PLATFORM_NAME } from '../shared/words.ts';

const labelOf = (key: AccountKey) => {
  const account = parseAccountKey(key);
  return account ? accountLabel(account) : key;
};

export type ImportJob =
  { name: string; backup: BackupData } | { name: string; outside: OutsideImport };

/** Reads and checks every picked file; throws the first problem, having written nothing. */
export async function readImportFiles(files: readonly File[]): Promise<ImportJob[]> {
  const jobs: ImportJob[] = [];
  const archive: { names: string[]; parts: OutsideImport[] } = { names: [], parts: [] };
  for (const file of files) {
    if (await isZip(file)) {
      jobs.push({ name: file.name, outside: await readOutsideZip(blobSource(file), file.name) });
      continue;
    }
    const text = await file.text();
    if (/\.json$/i.test(file.name) || /^\s*\{/.test(text)) {
      jobs.push({ name: file.name, backup: await parseBackup(text) });
      continue;
    }
    const outside = readOutsideFile(text, file.name);
    if (outside.kind === 'linkedin-connections') jobs.push({ name: file.name, outside });
    else {
      archive.names.push(file.name);
      archive.parts.push(outside);
    }
  }
  if (archive.parts.length === 1)
    jobs.push({ name: archive.names[0] as string, outside: archive.parts[0] as OutsideImport });
  else if (archive.parts.length > 1) {
    const name = archive.names.join(', ');
    jobs.push({ name, outside: combineXArchive(archive.parts, name) });
  }
  return jobs;
}

export interface ImportTarget {
  viewers: readonly ViewerRow[];
  /** The account picked in the field's "For" list, if any. */
  chosen?: AccountKey;
}

/** Writes what `readImportFiles` read, file by file, and says what each added. */
export async function importJobs(
  db: RapportDatabase,
  jobs: readonly ImportJob[],
  target: ImportTarget,
  progress: Progress,
  now = Date.now(),
): Promise<string> {
  const said: string[] = [];
  for (const job of jobs) {
    try {
      said.push(
        'backup' in job
          ? await importBackupJob(db, job.name, job.backup, progress, now)
          : await importOutsideJob(db, job.name, job.outside, target, progress, now),
      );
    } catch (error) {
      // What was imported before the failure stays, and is said beside it.
      if (said.length === 0 || !(error instanceof Error)) throw error;
      throw new ImportError(`${said.join(' ')} Then: ${error.message}`);
    }
  }
  return said.join(' ');
}

async function importBackupJob(
  db: RapportDatabase,
  name: string,
  data: BackupData,
  progress: Progress,
  now: number,
): Promise<string> {
  const done = await importBackup(db, data, now, progress);
  return `Imported ${name}: ${done.evidenceAdded.toLocaleString()} new exchanges, ${done.accounts.toLocaleString()} people updated, ${done.notes} notes.`;
}

async function importOutsideJob(
  db: RapportDatabase,
  name: string,
  outside: OutsideImport,
  target: ImportTarget,
  progress: Progress,
  now: number,
): Promise<string> {
  const platform: Platform = outside.kind === 'linkedin-connections' ? 'linkedin' : 'x';
  const owner = outside.owner;
  if (outside.kind === 'x-account' && owner)
    return `${name} names the archive's owner, @${owner.handle}: import follower.js and following.js with it, or the archive's zip.`;
  let viewer: AccountKey | undefined;
  let added = '';
  if (owner) {
    // The archive says whose it is: imported for that account, made one of yours if it was not.
    // By id first: a handle changed since the archive was made is still the same account.
    viewer =
      target.viewers.find((v) => v.platform === 'x' && v.id === owner.id)?.key ?? accountKey(owner);
    if (target.chosen && target.chosen.startsWith('x:') && target.chosen !== viewer)
      throw new ImportError(
        `${name} is the archive of ${labelOf(viewer)}, not of ${labelOf(target.chosen)}. Nothing was changed.`,
      );
    if (!target.viewers.some((v) => v.key === viewer)) {
      await addViewer(db, owner, now);
      added = ` (now one of your accounts)`;
    }
  } else {
    viewer =
      (target.chosen?.startsWith(`${platform}:`) ? target.chosen : undefined) ??
      target.viewers.find((v) => v.platform === platform)?.key;
  }
  if (!viewer)
    throw new ImportError(
      `Open ${PLATFORM_NAME[platform]} once while logged in, so Rapport knows which of your accounts ${name} belongs to. Nothing was changed.`,
    );
  const done = await importOutside(db, viewer, outside, now, progress);
  const skipped = outside.skipped
    ? `; ${outside.skipped.toLocaleString()} rows without a usable profile link were skipped`
    : '';
  // "2 people; 1 more known only by an id so far…", or only the second part when none is known.
  const said = done.matched > 0 || done.unmatched === 0 ? [people(done.matched)] : [];
  if (done.unmatched > 0)
    said.push(
      `${done.unmatched.toLocaleString()}${said.length ? ' more' : ''} known only by an id so far, joined when Rapport sees ${done.unmatched === 1 ? 'it' : 'them'}`,
    );
  return `Imported ${name} for ${labelOf(viewer)}${added}: ${said.join('; ')}${skipped}.`;
}

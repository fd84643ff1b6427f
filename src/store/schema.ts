import {
  openDB,
  unwrap,
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  type StoreNames,
} from 'idb';
import type { EvidenceRow } from '../core/batch.ts';
import type { AccountKey } from '../core/keys.ts';
import type { Platform, Settings } from '../core/model.ts';
import { isFollower, type Relationship } from '../core/relationship.ts';

export const DB_NAME = 'rapport';

export interface ViewerRow {
  key: AccountKey;
  platform: Platform;
  handle: string;
  id?: string;
  name?: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface AccountRow {
  key: AccountKey;
  platform: Platform;
  handle: string;
  id?: string;
  name?: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface NoteRow {
  account: AccountKey;
  text: string;
  tags: string[];
  updatedAt: number;
}

/**
 * A line of an imported file that names an account by its id alone (X's archive), for one
 * viewer: kept until a page shows an account with that id, then joined to it (see ingest).
 */
export interface UnjoinedRow {
  platform: Platform;
  id: string;
  viewer: AccountKey;
  followsViewer?: true;
  viewerFollows?: true;
}

/** A page kind that showed content but yielded nothing: the site's layout changed. */
export interface BreakageRow {
  platform: Platform;
  pageKind: string;
  since: number;
  lastAt: number;
}

export interface MetaValues {
  /** The viewer last seen per platform: what the popup and badges show. */
  activeViewer: Partial<Record<Platform, AccountKey>>;
  breakage: BreakageRow[];
  /**
   * Changed by anything that rewrites the store wholesale (import, delete everything): a writer
   * that remembers what the store holds (the ingest's account cache) forgets it when it changes.
   */
  generation: number;
  /** The weekly nudge answered, per `viewer|week`: `done:<account>` or `later:<account>`. */
  nudges: Record<string, string>;
  /** "Same person": an X account and a LinkedIn account the user linked, both directions. */
  sameAs: Record<AccountKey, AccountKey>;
}

export interface RapportDB extends DBSchema {
  viewers: { key: AccountKey; value: ViewerRow };
  accounts: { key: AccountKey; value: AccountRow; indexes: { byId: [Platform, string] } };
  /** Keyed by who acted, then whom, then the act's source and kind (see versions 4 and 5). */
  evidence: {
    key: EvidenceStoreKey;
    value: StoredEvidence;
    indexes: { byToViewer: AccountKey };
  };
  relationships: {
    key: [AccountKey, AccountKey];
    value: Relationship;
    indexes: {
      byRank: [AccountKey, number, number];
      byValidUntil: [AccountKey, number];
      byFollowerOf: AccountKey;
    };
  };
  notes: { key: AccountKey; value: NoteRow };
  unjoined: { key: [Platform, string, AccountKey]; value: UnjoinedRow };
  settings: { key: 'settings'; value: Settings };
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
}

export type EvidenceStoreKey = [
  from: AccountKey,
  to: AccountKey,
  sourceId: string,
  kind: EvidenceRow['kind'],
];

/** The evidence store's key path (version 5): the order `evidenceFrom`/`evidenceBetween` rely on. */
const EVIDENCE_KEY_PATH = ['from', 'to', 'sourceId', 'kind'];

/**
 * An evidence row as stored. `toViewer` (= `to`) marks the rows addressed to one of the user's
 * accounts, which the byToViewer index holds: set when written to a known viewer, and on every
 * stored row addressed to an account when it becomes a viewer (see `adoptEvidence`).
 */
export type StoredEvidence = EvidenceRow & { toViewer?: AccountKey };

/**
 * A row as the evidence store keeps it: marked when addressed to one of the user's accounts, so
 * the byToViewer index holds those rows alone (most of what a feed shows is between other
 * people; an index entry for each cost ~0.1x of a bare write, measured).
 */
export function asStored(row: EvidenceRow, isViewer: (key: AccountKey) => boolean): StoredEvidence {
  return isViewer(row.to) ? { ...row, toViewer: row.to } : row;
}

export type RapportDatabase = IDBPDatabase<RapportDB>;
type UpgradeTx = IDBPTransaction<RapportDB, StoreNames<RapportDB>[], 'versionchange'>;

/**
 * One schema migration. One that copies rows page by page answers a promise settled once its
 * last write is sent: the next one must not read a store before those writes are in it.
 */
type Migration = (db: IDBPDatabase<RapportDB>, tx: UpgradeTx) => Promise<void> | void;

/**
 * Schema migrations, applied in order (`migrate`): entry i upgrades version i to i + 1. Never
 * change what a shipped entry writes; append a new one.
 */
const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.createObjectStore('viewers', { keyPath: 'key' });
    const accounts = db.createObjectStore('accounts', { keyPath: 'key' });
    accounts.createIndex('byId', ['platform', 'id']);
    // The evidence store as version 1 made it; version 4 re-keys it (untyped: the schema type
    // describes the store as it is now).
    const evidence = unwrap(db.createObjectStore('evidence', { keyPath: 'key' }));
    evidence.createIndex('byFrom', 'from');
    evidence.createIndex('byTo', 'to');
    const relationships = db.createObjectStore('relationships', { keyPath: ['viewer', 'account'] });
    // Best first in one ascending walk: tier order, then score descending (rankDesc = −rank).
    relationships.createIndex('byRank', ['viewer', 'tierOrder', 'rankDesc']);
    relationships.createIndex('byValidUntil', ['viewer', 'validUntil']);
    db.createObjectStore('notes', { keyPath: 'account' });
    db.createObjectStore('settings');
    db.createObjectStore('meta');
  },
  (db) => {
    // Keyed by id first: the ingest asks, for an account it sees with an id, who waits for it.
    db.createObjectStore('unjoined', { keyPath: ['platform', 'id', 'viewer'] });
  },
  (_db, tx) => {
    // Sparse: only rows of people who follow the viewer carry `followerOf`, so counting a
    // viewer's followers reads those index entries alone. Rows written before it get the mark.
    const relationships = tx.objectStore('relationships');
    relationships.createIndex('byFollowerOf', 'followerOf');
    const store = unwrap(relationships);
    return inPages<Relationship>(
      store,
      (row) => [row.viewer, row.account],
      (rows) => {
        for (const row of rows)
          if (isFollower(row) && row.followerOf !== row.viewer)
            store.put({ ...row, followerOf: row.viewer });
      },
    );
  },
  (db, tx) => {
    // The evidence store keyed by [from, to, key] in place of the key alone: what one account
    // gave, and what it gave another, are ranges of the store itself. Of the two indexes, byFrom
    // goes and byTo becomes byToViewer, which holds only rows addressed to one of the user's
    // accounts (marked `toViewer`). 10,000 rows of a feed cost 1.05x a store with no index to
    // write, against 1.22x with both indexes (measured in Chromium). The rows are copied page by
    // page into the new store, which then takes the name.
    const raw = unwrap(db);
    const upgrade = unwrap(tx);
    const old = upgrade.objectStore('evidence');
    old.name = 'evidence-before-v4';
    const evidence = raw.createObjectStore('evidence', { keyPath: ['from', 'to', 'key'] });
    evidence.createIndex('byToViewer', 'toViewer');
    const viewersRequest = upgrade.objectStore('viewers').getAllKeys();
    return new Promise<void>((copied) => {
      viewersRequest.onsuccess = () => {
        const viewers = new Set(viewersRequest.result);
        void inPages<EvidenceRow>(
          old,
          (row) => row.key,
          (rows) => {
            for (const row of rows) evidence.put(asStored(row, (key) => viewers.has(key)));
          },
        ).then(() => {
          raw.deleteObjectStore('evidence-before-v4');
          copied();
        });
      };
    });
  },
  (db, tx) => {
    // The evidence store keyed by [from, to, sourceId, kind]: the same act as [from, to, key]
    // (the key is `platform:sourceId:kind:from:to`), without naming both accounts twice. The
    // key's length is much of what a write costs: 10,000 rows of a feed went in 0.87x the time
    // (795 against 916 ms, 5 alternated runs in Chromium; a bare store keyed by the key alone:
    // 711). Rows are copied as they are (marks included), page by page, as in version 4.
    const raw = unwrap(db);
    const old = unwrap(tx).objectStore('evidence');
    old.name = 'evidence-before-v5';
    const evidence = raw.createObjectStore('evidence', { keyPath: EVIDENCE_KEY_PATH });
    evidence.createIndex('byToViewer', 'toViewer');
    return inPages<StoredEvidence>(
      old,
      (row) => [row.from, row.to, row.key],
      (rows) => {
        for (const row of rows) evidence.put(row);
      },
    ).then(() => raw.deleteObjectStore('evidence-before-v5'));
  },
];

/**
 * Applies the migrations from version `from` up to `to` in the upgrade's transaction, each once
 * the one before has sent its last write (a promise's callbacks run while the request callback
 * that settled it still holds the transaction active).
 */
export function migrate(
  db: IDBPDatabase<RapportDB>,
  tx: UpgradeTx,
  from: number,
  to = DB_VERSION,
): void {
  for (let version = from; version < to; version++) {
    const pending = MIGRATIONS[version]?.(db, tx);
    if (pending) {
      void pending.then(() => migrate(db, tx, version + 1, to));
      return;
    }
  }
}

/**
 * Hands every row of a store to `onPage`, a page at a time, in an upgrade; settles once the last
 * page was handed over. Read with getAll, the writes of a page sent without waiting: a cursor
 * stepping row by row took 50 s for 50,000 rows in Chromium (a round trip a row).
 */
function inPages<T>(
  store: IDBObjectStore,
  keyOf: (row: T) => IDBValidKey,
  onPage: (rows: T[]) => void,
): Promise<void> {
  const PAGE = 5000;
  return new Promise<void>((handedOver) => {
    const readPage = (after?: IDBValidKey) => {
      const request = store.getAll(
        after === undefined ? undefined : IDBKeyRange.lowerBound(after, true),
        PAGE,
      );
      request.onsuccess = () => {
        const rows = request.result as T[];
        onPage(rows);
        const last = rows[rows.length - 1];
        if (rows.length === PAGE && last !== undefined) readPage(keyOf(last));
        else handedOver();
      };
    };
    readPage();
  });
}

/** Every piece of evidence one account gave, to anyone: a range of the evidence store's keys. */
export const evidenceFrom = (from: AccountKey) => IDBKeyRange.bound([from], [from, []]);

/** Every piece of evidence one account gave another. */
export const evidenceBetween = (from: AccountKey, to: AccountKey) =>
  IDBKeyRange.bound([from, to], [from, to, []]);

export const DB_VERSION = MIGRATIONS.length;

export interface OpenOptions {
  /**
   * The connection was closed under us: a newer version of the schema wants the database (we
   * stepped aside so its upgrade never hangs on `blocked`), or the browser closed it. Open again.
   */
  onClosed?: () => void;
}

/**
 * Opens the database at this code's schema version, applying any missing migrations. When the
 * database is already newer (an update's migration ran while this older code was still open),
 * it is opened at its own version: migrations only add, so every store this code uses is there.
 */
export async function openRapportDB(
  name = DB_NAME,
  options: OpenOptions = {},
): Promise<RapportDatabase> {
  const closed = () => options.onClosed?.();
  const handlers = {
    blocking(_current: number, _next: number | null, event: IDBVersionChangeEvent) {
      (event.target as IDBDatabase).close();
      closed();
    },
    terminated: closed,
  };
  try {
    return await openDB<RapportDB>(name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        migrate(db, tx, oldVersion);
      },
      ...handlers,
    });
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'VersionError')) throw error;
    const db = await openDB<RapportDB>(name, undefined, handlers);
    const missing = STORE_NAMES.filter((store) => !db.objectStoreNames.contains(store));
    if (missing.length > 0) {
      db.close();
      throw new Error(`the database (version ${db.version}) lacks ${missing.join(', ')}`);
    }
    return db;
  }
}

/** Every store Rapport keeps: what an import may write and what deleting everything clears. */
export const STORE_NAMES = [
  'viewers',
  'accounts',
  'evidence',
  'relationships',
  'notes',
  'unjoined',
  'settings',
  'meta',
] as const satisfies readonly StoreNames<RapportDB>[];

/** The lines of imported files waiting for one account id to be seen, for every viewer. */
export const waitingFor = (platform: Platform, id: string) =>
  IDBKeyRange.bound([platform, id], [platform, id, []]);

/**
 * Ends a read-write transaction that failed part-way: aborted if it still runs, so nothing of it
 * stays; resolves once it and its `pending` requests have settled (their errors are the abort's
 * echo; the caller reports the first one).
 */
export async function abandon(
  tx: { abort(): void },
  pending: readonly Promise<unknown>[],
): Promise<void> {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
  await Promise.allSettled(pending);
}

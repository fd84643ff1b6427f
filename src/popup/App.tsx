import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AccountKey } from '../core/keys.ts';
import type { Platform, Tier } from '../core/model.ts';
import type { Relationship } from '../core/relationship.ts';
import { answerNudge, weeklyNudge, type Nudge } from '../store/people.ts';
import type { RapportDatabase } from '../store/schema.ts';
import { readStorageFull, type StorageFull } from '../shared/storage-full.ts';
import { Detail } from './Detail.tsx';
import {
  loadCounts,
  loadPopup,
  loadSection,
  SECTIONS,
  type PlatformFilter,
  type PopupChoice,
  type PopupCounts,
  type PopupData,
  type PopupRow,
  type Section,
} from './load.ts';
import { VirtualList } from './VirtualList.tsx';
import {
  accountLabel,
  PLATFORM_NAME,
  ROW_LABEL,
  shownHandle,
  summaryText,
  TIER_LABEL,
  whenText,
} from '../shared/words.ts';

export { TIER_LABEL };
const PAGE_NAMES: Readonly<Record<string, string>> = {
  home: 'home timeline',
  status: 'conversation',
  profile: 'profile',
  'profile-with-replies': 'profile replies',
  followers: 'followers',
  'verified-followers': 'verified followers',
  following: 'following',
  search: 'search',
  notifications: 'notifications',
  mentions: 'mentions',
  messages: 'messages',
};

function Breakage({ rows }: { rows: PopupData['breakage'] }) {
  if (rows.length === 0) return null;
  return (
    <section class="alarm" role="alert">
      {rows.map((row) => (
        <p key={`${row.platform}:${row.pageKind}`} data-page-kind={row.pageKind}>
          Rapport stopped reading {row.platform === 'x' ? 'X' : 'LinkedIn'}{' '}
          <strong>{PAGE_NAMES[row.pageKind] ?? row.pageKind}</strong> pages on{' '}
          {new Date(row.since).toLocaleDateString(undefined, {
            day: 'numeric',
            month: 'short',
            year: 'numeric',
          })}
          : the site shows them, but not in a way Rapport recognises. What you have is safe; badges
          there are missing until Rapport is updated.
        </p>
      ))}
    </section>
  );
}

function StorageFullNotice({ notice }: { notice: StorageFull | undefined }) {
  if (!notice) return null;
  return (
    <section class="alarm" role="alert" data-alarm="storage-full">
      <p>
        Rapport could not save what you scrolled past since{' '}
        {new Date(notice.since).toLocaleString(undefined, {
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
        })}
        : the browser says its storage is full. Free some disk space. Nothing already saved was
        lost, and open tabs keep what was not saved and send it again.
      </p>
    </section>
  );
}

const SECTION_LABEL: Readonly<Record<Section, string>> = {
  talk: 'Talks with you',
  waiting: 'Waiting on you',
  reaching: 'You reach out',
  silent: 'Silent followers',
  everyone: 'Everyone',
};

const SECTION_TIER: Readonly<Partial<Record<Section, Tier>>> = {
  talk: 'conversational',
  waiting: 'unanswered',
  reaching: 'reaching',
  silent: 'silent-follower',
};

const WINDOWS: readonly [number, string][] = [
  [0, 'Any time'],
  [7, 'Past week'],
  [30, 'Past 30 days'],
  [90, 'Past 90 days'],
  [365, 'Past year'],
];

const ROW_HEIGHT = 54;
/** The most a browser gives a popup (600 px), less a margin (as in popup.css). */
const POPUP_MAX_HEIGHT = 590;

function RowButton({
  row,
  now,
  mixed,
  section,
  onOpen,
}: {
  row: PopupRow;
  now: number;
  mixed: boolean;
  section: Section;
  onOpen: (row: PopupRow) => void;
}) {
  return (
    <button
      type="button"
      class="row"
      data-account={row.account}
      data-tier={row.tier}
      data-platform={row.platform}
      onClick={() => onOpen(row)}
    >
      <span class="who">
        <span class="name">{row.name ?? row.handle}</span>
        <span class="handle">
          {mixed && (
            <span
              class={`platform platform-${row.platform}`}
              aria-label={PLATFORM_NAME[row.platform]}
            >
              {row.platform === 'x' ? '𝕏' : 'in'}
            </span>
          )}
          {shownHandle(row.platform, row.handle)}
        </span>
      </span>
      <span class="facts">
        <span class={`tier tier-${row.tier}`}>{ROW_LABEL[row.tier]}</span>
        {section === 'waiting' && row.lastInAt !== undefined ? (
          <span class="counts">waiting since {whenText(row.lastInAt, now)}</span>
        ) : row.inCount + row.outCount > 0 ? (
          <span class="counts" title="exchanges from them / from you">
            {row.inCount} in · {row.outCount} out
            {row.lastExchangeAt !== undefined ? ` · ${whenText(row.lastExchangeAt, now)}` : ''}
          </span>
        ) : row.passive > 0 ? (
          <span class="counts" title="likes, reactions and reposts, both ways">
            {row.passive === 1 ? '1 like or repost' : `${row.passive} likes or reposts`}
          </span>
        ) : (
          <span class="counts">no exchange yet</span>
        )}
      </span>
    </button>
  );
}

function Summary({ counts }: { counts: PopupCounts }) {
  return (
    <p class="summary">
      {summaryText(counts.tiers, counts.followers, { withConnections: counts.withConnections })}
    </p>
  );
}

export function App({
  open,
  first,
}: {
  open: () => Promise<RapportDatabase>;
  /** The accounts and which to show, already being read when the popup first renders. */
  first?: Promise<PopupData>;
}) {
  const [db, setDb] = useState<RapportDatabase | undefined>();
  const [data, setData] = useState<PopupData | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [choice, setChoice] = useState<PopupChoice>({});
  const [section, setSection] = useState<Section | undefined>();
  const [rows, setRows] = useState<PopupRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [storageFull, setStorageFull] = useState<StorageFull | undefined>();
  useEffect(() => void readStorageFull().then(setStorageFull), []);
  const [query, setQuery] = useState('');
  const [windowDays, setWindowDays] = useState(0);
  const [detail, setDetail] = useState<{ row: Relationship; name?: string } | undefined>();
  const [nudge, setNudge] = useState<(Nudge & { name: string }) | undefined>();
  const [version, setVersion] = useState(0);
  const [counts, setCounts] = useState<PopupCounts | undefined>();
  // Until the user picks a section, the popup picks one once the counts are known.
  const picked = useRef(false);
  const firstRows = useRef<(() => void) | undefined>(undefined);
  // The first section's load, started before anything is drawn (see below) and handed over to
  // the section effect.
  const preloaded = useRef<{ data: PopupData; section: Section; stop: () => void } | undefined>(
    undefined,
  );
  const firstData = useRef(first);
  // Nothing is drawn until the first screen is ready, unless that takes a while: a "Loading…"
  // flashed for a few milliseconds, and its frame held up the database's answers.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (data) return;
    const timer = setTimeout(() => setSlow(true), 150);
    return () => clearTimeout(timer);
  }, [data]);
  const now = Date.now();

  const deliverRows = (next: PopupRow[], done: boolean) => {
    setRows(next);
    firstRows.current?.();
    if (done) setLoading(false);
  };

  // The first screen's chain: open and the accounts' read start in main.tsx; the first rows'
  // read starts as soon as the accounts are known. Later reads run in layout effects, right
  // after the render that needs them, not a frame later as plain effects would.
  useLayoutEffect(() => {
    open().then(
      (database) => setDb(database),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  useLayoutEffect(() => {
    if (!db) return;
    let cancelled = false;
    // On opening, the read started with the database (main.tsx); later, the choice made here.
    const reading = firstData.current ?? loadPopup(db, choice);
    firstData.current = undefined;
    reading
      .then(async (loaded) => {
        if (cancelled) return;
        performance.mark('rapport:viewers');
        let revealed = false;
        const reveal = () => {
          if (revealed || cancelled) return;
          revealed = true;
          setData(loaded);
          setSection((current) => current ?? 'talk');
        };
        if (!data) {
          // On opening, the popup draws once, with its first rows: an empty frame drawn first
          // held the rows' read up by its style and layout. A slow read shows the frame anyway.
          const stop = loadSection(
            db,
            loaded.shown.map((v) => v.key),
            'talk',
            (next, done) => {
              reveal();
              deliverRows(next, done);
            },
            now,
            loaded.talkFirstScreen,
          );
          preloaded.current = { data: loaded, section: 'talk', stop };
          setTimeout(reveal, 100);
        } else reveal();
        // The first rows show at once; the counts (a walk of the index, after re-settling what
        // expired: a write that would queue the rows' read behind it) follow once they are shown.
        await new Promise<void>((resolve) => {
          firstRows.current = resolve;
          setTimeout(resolve, 2000);
        });
        if (cancelled) return;
        const found = await loadCounts(db, loaded.shown);
        if (cancelled) return;
        setCounts(found);
        // Open where there is something: who talks with you, else who waits, else everyone.
        if (!picked.current)
          setSection(
            found.tiers.conversational > 0
              ? 'talk'
              : found.tiers.unanswered > 0
                ? 'waiting'
                : 'everyone',
          );
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [db, choice, version]);

  useLayoutEffect(() => {
    if (!db || !data || !section) return;
    const started = preloaded.current;
    preloaded.current = undefined;
    if (started?.data === data && started.section === section) return started.stop;
    started?.stop();
    // Another section or platform: the old rows go at once, never shown under the new heading.
    setRows([]);
    setLoading(true);
    return loadSection(
      db,
      data.shown.map((v) => v.key),
      section,
      deliverRows,
    );
  }, [db, data, section]);

  // Read by the popup bench (npm run bench -- --popup): when the first rows are in the page.
  useLayoutEffect(() => {
    if (rows.length > 0 && performance.getEntriesByName('rapport:first-rows').length === 0)
      performance.mark('rapport:first-rows');
  }, [rows]);

  // Opened from a badge's hover card (?viewer=…&account=…): straight to that person's page.
  useEffect(() => {
    if (!db) return;
    const params = new URLSearchParams(location.search);
    const viewer = params.get('viewer');
    const account = params.get('account');
    if (
      !viewer ||
      !account ||
      !/^(x|linkedin):\S+$/.test(viewer) ||
      !/^(x|linkedin):\S+$/.test(account)
    )
      return;
    void Promise.all([
      db.get('relationships', [viewer as AccountKey, account as AccountKey]),
      db.get('accounts', account as AccountKey),
    ]).then(([row, known]) => {
      if (row) setDetail(known?.name ? { row, name: known.name } : { row });
    });
  }, [db]);

  // The nudge reads many rows: it waits for the counts, which wait for the first rows.
  useEffect(() => {
    const viewer = data?.shown[0];
    if (!db || !viewer || !counts) return;
    void weeklyNudge(db, viewer.key).then(async (found) => {
      if (!found) return setNudge(undefined);
      const account = await db.get('accounts', found.account);
      setNudge({ ...found, name: account?.name ?? found.account.split(':').slice(1).join(':') });
    });
  }, [db, data, counts]);

  const shownRows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const since = windowDays > 0 ? now - windowDays * 86_400_000 : -Infinity;
    return rows.filter(
      (r) =>
        (!q || r.searchText.includes(q)) &&
        (windowDays === 0 || (r.lastExchangeAt ?? -Infinity) >= since),
    );
  }, [rows, query, windowDays]);

  const openRow = (row: PopupRow) => {
    if (!db) return;
    void db.get('relationships', [row.viewer, row.account]).then((found) => {
      if (found) setDetail(row.name ? { row: found, name: row.name } : { row: found });
    });
  };

  if (error)
    return (
      <main class="popup">
        <p class="error" role="alert">
          Rapport could not read its data: {error}
        </p>
      </main>
    );
  if (!data || !db)
    return slow ? (
      <main class="popup" aria-busy="true">
        <p class="muted">Loading…</p>
      </main>
    ) : null;

  if (detail)
    return (
      <main class="popup">
        <Detail
          db={db}
          viewer={detail.row.viewer}
          row={detail.row}
          {...(detail.name ? { name: detail.name } : {})}
          onBack={() => setDetail(undefined)}
          onChanged={() => setVersion((v) => v + 1)}
        />
      </main>
    );

  const total = counts ? Object.values(counts.tiers).reduce((a, b) => a + b, 0) : undefined;
  const countOf = (s: Section): string => {
    const tier = SECTION_TIER[s];
    const n = tier ? counts?.tiers[tier] : total;
    return n === undefined ? '…' : n.toLocaleString();
  };
  const listed = shownRows.length > 0;
  return (
    // With people listed, the list is the one thing that scrolls: the rest stays in view.
    <main class={listed ? 'popup people' : 'popup'}>
      <header>
        <h1>Rapport</h1>
        {data.shown.map((viewer) => {
          const mine = data.viewers.filter((v) => v.platform === viewer.platform);
          return mine.length > 1 ? (
            <select
              key={viewer.platform}
              class="viewer"
              aria-label={`${PLATFORM_NAME[viewer.platform]} account`}
              data-viewer={viewer.key}
              value={viewer.key}
              onChange={(e) =>
                setChoice({
                  ...choice,
                  viewers: {
                    ...choice.viewers,
                    [viewer.platform]: (e.currentTarget as HTMLSelectElement).value as AccountKey,
                  },
                })
              }
            >
              {mine.map((v) => (
                <option value={v.key} key={v.key}>
                  {accountLabel(v)}
                </option>
              ))}
            </select>
          ) : (
            <span class="viewer" key={viewer.platform} data-viewer={viewer.key}>
              {accountLabel(viewer)}
            </span>
          );
        })}
      </header>
      {data.platforms.length > 1 && (
        <div class="filter" role="radiogroup" aria-label="Platform">
          {(['all', ...data.platforms] as PlatformFilter[]).map((filter) => (
            <button
              type="button"
              role="radio"
              key={filter}
              data-filter={filter}
              aria-checked={data.filter === filter}
              onClick={() => setChoice({ ...choice, platform: filter })}
            >
              {filter === 'all' ? 'All' : PLATFORM_NAME[filter as Platform]}
            </button>
          ))}
        </div>
      )}
      <StorageFullNotice notice={storageFull} />
      <Breakage rows={data.breakage} />

      {data.shown.length === 0 || (total === 0 && rows.length === 0) ? (
        <section class="empty">
          <h2>Nobody here yet</h2>
          <p>Rapport learns only from what you scroll past. To get started:</p>
          <ol>
            <li>Scroll your home timeline on x.com, or your feed on LinkedIn.</li>
            <li>Open your notifications and mentions.</li>
            <li>Open your followers page, and your connections on LinkedIn.</li>
          </ol>
          <p class="muted">Nothing leaves this computer.</p>
        </section>
      ) : (
        <>
          {counts ? <Summary counts={counts} /> : <p class="summary muted">Counting…</p>}
          {nudge && (
            <aside class="nudge" aria-label="Reach out to one person this week">
              <p>
                <strong>This week, reach out to {nudge.name}.</strong>{' '}
                <span class="muted">{nudge.reason}</span>
              </p>
              <button
                type="button"
                onClick={() =>
                  void answerNudge(db, data.shown[0]?.key as AccountKey, nudge, 'done').then(() =>
                    setNudge(undefined),
                  )
                }
              >
                Done
              </button>
              <button
                type="button"
                onClick={() =>
                  void answerNudge(db, data.shown[0]?.key as AccountKey, nudge, 'later').then(() =>
                    setNudge(undefined),
                  )
                }
              >
                Not now
              </button>
            </aside>
          )}
          <div class="tabs" role="tablist" aria-label="Sections">
            {SECTIONS.map((s) => (
              <button
                type="button"
                role="tab"
                key={s}
                data-section={s}
                aria-selected={section === s}
                class={SECTION_TIER[s] ? `tab tier-${SECTION_TIER[s]}` : 'tab'}
                onClick={() => {
                  picked.current = true;
                  // In the same render as the new heading: the list is empty and says it loads.
                  if (s !== section) {
                    setRows([]);
                    setLoading(true);
                  }
                  setSection(s);
                }}
              >
                {SECTION_LABEL[s]}{' '}
                <strong class="count" data-tier={SECTION_TIER[s] ?? 'all'}>
                  {countOf(s)}
                </strong>
              </button>
            ))}
          </div>
          <div class="tools">
            <input
              type="search"
              placeholder="Search by name or handle"
              aria-label="Search by name or handle"
              value={query}
              onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
            />
            <select
              aria-label="Time window"
              value={String(windowDays)}
              onChange={(e) => setWindowDays(Number((e.currentTarget as HTMLSelectElement).value))}
            >
              {WINDOWS.map(([days, label]) => (
                <option value={String(days)} key={days}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div
            role="tabpanel"
            aria-label={section ? SECTION_LABEL[section] : ''}
            aria-busy={loading}
            // The list shrinks to the room left, but keeps three rows (the popup scrolls first).
            style={listed ? { minHeight: `${Math.min(3, shownRows.length) * ROW_HEIGHT}px` } : {}}
          >
            {shownRows.length === 0 ? (
              <p class="muted none">
                {loading ? 'Loading…' : query ? 'Nobody matches.' : 'Nobody here.'}
              </p>
            ) : (
              <VirtualList
                items={shownRows}
                rowHeight={ROW_HEIGHT}
                height={POPUP_MAX_HEIGHT}
                label={section ? SECTION_LABEL[section] : ''}
                keyOf={(r) => `${r.viewer}|${r.account}`}
                render={(row) => (
                  <RowButton
                    row={row}
                    now={now}
                    mixed={data.shown.length > 1}
                    section={section ?? 'talk'}
                    onOpen={openRow}
                  />
                )}
              />
            )}
          </div>
        </>
      )}
      <footer>
        <a href="../options/index.html" target="_blank" rel="noopener">
          Export, import &amp; settings
        </a>
      </footer>
    </main>
  );
}

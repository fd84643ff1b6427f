import { useEffect, useState } from 'preact/hooks';
import type { AccountKey } from '../core/keys.ts';
import type { Platform, Tier } from '../core/model.ts';
import type { RapportDatabase, ViewerRow } from '../store/schema.ts';
import {
  loadPopup,
  type PlatformFilter,
  type PopupChoice,
  type PopupData,
  type PopupRow,
} from './load.ts';

export const TIER_LABEL: Readonly<Record<Tier, string>> = {
  conversational: 'Talk with you',
  unanswered: 'Waiting on you',
  reaching: 'You reach out',
  'silent-follower': 'Silent followers',
  passive: 'Passive',
  unknown: 'Unknown',
};

/** A row's tier, said of one person. */
const ROW_LABEL: Readonly<Record<Tier, string>> = {
  ...TIER_LABEL,
  conversational: 'Talks with you',
  'silent-follower': 'Silent follower',
};

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

const SHOWN_TIERS: readonly Tier[] = [
  'conversational',
  'unanswered',
  'reaching',
  'silent-follower',
  'passive',
];

function ago(ms: number, now: number): string {
  const days = Math.floor((now - ms) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  return `${Math.round(days / 30)} months ago`;
}

const PLATFORM_NAME: Readonly<Record<Platform, string>> = { x: 'X', linkedin: 'LinkedIn' };

/** How a platform writes an account's address: @handle on X, in/slug on LinkedIn. */
const shownHandle = (platform: Platform, handle: string) =>
  platform === 'x' ? `@${handle}` : `in/${handle}`;

function Row({ row, now, mixed }: { row: PopupRow; now: number; mixed: boolean }) {
  return (
    <li class="row" data-account={row.account} data-tier={row.tier} data-platform={row.platform}>
      <a href={row.profileUrl} target="_blank" rel="noreferrer noopener">
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
          {row.inCount + row.outCount > 0 ? (
            <span class="counts" title="exchanges from them / from you">
              {row.inCount} in · {row.outCount} out
            </span>
          ) : row.passive > 0 ? (
            <span class="counts" title="likes, reactions and reposts, both ways">
              {row.passive === 1 ? '1 like or repost' : `${row.passive} likes or reposts`}
            </span>
          ) : (
            <span class="counts">no exchange yet</span>
          )}
          {row.lastExchangeAt !== undefined && (
            <span class="last">{ago(row.lastExchangeAt, now)}</span>
          )}
        </span>
      </a>
    </li>
  );
}

export function App({ open }: { open: () => Promise<RapportDatabase> }) {
  const [data, setData] = useState<PopupData | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [choice, setChoice] = useState<PopupChoice>({});
  const now = Date.now();

  useEffect(() => {
    let cancelled = false;
    open()
      .then((db) => loadPopup(db, choice))
      .then((loaded) => !cancelled && setData(loaded))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [choice]);

  if (error)
    return (
      <main class="popup">
        <p class="error" role="alert">
          Rapport could not read its data: {error}
        </p>
      </main>
    );
  if (!data)
    return (
      <main class="popup" aria-busy="true">
        <p class="muted">Loading…</p>
      </main>
    );

  const talking = data.counts.conversational;
  const waiting = data.counts.unanswered;
  return (
    <main class="popup">
      <header>
        <h1>Rapport</h1>
        {data.shown.map((viewer) => {
          const mine = data.viewers.filter((v) => v.platform === viewer.platform);
          const label = (v: ViewerRow) =>
            `${shownHandle(v.platform, v.handle)} on ${PLATFORM_NAME[v.platform]}`;
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
                  {label(v)}
                </option>
              ))}
            </select>
          ) : (
            <span class="viewer" key={viewer.platform} data-viewer={viewer.key}>
              {label(viewer)}
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
              {filter === 'all' ? 'All' : PLATFORM_NAME[filter]}
            </button>
          ))}
        </div>
      )}
      <Breakage rows={data.breakage} />

      {data.shown.length === 0 || data.rows.length === 0 ? (
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
          <p class="summary">
            {talking === 1 ? '1 person talks' : `${talking} people talk`} with you
            {waiting > 0 ? `; ${waiting === 1 ? '1 is' : `${waiting} are`} waiting on you` : ''}.
          </p>
          <ul class="counts-bar" aria-label="Accounts per tier">
            {SHOWN_TIERS.map((tier) => (
              <li class={`count tier-${tier}`} data-tier={tier} key={tier}>
                <strong>{data.counts[tier]}</strong> {TIER_LABEL[tier]}
              </li>
            ))}
          </ul>
          <h2>Who actually talks to you</h2>
          <ol class="list">
            {data.rows.map((row) => (
              <Row row={row} now={now} key={row.account} mixed={data.shown.length > 1} />
            ))}
          </ol>
        </>
      )}
    </main>
  );
}

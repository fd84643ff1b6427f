import { useEffect, useState } from 'preact/hooks';
import type { AccountKey } from '../core/keys.ts';
import type { Tier } from '../core/model.ts';
import type { RapportDatabase } from '../store/schema.ts';
import { loadPopup, type PopupData, type PopupRow } from './load.ts';

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

function Row({ row, now }: { row: PopupRow; now: number }) {
  return (
    <li class="row" data-account={row.account} data-tier={row.tier}>
      <a href={row.profileUrl} target="_blank" rel="noreferrer noopener">
        <span class="who">
          <span class="name">{row.name ?? row.handle}</span>
          <span class="handle">@{row.handle}</span>
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
  const [chosen, setChosen] = useState<AccountKey | undefined>();
  const now = Date.now();

  useEffect(() => {
    let cancelled = false;
    open()
      .then((db) => loadPopup(db, chosen))
      .then((loaded) => !cancelled && setData(loaded))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [chosen]);

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
        {data.viewer ? (
          data.viewers.length > 1 ? (
            <select
              class="viewer"
              aria-label="Account"
              data-viewer={data.viewer.key}
              value={data.viewer.key}
              onChange={(e) =>
                setChosen((e.currentTarget as HTMLSelectElement).value as AccountKey)
              }
            >
              {data.viewers.map((v) => (
                <option value={v.key} key={v.key}>
                  @{v.handle} on {v.platform === 'x' ? 'X' : 'LinkedIn'}
                </option>
              ))}
            </select>
          ) : (
            <span class="viewer" data-viewer={data.viewer.key}>
              @{data.viewer.handle} on {data.viewer.platform === 'x' ? 'X' : 'LinkedIn'}
            </span>
          )
        ) : null}
      </header>
      <Breakage rows={data.breakage} />

      {!data.viewer || data.rows.length === 0 ? (
        <section class="empty">
          <h2>Nobody here yet</h2>
          <p>Rapport learns only from what you scroll past. To get started:</p>
          <ol>
            <li>Scroll your home timeline on x.com.</li>
            <li>Open your notifications and mentions.</li>
            <li>Open your followers page (your profile → Followers).</li>
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
              <Row row={row} now={now} key={row.account} />
            ))}
          </ol>
        </>
      )}
    </main>
  );
}

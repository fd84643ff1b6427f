import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountKey } from '../core/keys.ts';
import { TIERS, type Platform, type Tier } from '../core/model.ts';
import type { Coverage, Relationship } from '../core/relationship.ts';
import {
  getNote,
  linkSamePerson,
  perMonth,
  personEvidence,
  samePersonOf,
  saveNote,
  type Trail,
  setOverride,
  tierReason,
  unlinkSamePerson,
} from '../store/people.ts';
import { typedHandle } from '../platforms/typed.ts';
import type { RapportDatabase } from '../store/schema.ts';
import { getSettings } from '../store/settings.ts';
import { profileUrl } from './load.ts';
import {
  accountLabel,
  coverageText,
  NOT_AN_ACCOUNT,
  ROW_LABEL,
  shownHandle,
  PLATFORM_NAME,
  whenText,
} from '../shared/words.ts';
import { requestRepaint } from '../shared/repaint.ts';

const KIND_WORDS: Readonly<Record<string, [string, string]>> = {
  reply: ['replied to you', 'you replied'],
  mention: ['mentioned you', 'you mentioned them'],
  quote: ['quoted you', 'you quoted them'],
  comment: ['commented on your post', 'you commented'],
  message: ['messaged you', 'you messaged them'],
  reaction: ['liked or reacted', 'you liked or reacted'],
  repost: ['reposted you', 'you reposted them'],
  follow: ['followed you', 'you followed them'],
};

/** Exchanges per month, in and out: a small bar chart drawn as SVG (no markup from anywhere). */
function Chart({ months }: { months: ReturnType<typeof perMonth> }) {
  const max = Math.max(1, ...months.map((m) => m.in + m.out));
  const w = 340;
  const h = 64;
  const bar = w / months.length;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${w} ${h + 14}`}
      role="img"
      aria-label={`Exchanges per month, last ${months.length} months`}
    >
      {months.map((m, i) => {
        const inH = (m.in / max) * h;
        const outH = (m.out / max) * h;
        return (
          <g key={i}>
            <rect class="bar-in" x={i * bar + 3} y={h - inH - outH} width={bar - 6} height={inH} />
            <rect class="bar-out" x={i * bar + 3} y={h - outH} width={bar - 6} height={outH} />
            <text x={i * bar + bar / 2} y={h + 11} text-anchor="middle">
              {m.label.slice(0, 1)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * "Same person": this account linked with one on the other platform; their note and counts are
 * shown here together with this one's.
 */
function SamePerson({
  db,
  account,
  platform,
}: {
  db: RapportDatabase;
  account: AccountKey;
  platform: Platform;
}) {
  const other: Platform = platform === 'x' ? 'linkedin' : 'x';
  const [linked, setLinked] = useState<
    { key: AccountKey; name?: string; row?: Relationship; note?: string } | undefined
  >();
  const [handle, setHandle] = useState('');
  const [problem, setProblem] = useState('');
  const load = async () => {
    const key = await samePersonOf(db, account);
    if (!key) return setLinked(undefined);
    const otherViewer = (await db.get('meta', 'activeViewer')) as
      Partial<Record<Platform, AccountKey>> | undefined;
    const [known, note, row] = await Promise.all([
      db.get('accounts', key),
      getNote(db, key),
      otherViewer?.[other] ? db.get('relationships', [otherViewer[other], key]) : undefined,
    ]);
    const found: { key: AccountKey; name?: string; row?: Relationship; note?: string } = { key };
    if (known?.name) found.name = known.name;
    if (row) found.row = row;
    if (note?.text) found.note = note.text.split('\n')[0] as string;
    setLinked(found);
  };
  useEffect(() => {
    void load();
  }, [account]);
  const slug = (key: AccountKey) => key.slice(key.indexOf(':') + 1);
  return (
    <section class="same" aria-label="Same person elsewhere">
      <h3>Same person on {PLATFORM_NAME[other]}</h3>
      {linked ? (
        <>
          <p>
            {linked.name ?? slug(linked.key)} ({shownHandle(other, slug(linked.key))})
            {linked.row
              ? ` · ${linked.row.inCount} from them · ${linked.row.outCount} from you there`
              : ''}
          </p>
          {linked.note && <p class="muted">Note there: {linked.note}</p>}
          <button
            type="button"
            class="back"
            onClick={() => void unlinkSamePerson(db, account).then(load)}
          >
            Unlink
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!handle.trim()) return;
            const typed = typedHandle(other, handle);
            if (!typed) return setProblem(NOT_AN_ACCOUNT[other]);
            setProblem('');
            linkSamePerson(db, account, `${other}:${typed}` as AccountKey)
              .then(load)
              .catch((error: unknown) =>
                setProblem(error instanceof Error ? error.message : String(error)),
              );
          }}
        >
          <input
            type="text"
            aria-label={`Their ${PLATFORM_NAME[other]} ${other === 'x' ? 'handle' : 'profile name (in/…)'}`}
            placeholder={other === 'x' ? '@handle' : 'in/profile-name'}
            value={handle}
            onInput={(e) => setHandle((e.currentTarget as HTMLInputElement).value)}
          />{' '}
          <button type="submit" class="back">
            Link
          </button>
          {problem && (
            <p class="muted" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

export function Detail({
  db,
  viewer,
  row,
  name,
  onBack,
  onChanged,
}: {
  db: RapportDatabase;
  viewer: AccountKey;
  row: Relationship;
  name?: string;
  onBack: () => void;
  onChanged: () => void;
}) {
  const now = Date.now();
  const [trail, setTrail] = useState<Trail | undefined>();
  const [coverage, setCoverage] = useState<Coverage | undefined>();
  const [windowDays, setWindowDays] = useState(180);
  const [note, setNote] = useState('');
  const [tags, setTags] = useState('');
  const [current, setCurrent] = useState(row);
  const [saved, setSaved] = useState<'saved' | 'saving' | ''>('');
  // The fields stay disabled until the stored note is read: typing earlier would be overwritten.
  const [loaded, setLoaded] = useState(false);
  const back = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    back.current?.focus();
    setLoaded(false);
    void personEvidence(db, viewer, row.account).then((found) => {
      setTrail(found.trail);
      setCoverage(found.coverage);
    });
    void getSettings(db).then((s) => setWindowDays(s.windowDays));
    void getNote(db, row.account).then((n) => {
      setNote(n?.text ?? '');
      setTags(n?.tags.join(', ') ?? '');
      setLoaded(true);
    });
  }, [row.account]);

  // Every keystroke is written at once (a small put): closing the popup mid-word loses nothing.
  const persist = (text: string, tagText: string) => {
    if (!loaded) return;
    setSaved('saving');
    void saveNote(db, row.account, text, tagText.split(',')).then(() => {
      setSaved('saved');
      // The hover cards on open tabs show the note's first line.
      void requestRepaint();
    });
  };

  const last = Math.max(current.lastInAt ?? -Infinity, current.lastOutAt ?? -Infinity);
  return (
    <section class="detail" aria-label={`${name ?? row.handle}, in detail`}>
      <button type="button" class="back" ref={back} onClick={onBack}>
        ← Back
      </button>
      <h2 class="person">
        <span class="name">{name ?? row.handle}</span>{' '}
        <a href={profileUrl(row)} target="_blank" rel="noreferrer noopener" class="handle">
          {accountLabel(row)}
        </a>
      </h2>
      <p>
        <span class={`tier tier-${current.tier}`}>{ROW_LABEL[current.tier]}</span>{' '}
        <span class="reason">{tierReason(current, windowDays)}</span>
      </p>
      <p class="facts-line">
        {current.inCount} from them · {current.outCount} from you
        {current.passiveIn + current.passiveOut > 0
          ? ` · ${current.passiveIn + current.passiveOut} likes or reposts`
          : ''}
        {Number.isFinite(last) ? ` · last exchange ${whenText(last, now)}` : ''}
        {current.followsViewer ? ' · follows you' : ''}
        {current.connected ? ' · connected' : ''}
      </p>
      {coverage && <p class="coverage muted">{coverageText(coverage, current.tier, now)}</p>}
      {current.tier === 'unanswered' && current.lastInUrl && (
        <p>
          <a class="answer" href={current.lastInUrl} target="_blank" rel="noreferrer noopener">
            Answer them →
          </a>
        </p>
      )}
      {trail && <Chart months={perMonth(trail, now)} />}
      {trail && (
        <p class="legend muted">
          <span class="key key-in" /> from them <span class="key key-out" /> from you, per month
        </p>
      )}
      <label class="field">
        Tier
        <select
          aria-label="Tier (your choice wins over Rapport's)"
          value={current.override ?? ''}
          onChange={(e) => {
            const value = (e.currentTarget as HTMLSelectElement).value;
            void setOverride(db, viewer, row.account, value ? (value as Tier) : undefined).then(
              (next) => {
                if (next) setCurrent(next);
                onChanged();
                // The badges on open tabs and the toolbar's count follow the tier chosen.
                void requestRepaint();
              },
            );
          }}
        >
          <option value="">As Rapport sees it ({ROW_LABEL[current.computedTier]})</option>
          {TIERS.map((tier) => (
            <option value={tier} key={tier}>
              {ROW_LABEL[tier]}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        Note{' '}
        <span class="muted">
          {saved === 'saving' ? 'saving…' : saved === 'saved' ? 'saved' : ''}
        </span>
        <textarea
          rows={3}
          value={note}
          disabled={!loaded}
          placeholder="Private: only on this computer."
          onInput={(e) => {
            const text = (e.currentTarget as HTMLTextAreaElement).value;
            setNote(text);
            persist(text, tags);
          }}
        />
      </label>
      <label class="field">
        Tags <span class="muted">comma separated</span>
        <input
          type="text"
          class="tags"
          value={tags}
          disabled={!loaded}
          onInput={(e) => {
            const text = (e.currentTarget as HTMLInputElement).value;
            setTags(text);
            persist(note, text);
          }}
        />
      </label>
      <SamePerson db={db} account={row.account} platform={row.platform} />
      <h3>Evidence</h3>
      {!trail ? (
        <p class="muted">Loading…</p>
      ) : trail.length === 0 ? (
        <p class="muted">No exchange seen yet: what Rapport knows comes from follow lists.</p>
      ) : (
        <ol class="trail">
          {trail.slice(0, 200).map((e) => (
            <li key={e.key} data-direction={e.direction}>
              <span class="when">{new Date(e.at).toLocaleDateString()}</span>{' '}
              <span>{(KIND_WORDS[e.kind] ?? [e.kind, e.kind])[e.direction === 'in' ? 0 : 1]}</span>{' '}
              {e.url && (
                <a href={e.url} target="_blank" rel="noreferrer noopener">
                  open
                </a>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

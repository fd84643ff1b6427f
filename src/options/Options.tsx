import { useEffect, useState } from 'preact/hooks';
import type { AccountKey } from '../core/keys.ts';
import {
  HALF_LIFE_RANGE,
  PLATFORMS,
  QUIET_WEEKS_RANGE,
  TIERS,
  type Platform,
  type Settings,
  type Tier,
} from '../core/model.ts';
import {
  BackupError,
  deleteEverything,
  exportBackup,
  exportCsv,
  exportFileName,
  exportMarkdown,
  type Progress,
} from '../store/backup.ts';
import { ImportError } from '../store/formats/outside.ts';
import { importJobs, readImportFiles } from './import-files.ts';
import { forgetShown } from '../shared/shown-last.ts';
import { typedHandle } from '../platforms/typed.ts';
import { addViewer } from '../store/ingest.ts';
import { listViewers } from '../store/queries.ts';
import type { RapportDatabase, ViewerRow } from '../store/schema.ts';
import { forgetViewer, getSettings, updateSettings } from '../store/settings.ts';
import {
  accountLabel,
  NOT_AN_ACCOUNT,
  PLATFORM_NAME,
  ROW_LABEL,
  shownHandle,
} from '../shared/words.ts';
import { requestRepaint } from '../shared/repaint.ts';

type Message = { text: string; bad?: boolean } | undefined;

/** Saves a file the user asked for: a download link, clicked (no permission needed). */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One of the user's accounts Rapport did not find on a page, typed in. */
function AddAccount({ onAdd }: { onAdd: (platform: Platform, handle: string) => void }) {
  const [platform, setPlatform] = useState<Platform>('x');
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState('');
  return (
    <form
      class="add-account"
      onSubmit={(e) => {
        e.preventDefault();
        const handle = typedHandle(platform, typed);
        if (!handle) return setProblem(NOT_AN_ACCOUNT[platform]);
        setProblem('');
        setTyped('');
        onAdd(platform, handle);
      }}
    >
      <label>
        Add one Rapport did not find
        <select
          value={platform}
          aria-label="Platform of the account to add"
          onChange={(e) => setPlatform((e.currentTarget as HTMLSelectElement).value as Platform)}
        >
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {PLATFORM_NAME[p]}
            </option>
          ))}
        </select>
      </label>
      <input
        type="text"
        aria-label="Your handle or profile address"
        placeholder={platform === 'x' ? '@handle' : 'in/profile-name'}
        value={typed}
        onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit">Add</button>
      {problem && (
        <p class="muted" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** The window the settings page allows (the backup accepts any from 1 day). */
const WINDOW_RANGE = { min: 7, max: 3650 } as const;

/** A number field's value, rounded, when it lies in `range`; else nothing is saved. */
function wholeIn(event: Event, range: { min: number; max: number }): number | undefined {
  const value = Math.round(Number((event.currentTarget as HTMLInputElement).value));
  return Number.isFinite(value) && value >= range.min && value <= range.max ? value : undefined;
}

export function Options({ open }: { open: () => Promise<RapportDatabase> }) {
  const [db, setDb] = useState<RapportDatabase | undefined>();
  const [settings, setSettings] = useState<Settings | undefined>();
  const [viewers, setViewers] = useState<ViewerRow[]>([]);
  const [storage, setStorage] = useState('');
  const [message, setMessage] = useState<Message>();
  const [busy, setBusy] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [importFor, setImportFor] = useState<AccountKey | ''>('');

  const refresh = async (database: RapportDatabase) => {
    setSettings(await getSettings(database));
    const rows = await listViewers(database);
    setViewers(rows);
    const [evidence, relationships, unjoined] = await Promise.all([
      database.count('evidence'),
      database.count('relationships'),
      database.count('unjoined'),
    ]);
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    const mb = estimate?.usage !== undefined ? `${(estimate.usage / 1048576).toFixed(1)} MB` : '';
    const waiting =
      unjoined === 0
        ? ''
        : unjoined === 1
          ? '; 1 imported line waits for a page to show its account'
          : `; ${unjoined.toLocaleString()} imported lines wait for a page to show their account`;
    setStorage(
      `${relationships.toLocaleString()} people, ${evidence.toLocaleString()} exchanges and signals${mb ? `, ${mb} on disk` : ''}${waiting}`,
    );
  };

  useEffect(() => {
    void open().then(async (database) => {
      setDb(database);
      await refresh(database);
    });
  }, []);

  if (!db || !settings)
    return (
      <main class="options" aria-busy="true">
        <p class="muted">Loading…</p>
      </main>
    );

  const save = async (patch: Partial<Settings>) => {
    setSettings(await updateSettings(db, patch));
    // Badges shown or hidden, a platform off, the toolbar's count: open tabs and the icon redraw.
    void requestRepaint();
  };
  /** Long work, said while it runs: its label and, when it counts its steps, how far it is. */
  const run = async (label: string, work: (progress: Progress) => Promise<string>) => {
    setBusy(label);
    setMessage(undefined);
    try {
      setMessage({ text: await work((done, total) => setProgress({ done, total })) });
    } catch (error) {
      const known = error instanceof BackupError || error instanceof ImportError;
      setMessage({
        text: known
          ? error.message
          : `Something went wrong: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`,
        bad: true,
      });
    } finally {
      setBusy('');
      setProgress(undefined);
      // An import, a re-ranking or a deletion changes tiers: the icon and open tabs redraw.
      void requestRepaint();
      await refresh(db);
    }
  };

  const importFiles = (files: File[]) =>
    run(`Importing ${files.map((f) => f.name).join(', ')}…`, async (progress) =>
      importJobs(
        db,
        await readImportFiles(files),
        { viewers, ...(importFor ? { chosen: importFor } : {}) },
        progress,
      ),
    );

  return (
    <main class="options">
      <h1>Rapport settings</h1>
      <p class="muted">Everything here stays on this computer.</p>
      {/* Kept in view: the buttons that start long work are far down the page. */}
      <div class="status">
        {message && (
          <p
            class={message.bad ? 'message bad' : 'message'}
            role={message.bad ? 'alert' : 'status'}
          >
            {message.text}
          </p>
        )}
        {busy && (
          <div class="busy">
            <p class="muted" role="status" aria-live="polite">
              {busy}
            </p>
            {/* A bar that fills when the work counts its steps; else one that says it is working. */}
            {progress ? (
              <>
                <progress aria-label={busy} value={progress.done} max={progress.total} />
                <span class="muted">
                  {progress.done.toLocaleString()} of {progress.total.toLocaleString()}
                </span>
              </>
            ) : (
              <progress aria-label={busy} />
            )}
          </div>
        )}
      </div>

      <section aria-labelledby="accounts">
        <h2 id="accounts">Your accounts</h2>
        {viewers.length === 0 ? (
          <p class="muted">None yet: Rapport finds your account when you open X or LinkedIn.</p>
        ) : (
          <ul class="viewers">
            {viewers.map((v) => (
              <li key={v.key} data-viewer={v.key}>
                <span>
                  {v.name ? `${v.name} · ` : ''}
                  {accountLabel(v)}
                </span>
                <button
                  type="button"
                  onClick={() => {
                    if (
                      confirm(
                        `Forget ${shownHandle(v.platform, v.handle)} and what Rapport worked out around it?`,
                      )
                    )
                      void run('Forgetting…', async () => {
                        await forgetViewer(db, v.key);
                        return `Forgot ${shownHandle(v.platform, v.handle)}.`;
                      });
                  }}
                >
                  Forget
                </button>
              </li>
            ))}
          </ul>
        )}
        <AddAccount
          onAdd={(platform, handle) =>
            void run('Adding…', async () => {
              const known = viewers.some((v) => v.platform === platform && v.handle === handle);
              await addViewer(db, { platform, handle });
              const shown = accountLabel({ platform, handle });
              return known
                ? `${shown} is already yours; the popup shows it now.`
                : `Added ${shown}; what Rapport saw around it is now yours.`;
            })
          }
        />
      </section>

      <section aria-labelledby="reading">
        <h2 id="reading">What Rapport reads</h2>
        {(['x', 'linkedin'] as const).map((platform) => (
          <label key={platform}>
            <input
              type="checkbox"
              checked={settings.platforms[platform]}
              onChange={(e) =>
                void save({
                  platforms: {
                    ...settings.platforms,
                    [platform]: (e.currentTarget as HTMLInputElement).checked,
                  },
                })
              }
            />
            Read {PLATFORM_NAME[platform]}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            checked={settings.recordPrivate}
            onChange={(e) =>
              void save({ recordPrivate: (e.currentTarget as HTMLInputElement).checked })
            }
          />
          Also record pages in private windows (off: they are never recorded)
        </label>
        <label>
          Exchanges count for
          <input
            type="number"
            min={WINDOW_RANGE.min}
            max={WINDOW_RANGE.max}
            value={settings.windowDays}
            aria-label="Window in days"
            onChange={(e) => {
              const days = wholeIn(e, WINDOW_RANGE);
              if (days !== undefined) void save({ windowDays: days });
            }}
          />
          days
        </label>
        <label>
          Recent exchanges rank first: one weighs half as much after
          <input
            type="number"
            min={HALF_LIFE_RANGE.min}
            max={HALF_LIFE_RANGE.max}
            value={settings.halfLifeDays}
            aria-label="Half-life in days"
            onChange={(e) => {
              const days = wholeIn(e, HALF_LIFE_RANGE);
              if (days !== undefined && days !== settings.halfLifeDays)
                // Every person's rank is built again from the evidence: worth saying while it runs.
                void run('Ranking everyone again…', async (progress) => {
                  setSettings(
                    await updateSettings(db, { halfLifeDays: days }, Date.now(), progress),
                  );
                  return `Ranked again: an exchange now weighs half as much after ${days} days.`;
                });
            }}
          />
          days
        </label>
      </section>

      <section aria-labelledby="badges">
        <h2 id="badges">Badges on pages</h2>
        {TIERS.map((tier: Tier) => (
          <label key={tier}>
            <input
              type="checkbox"
              checked={!settings.hiddenBadges.includes(tier)}
              onChange={(e) => {
                const show = (e.currentTarget as HTMLInputElement).checked;
                void save({
                  hiddenBadges: show
                    ? settings.hiddenBadges.filter((t) => t !== tier)
                    : [...settings.hiddenBadges, tier],
                });
              }}
            />
            {ROW_LABEL[tier]}
          </label>
        ))}
      </section>

      <section aria-labelledby="toolbar">
        <h2 id="toolbar">Toolbar</h2>
        <label>
          <input
            type="checkbox"
            checked={settings.toolbarCount}
            onChange={(e) =>
              void save({ toolbarCount: (e.currentTarget as HTMLInputElement).checked })
            }
          />
          Show how many people are waiting on an answer from you
        </label>
      </section>

      <section aria-labelledby="nudge">
        <h2 id="nudge">Reach out to one</h2>
        <label>
          Each week, suggest someone you talked with after
          <input
            type="number"
            min={QUIET_WEEKS_RANGE.min}
            max={QUIET_WEEKS_RANGE.max}
            value={settings.quietWeeks}
            aria-label="Quiet weeks before a suggestion"
            onChange={(e) => {
              const weeks = wholeIn(e, QUIET_WEEKS_RANGE);
              if (weeks !== undefined) void save({ quietWeeks: weeks });
            }}
          />
          quiet weeks
        </label>
      </section>

      <section aria-labelledby="export">
        <h2 id="export">Export</h2>
        <button
          type="button"
          onClick={() =>
            void run('Preparing the CSV…', async () => {
              download(exportFileName('csv'), await exportCsv(db), 'text/csv;charset=utf-8');
              return 'Saved the CSV of everyone.';
            })
          }
        >
          Everyone (CSV)
        </button>
        <button
          type="button"
          onClick={() =>
            void run('Preparing the backup…', async (progress) => {
              const text = await exportBackup(db, Date.now(), progress);
              download(exportFileName('json'), text, 'application/json');
              return 'Saved a full backup.';
            })
          }
        >
          Full backup (JSON)
        </button>
        <button
          type="button"
          onClick={() =>
            void run('Preparing the notes…', async () => {
              download(
                exportFileName('md'),
                await exportMarkdown(db),
                'text/markdown;charset=utf-8',
              );
              return 'Saved your notes.';
            })
          }
        >
          Notes (Markdown)
        </button>
      </section>

      <section aria-labelledby="import">
        <h2 id="import">Import</h2>
        <p class="muted">
          A Rapport backup (.json), the archive X sent you (its .zip, or data/account.js,
          follower.js and following.js picked together) or LinkedIn's export (its .zip, or
          Connections.csv). A file that cannot be read changes nothing.
        </p>
        {viewers.length > 1 && (
          <label>
            For
            <select
              value={importFor}
              onChange={(e) =>
                setImportFor((e.currentTarget as HTMLSelectElement).value as AccountKey | '')
              }
            >
              <option value="">the account of the file's site</option>
              {viewers.map((v) => (
                <option value={v.key} key={v.key}>
                  {accountLabel(v)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Files
          <input
            type="file"
            multiple
            accept=".json,.js,.csv,.zip,application/json,text/csv,text/javascript,application/zip"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const files = [...(input.files ?? [])];
              if (files.length > 0) void importFiles(files).then(() => (input.value = ''));
            }}
          />
        </label>
      </section>

      <section aria-labelledby="storage">
        <h2 id="storage">Storage</h2>
        <p data-storage>{storage}</p>
        <button
          type="button"
          class="danger"
          onClick={() => {
            if (
              confirm(
                'Delete everything Rapport has stored: people, exchanges, notes and settings? This cannot be undone.',
              )
            )
              void run('Deleting…', async () => {
                await deleteEverything(db);
                forgetShown();
                return 'Deleted everything. Rapport starts afresh with the next page you open.';
              });
          }}
        >
          Delete everything
        </button>
      </section>
    </main>
  );
}

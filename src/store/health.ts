import type { Platform } from '../core/model.ts';
import type { BreakageRow, MetaValues, RapportDatabase } from './schema.ts';

/**
 * Remembers which kinds of page stopped being read, since when. A page that yields again clears
 * its kind. Returns the rows now standing, for the toolbar icon.
 */
export async function recordPageStatus(
  db: RapportDatabase,
  status: { platform: Platform; kind: string; ok: boolean },
  now: number,
): Promise<BreakageRow[]> {
  const tx = db.transaction('meta', 'readwrite');
  const current = ((await tx.store.get('breakage')) as MetaValues['breakage'] | undefined) ?? [];
  const others = current.filter(
    (row) => row.platform !== status.platform || row.pageKind !== status.kind,
  );
  const existing = current.find(
    (row) => row.platform === status.platform && row.pageKind === status.kind,
  );
  const next = status.ok
    ? others
    : [
        ...others,
        {
          platform: status.platform,
          pageKind: status.kind,
          since: existing?.since ?? now,
          lastAt: now,
        },
      ];
  if (next.length !== current.length || !status.ok) await tx.store.put(next, 'breakage');
  await tx.done;
  return next;
}

export async function breakage(db: RapportDatabase): Promise<BreakageRow[]> {
  return ((await db.get('meta', 'breakage')) as MetaValues['breakage'] | undefined) ?? [];
}

import * as v from 'valibot';
import type { AccountKey } from '../core/keys.ts';
import {
  describeIssues,
  RequestSchema,
  type IngestAck,
  type LookupReply,
  type Request,
} from '../shared/messages.ts';
import { ingestBatch } from '../store/ingest.ts';
import { badgeLookup } from '../store/queries.ts';
import { recordPageStatus } from '../store/health.ts';
import { TIERS } from '../core/model.ts';
import type { BreakageRow, RapportDatabase } from '../store/schema.ts';

export interface SenderInfo {
  /** The extension id the message came from. */
  id?: string;
  /** Present when a content script in a tab sent it. */
  tab?: { id?: number; incognito?: boolean } | undefined;
}

/** Where a request came from, beyond its content. */
export interface RequestContext {
  /** Sent from a tab of a private (incognito) window. */
  incognito?: boolean;
}

export type Reply = IngestAck | LookupReply | { ok: boolean };

/** What the toolbar shows; the worker sets it from the breakage rows. */
export type BreakageListener = (rows: BreakageRow[]) => void;

/** Refuses, with a logged reason, anything not from this extension's own content scripts. */
export function acceptRequest(
  message: unknown,
  sender: SenderInfo,
  ownId: string,
): Request | string {
  if (sender.id !== ownId) return `foreign sender ${String(sender.id)}`;
  if (!sender.tab) return 'not from a content script';
  const parsed = v.safeParse(RequestSchema, message);
  if (!parsed.success) return describeIssues(parsed.issues);
  return parsed.output;
}

export async function handleRequest(
  db: RapportDatabase,
  request: Request,
  now: () => number = Date.now,
  onBreakage?: BreakageListener,
  context: RequestContext = {},
  openPerson?: (viewer: AccountKey, account: AccountKey) => void,
): Promise<Reply> {
  switch (request.type) {
    case 'ingest': {
      const result = await ingestBatch(db, {
        ...(request.viewer ? { viewer: request.viewer } : {}),
        observations: request.observations,
        seenAt: request.seenAt,
        // A site turned off, or a private window (unless the user allowed it): acknowledged, so
        // the page stops re-sending, and not recorded.
        recordable: (settings) =>
          settings.platforms[request.page.platform] &&
          (!context.incognito || settings.recordPrivate),
      });
      return { ok: true, batchId: request.batchId, added: result.added };
    }
    case 'open-person': {
      openPerson?.(request.viewer as AccountKey, request.account as AccountKey);
      return { ok: true };
    }
    case 'page-status': {
      const rows = await recordPageStatus(db, request, now());
      onBreakage?.(rows);
      return { ok: true };
    }
    case 'lookup': {
      // Tiers and settings in one read; for a site turned off, the tiers read are not sent.
      const { tiers, settings } = await badgeLookup(
        db,
        request.viewer as AccountKey,
        request.accounts as AccountKey[],
        now(),
      );
      const platform = request.viewer.startsWith('linkedin:') ? 'linkedin' : 'x';
      if (!settings.platforms[platform]) return { ok: true, tiers: {}, hide: [...TIERS] };
      return settings.hiddenBadges.length > 0
        ? { ok: true, tiers, hide: [...settings.hiddenBadges] }
        : { ok: true, tiers };
    }
  }
}

import { accountKey, evidenceKey, type AccountKey } from './keys.ts';
import type { AccountRef, InteractionKind, Observation, Platform } from './model.ts';
import type { RelationshipFlags } from './relationship.ts';

/** One act between two accounts, as stored: viewer-independent. */
export interface EvidenceRow {
  key: string;
  platform: Platform;
  kind: InteractionKind;
  from: AccountKey;
  to: AccountKey;
  sourceId: string;
  /** When it happened (ms); when the page showed no time, when it was first seen. */
  at: number;
  seenAt: number;
  url?: string;
}

export interface AccountSighting {
  key: AccountKey;
  platform: Platform;
  handle: string;
  id?: string;
  name?: string;
}

/** A batch of observations reduced to what the store writes: no I/O here. */
export interface BatchPlan {
  viewer?: AccountRef;
  evidence: EvidenceRow[];
  accounts: Map<AccountKey, AccountSighting>;
  /** Relationship flags about accounts, relative to the batch's viewer. */
  flags: Map<AccountKey, RelationshipFlags & { ref: AccountRef }>;
}

export function parseTime(at: string | undefined, fallback: number): number {
  if (!at) return fallback;
  const ms = Date.parse(at);
  return Number.isFinite(ms) ? ms : fallback;
}

export function planBatch(
  observations: readonly Observation[],
  viewer: AccountRef | undefined,
  seenAt: number,
): BatchPlan {
  const plan: BatchPlan = { evidence: [], accounts: new Map(), flags: new Map() };
  if (viewer) plan.viewer = viewer;
  const seenEvidence = new Set<string>();

  /** Records an account seen, and answers its key. */
  const sight = (ref: AccountRef): AccountKey => {
    const key = accountKey(ref);
    const known = plan.accounts.get(key);
    if (known) {
      if (ref.id) known.id = ref.id;
      if (ref.name) known.name = ref.name;
      return key;
    }
    const row: AccountSighting = { key, platform: ref.platform, handle: ref.handle };
    if (ref.id) row.id = ref.id;
    if (ref.name) row.name = ref.name;
    plan.accounts.set(key, row);
    return key;
  };

  for (const obs of observations) {
    switch (obs.type) {
      case 'viewer':
        plan.viewer ??= obs.account;
        sight(obs.account);
        break;
      case 'post':
        sight(obs.author);
        break;
      case 'interaction': {
        const from = sight(obs.from);
        const to = sight(obs.to);
        const key = evidenceKey(obs, from, to);
        if (seenEvidence.has(key)) break;
        seenEvidence.add(key);
        const row: EvidenceRow = {
          key,
          platform: obs.from.platform,
          kind: obs.kind,
          from,
          to,
          sourceId: obs.sourceId,
          at: parseTime(obs.at, seenAt),
          seenAt,
        };
        if (obs.url) row.url = obs.url;
        plan.evidence.push(row);
        break;
      }
      case 'relationship': {
        sight(obs.account);
        const key = accountKey(obs.account);
        const flags = plan.flags.get(key) ?? { ref: obs.account };
        if (obs.followsViewer !== undefined) flags.followsViewer = obs.followsViewer;
        if (obs.viewerFollows !== undefined) flags.viewerFollows = obs.viewerFollows;
        if (obs.connected !== undefined) flags.connected = obs.connected;
        plan.flags.set(key, flags);
        break;
      }
    }
  }
  return plan;
}

/** Plans written together in one transaction, and which plan each merged evidence row came from. */
export interface MergedPlan {
  plan: BatchPlan;
  /** `owner[i]` is the index of the plan that brought `plan.evidence[i]`. */
  owner: number[];
}

/**
 * Several batches' plans as one, with the outcome of writing them one after another: evidence a
 * later batch repeats is its earlier copy (the store keeps the first), and for accounts and
 * relationship flags what a later batch says wins, field by field. The viewer is the plans' own
 * (the caller merges plans of one viewer only).
 */
export function mergePlans(plans: readonly BatchPlan[]): MergedPlan {
  const merged: BatchPlan = { evidence: [], accounts: new Map(), flags: new Map() };
  const owner: number[] = [];
  const seen = new Set<string>();
  plans.forEach((plan, index) => {
    if (plan.viewer) merged.viewer = mergeRef(merged.viewer, plan.viewer);
    for (const row of plan.evidence) {
      if (seen.has(row.key)) continue;
      seen.add(row.key);
      merged.evidence.push(row);
      owner.push(index);
    }
    for (const [key, sighting] of plan.accounts) {
      const known = merged.accounts.get(key);
      merged.accounts.set(key, known ? { ...known, ...sighting } : { ...sighting });
    }
    for (const [key, flags] of plan.flags) {
      const known = merged.flags.get(key);
      merged.flags.set(key, known ? { ...known, ...flags } : { ...flags });
    }
  });
  return { plan: merged, owner };
}

/** An account as a later sighting says, keeping what only the earlier one knew (its id, name). */
function mergeRef(earlier: AccountRef | undefined, later: AccountRef): AccountRef {
  const ref: AccountRef = { platform: later.platform, handle: later.handle };
  const id = later.id ?? earlier?.id;
  const name = later.name ?? earlier?.name;
  if (id) ref.id = id;
  if (name) ref.name = name;
  return ref;
}

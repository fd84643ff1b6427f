/**
 * Fuzzed messages at the background's door: every mutation below makes a message invalid, so
 * each must be refused with a reason (what the background logs), none may throw, and nothing may
 * be written or polluted. Deterministic: a seeded generator, so a failure can be replayed.
 */
import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { acceptRequest, handleRequest, type SenderInfo } from '../../src/background/router.ts';
import { openRapportDB, STORE_NAMES, type RapportDatabase } from '../../src/store/schema.ts';

const OWN = 'abcdefghijklmnopabcdefghijklmnop';
const TAB = { id: 7 };
const interaction = {
  type: 'interaction',
  kind: 'reply',
  from: { platform: 'x', handle: 'a' },
  to: { platform: 'x', handle: 'me' },
  sourceId: '1',
  at: '2026-01-01T00:00:00.000Z',
};
const TEMPLATES: Record<string, unknown>[] = [
  {
    type: 'ingest',
    batchId: 'b-1',
    viewer: { platform: 'x', handle: 'me' },
    page: { platform: 'x', kind: 'home', url: 'https://x.com/home' },
    seenAt: 1_700_000_000_000,
    observations: [interaction, { type: 'post', id: '2', author: { platform: 'x', handle: 'b' } }],
  },
  { type: 'lookup', viewer: 'x:me', accounts: ['x:a', 'x:b'] },
  { type: 'page-status', platform: 'x', kind: 'home', ok: false },
  { type: 'open-person', viewer: 'x:me', account: 'x:a' },
];

/** Mulberry32: small, seeded, good enough to pick mutations. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRONG_VALUES: unknown[] = [
  null,
  42,
  -1,
  Number.NaN,
  Infinity,
  true,
  '',
  'x'.repeat(1_000_000),
  [],
  {},
  [1, 2, 3],
  { nested: { deeper: true } },
  'javascript:alert(1)',
  '<img src=x onerror=alert(1)>',
  'X:UPPER',
];
const POLLUTING = ['__proto__', 'constructor', 'prototype'];

type Mutation = (message: Record<string, unknown>, pick: <T>(xs: readonly T[]) => T) => unknown;

/** Paths to every leaf and object inside a message. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  for (const [key, child] of Object.entries(value))
    out.push(...paths(child, [...prefix, Array.isArray(value) ? Number(key) : key]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
}

const MUTATIONS: Record<string, Mutation> = {
  'wrong type somewhere': (m, pick) => {
    const path = pick(paths(m).filter((p) => p[0] !== 'type' && p.length > 0));
    const current = path.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], m);
    const wrong = pick(WRONG_VALUES.filter((w) => typeof w !== typeof current || w === null));
    setAt(m, path, wrong);
    return m;
  },
  'a required field missing': (m, pick) => {
    const required = Object.keys(m).filter((k) => k !== 'viewer' || m.type !== 'ingest');
    delete m[pick(required)];
    return m;
  },
  'an unknown key': (m, pick) => {
    const objects = paths(m).filter((p) => {
      const node = p.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], m);
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    const target = pick([[], ...objects]);
    const node = target.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], m);
    (node as Record<string, unknown>)[pick(['extra', 'admin', 'sql', 'eval'])] = 1;
    return m;
  },
  'a prototype-pollution key': (m, pick) => {
    // As a message arrives: JSON, where "__proto__" is an own key.
    const key = pick(POLLUTING);
    const json = JSON.stringify(m).replace(/^\{/, `{"${key}":{"polluted":true,"isAdmin":true},`);
    return JSON.parse(json) as unknown;
  },
  'a huge array': (m) => {
    if (m.type === 'ingest') m.observations = Array.from({ length: 1001 }, () => interaction);
    else if (m.type === 'lookup') m.accounts = Array.from({ length: 2001 }, (_, i) => `x:a${i}`);
    else m.extra = Array.from({ length: 100_000 }, () => 0);
    return m;
  },
  'an unknown type': (m, pick) => ({
    ...m,
    type: pick(['wipe', 'delete-everything', 'export', 'INGEST', '', 'ingest ']),
  }),
  'not an object': (_m, pick) => pick(['ingest', 1, null, undefined, [], true, () => 1]),
};

const SENDERS: Record<string, SenderInfo> = {
  'another extension': { id: 'someone-else-entirely', tab: TAB },
  'no id (a web page)': { tab: TAB } as SenderInfo,
  'an extension page, not a content script': { id: OWN },
};

async function snapshot(db: RapportDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const store of STORE_NAMES) counts[store] = await db.count(store);
  return counts;
}

describe('fuzzed and forged messages', () => {
  test('5,000 malformed messages and 1,200 forged senders: all refused with a reason, nothing written, nothing polluted', async () => {
    const db = await openRapportDB(`fuzz-${Math.random()}`);
    const before = await snapshot(db);
    const next = random(20261122);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const refusedBy = new Map<string, number>();
    let accepted = 0;
    let thrown = 0;
    const names = Object.keys(MUTATIONS);

    for (let i = 0; i < 5000; i++) {
      const name = names[i % names.length]!;
      const message = MUTATIONS[name]!(structuredClone(pick(TEMPLATES)), pick);
      try {
        const result = acceptRequest(message, { id: OWN, tab: TAB }, OWN);
        if (typeof result === 'string' && result.length > 0)
          refusedBy.set(name, (refusedBy.get(name) ?? 0) + 1);
        else {
          accepted += 1;
          console.error(
            'accepted a malformed message:',
            name,
            JSON.stringify(message)?.slice(0, 300),
          );
          await handleRequest(db, result as Exclude<typeof result, string>);
        }
      } catch {
        thrown += 1;
      }
    }
    let forged = 0;
    for (let i = 0; i < 1200; i++) {
      const [, sender] = pick(Object.entries(SENDERS));
      const result = acceptRequest(structuredClone(pick(TEMPLATES)), sender, OWN);
      if (typeof result === 'string') forged += 1;
    }
    const after = await snapshot(db);
    const polluted =
      ({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).isAdmin;
    console.log(
      `reliability: fuzzed messages refused ${[...refusedBy.values()].reduce((a, b) => a + b, 0)}/5000 ` +
        `(${[...refusedBy].map(([k, n]) => `${k} ${n}`).join(', ')}), forged senders refused ${forged}/1200, ` +
        `accepted ${accepted}, thrown ${thrown}, rows written ${Object.values(after).reduce((a, b) => a + b, 0) - Object.values(before).reduce((a, b) => a + b, 0)}, prototype polluted ${polluted !== undefined}`,
    );
    expect(accepted).toBe(0);
    expect(thrown).toBe(0);
    expect(forged).toBe(1200);
    expect(after).toEqual(before);
    expect(polluted).toBeUndefined();
    db.close();
  }, 60_000);
});

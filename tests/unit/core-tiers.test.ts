import { describe, expect, test } from 'vitest';
import { DAY_MS, DEFAULT_SETTINGS, type Tier } from '../../src/core/model.ts';
import {
  applyEvidence,
  applyFlags,
  computeTier,
  emptyRelationship,
  logAdd,
  scoreAt,
  scoreRank,
  settle,
  type EvidenceFact,
  type Relationship,
} from '../../src/core/relationship.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const days = (n: number) => NOW - n * DAY_MS;

function rowWith(
  facts: EvidenceFact[],
  flags: Parameters<typeof applyFlags>[1] = {},
): Relationship {
  let row = emptyRelationship('x:me', { platform: 'x', handle: 'them' }, DEFAULT_SETTINGS);
  for (const fact of facts) row = applyEvidence(row, fact);
  return settle(applyFlags(row, flags), DEFAULT_SETTINGS, NOW);
}

describe('tier', () => {
  test.each<[string, EvidenceFact[], Parameters<typeof applyFlags>[1], Tier]>([
    [
      'both directions in window',
      [
        { kind: 'reply', direction: 'in', at: days(3) },
        { kind: 'reply', direction: 'out', at: days(2) },
      ],
      {},
      'conversational',
    ],
    [
      'mention in, comment out',
      [
        { kind: 'mention', direction: 'in', at: days(100) },
        { kind: 'comment', direction: 'out', at: days(10) },
      ],
      {},
      'conversational',
    ],
    ['only inbound', [{ kind: 'reply', direction: 'in', at: days(1) }], {}, 'unanswered'],
    ['only outbound', [{ kind: 'quote', direction: 'out', at: days(1) }], {}, 'reaching'],
    [
      'inbound plus a follow',
      [{ kind: 'reply', direction: 'in', at: days(1) }],
      { followsViewer: true },
      'unanswered',
    ],
    ['follows, no exchange', [], { followsViewer: true }, 'silent-follower'],
    ['connected, no exchange', [], { connected: true }, 'silent-follower'],
    [
      'follows, only likes',
      [{ kind: 'reaction', direction: 'in', at: days(1) }],
      { followsViewer: true },
      'silent-follower',
    ],
    [
      'only passive signals',
      [
        { kind: 'reaction', direction: 'in', at: days(1) },
        { kind: 'repost', direction: 'out', at: days(1) },
      ],
      {},
      'passive',
    ],
    ['nothing', [], {}, 'unknown'],
    ['viewer follows them only', [], { viewerFollows: true }, 'unknown'],
    [
      'exchanges only outside the window',
      [
        { kind: 'reply', direction: 'in', at: days(400) },
        { kind: 'reply', direction: 'out', at: days(400) },
      ],
      {},
      'passive',
    ],
    [
      'old exchange and a follow',
      [{ kind: 'reply', direction: 'in', at: days(400) }],
      { followsViewer: true },
      'silent-follower',
    ],
    [
      'a follow act inbound',
      [{ kind: 'follow', direction: 'in', at: days(1) }],
      {},
      'silent-follower',
    ],
    [
      'messages both ways',
      [
        { kind: 'message', direction: 'in', at: days(1) },
        { kind: 'message', direction: 'out', at: days(1) },
      ],
      {},
      'conversational',
    ],
  ])('%s → %s', (_name, facts, flags, tier) => {
    expect(rowWith(facts, flags).tier).toBe(tier);
  });
});

describe('window boundary', () => {
  const windowDays = DEFAULT_SETTINGS.windowDays;
  test.each([
    [windowDays - 1, 'conversational'],
    [windowDays, 'conversational'],
    [windowDays + 1, 'passive'],
  ] as const)('both exchanges %i days ago → %s', (age, tier) => {
    const row = rowWith([
      { kind: 'reply', direction: 'in', at: days(age) },
      { kind: 'reply', direction: 'out', at: days(age) },
    ]);
    expect(row.tier).toBe(tier);
  });

  test('validUntil is when the oldest in-window direction leaves the window', () => {
    const row = rowWith([
      { kind: 'reply', direction: 'in', at: days(10) },
      { kind: 'reply', direction: 'out', at: days(50) },
    ]);
    expect(row.validUntil).toBe(days(50) + windowDays * DAY_MS);
    const later = settle(row, DEFAULT_SETTINGS, row.validUntil + 1);
    expect(later.tier).toBe('unanswered');
  });

  test('a window from settings moves the boundary', () => {
    const facts: EvidenceFact[] = [{ kind: 'reply', direction: 'in', at: days(40) }];
    const row = rowWith(facts);
    expect(computeTier(row, { ...DEFAULT_SETTINGS, windowDays: 30 }, NOW).tier).toBe('passive');
    expect(computeTier(row, { ...DEFAULT_SETTINGS, windowDays: 60 }, NOW).tier).toBe('unanswered');
  });
});

describe('score', () => {
  const h = DEFAULT_SETTINGS.halfLifeDays;
  test.each([
    ['one inbound now', [{ kind: 'reply', direction: 'in', at: NOW }], 1],
    ['one inbound one half-life ago', [{ kind: 'reply', direction: 'in', at: days(h) }], 0.5],
    ['one inbound two half-lives ago', [{ kind: 'reply', direction: 'in', at: days(2 * h) }], 0.25],
    [
      'one each way now (reciprocity doubles)',
      [
        { kind: 'reply', direction: 'in', at: NOW },
        { kind: 'reply', direction: 'out', at: NOW },
      ],
      4,
    ],
    [
      'two inbound now',
      [
        { kind: 'reply', direction: 'in', at: NOW },
        { kind: 'reply', direction: 'in', at: NOW },
      ],
      2,
    ],
    ['a like now', [{ kind: 'reaction', direction: 'in', at: NOW }], 0.1],
  ] as const)('%s → %f', (_name, facts, expected) => {
    const row = rowWith([...facts] as EvidenceFact[]);
    expect(scoreAt(row.rank, row.halfLifeDays, NOW)).toBeCloseTo(expected, 9);
  });

  test('rank orders accounts the same at any moment', () => {
    const a = rowWith([
      { kind: 'reply', direction: 'in', at: days(1) },
      { kind: 'reply', direction: 'out', at: days(90) },
    ]);
    const b = rowWith([
      { kind: 'reply', direction: 'in', at: days(5) },
      { kind: 'reply', direction: 'in', at: days(6) },
    ]);
    for (const later of [0, 30, 365, 3650]) {
      const t = NOW + later * DAY_MS;
      expect(Math.sign(scoreAt(a.rank, h, t) - scoreAt(b.rank, h, t))).toBe(
        Math.sign(a.rank - b.rank),
      );
    }
  });

  test('log sums never overflow, even centuries out', () => {
    expect(logAdd(-Infinity, 5)).toBe(5);
    expect(logAdd(1e6, 1e6)).toBeCloseTo(1e6 + 1, 9);
    expect(Number.isFinite(scoreRank(5e5, 5e5 + 3, -Infinity))).toBe(true);
  });
});

describe('override', () => {
  test.each<Tier>([
    'conversational',
    'unanswered',
    'reaching',
    'silent-follower',
    'passive',
    'unknown',
  ])('override %s wins', (tier) => {
    const row = settle(
      { ...rowWith([{ kind: 'reply', direction: 'in', at: days(1) }]), override: tier },
      DEFAULT_SETTINGS,
      NOW,
    );
    expect(row.tier).toBe(tier);
    expect(row.computedTier).toBe('unanswered');
  });
});

describe('follower count never changes a tier', () => {
  test.each([0, 1, 10_000, 5_000_000])('followers=%i', (followersCount) => {
    const base = rowWith([{ kind: 'reply', direction: 'out', at: days(1) }]);
    const withCount = { ...base, followersCount, followingCount: followersCount * 2 };
    expect(computeTier(withCount, DEFAULT_SETTINGS, NOW).tier).toBe('reaching');
    expect(settle(withCount, DEFAULT_SETTINGS, NOW).tier).toBe(base.tier);
  });
});

describe('follower mark (the sparse index the popup counts followers with)', () => {
  test.each<[string, Parameters<typeof applyFlags>[1], boolean]>([
    ['follows the viewer', { followsViewer: true }, true],
    ['connected', { connected: true }, true],
    ['followed by the viewer only', { viewerFollows: true }, false],
    ['nothing known', {}, false],
    ['stopped following', { followsViewer: false }, false],
  ])('%s', (_title, flags, marked) => {
    // A row that followed, with its mark; only what the flags say now may decide the mark.
    const before = rowWith([{ kind: 'reply', direction: 'in', at: days(2) }], {
      followsViewer: true,
    });
    expect(before.followerOf).toBe('x:me');
    const { followsViewer: _followed, ...unflagged } = before;
    const row = settle(applyFlags(unflagged, flags), DEFAULT_SETTINGS, NOW);
    if (marked) expect(row.followerOf).toBe('x:me');
    else expect(row).not.toHaveProperty('followerOf');
  });

  test('a tier set by hand leaves the mark as the flags say', () => {
    const row = settle(
      { ...rowWith([], { followsViewer: true }), override: 'conversational' },
      DEFAULT_SETTINGS,
      NOW,
    );
    expect(row.tier).toBe('conversational');
    expect(row.followerOf).toBe('x:me');
  });
});

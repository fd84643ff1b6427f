import { describe, expect, test } from 'vitest';
import { mergePlans, planBatch } from '../../src/core/batch.ts';
import { accountKey, evidenceKey, normalizeHandle, parseAccountKey } from '../../src/core/keys.ts';
import type { Observation } from '../../src/core/model.ts';
import { directionFor } from '../../src/core/relationship.ts';

describe('keys', () => {
  test.each([
    ['@Alice', 'alice'],
    [' Bob_1 ', 'bob_1'],
    ['CAROL', 'carol'],
  ])('normalizeHandle(%j) = %j', (raw, handle) => expect(normalizeHandle(raw)).toBe(handle));

  test('accountKey and its inverse', () => {
    expect(accountKey({ platform: 'x', handle: '@Alice' })).toBe('x:alice');
    expect(parseAccountKey('linkedin:jane-doe-1')).toEqual({
      platform: 'linkedin',
      handle: 'jane-doe-1',
    });
    expect(parseAccountKey('mastodon:x')).toBeUndefined();
  });

  test('evidence key is platform:sourceId:kind:from:to', () => {
    const obs: Observation = {
      type: 'interaction',
      kind: 'reply',
      sourceId: '42',
      from: { platform: 'x', handle: 'Alice' },
      to: { platform: 'x', handle: 'bob' },
    };
    expect(evidenceKey(obs)).toBe('x:42:reply:alice:bob');
  });

  test.each([
    ['x:me', 'x:a', 'out', 'x:a'],
    ['x:a', 'x:me', 'in', 'x:a'],
  ] as const)('direction %s → %s', (from, to, direction, other) => {
    expect(directionFor('x:me', from, to)).toEqual({ direction, other });
  });
  test('edges that do not touch the viewer have no direction', () => {
    expect(directionFor('x:me', 'x:a', 'x:b')).toBeUndefined();
    expect(directionFor('x:me', 'x:me', 'x:me')).toBeUndefined();
  });
});

describe('planBatch', () => {
  const a = { platform: 'x', handle: 'a', name: 'A' } as const;
  const me = { platform: 'x', handle: 'me' } as const;
  test('deduplicates evidence inside a batch and collects the accounts seen', () => {
    const reply: Observation = {
      type: 'interaction',
      kind: 'reply',
      from: a,
      to: me,
      sourceId: '1',
      at: '2026-01-01T00:00:00Z',
    };
    const plan = planBatch(
      [{ type: 'post', id: '1', author: a }, reply, reply, { type: 'viewer', account: me }],
      undefined,
      5,
    );
    expect(plan.evidence).toHaveLength(1);
    expect(plan.evidence[0]?.at).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(plan.accounts.get('x:a')).toEqual({ key: 'x:a', platform: 'x', handle: 'a', name: 'A' });
    expect(plan.viewer).toEqual(me);
  });
  test('an undated act is dated when seen', () => {
    const plan = planBatch(
      [{ type: 'interaction', kind: 'repost', from: a, to: me, sourceId: '9' }],
      me,
      1234,
    );
    expect(plan.evidence[0]?.at).toBe(1234);
  });
  test('relationship flags merge per account', () => {
    const plan = planBatch(
      [
        { type: 'relationship', account: a, followsViewer: true },
        { type: 'relationship', account: a, viewerFollows: false },
      ],
      me,
      1,
    );
    expect(plan.flags.get('x:a')).toMatchObject({ followsViewer: true, viewerFollows: false });
  });
});

describe('mergePlans', () => {
  const a = { platform: 'x', handle: 'a' } as const;
  const me = { platform: 'x', handle: 'me' } as const;
  const reply = (id: string): Observation => ({
    type: 'interaction',
    kind: 'reply',
    from: a,
    to: me,
    sourceId: id,
  });
  test('evidence a later batch repeats keeps its first copy, and says whose each row is', () => {
    const { plan, owner } = mergePlans([
      planBatch([reply('1'), reply('2')], me, 10),
      planBatch([reply('2'), reply('3')], me, 20),
    ]);
    expect(plan.evidence.map((row) => [row.sourceId, row.seenAt])).toEqual([
      ['1', 10],
      ['2', 10],
      ['3', 20],
    ]);
    expect(owner).toEqual([0, 0, 1]);
  });
  test('what a later batch says of an account or a flag wins, field by field', () => {
    const { plan } = mergePlans([
      planBatch(
        [
          { type: 'post', id: '1', author: { ...a, name: 'Old', id: '7' } },
          { type: 'relationship', account: a, followsViewer: true, viewerFollows: true },
        ],
        { ...me, id: '42' },
        1,
      ),
      planBatch(
        [
          { type: 'post', id: '2', author: { ...a, name: 'New' } },
          { type: 'relationship', account: a, followsViewer: false },
        ],
        { ...me, name: 'Me' },
        2,
      ),
    ]);
    expect(plan.accounts.get('x:a')).toEqual({
      key: 'x:a',
      platform: 'x',
      handle: 'a',
      id: '7',
      name: 'New',
    });
    expect(plan.flags.get('x:a')).toMatchObject({ followsViewer: false, viewerFollows: true });
    expect(plan.viewer).toEqual({ platform: 'x', handle: 'me', id: '42', name: 'Me' });
  });
  test('no plans, nothing', () => {
    expect(mergePlans([])).toEqual({
      plan: { evidence: [], accounts: new Map(), flags: new Map() },
      owner: [],
    });
  });
});

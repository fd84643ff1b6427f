import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { clampName, ObservationSlimmer } from '../../src/content/slim.ts';
import { MAX_NAME_LENGTH } from '../../src/shared/messages.ts';

const alice = { platform: 'x', handle: 'alice', name: 'Alice' } as const;
const bob = { platform: 'x', handle: 'bob', name: 'Bob' } as const;
const post = (
  id: string,
  author: { platform: 'x'; handle: string; name: string } = alice,
): Observation => ({ type: 'post', id, author });

describe('ObservationSlimmer', () => {
  test('a post by an author already sent from this page is not sent again', () => {
    const slimmer = new ObservationSlimmer();
    expect(slimmer.slim([post('1'), post('2')])).toHaveLength(1);
    expect(slimmer.slim([post('1'), post('3')])).toEqual([]);
    expect(
      slimmer.slim([post('4', bob), post('5', bob)]).map((o) => (o.type === 'post' ? o.id : '')),
    ).toEqual(['4']);
  });

  test('a display name is sent once per account, and again when it changes', () => {
    const slimmer = new ObservationSlimmer();
    const reply: Observation = {
      type: 'interaction',
      kind: 'reply',
      from: alice,
      to: bob,
      sourceId: '9',
    };
    expect(slimmer.slim([reply])).toEqual([reply]);
    expect(slimmer.slim([{ ...reply, sourceId: '10' }])).toEqual([
      {
        type: 'interaction',
        kind: 'reply',
        from: { platform: 'x', handle: 'alice' },
        to: { platform: 'x', handle: 'bob' },
        sourceId: '10',
      },
    ]);
    const renamed = slimmer.slim([post('4', { ...alice, name: 'Alice B.' })]);
    expect(renamed[0]).toMatchObject({ author: { name: 'Alice B.' } });
  });

  test('an exchange already sent from this page (in the API response, then in the page) is not sent again', () => {
    const slimmer = new ObservationSlimmer();
    const reply: Observation = {
      type: 'interaction',
      kind: 'reply',
      from: alice,
      to: bob,
      sourceId: '9',
    };
    expect(slimmer.slim([reply, reply])).toHaveLength(1);
    // Handles are compared as the store compares them.
    expect(slimmer.slim([{ ...reply, from: { platform: 'x', handle: '@Alice' } }])).toEqual([]);
    // Another act between the same people, or the same act of another kind, goes.
    expect(
      slimmer.slim([
        { ...reply, sourceId: '10' },
        { ...reply, kind: 'mention' },
      ]),
    ).toHaveLength(2);
  });

  test('an exchange sent before goes again when it names an account anew (an id the page lacked)', () => {
    const slimmer = new ObservationSlimmer();
    const reply: Observation = {
      type: 'interaction',
      kind: 'reply',
      from: { platform: 'x', handle: 'alice' },
      to: { platform: 'x', handle: 'bob' },
      sourceId: '9',
    };
    expect(slimmer.slim([reply])).toHaveLength(1);
    expect(
      slimmer.slim([{ ...reply, from: { platform: 'x', handle: 'alice', id: '42' } }]),
    ).toEqual([{ ...reply, from: { platform: 'x', handle: 'alice', id: '42' } }]);
    expect(
      slimmer.slim([{ ...reply, from: { platform: 'x', handle: 'alice', id: '42' } }]),
    ).toEqual([]);
  });
});

describe('clampName', () => {
  test.each([
    ['short', 'short'],
    ['x'.repeat(MAX_NAME_LENGTH), 'x'.repeat(MAX_NAME_LENGTH)],
    ['x'.repeat(10_000), `${'x'.repeat(MAX_NAME_LENGTH - 1)}…`],
    // A pair that the cut would split is left out whole.
    [`${'x'.repeat(MAX_NAME_LENGTH - 2)}😀tail`, `${'x'.repeat(MAX_NAME_LENGTH - 2)}…`],
  ])('%#', (name, expected) => {
    const out = clampName(name);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
  });

  test('names in every observation the slimmer passes are cut', () => {
    const long = 'N'.repeat(5000);
    const out = new ObservationSlimmer().slim([
      { type: 'viewer', account: { platform: 'x', handle: 'me', name: long } },
      { type: 'post', id: '1', author: { platform: 'x', handle: 'a', name: long } },
    ]);
    for (const o of out) {
      const name = o.type === 'viewer' ? o.account.name : o.type === 'post' ? o.author.name : '';
      expect(name?.length).toBe(MAX_NAME_LENGTH);
    }
  });
});

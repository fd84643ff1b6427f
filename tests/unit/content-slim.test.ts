import { describe, expect, test } from 'vitest';
import type { Observation } from '../../src/core/model.ts';
import { ObservationSlimmer } from '../../src/content/slim.ts';

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

  test('interactions are never dropped: the store deduplicates them', () => {
    const slimmer = new ObservationSlimmer();
    const reply: Observation = {
      type: 'interaction',
      kind: 'reply',
      from: alice,
      to: bob,
      sourceId: '9',
    };
    expect(slimmer.slim([reply, reply])).toHaveLength(2);
  });
});

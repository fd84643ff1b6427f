import { Window } from 'happy-dom';
import { describe, expect, test } from 'vitest';
import { accountKey } from '../../src/core/keys.ts';
import type { Observation } from '../../src/core/model.ts';
import { planBatch } from '../../src/core/batch.ts';
import { parseDocument } from '../../src/platforms/adapter.ts';
import { xAdapter } from '../../src/platforms/x/index.ts';
import { demoPages, VIEWER } from '../../src/demo/story.ts';
import { esc, pageMarkup } from '../../src/demo/x-markup.ts';

const NOW = Date.parse('2026-11-01T12:00:00Z');

function parse(path: string): Observation[] {
  const url = `https://x.com${path}`;
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true } });
  window.document.write(demoPages(NOW)[path] as string);
  return parseDocument(xAdapter, window.document as unknown as Document, new URL(url));
}

const edges = (obs: Observation[]) =>
  obs.flatMap((o) =>
    o.type === 'interaction' ? [`${o.kind} ${o.from.handle}->${o.to.handle}`] : [],
  );

describe('the demo feed reads like x.com', () => {
  test('home: viewer from the side navigation, every exchange of the story', () => {
    const obs = parse('/home');
    expect(obs[0]).toEqual({
      type: 'viewer',
      account: { platform: 'x', handle: 'robin_vale', name: 'Robin Vale' },
    });
    expect(edges(obs)).toEqual([
      'reply robin_vale->aiko_t',
      'reply aiko_t->robin_vale',
      'reply robin_vale->aiko_t',
      'reply chidi_o->robin_vale',
      'reply robin_vale->dana_w',
      'repost elif_k->robin_vale',
      'mention gus_m->robin_vale',
      'mention robin_vale->gus_m',
      'quote robin_vale->dana_w',
    ]);
    expect(obs.filter((o) => o.type === 'post')).toHaveLength(10);
  });

  test("followers: the viewer's own list means they follow the viewer", () => {
    const obs = parse(`/${VIEWER.handle}/followers`);
    const flags = planBatch(obs, undefined, NOW).flags;
    expect([...flags.keys()]).toEqual(['x:bram_dw', 'x:hana_l', 'x:aiko_t', 'x:chidi_o']);
    expect(flags.get('x:hana_l')).toMatchObject({ followsViewer: true, viewerFollows: true });
    expect(flags.get('x:bram_dw')).toMatchObject({ followsViewer: true, viewerFollows: false });
    expect(
      obs.find((o) => o.type === 'relationship' && accountKey(o.account) === 'x:bram_dw'),
    ).toMatchObject({ account: { id: '1000000003' } });
  });

  test('conversation page: the focal reply and the answer below it', () => {
    expect(edges(parse('/aiko_t/status/1900000000000000002'))).toEqual([
      'reply robin_vale->aiko_t',
      'reply aiko_t->robin_vale',
      'reply robin_vale->aiko_t',
    ]);
  });

  test('names are text: markup in a name is escaped, never parsed', () => {
    const evil = { ...VIEWER, name: '<img src=x onerror=alert(1)>"' };
    const html = pageMarkup({ title: '<b>t</b>', viewer: evil, body: '' });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(esc(evil.name));
  });
});

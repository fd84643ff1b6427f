import { Window } from 'happy-dom';
import { describe, expect, test } from 'vitest';
import {
  findViewer,
  readInitialState,
  viewerIdFromCookie,
} from '../../src/platforms/x/parse-dom.ts';
import { parseXJson } from '../../src/platforms/x/parse-json.ts';

describe('the viewer without the side navigation', () => {
  test.each([
    ['twid=u%3D1000; ct0=abc', '1000'],
    ['ct0=abc; twid="u=1234567890123"; lang=en', '1234567890123'],
    ['guest_id=v1%3A1; lang=en', undefined],
    ['mytwid=u%3D5', undefined],
    ['', undefined],
  ])('twid cookie %j → %s', (cookie, id) => {
    expect(viewerIdFromCookie(cookie)).toBe(id);
  });

  const state = {
    optimist: [],
    entities: {
      users: {
        entities: {
          '1000': { id_str: '1000', screen_name: 'Robin_Vale', name: 'Robin Vale' },
          '2001': { id_str: '2001', screen_name: 'aiko_t', name: 'Aiko' },
        },
      },
    },
    session: { user_id: '1000', isActiveCreator: false },
  };

  test('window.__INITIAL_STATE__: session.user_id and its user entity', () => {
    const window = new Window({
      url: 'https://x.com/home',
      settings: { disableJavaScriptEvaluation: true },
    });
    const script = window.document.createElement('script');
    script.textContent = `window.__INITIAL_STATE__=${JSON.stringify(state)};window.__META_DATA__={"env":"prod"};`;
    window.document.body.append(script);
    expect(findViewer(window.document as unknown as Document)).toEqual({
      platform: 'x',
      handle: 'robin_vale',
      id: '1000',
      name: 'Robin Vale',
    });
  });

  test.each([
    ['truncated', JSON.stringify(state).slice(0, 80)],
    ['logged out', JSON.stringify({ ...state, session: { user_id: null } })],
    ['no such user', JSON.stringify({ ...state, session: { user_id: '9' } })],
    [
      'a handle X would never issue',
      JSON.stringify({
        ...state,
        session: { user_id: '1000' },
        entities: { users: { entities: { '1000': { screen_name: '<img src=x>' } } } },
      }),
    ],
  ])('%s page state: no viewer', (_why, text) => {
    expect(readInitialState(text)).toBeUndefined();
  });

  test('the Viewer operation names the viewer, in either user shape', () => {
    for (const user of [
      { __typename: 'User', rest_id: '1000', core: { screen_name: 'Robin_Vale', name: 'R' } },
      { __typename: 'User', rest_id: '1000', legacy: { screen_name: 'Robin_Vale', name: 'R' } },
    ]) {
      const obs = parseXJson({ data: { viewer: { user_results: { result: user } } } });
      expect(obs).toEqual([
        { type: 'viewer', account: { platform: 'x', handle: 'robin_vale', id: '1000', name: 'R' } },
      ]);
    }
  });
});

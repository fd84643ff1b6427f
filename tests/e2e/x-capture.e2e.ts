import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VIEWER } from '../../src/demo/story.ts';
import { pageMarkup } from '../../src/demo/x-markup.ts';
import { evidenceKey } from '../../src/core/keys.ts';
import { parseXJson } from '../../src/platforms/x/parse-json.ts';
import { launchWithExtension, type ExtensionSession } from './harness.ts';

const RESPONSE = readFileSync(
  join(process.cwd(), 'tests/fixtures/x-json/tweet_details.json'),
  'utf8',
);
const FORGED = JSON.stringify({
  data: {
    tl: {
      instructions: [
        {
          entries: [
            {
              content: {
                itemContent: {
                  tweet_results: {
                    result: {
                      __typename: 'Tweet',
                      rest_id: '999000999',
                      core: {
                        user_results: {
                          result: {
                            __typename: 'User',
                            rest_id: '1',
                            core: { screen_name: 'forged_handle', name: 'Forger' },
                          },
                        },
                      },
                      legacy: {
                        created_at: 'Wed Oct 10 20:19:24 +0000 2018',
                        in_reply_to_screen_name: 'robin_vale',
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      ],
    },
  },
});

/** The page's own script: reads TweetDetail by fetch and by XHR, then tries every forgery it can. */
const PAGE_SCRIPT = `
<script>
  window.__bodies = {};
  fetch('/i/api/graphql/AbC123/TweetDetail?variables=%7B%22focalTweetId%22%3A%221%22%7D')
    .then((r) => r.text()).then((t) => { window.__bodies.fetch = t; });
  fetch('/i/api/graphql/GhI789/TweetDetail')
    .then((r) => r.json()).then((v) => { window.__bodies.json = JSON.stringify(v); });
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/i/api/graphql/dEf456/TweetDetail');
  xhr.onload = () => { window.__bodies.xhr = xhr.responseText; };
  xhr.send();
  const forged = ${JSON.stringify(JSON.stringify({ operation: 'TweetDetail', url: 'https://x.com/i/api/graphql/x/TweetDetail', body: FORGED }))};
  window.postMessage(JSON.parse(forged), '*');
  window.postMessage(forged, '*');
  document.dispatchEvent(new CustomEvent('rapport:response', { detail: forged }));
  const fake = document.createElement('rapport-bridge');
  document.documentElement.append(fake);
  const hello = new CustomEvent('rapport:hello', { bubbles: true, cancelable: true });
  fake.dispatchEvent(hello);
  window.__helloTaken = hello.defaultPrevented;
  fake.dispatchEvent(new CustomEvent('rapport:response', { detail: forged }));
  // A port of the page's own, offered wherever a listener might be: nothing should take it.
  const channel = new MessageChannel();
  document.dispatchEvent(new MessageEvent('rapport:port', { ports: [channel.port2] }));
  fake.dispatchEvent(new MessageEvent('rapport:port', { ports: [channel.port2] }));
  channel.port1.postMessage('TweetDetail\\nhttps://x.com/i/api/graphql/x/TweetDetail\\n' + ${JSON.stringify(FORGED)});
</script>`;

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchWithExtension();
  session.serve('/i/api/graphql/AbC123/TweetDetail', RESPONSE, 'application/json');
  session.serve('/i/api/graphql/dEf456/TweetDetail', RESPONSE, 'application/json');
  session.serve('/i/api/graphql/GhI789/TweetDetail', RESPONSE, 'application/json');
  session.serve(
    '/capture',
    pageMarkup({ title: 'Post', viewer: VIEWER, body: '' }).replace(
      '</body>',
      `${PAGE_SCRIPT}</body>`,
    ),
  );
});
afterAll(async () => session?.close());

describe("X's own API responses, read passively", () => {
  test('TweetDetail read by fetch and by XHR lands in IndexedDB; the page gets identical bodies; forgeries store nothing', async () => {
    const page = await session.open('/capture');
    await page.waitForFunction(() => {
      const bodies = (window as unknown as { __bodies: Record<string, string> }).__bodies;
      return bodies.fetch !== undefined && bodies.xhr !== undefined && bodies.json !== undefined;
    });
    const bodies = await page.evaluate(
      () => (window as unknown as { __bodies: Record<string, string> }).__bodies,
    );
    expect(bodies.fetch).toBe(RESPONSE);
    expect(bodies.xhr).toBe(RESPONSE);
    expect(bodies.json).toBe(JSON.stringify(JSON.parse(RESPONSE)));
    expect(
      await page.evaluate(() => (window as unknown as { __helloTaken: boolean }).__helloTaken),
    ).toBe(false);

    const expected = parseXJson(JSON.parse(RESPONSE)).flatMap((o) =>
      o.type === 'interaction' ? [evidenceKey(o)] : [],
    );
    expect(expected.length).toBeGreaterThan(0);
    let stored: string[] = [];
    for (let i = 0; i < 40; i++) {
      stored = (await session.readStore<{ key: string }>('evidence').catch(() => [])).map(
        (e) => e.key,
      );
      if (expected.every((key) => stored.includes(key))) break;
      await page.waitForTimeout(250);
    }
    expect(stored).toEqual(expect.arrayContaining(expected));
    const accounts = await session.readStore<{ key: string }>('accounts');
    expect(accounts.map((a) => a.key)).not.toContain('x:forged_handle');
    expect(stored.some((key) => key.includes('forged_handle'))).toBe(false);
    await page.close();
  });

  test('no network request from the extension', () => {
    expect(session.extensionRequests).toEqual([]);
  });
});

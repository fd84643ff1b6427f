/** The page the capture tests load: it reads TweetDetail by fetch and XHR, then forges. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceKey } from '../../src/core/keys.ts';
import { parseXJson } from '../../src/platforms/x/parse-json.ts';

export const RESPONSE = readFileSync(
  join(process.cwd(), 'tests/fixtures/x-json/tweet_details.json'),
  'utf8',
);
/** The evidence keys the response must leave in the store, as the parser reads them. */
export const RESPONSE_EVIDENCE = parseXJson(JSON.parse(RESPONSE)).flatMap((o) =>
  o.type === 'interaction' ? [evidenceKey(o)] : [],
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
export const PAGE_SCRIPT = `
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

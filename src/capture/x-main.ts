/**
 * Runs in x.com's own JavaScript world at document_start (manifest `world: "MAIN"`). It wraps
 * fetch and XMLHttpRequest so that, for X's GraphQL operations Rapport reads, a copy of the
 * response text is handed to the content script. The page gets exactly what it got before;
 * Rapport never sends a request. Parsing happens in the content script, when the page is idle.
 */
import { operationFromUrl, X_OPERATIONS } from '../platforms/x/operations.ts';
import { BRIDGE_TAG, frameResponse, HELLO_EVENT, RESPONSE_EVENT } from './bridge.ts';

const OPERATIONS: ReadonlySet<string> = new Set(X_OPERATIONS);
const MAX_BODY = 20 * 1024 * 1024;

function operationOf(url: string): string | undefined {
  const op = operationFromUrl(url);
  return op && OPERATIONS.has(op) ? op : undefined;
}

/** After the page's own work: when idle, or soon. */
function later(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
}

function install(): void {
  const bridge = document.createElement(BRIDGE_TAG);
  const hello = new CustomEvent(HELLO_EVENT, { bubbles: true, cancelable: true });
  (document.documentElement ?? document).appendChild(bridge);
  bridge.dispatchEvent(hello);
  bridge.remove();
  // Nobody took the node: the content script is not there, so capture nothing.
  if (!hello.defaultPrevented) return;

  const hand = (operation: string, url: string, body: string) => {
    if (body.length > MAX_BODY) return;
    // One string, header lines then the body as received: no second JSON encoding of the body.
    bridge.dispatchEvent(
      new CustomEvent(RESPONSE_EVENT, { detail: frameResponse({ operation, url, body }) }),
    );
  };

  const originalFetch = window.fetch;
  window.fetch = function fetch(this: unknown, ...args: Parameters<typeof window.fetch>) {
    const pending = originalFetch.apply(this, args);
    try {
      const input = args[0];
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const operation = operationOf(url);
      if (operation) {
        // A clone of the response (the page's own body stream is left untouched), read once the
        // page has had its turn: the copy never sits on the page's path to its data.
        pending
          .then((response) => {
            if (!response.ok) return;
            const copy = response.clone();
            later(
              () =>
                void copy.text().then(
                  (body) => hand(operation, url, body),
                  () => undefined,
                ),
            );
          })
          .catch(() => undefined);
      }
    } catch {
      // Never let Rapport break the page's request.
    }
    return pending;
  };

  const urls = new WeakMap<XMLHttpRequest, string>();
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    try {
      urls.set(this, String(args[1]));
    } catch {
      // ignore
    }
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.send = function (
    this: XMLHttpRequest,
    ...args: Parameters<XMLHttpRequest['send']>
  ) {
    const url = urls.get(this);
    const operation = url ? operationOf(url) : undefined;
    if (url && operation) {
      this.addEventListener('load', () => {
        try {
          if (this.status < 200 || this.status >= 300) return;
          if (this.responseType === '' || this.responseType === 'text') {
            const body = this.responseText;
            later(() => hand(operation, url, body));
          } else if (this.responseType === 'json' && this.response !== null) {
            const json: unknown = this.response;
            later(() => hand(operation, url, JSON.stringify(json)));
          }
        } catch {
          // ignore
        }
      });
    }
    return send.apply(this, args);
  };
}

install();

/**
 * Shared by the page-world capture scripts (one per site, manifest `world: "MAIN"`, run at
 * document_start). It wraps fetch and XMLHttpRequest so that, for the API responses a site
 * adapter reads, the text the page itself reads is handed to the content script. The page gets
 * exactly what it got before, read once: no copy of the body is read a second time. Rapport never
 * sends a request. Parsing happens in the content script, when the page is idle.
 */
import { frameResponse, BRIDGE_TAG, HELLO_EVENT, PORT_EVENT } from './bridge.ts';

const MAX_BODY = 20 * 1024 * 1024;

/** After the page's own work: when idle, or soon. */
function later(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
}

/**
 * Wraps the page's fetch and XMLHttpRequest: for responses `operationOf` names, the text the page
 * reads is handed to the content script (see bridge.ts). Does nothing when no content script
 * took the bridge node.
 */
export function installCapture(operationOf: (url: string) => string | undefined): void {
  const bridge = document.createElement(BRIDGE_TAG);
  const hello = new CustomEvent(HELLO_EVENT, { bubbles: true, cancelable: true });
  (document.documentElement ?? document).appendChild(bridge);
  bridge.dispatchEvent(hello);
  bridge.remove();
  // Nobody took the node: the content script is not there, so capture nothing.
  if (!hello.defaultPrevented) return;

  // The private port: handed over on the node nobody else holds, then used for every response.
  const channel = new MessageChannel();
  bridge.dispatchEvent(new MessageEvent(PORT_EVENT, { ports: [channel.port2] }));
  const port = channel.port1;

  const hand = (operation: string, url: string, body: string) => {
    if (body.length > MAX_BODY) return;
    // One string, header lines then the body as received.
    later(() => port.postMessage(frameResponse({ operation, url, body })));
  };

  const { text: readText, json: readJson } = Response.prototype;
  /**
   * The page reads the body itself (text() or json()); Rapport takes the text it got. Only this
   * response object is touched, and json() parses the same text the way the browser does.
   */
  const share = (response: Response, operation: string, url: string) => {
    let shared = false;
    const handOnce = (body: string) => {
      if (shared) return;
      shared = true;
      hand(operation, url, body);
    };
    Object.defineProperty(response, 'text', {
      configurable: true,
      writable: true,
      value: function text(this: Response) {
        const pending = readText.call(this);
        if (this !== response) return pending;
        return pending.then((body) => {
          handOnce(body);
          return body;
        });
      },
    });
    Object.defineProperty(response, 'json', {
      configurable: true,
      writable: true,
      value: function json(this: Response) {
        if (this !== response) return readJson.call(this);
        return readText.call(this).then((body) => {
          const value: unknown = JSON.parse(body);
          handOnce(body);
          return value;
        });
      },
    });
  };

  const originalFetch = window.fetch;
  window.fetch = function fetch(this: unknown, ...args: Parameters<typeof window.fetch>) {
    const pending = originalFetch.apply(this, args);
    try {
      const input = args[0];
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const operation = operationOf(url);
      // Registered before the page's own callbacks: the response is ready when they run.
      if (operation)
        pending.then(
          (response) => {
            if (response.ok) share(response, operation, url);
          },
          () => undefined,
        );
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
          // The text the browser already decoded for the page: no copy is read.
          if (this.responseType === '' || this.responseType === 'text')
            hand(operation, url, this.responseText);
          else if (this.responseType === 'json' && this.response !== null) {
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

/**
 * The hand-over between the page-world capture script and the isolated content script.
 *
 * The page world is untrusted, so the channel is a DOM node nobody else can reach: at
 * document_start, before any page script runs, the capture script attaches a node for a moment,
 * dispatches HELLO on it (the content script, already listening on the document, keeps the node
 * and accepts by cancelling the event), and detaches it. Events dispatched on a detached node
 * reach only listeners on that node, so a page script can neither read nor forge what passes.
 *
 * Over that node passes one thing: a MessagePort (PORT event), whose other end the capture script
 * keeps. Every response then goes through the port as one string (a structured clone of a string
 * is a copy, where a DOM string or an event's detail crossing worlds costs a millisecond per large
 * response). What passes is data only, validated on arrival; the worst a forgery could do is be
 * parsed as a response, and it cannot reach the node or the port to try.
 */
export const BRIDGE_TAG = 'rapport-bridge';
export const HELLO_EVENT = 'rapport:hello';
export const PORT_EVENT = 'rapport:port';

/** What the capture script hands over: one response the page received. */
export interface CapturedResponse {
  operation: string;
  url: string;
  body: string;
}

/**
 * `operation\nurl\nbody` in one string: neither the operation name nor a URL holds a newline, and
 * the body passes as received (wrapping it in JSON would encode it a second time).
 */
export function frameResponse(response: CapturedResponse): string {
  return `${response.operation}\n${response.url}\n${response.body}`;
}

export function unframeResponse(frame: string): CapturedResponse | undefined {
  const first = frame.indexOf('\n');
  const second = first < 0 ? -1 : frame.indexOf('\n', first + 1);
  if (second < 0) return undefined;
  return {
    operation: frame.slice(0, first),
    url: frame.slice(first + 1, second),
    body: frame.slice(second + 1),
  };
}

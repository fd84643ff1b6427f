/**
 * The hand-over between the page-world capture script and the isolated content script.
 *
 * The page world is untrusted, so the channel is a DOM node nobody else can reach: at
 * document_start, before any page script runs, the capture script attaches a node for a moment,
 * dispatches HELLO on it (the content script, already listening on the document, keeps the node
 * and accepts by cancelling the event), and detaches it. Events dispatched on a detached node
 * reach only listeners on that node, so a page script can neither read nor forge what passes.
 * What passes is data only (strings), validated on arrival; the worst a forgery could do is be
 * parsed as a response, and it cannot reach the node to try.
 */
export const BRIDGE_TAG = 'rapport-bridge';
export const HELLO_EVENT = 'rapport:hello';
export const RESPONSE_EVENT = 'rapport:response';

/** What the capture script hands over: one response the page received. */
export interface CapturedResponse {
  operation: string;
  url: string;
  body: string;
}

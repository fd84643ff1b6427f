import * as v from 'valibot';
import {
  BRIDGE_TAG,
  HELLO_EVENT,
  PORT_EVENT,
  unframeResponse,
  type CapturedResponse,
} from '../capture/bridge.ts';
import { describeIssues } from '../shared/messages.ts';

const CapturedSchema = v.strictObject({
  operation: v.pipe(v.string(), v.regex(/^[A-Za-z]{1,60}$/)),
  url: v.pipe(v.string(), v.maxLength(8192)),
  body: v.pipe(v.string(), v.maxLength(20 * 1024 * 1024)),
});

export interface CaptureListener {
  /** Receives every validated response, including those that arrived before it was set. */
  onResponse(handler: (response: CapturedResponse) => void): void;
  /** Whether the capture script handed over its node (false: responses will not be read). */
  connected(): boolean;
}

/**
 * Waits, from document_start, for the capture script's node (see capture/bridge.ts). Only the
 * first node is taken; every message on it is validated as data and nothing else.
 */
export function listenForCaptures(doc: Document): CaptureListener {
  let bridge: Element | undefined;
  let handler: ((response: CapturedResponse) => void) | undefined;
  const early: CapturedResponse[] = [];

  const onHello = (event: Event) => {
    const target = event.target;
    if (bridge || !(target instanceof Element) || target.localName !== BRIDGE_TAG) return;
    bridge = target;
    event.preventDefault();
    doc.removeEventListener(HELLO_EVENT, onHello, true);
    let port: MessagePort | undefined;
    bridge.addEventListener(PORT_EVENT, (event) => {
      const offered = event instanceof MessageEvent ? event.ports[0] : undefined;
      // Only the first port: the capture script sends one, right after the node was taken.
      if (port || !offered) return;
      port = offered;
      port.onmessage = (message) => receive(message.data);
    });
  };
  const receive = (frame: unknown) => {
    const parsed = v.safeParse(
      CapturedSchema,
      typeof frame === 'string' ? unframeResponse(frame) : undefined,
    );
    if (!parsed.success) {
      console.warn('[rapport] refused a captured response:', describeIssues(parsed.issues));
      return;
    }
    if (handler) handler(parsed.output);
    else if (early.length < 50) early.push(parsed.output);
  };
  doc.addEventListener(HELLO_EVENT, onHello, true);

  return {
    onResponse(next) {
      handler = next;
      for (const response of early.splice(0)) next(response);
    },
    connected: () => bridge !== undefined,
  };
}

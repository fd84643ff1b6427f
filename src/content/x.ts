import { xAdapter } from '../platforms/x/index.ts';
import { listenForCaptures } from './capture-listener.ts';
import { startContent } from './run.ts';
import { contentRuntime } from './runtime.ts';

// document_start: take the capture script's node before any page script runs.
const captures = listenForCaptures(document);

function start(): void {
  const controller = startContent(xAdapter, {
    doc: document,
    send: async (message) => {
      const runtime = contentRuntime();
      if (!runtime?.id) throw new Error('Extension context invalidated');
      return runtime.sendMessage(message);
    },
    // After the extension is reloaded, this script's runtime id is gone: stop quietly.
    alive: () => Boolean(contentRuntime()?.id),
  });
  captures.onResponse((response) => controller.readResponse(response));
}

if (document.readyState === 'loading')
  document.addEventListener('DOMContentLoaded', start, { once: true });
else start();

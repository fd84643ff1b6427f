import { xAdapter } from '../platforms/x/index.ts';
import { startContent } from './run.ts';
import { contentRuntime } from './runtime.ts';

startContent(xAdapter, {
  doc: document,
  send: async (message) => {
    const runtime = contentRuntime();
    if (!runtime?.id) throw new Error('Extension context invalidated');
    return runtime.sendMessage(message);
  },
  // After the extension is reloaded, this script's runtime id is gone: stop quietly.
  alive: () => Boolean(contentRuntime()?.id),
});

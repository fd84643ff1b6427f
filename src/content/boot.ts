import type { PlatformAdapter } from '../platforms/adapter.ts';
import { listenForCaptures } from './capture-listener.ts';
import { onRepaintRequest } from '../shared/repaint.ts';
import { startContent } from './run.ts';
import { contentRuntime } from './runtime.ts';

/**
 * A content script's whole life on one site: from document_start, take the capture script's node
 * (before any page script runs); once the document is parsed, drive the site's adapter.
 */
export function bootContent(adapter: PlatformAdapter): void {
  const captures = listenForCaptures(document);

  const start = () => {
    const controller = startContent(adapter, {
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
    // A tier chosen by hand, a setting or a note changed in Rapport's pages: badges catch up now,
    // not at the next posts read.
    onRepaintRequest(() => controller.repaint());
  };

  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}

/**
 * The toolbar icon counts people waiting on an answer (a setting). The worker paints it after
 * each batch it saves; when one of the extension's own pages changes what it counts (the setting
 * itself, a tier chosen by hand, an import, everything deleted), the page asks for a repaint here:
 * a key in session storage the worker watches, since the worker takes messages from content
 * scripts only.
 */
import { sessionArea, type SessionArea } from './storage-full.ts';

export const TOOLBAR_REFRESH_KEY = 'toolbarRefresh';

export async function requestToolbarRefresh(
  area: SessionArea | undefined = sessionArea(),
  now = Date.now(),
): Promise<void> {
  // A new value each time: the worker hears of every change, not only the first.
  await area?.set({ [TOOLBAR_REFRESH_KEY]: now }).catch(() => undefined);
}

import { defineManifest } from '@crxjs/vite-plugin';
import pkg from '../package.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';

/** Sites Rapport reads. Host access exists only where its content scripts run. */
export const CONTENT_MATCHES = {
  x: ['https://x.com/*'],
  linkedin: ['https://www.linkedin.com/*'],
} as const;

/** One source for both browsers; crxjs turns the worker into background scripts for Firefox. */
export function makeManifest(browser: TargetBrowser) {
  return defineManifest({
    manifest_version: 3,
    name: 'Rapport',
    description:
      'Who actually talks with you on X and LinkedIn: a badge beside every name. Nothing leaves your machine.',
    version: pkg.version,
    permissions: ['storage', 'unlimitedStorage'],
    // Firefox has no extension service workers: the same module runs as an event page there.
    background:
      browser === 'firefox'
        ? { scripts: ['src/background/index.ts'], type: 'module' }
        : { service_worker: 'src/background/index.ts', type: 'module' },
    action: { default_popup: 'src/popup/index.html', default_title: 'Rapport' },
    options_ui: { page: 'src/options/index.html', open_in_tab: true },
    icons: {
      16: 'icons/icon-16.png',
      32: 'icons/icon-32.png',
      48: 'icons/icon-48.png',
      128: 'icons/icon-128.png',
    },
    // Order matters: the content script must be listening before the capture script says hello.
    content_scripts: [
      { matches: [...CONTENT_MATCHES.x], js: ['src/content/x.ts'], run_at: 'document_start' },
      {
        matches: [...CONTENT_MATCHES.x],
        js: ['src/capture/x-main.ts'],
        run_at: 'document_start',
        world: 'MAIN',
      },
      {
        matches: [...CONTENT_MATCHES.linkedin],
        js: ['src/content/linkedin.ts'],
        run_at: 'document_start',
      },
      {
        matches: [...CONTENT_MATCHES.linkedin],
        js: ['src/capture/linkedin-main.ts'],
        run_at: 'document_start',
        world: 'MAIN',
      },
    ],
    content_security_policy: {
      extension_pages:
        "default-src 'self'; script-src 'self'; object-src 'none'; connect-src 'none'; img-src 'self' data:",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'rapport@rapport.local',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  });
}

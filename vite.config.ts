import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import { makeManifest, type TargetBrowser } from './manifest/manifest.ts';

const browser: TargetBrowser = process.env.BROWSER === 'firefox' ? 'firefox' : 'chrome';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [
    crx({
      manifest: makeManifest(browser),
      browser,
      // One file per content script and no web-accessible resources: sites probe for those.
      contentScripts: {
        standaloneFiles: [
          'src/content/x.ts',
          'src/capture/x-main.ts',
          'src/content/linkedin.ts',
          'src/capture/linkedin-main.ts',
        ],
      },
    }),
  ],
  build: {
    outDir: `dist/${browser}`,
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // RAPPORT_PROFILE=1 keeps names readable for the profiler (npm run bench -- --profile).
    minify: !process.env.RAPPORT_PROFILE,
  },
  server: { port: 5173, strictPort: true },
});

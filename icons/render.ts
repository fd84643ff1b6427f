/**
 * Renders icons/icon.svg to the PNG sizes the manifest lists, with Debian's Chromium, and the
 * warning variant the toolbar shows while some kind of page is not being read (the same drawing
 * with an amber "!" disc; in public/icons so the build copies it beside the others).
 *   npx tsx icons/render.ts
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const SIZES = [16, 32, 48, 128];
const svg = readFileSync('icons/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const size of SIZES) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg}`);
  await page.screenshot({ path: `icons/icon-${size}.png`, omitBackground: true });
}
const WARNING = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" style="position:absolute;inset:0">
  <circle cx="96" cy="96" r="32" fill="#b45309" stroke="#ffffff" stroke-width="6"/>
  <rect x="90" y="74" width="12" height="28" rx="5" fill="#ffffff"/>
  <circle cx="96" cy="113" r="6.5" fill="#ffffff"/>
</svg>`;
mkdirSync('public/icons', { recursive: true });
for (const size of SIZES) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}div{position:relative;width:${size}px;height:${size}px}svg{width:${size}px;height:${size}px;display:block}</style><div>${svg}${WARNING}</div>`,
  );
  await page.screenshot({ path: `public/icons/icon-warning-${size}.png`, omitBackground: true });
}
await browser.close();

/**
 * npm start [-- --screenshot out.png | --screenshot DIR]
 * Opens Chromium with the built extension on the bundled demo feed (made-up people served at
 * x.com addresses). Headed when a display exists; with --screenshot it runs headless, lets
 * Rapport read the demo pages, saves a picture of the badged feed and exits.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkedinDemoPages } from '../demo/linkedin-story.ts';
import { demoPages, VIEWER } from '../demo/story.ts';
import { DIST, launchChromium } from './launch.ts';

function argValue(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const screenshot = argValue(args, '--screenshot');
  if (args.includes('--screenshot') && !screenshot) {
    console.error(
      'start: --screenshot needs a file name or a folder, e.g. --screenshot out.png or --screenshot shots',
    );
    return 1;
  }
  if (!existsSync(`${DIST}/manifest.json`)) {
    console.error(
      `start: no build in ${DIST}; run "npm run build" first (npm start does it for you)`,
    );
    return 1;
  }
  const headless = Boolean(screenshot) || !process.env.DISPLAY;
  const browser = await launchChromium({ headless });
  const now = Date.now();
  for (const [path, html] of Object.entries(demoPages(now))) browser.serve(path, html);
  for (const [url, html] of Object.entries(linkedinDemoPages(now))) browser.serve(url, html);

  if (screenshot) {
    // Read the demo the way a person would: the feed, then the followers page, then the feed again.
    const page = await browser.context.newPage();
    await page.goto('https://x.com/home');
    await page.waitForSelector('rapport-badge');
    await page.goto(`https://x.com/${VIEWER.handle}/followers`);
    await page.waitForSelector('rapport-badge[data-tier="silent-follower"]', { timeout: 15_000 });
    // LinkedIn too: notifications, connections and followers, so the popup shows both sites.
    for (const url of Object.keys(linkedinDemoPages(now)).filter((u) => !u.endsWith('/feed/'))) {
      await page.goto(url);
      await page.waitForSelector('rapport-badge, article', { timeout: 15_000 });
      await page.waitForTimeout(1200);
    }
    await page.goto('https://www.linkedin.com/feed/');
    await page.waitForSelector('rapport-badge[data-tier="conversational"]', { timeout: 15_000 });
    const linkedinFeed = await page.screenshot({ fullPage: true });
    await page.goto('https://x.com/home');
    await page.waitForSelector('rapport-badge[data-tier="conversational"]', { timeout: 15_000 });
    // A file name: the X feed alone. A folder: the X feed, the LinkedIn feed and the popup.
    if (/\.png$/i.test(screenshot)) {
      await page.screenshot({ path: screenshot });
      console.log(`start: saved ${screenshot}`);
    } else {
      mkdirSync(screenshot, { recursive: true });
      await page.screenshot({ path: join(screenshot, 'x-feed.png') });
      writeFileSync(join(screenshot, 'linkedin-feed.png'), linkedinFeed);
      const popup = await browser.context.newPage();
      await popup.setViewportSize({ width: 380, height: 600 });
      await popup.goto(`chrome-extension://${browser.extensionId}/src/popup/index.html`);
      await popup.waitForSelector('.row');
      await popup.waitForSelector('.summary:not(.muted)');
      await popup.screenshot({ path: join(screenshot, 'popup.png') });
      console.log(`start: saved x-feed.png, linkedin-feed.png and popup.png in ${screenshot}`);
    }
    await browser.close();
    return 0;
  }

  const page = await browser.context.newPage();
  await page.goto('https://x.com/home');
  console.log(`Rapport demo is open (extension id ${browser.extensionId}).`);
  console.log(`  feed:      https://x.com/home`);
  console.log(`  followers: https://x.com/${VIEWER.handle}/followers`);
  console.log(`  LinkedIn:  https://www.linkedin.com/feed/ (and /notifications/, My Network)`);
  console.log(`  popup:     chrome-extension://${browser.extensionId}/src/popup/index.html`);
  if (headless)
    console.log(
      'No display found: running headless. Use "npm start -- --screenshot out.png" to see it.',
    );
  console.log('Close the browser window or press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    browser.context.on('close', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await browser.close().catch(() => undefined);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('start:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

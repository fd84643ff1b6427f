/**
 * npm start [-- --screenshot out.png | --screenshot DIR]
 * Opens Chromium with the built extension on the bundled demo feed (made-up people served at
 * x.com and www.linkedin.com addresses). It first reads every demo page and writes one note, so
 * the story is whole when the window opens. Headed when a display exists; with --screenshot it
 * runs headless, saves pictures and exits.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkedinDemoPages } from '../demo/linkedin-story.ts';
import { demoPages, VIEWER } from '../demo/story.ts';
import { DIST, launchChromium, type Launched } from './launch.ts';

function argValue(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The person the demo writes a note about, as the user would in the popup. */
const NOTED = {
  handle: 'aiko_t',
  note: 'Prefers mornings. Ask how the river field guide is going.',
  tags: 'type, friends',
};

/**
 * Reads every demo page in one tab (X feed, followers, LinkedIn notifications, network and
 * feed), then writes a note and tags in the popup, so the demo opens on a whole story: every
 * tier, someone waiting, a note, and the week's nudge. Returns the LinkedIn feed's picture.
 */
async function tellTheStory(browser: Launched, now: number): Promise<Buffer> {
  const page = await browser.context.newPage();
  await page.goto('https://x.com/home');
  await page.waitForSelector('rapport-badge');
  await page.goto(`https://x.com/${VIEWER.handle}/followers`);
  await page.waitForSelector('rapport-badge[data-tier="silent-follower"]', { timeout: 15_000 });
  for (const url of Object.keys(linkedinDemoPages(now)).filter((u) => !u.endsWith('/feed/'))) {
    await page.goto(url);
    await page.waitForSelector('rapport-badge, article', { timeout: 15_000 });
    await page.waitForTimeout(1200);
  }
  await page.goto('https://www.linkedin.com/feed/');
  await page.waitForSelector('rapport-badge[data-tier="conversational"]', { timeout: 15_000 });
  const linkedinFeed = await page.screenshot({ fullPage: true });
  await page.close();

  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/src/popup/index.html`);
  await popup.click(`.row[data-account="x:${NOTED.handle}"]`);
  await popup.locator('.detail textarea').fill(NOTED.note);
  await popup.locator('.detail input.tags').fill(NOTED.tags);
  // Notes save on every keystroke; give the last write a moment before the tab goes.
  await popup.waitForTimeout(300);
  await popup.close();
  return linkedinFeed;
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

  console.log('start: reading the demo pages the way a person would…');
  const linkedinFeed = await tellTheStory(browser, now);
  const page = await browser.context.newPage();
  await page.goto('https://x.com/home');
  await page.waitForSelector('rapport-badge[data-tier="conversational"]', { timeout: 15_000 });

  if (screenshot) {
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
      await popup.click(`.row[data-account="x:${NOTED.handle}"]`);
      await popup.waitForSelector('.detail textarea');
      await popup.screenshot({ path: join(screenshot, 'person.png'), fullPage: true });
      console.log(
        `start: saved x-feed.png, linkedin-feed.png, popup.png and person.png in ${screenshot}`,
      );
    }
    await browser.close();
    return 0;
  }

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

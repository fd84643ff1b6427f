import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoPages } from '../../src/demo/story.ts';
import { launchWithExtension, SCREENSHOTS, type ExtensionSession } from './harness.ts';

let session: ExtensionSession;
const badgeText = () =>
  session.worker.evaluate(() =>
    (
      globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
    ).chrome.action.getBadgeText({}),
  );

beforeAll(async () => {
  session = await launchWithExtension();
});
afterAll(async () => session?.close());

describe('breakage alarm', () => {
  test('a home page whose posts lack the expected hooks: the popup says so, the toolbar warns; a readable page clears it', async () => {
    const good = demoPages(Date.now())['/home'] as string;
    // X ships new markup: the posts are there, their testid is not the one Rapport reads.
    session.serve('/home', good.replaceAll('data-testid="tweet"', 'data-testid="post-2027"'));
    const page = await session.open('/home');
    await expect.poll(badgeText, { timeout: 20_000, interval: 500 }).toBe('!');
    const popup = await session.openPopup();
    await popup.waitForSelector('.alarm');
    expect(await popup.textContent('.alarm')).toMatch(/stopped reading X home timeline pages on/);
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-breakage.png'), fullPage: true });

    session.serve('/home', good);
    await page.reload();
    await expect.poll(badgeText, { timeout: 20_000, interval: 500 }).toBe('');
    await popup.reload();
    await popup.waitForSelector('main.popup');
    expect(await popup.locator('.alarm').count()).toBe(0);
  });
});

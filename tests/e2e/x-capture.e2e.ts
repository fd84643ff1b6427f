import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VIEWER } from '../../src/demo/story.ts';
import { pageMarkup } from '../../src/demo/x-markup.ts';
import { PAGE_SCRIPT, RESPONSE, RESPONSE_EVIDENCE } from './capture-page.ts';
import { launchWithExtension, type ExtensionSession } from './harness.ts';

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchWithExtension();
  session.serve('/i/api/graphql/AbC123/TweetDetail', RESPONSE, 'application/json');
  session.serve('/i/api/graphql/dEf456/TweetDetail', RESPONSE, 'application/json');
  session.serve('/i/api/graphql/GhI789/TweetDetail', RESPONSE, 'application/json');
  session.serve(
    '/capture',
    pageMarkup({ title: 'Post', viewer: VIEWER, body: '' }).replace(
      '</body>',
      `${PAGE_SCRIPT}</body>`,
    ),
  );
});
afterAll(async () => session?.close());

describe("X's own API responses, read passively", () => {
  test('TweetDetail read by fetch and by XHR lands in IndexedDB; the page gets identical bodies; forgeries store nothing', async () => {
    const page = await session.open('/capture');
    await page.waitForFunction(() => {
      const bodies = (window as unknown as { __bodies: Record<string, string> }).__bodies;
      return bodies.fetch !== undefined && bodies.xhr !== undefined && bodies.json !== undefined;
    });
    const bodies = await page.evaluate(
      () => (window as unknown as { __bodies: Record<string, string> }).__bodies,
    );
    expect(bodies.fetch).toBe(RESPONSE);
    expect(bodies.xhr).toBe(RESPONSE);
    expect(bodies.json).toBe(JSON.stringify(JSON.parse(RESPONSE)));
    expect(
      await page.evaluate(() => (window as unknown as { __helloTaken: boolean }).__helloTaken),
    ).toBe(false);

    const expected = RESPONSE_EVIDENCE;
    expect(expected.length).toBeGreaterThan(0);
    let stored: string[] = [];
    for (let i = 0; i < 40; i++) {
      stored = (await session.readStore<{ key: string }>('evidence').catch(() => [])).map(
        (e) => e.key,
      );
      if (expected.every((key) => stored.includes(key))) break;
      await page.waitForTimeout(250);
    }
    expect(stored).toEqual(expect.arrayContaining(expected));
    const accounts = await session.readStore<{ key: string }>('accounts');
    expect(accounts.map((a) => a.key)).not.toContain('x:forged_handle');
    expect(stored.some((key) => key.includes('forged_handle'))).toBe(false);
    await page.close();
  });

  test('no network request from the extension', () => {
    expect(session.extensionRequests).toEqual([]);
  });
});

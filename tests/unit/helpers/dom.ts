import { Window } from 'happy-dom';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A saved page as a Document, parsed as the browser would (full page or outerHTML fragment). */
export function loadPage(path: string, url = 'https://x.com/home'): Document {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableCSSFileLoading: true,
      disableJavaScriptFileLoading: true,
    },
  });
  const html = readFileSync(path, 'utf8');
  if (/^\s*(<!DOCTYPE|<html)/i.test(html)) window.document.write(html);
  else window.document.body.innerHTML = html;
  return window.document as unknown as Document;
}

export const FIXTURES = join(process.cwd(), 'tests/fixtures');
export const REAL = join(process.cwd(), '../shared/fixtures/real');

export function realFiles(prefix: string, ext: string): string[] {
  if (!existsSync(REAL)) return [];
  return readdirSync(REAL)
    .filter((dir) => dir.startsWith(prefix))
    .flatMap((dir) =>
      readdirSync(join(REAL, dir))
        .filter((f) => f.endsWith(ext))
        .map((f) => join(REAL, dir, f)),
    );
}

/** The URL each real page was on, where the page itself does not say. */
export const REAL_URLS: Record<string, string> = {
  'Conversation-without-problems.html': 'https://x.com/ApostleJohnW/status/1881841967291928947',
  'Home-Timeline-With-Replies.html': 'https://x.com/home',
  'ajweltytest-with-replies-april-21-2025.html': 'https://x.com/ajweltytest/with_replies',
  'general--x.com-article-2026-02-13.html': 'https://x.com/arscontexta/status/2013045749580259680',
  'x-tweet-quote.html': 'https://x.com/home',
  'x-tweet-sample.html': 'https://x.com/home',
  'notifications.html': 'https://www.linkedin.com/notifications/',
  'activity_posts_ken_cheng_1.html':
    'https://www.linkedin.com/in/ken-cheng-991849b6/recent-activity/all/',
};

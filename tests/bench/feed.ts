/**
 * The benchmark feed: an x.com page whose own script keeps appending posts cloned from the real
 * (anonymised) home timeline, each with a fresh id, and drops old rows as X's virtual list does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkedinPageMarkup } from '../../src/demo/linkedin-markup.ts';
import { LINKEDIN_VIEWER } from '../../src/demo/linkedin-story.ts';
import { VIEWER } from '../../src/demo/story.ts';
import { pageMarkup } from '../../src/demo/x-markup.ts';

export function benchFeedPage(): string {
  const real = readFileSync(join(process.cwd(), 'tests/fixtures/x/home-timeline.html'), 'utf8');
  const script = `
  (() => {
    const template = document.createElement('template');
    template.innerHTML = document.getElementById('cells').textContent;
    const cells = [...template.content.querySelectorAll('[data-testid="cellInnerDiv"]')];
    const timeline = document.querySelector('main section > div > div');
    let next = 1;
    window.__feed = {
      append(count) {
        for (let i = 0; i < count; i++) {
          const cell = cells[next % cells.length].cloneNode(true);
          const id = String(1800000000000000000n + BigInt(next++));
          for (const a of cell.querySelectorAll('a[href*="/status/"]')) {
            a.setAttribute('href', a.getAttribute('href').replace(/status\\/\\d+/, 'status/' + id));
          }
          timeline.append(cell);
          if (timeline.childElementCount > 40) timeline.firstElementChild.remove();
        }
      },
      async scroll(posts, perStep) {
        for (let done = 0; done < posts; done += perStep) {
          this.append(perStep);
          await new Promise((r) => setTimeout(r, 16));
        }
      },
    };
  })();`;
  const cellsJson = real.replace(/<\/script/gi, '<\\/script');
  return pageMarkup({ title: 'Home', viewer: VIEWER, body: '' }).replace(
    '</body>',
    `<script type="text/plain" id="cells">${cellsJson}</script><script>${script}</script></body>`,
  );
}

/**
 * The X bench feed whose script also changes the page without bringing anything to read, as the
 * site does all the time (counters, media, menus): `__quiet.change(n)` adds a line of text to the
 * timeline (and drops the oldest row), one per frame.
 */
export function benchQuietChangesPage(): string {
  const script = `
  window.__quiet = {
    async change(count) {
      const timeline = document.querySelector('main section > div > div');
      for (let i = 0; i < count; i++) {
        const line = document.createElement('div');
        line.textContent = 'line ' + i;
        timeline.append(line);
        if (timeline.childElementCount > 40) timeline.firstElementChild.remove();
        await new Promise((r) => setTimeout(r, 16));
      }
    },
  };`;
  return benchFeedPage().replace('</body>', `<script>${script}</script></body>`);
}

/**
 * The LinkedIn benchmark feed: a linkedin.com page whose own script keeps appending posts cloned
 * from the real (anonymised) recent-activity page, each with a fresh activity id, and drops old
 * ones so the page stays the size of a scrolled feed. `growing`: nothing is dropped (LinkedIn's
 * own lists keep what was scrolled) and each copy's people are new (their profile slugs get the
 * copy's number), as on a long list of connections.
 */
export function benchLinkedInFeedPage(growing = false): string {
  const real = readFileSync(
    join(process.cwd(), 'tests/fixtures/linkedin/recent-activity.html'),
    'utf8',
  );
  const script = `
  (() => {
    const template = document.createElement('template');
    template.innerHTML = document.getElementById('posts').textContent;
    const posts = [...template.content.querySelectorAll('[data-urn^="urn:li:activity:"]')];
    const feed = document.querySelector('main');
    let next = 1;
    window.__feed = {
      append(count) {
        for (let i = 0; i < count; i++) {
          const post = posts[next % posts.length].cloneNode(true);
          post.setAttribute('data-urn', 'urn:li:activity:' + String(7400000000000000000n + BigInt(next)));
          if (${growing}) {
            for (const a of post.querySelectorAll('a[href*="/in/"]'))
              a.setAttribute('href', a.getAttribute('href').replace(/\\/in\\/([^/?#]+)/, '/in/$1-' + next));
          }
          next++;
          feed.append(post);
          if (!${growing} && feed.childElementCount > 40) feed.children[1].remove();
        }
      },
      async scroll(count, perStep) {
        for (let done = 0; done < count; done += perStep) {
          this.append(perStep);
          await new Promise((r) => setTimeout(r, 16));
        }
      },
    };
  })();`;
  const postsJson = real.replace(/<\/script/gi, '<\\/script');
  return linkedinPageMarkup({ title: 'Feed', viewer: LINKEDIN_VIEWER, body: '' }).replace(
    '</body>',
    `<script type="text/plain" id="posts">${postsJson}</script><script>${script}</script></body>`,
  );
}

/**
 * A linkedin.com feed page carrying first-load data as LinkedIn embeds it: `count` pairs of
 * `<code>` blocks (the request, and its body: the real comments response, 280 KB), all of a kind
 * Rapport reads, so the content script has them all to read at once when the page is idle.
 */
export function benchLinkedInEmbeddedPage(count: number): string {
  const comments = readFileSync(
    join(process.cwd(), 'tests/fixtures/linkedin-json/comments.json'),
    'utf8',
  );
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  let blocks = '';
  for (let i = 0; i < count; i++) {
    const request = `/voyager/api/graphql?queryId=voyagerSocialDashComments.${i}&variables=()`;
    blocks +=
      `<code id="bpr-guid-${i}" style="display:none">${escape(comments)}</code>` +
      `<code id="datalet-bpr-guid-${i}" style="display:none">${escape(JSON.stringify({ request, status: 200, body: `bpr-guid-${i}`, method: 'GET' }))}</code>`;
  }
  return linkedinPageMarkup({ title: 'Feed', viewer: LINKEDIN_VIEWER, body: '' }).replace(
    '</body>',
    `${blocks}</body>`,
  );
}

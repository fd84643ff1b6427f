/**
 * X-like pages for the demo feed and the browser tests: the same hooks and nesting as the real
 * captures in tests/fixtures/x (data-testid, role, thread line beside the avatar, reply context
 * between header and text), with made-up people. tests/unit/demo-markup.test.ts checks the X
 * adapter reads these exactly as it reads the real pages.
 */

export interface DemoPerson {
  handle: string;
  name: string;
  /** Numeric id, as in X's follow buttons. */
  id: string;
  bio?: string;
}

export interface DemoPost {
  id: string;
  author: DemoPerson;
  at: string;
  text: string;
  /** Handles in "Replying to @a @b". */
  replyingTo?: string[];
  /** Handles linked in the text as @mentions (appended). */
  mentions?: string[];
  quote?: { author: DemoPerson; at: string; text: string };
  /** Someone who reposted this post into the timeline. */
  repostedBy?: DemoPerson;
  /** The next row continues this thread (X draws a line under the avatar). */
  continues?: boolean;
}

export interface DemoCell {
  person: DemoPerson;
  followsYou?: boolean;
  youFollow?: boolean;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Everything a page shows goes through here: the demo is text, never markup. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function hue(handle: string): number {
  let h = 0;
  for (const c of handle) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

function avatar(person: DemoPerson, linked: boolean): string {
  const initials = person.name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2);
  const face = `<div class="av" style="background:hsl(${hue(person.handle)} 55% 45%)">${esc(initials)}</div>`;
  return `<div data-testid="UserAvatar-Container-${esc(person.handle)}">${
    linked
      ? `<a href="/${esc(person.handle)}" aria-hidden="true" role="link" tabindex="-1">${face}</a>`
      : `<div aria-hidden="true" role="presentation">${face}</div>`
  }</div>`;
}

function relative(at: string, now: number): string {
  const minutes = Math.max(1, Math.round((now - Date.parse(at)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)}h`;
  return new Date(at).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

function userName(
  person: DemoPerson,
  statusId: string | undefined,
  at: string,
  now: number,
): string {
  const time = `<time datetime="${esc(at)}">${esc(relative(at, now))}</time>`;
  if (statusId === undefined) {
    // A quoted post: no links at all, as on x.com.
    return `<div data-testid="User-Name"><div dir="ltr"><span>${esc(person.name)}</span></div><div tabindex="-1"><div dir="ltr"><span>@${esc(person.handle)}</span></div></div><div dir="ltr" aria-hidden="true"><span>·</span></div><div dir="ltr">${time}</div></div>`;
  }
  return `<div data-testid="User-Name"><div class="nm"><div><a href="/${esc(person.handle)}" role="link"><div dir="ltr"><span>${esc(person.name)}</span></div></a></div></div><div class="hd"><div><a href="/${esc(person.handle)}" role="link" tabindex="-1"><div dir="ltr"><span>@${esc(person.handle)}</span></div></a></div><div dir="ltr" aria-hidden="true"><span>·</span></div><div><a href="/${esc(person.handle)}/status/${esc(statusId)}" dir="ltr" role="link">${time}</a></div></div></div>`;
}

function tweetText(text: string, mentions: readonly string[] = []): string {
  const links = mentions
    .map((h) => ` <a dir="ltr" href="/${esc(h)}" role="link">@${esc(h)}</a>`)
    .join('');
  return `<div dir="auto" lang="en" data-testid="tweetText"><span>${esc(text)}</span>${links}</div>`;
}

export function postMarkup(post: DemoPost, now: number): string {
  const social = post.repostedBy
    ? `<div class="sc"><a href="/${esc(post.repostedBy.handle)}" dir="ltr" role="link"><span data-testid="socialContext">${esc(post.repostedBy.name)} reposted</span></a></div>`
    : '';
  const replying = post.replyingTo?.length
    ? `<div class="rt"><div dir="ltr">Replying to ${post.replyingTo.map((h) => `<div class="rl"><a dir="ltr" href="/${esc(h)}" role="link"><span>@${esc(h)}</span></a></div>`).join(' ')}</div></div>`
    : '';
  const quote = post.quote
    ? `<div class="qt"><div tabindex="0" role="link"><div class="qh"><div data-testid="Tweet-User-Avatar">${avatar(post.quote.author, false)}</div>${userName(post.quote.author, undefined, post.quote.at, now)}</div>${tweetText(post.quote.text)}</div></div>`
    : '';
  const line = post.continues ? '<div class="line"></div>' : '';
  return `<article data-testid="tweet" role="article" tabindex="0"><div class="tw">${social}<div class="row"><div class="avcol"><div data-testid="Tweet-User-Avatar">${avatar(post.author, true)}</div>${line}</div><div class="body"><div class="hdr">${userName(post.author, post.id, post.at, now)}</div>${replying}<div>${tweetText(post.text, post.mentions)}</div>${quote}<div role="group" aria-label="Actions" class="act"><button data-testid="reply" type="button" aria-label="Reply">↩</button><button data-testid="retweet" type="button" aria-label="Repost">⟲</button><button data-testid="like" type="button" aria-label="Like">♡</button></div></div></div></div></article>`;
}

export function userCellMarkup(cell: DemoCell): string {
  const { person } = cell;
  const indicator = cell.followsYou
    ? '<div dir="ltr" data-testid="userFollowIndicator"><span>Follows you</span></div>'
    : '';
  const button = cell.youFollow
    ? `<button data-testid="${esc(person.id)}-unfollow" type="button" aria-label="Following @${esc(person.handle)}"><span>Following</span></button>`
    : `<button data-testid="${esc(person.id)}-follow" type="button" aria-label="Follow @${esc(person.handle)}"><span>${cell.followsYou ? 'Follow back' : 'Follow'}</span></button>`;
  return `<div data-testid="UserCell" role="button" tabindex="0" class="uc">${avatar(person, true)}<div class="ucb"><div class="ucn"><a href="/${esc(person.handle)}" role="link"><div dir="ltr"><span>${esc(person.name)}</span></div></a></div><div class="uch"><a href="/${esc(person.handle)}" role="link" tabindex="-1"><div dir="ltr"><span>@${esc(person.handle)}</span></div></a>${indicator}</div><div dir="auto" class="bio">${esc(person.bio ?? '')}</div></div>${button}</div>`;
}

const CELL = (inner: string) =>
  `<div data-testid="cellInnerDiv"><div class="cell">${inner}</div></div>`;
const SEPARATOR = CELL('<div class="sep"></div>');

/** A timeline: posts in rows; a post that does not continue a thread is followed by a separator. */
export function timelineMarkup(posts: readonly DemoPost[], now: number): string {
  return posts
    .map((post) => CELL(postMarkup(post, now)) + (post.continues ? '' : SEPARATOR))
    .join('');
}

export function cellsMarkup(cells: readonly DemoCell[]): string {
  return cells.map((cell) => CELL(userCellMarkup(cell))).join('');
}

const STYLE = `
*{box-sizing:border-box} a{text-decoration:none} body{margin:0;font:15px/1.35 system-ui,-apple-system,'Segoe UI',sans-serif;color:#0f1419;background:#fff}
#react-root{display:flex;justify-content:center;min-height:100vh}
header{width:230px;padding:12px;border-right:1px solid #eff3f4} nav{display:flex;flex-direction:column;gap:4px;position:sticky;top:12px}
nav a{color:#0f1419;text-decoration:none;font-size:19px;padding:10px 12px;border-radius:999px} nav a:hover{background:#eff3f4}
.logo{font-weight:800;font-size:26px}
nav button{margin-top:24px;display:flex;gap:10px;align-items:center;border:0;background:none;padding:10px;border-radius:999px;text-align:left;font:inherit}
main{width:600px;border-right:1px solid #eff3f4} h2.pt{font-size:20px;margin:0;padding:14px 16px;border-bottom:1px solid #eff3f4;position:sticky;top:0;background:rgba(255,255,255,.9)}
.cell{padding:0 16px} .sep{border-bottom:1px solid #eff3f4;height:0}
article{padding:12px 0 4px} .row{display:flex;gap:12px} .avcol{display:flex;flex-direction:column;align-items:center;width:40px;flex:none}
.line{width:2px;flex:1;background:#cfd9de;margin-top:4px} .body{flex:1;min-width:0}
.av{width:40px;height:40px;border-radius:50%;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:14px}
.qt .av{width:20px;height:20px;font-size:9px}
[data-testid=User-Name]{display:flex;flex-wrap:wrap;gap:4px;align-items:center}
.nm a,.ucn a{font-weight:700;color:#0f1419;text-decoration:none} .nm>div,.nm a,.hd,.hd>div{display:flex;align-items:center;gap:4px}
.hd a,.hd,.uch a{color:#536471;text-decoration:none} .sc{color:#536471;font-size:13px;font-weight:700;margin:0 0 4px 52px} .sc a{color:#536471;text-decoration:none}
.rt{color:#536471;margin:2px 0} .rt .rl{display:inline} .rt a,[data-testid=tweetText] a{color:#1d9bf0;text-decoration:none}
[data-testid=tweetText]{margin:2px 0 8px;white-space:pre-wrap}
.qt>div{border:1px solid #cfd9de;border-radius:14px;padding:10px 12px;margin-bottom:8px} .qh{display:flex;gap:6px;align-items:center}
.qh [data-testid=User-Name]{font-size:14px} .qh [data-testid=User-Name] span{color:#536471} .qh [data-testid=User-Name] div:first-child span{color:#0f1419;font-weight:700}
.act{display:flex;gap:60px;color:#536471} .act button{border:0;background:none;color:#536471;font-size:16px;padding:4px 0}
.uc{display:flex;gap:12px;padding:12px 0;align-items:flex-start} .ucb{flex:1;min-width:0} .ucn{display:flex;align-items:center}
.uch{display:flex;gap:6px;align-items:center} [data-testid=userFollowIndicator]{background:#eff3f4;color:#536471;font-size:12px;border-radius:4px;padding:0 4px}
.uc button{background:#0f1419;color:#fff;border:0;border-radius:999px;padding:6px 16px;font-weight:700} .bio{margin-top:4px}
aside{width:300px;padding:16px;color:#536471;font-size:14px}
`;

export interface DemoPage {
  title: string;
  viewer: DemoPerson;
  body: string;
  note?: string;
}

/** A whole x.com-like document: side navigation with the viewer, the main column, an aside. */
export function pageMarkup(page: DemoPage): string {
  const v = page.viewer;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(page.title)} / X (Rapport demo)</title><style>${STYLE}</style></head><body><div id="react-root"><header role="banner"><nav aria-label="Primary" role="navigation"><a class="logo" href="/home" aria-label="X">𝕏</a><a href="/home" data-testid="AppTabBar_Home_Link">Home</a><a href="/notifications" data-testid="AppTabBar_Notifications_Link">Notifications</a><a href="/${esc(v.handle)}" data-testid="AppTabBar_Profile_Link" aria-label="Profile" role="link">Profile</a><a href="/${esc(v.handle)}/followers">Followers</a><button data-testid="SideNav_AccountSwitcher_Button" aria-label="Account menu" type="button">${avatar(v, false)}<div><div dir="ltr"><span>${esc(v.name)}</span></div><div tabindex="-1"><div dir="ltr"><span>@${esc(v.handle)}</span></div></div></div></button></nav></header><main role="main"><div data-testid="primaryColumn"><h2 class="pt">${esc(page.title)}</h2><section><div aria-label="Timeline: ${esc(page.title)}"><div>${page.body}</div></div></section></div></main><aside>${esc(page.note ?? 'A made-up feed: Rapport reads it exactly as it reads x.com.')}</aside></div></body></html>`;
}

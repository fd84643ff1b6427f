/**
 * LinkedIn-like markup for the demo and the browser tests: the hooks of LinkedIn's own pages
 * (the Ember front-end's class names and data-urn / data-id / data-view-name attributes, as in
 * the saved pages under tests/fixtures/linkedin), filled with made-up people. Text only: every
 * value goes through esc().
 */
import { esc } from './x-markup.ts';

export interface LinkedInPerson {
  slug: string;
  name: string;
  /** Profile URN id (`urn:li:fsd_profile:<id>`). */
  id: string;
  headline: string;
}

export interface LinkedInComment {
  id: string;
  author: LinkedInPerson;
  text: string;
  /** People linked in the text as mentions. */
  mentions?: LinkedInPerson[];
  replies?: LinkedInComment[];
}

export interface LinkedInPost {
  id: string;
  author: LinkedInPerson;
  text: string;
  /** "<Name> likes this" / "reposted this" above the post. */
  header?: { person: LinkedInPerson; words: string };
  comments?: LinkedInComment[];
}

export interface LinkedInNotification {
  person: LinkedInPerson;
  /** The sentence after the person's name: "commented on your post: …". */
  words: string;
  href: string;
  unread?: boolean;
}

function hue(slug: string): number {
  let h = 0;
  for (const c of slug) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

function photo(person: LinkedInPerson, size: number): string {
  const initials = person.name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2);
  return `<div class="ph" style="width:${size}px;height:${size}px;background:hsl(${hue(person.slug)} 45% 42%)">${esc(initials)}</div>`;
}

const profileHref = (p: LinkedInPerson, withUrn = false) =>
  `https://www.linkedin.com/in/${esc(p.slug)}${withUrn ? `?miniProfileUrn=urn%3Ali%3Afsd_profile%3A${esc(p.id)}` : '/'}`;

function textWithMentions(text: string, mentions: readonly LinkedInPerson[] = []): string {
  const links = mentions
    .map((p) => ` <a href="/in/${esc(p.slug)}/" class="ember-view">${esc(p.name)}</a>`)
    .join('');
  return `<span class="break-words tvm-parent-container"><span dir="ltr">${esc(text)}${links}</span></span>`;
}

function ago(id: string, now: number): string {
  const ms = Number(BigInt(id) >> 22n);
  const hours = Math.max(1, Math.round((now - ms) / 3_600_000));
  return hours < 24 ? `${hours}h` : `${Math.round(hours / 24)}d`;
}

function commentMarkup(
  comment: LinkedInComment,
  postId: string,
  now: number,
  reply = false,
): string {
  const a = comment.author;
  const replies = comment.replies?.length
    ? `<div class="comments-replies-list">${comment.replies.map((r) => commentMarkup(r, postId, now, true)).join('')}</div>`
    : '';
  return `<article class="comments-comment-entity${reply ? ' comments-comment-entity--reply' : ''}" data-id="urn:li:comment:(activity:${esc(postId)},${esc(comment.id)})"><div class="comments-comment-meta__container"><div class="comments-comment-meta__actor"><a class="comments-comment-meta__image-link" href="/in/${esc(a.slug)}/" aria-label="View ${esc(a.name)}’s profile">${photo(a, reply ? 28 : 36)}</a><a class="comments-comment-meta__description-container" href="/in/${esc(a.slug)}/"><h3 class="comments-comment-meta__description"><span class="comments-comment-meta__description-title">${esc(a.name)}</span><span class="comments-comment-meta__description-subtitle">${esc(a.headline)}</span></h3></a></div><time class="comments-comment-meta__data">${esc(ago(comment.id, now))}</time></div><div class="comments-comment-item__main-content update-components-text">${textWithMentions(comment.text, comment.mentions)}</div><div class="comments-comment-social-bar"><button type="button">Like</button> · <button type="button">Reply</button></div>${replies}</article>`;
}

export function postMarkup(post: LinkedInPost, now: number): string {
  const a = post.author;
  const header = post.header
    ? `<div class="update-components-header"><div class="update-components-header__text-wrapper"><span class="update-components-header__text-view"><span><a href="/in/${esc(post.header.person.slug)}/" class="ember-view">${esc(post.header.person.name)}</a></span><span class="white-space-pre"> </span>${esc(post.header.words)}</span></div></div>`
    : '';
  const comments = post.comments?.length
    ? `<div class="feed-shared-update-v2__comments-container"><div class="comments-comments-list">${post.comments.map((c) => commentMarkup(c, post.id, now)).join('')}</div></div>`
    : '<div class="feed-shared-update-v2__comments-container"></div>';
  return `<div class="feed-shared-update-v2 artdeco-card" role="article" data-urn="urn:li:activity:${esc(post.id)}"><h2 class="visually-hidden">Feed post</h2>${header}<div class="update-components-actor__container"><a class="update-components-actor__image" href="${profileHref(a, true)}" aria-label="View ${esc(a.name)}’s profile">${photo(a, 48)}</a><div class="update-components-actor__meta"><a class="update-components-actor__meta-link" href="${profileHref(a, true)}"><span class="update-components-actor__title"><span class="update-components-actor__single-line-truncate"><span dir="ltr"><span aria-hidden="true">${esc(a.name)}</span><span class="visually-hidden">${esc(a.name)}</span></span></span><span class="update-components-actor__supplementary-actor-info"><span aria-hidden="true"> • 1st</span></span></span><span class="update-components-actor__description"><span aria-hidden="true">${esc(a.headline)}</span></span></a><span class="update-components-actor__sub-description"><span aria-hidden="true">${esc(ago(post.id, now))} • </span></span></div></div><div class="feed-shared-update-v2__description"><div class="update-components-text relative update-components-update-v2__commentary" dir="ltr">${textWithMentions(post.text)}</div></div><div class="feed-shared-social-action-bar"><button type="button">Like</button><button type="button">Comment</button><button type="button">Repost</button><button type="button">Send</button></div>${comments}</div>`;
}

export function notificationMarkup(card: LinkedInNotification): string {
  const p = card.person;
  return `<article class="nt-card${card.unread ? ' nt-card--unread' : ''}" aria-label="${card.unread ? 'Unread notification.' : 'Notification'}" data-view-name="notification-card-container"><div class="nt-card__container"><div class="nt-card__left-rail"><a href="/in/${esc(p.slug)}" aria-label="View ${esc(p.name)}’s profile." data-view-name="notification-card-image">${photo(p, 48)}</a></div><div class="nt-card__body"><a class="nt-card__headline" href="${esc(card.href)}"><span class="nt-card__text--3-line"><strong>${esc(p.name)}</strong><span class="white-space-pre"> </span>${esc(card.words)}</span></a></div></div></article>`;
}

export function connectionMarkup(person: LinkedInPerson): string {
  return `<li class="mn-connection-card artdeco-list"><a class="mn-connection-card__picture" href="/in/${esc(person.slug)}/">${photo(person, 56)}</a><a class="mn-connection-card__link" href="/in/${esc(person.slug)}/"><span class="mn-connection-card__name">${esc(person.name)}</span><span class="mn-connection-card__occupation">${esc(person.headline)}</span></a><button type="button" class="message-anywhere-button">Message</button></li>`;
}

export function followerMarkup(person: LinkedInPerson): string {
  return `<li class="follows-recommendation-card"><a href="/in/${esc(person.slug)}/">${photo(person, 56)}</a><a class="follows-recommendation-card__name-link" href="/in/${esc(person.slug)}/"><span class="follows-recommendation-card__name">${esc(person.name)}</span></a><span class="follows-recommendation-card__headline">${esc(person.headline)}</span><button type="button">Follow</button></li>`;
}

const STYLE = `
*{box-sizing:border-box} body{margin:0;background:#f4f2ee;font:14px/1.4 -apple-system,system-ui,"Segoe UI",Roboto,sans-serif;color:rgba(0,0,0,.9)}
.global-nav{background:#fff;border-bottom:1px solid #e0dfdc;height:52px;display:flex;align-items:center;gap:24px;padding:0 calc(50% - 540px)}
.global-nav .logo{background:#0a66c2;color:#fff;font-weight:700;border-radius:4px;padding:2px 6px;font-size:20px;text-decoration:none}
.global-nav a{color:rgba(0,0,0,.6);text-decoration:none;font-size:12px} .global-nav__me{margin-left:auto;display:flex;align-items:center;gap:6px;color:rgba(0,0,0,.6);font-size:12px}
.global-nav__me-photo{width:24px;height:24px;border-radius:50%;background:#c37d16}
.layout{display:grid;grid-template-columns:225px 555px 300px;gap:24px;max-width:1128px;margin:24px auto}
.artdeco-card{background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(140,140,140,.2);margin-bottom:8px}
.feed-identity-module{padding:16px;text-align:center} .feed-identity-module .ph{margin:0 auto 8px} .feed-identity-module a{color:inherit;text-decoration:none;font-weight:600;font-size:16px}
.ph{border-radius:50%;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:600;flex:none}
.feed-shared-update-v2{padding:12px 16px} .update-components-header{border-bottom:1px solid #e8e8e8;padding-bottom:8px;margin-bottom:8px;color:rgba(0,0,0,.6);font-size:12px}
.update-components-header a,.update-components-text a{color:#0a66c2;font-weight:600;text-decoration:none}
.update-components-actor__container{display:flex;gap:8px} .update-components-actor__meta-link{display:flex;flex-direction:column;color:inherit;text-decoration:none}
.update-components-actor__title{font-weight:600;display:flex;align-items:center;gap:4px} .update-components-actor__description,.update-components-actor__sub-description,.update-components-actor__supplementary-actor-info{color:rgba(0,0,0,.6);font-size:12px;font-weight:400}
.update-components-actor__image,.comments-comment-meta__image-link{text-decoration:none} .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.feed-shared-update-v2__description{margin:8px 0} .feed-shared-social-action-bar{display:flex;justify-content:space-around;border-top:1px solid #e8e8e8;padding-top:4px}
button{background:none;border:0;color:rgba(0,0,0,.6);font-weight:600;padding:8px;font-size:13px;cursor:pointer}
.comments-comment-entity{margin:8px 0 0 0} .comments-comment-meta__container{display:flex;position:relative}
.comments-comment-meta__actor{display:flex;gap:8px;align-items:flex-start;flex:1} .comments-comment-meta__description-container{flex:1;color:inherit;text-decoration:none;background:#f2f2f2;border-radius:8px 8px 0 0;padding:6px 48px 0 10px}
.comments-comment-meta__description{margin:0;font-size:13px} .comments-comment-meta__description-title{font-weight:600}
.comments-comment-meta__description-subtitle{display:block;font-weight:400;color:rgba(0,0,0,.6);font-size:12px} .comments-comment-meta__data{position:absolute;top:6px;right:10px;color:rgba(0,0,0,.6);font-size:12px}
.comments-comment-item__main-content{background:#f2f2f2;border-radius:0 0 8px 8px;margin-left:44px;padding:2px 10px 8px} .comments-comment-social-bar{margin-left:44px;font-size:12px}
.comments-replies-list{margin-left:44px} .comments-comment-entity--reply>.comments-comment-item__main-content,.comments-comment-entity--reply>.comments-comment-social-bar{margin-left:36px}
.nt-card{background:#fff;border-bottom:1px solid #e8e8e8;padding:12px 16px} .nt-card--unread{background:#e8f3ff} .nt-card__container{display:flex;gap:12px}
.nt-card__headline{color:inherit;text-decoration:none} .pt{font-size:16px;font-weight:600;padding:12px 16px;margin:0}
.artdeco-list{display:flex;align-items:center;gap:12px;padding:12px 16px;border-bottom:1px solid #e8e8e8;list-style:none}
.follows-recommendation-card{display:flex;align-items:center;gap:12px;padding:12px 16px;border-bottom:1px solid #e8e8e8;list-style:none}
.mn-connection-card__link,.follows-recommendation-card__name-link{display:flex;flex-direction:column;color:inherit;text-decoration:none;flex:1}
.mn-connection-card__name,.follows-recommendation-card__name{font-weight:600;display:inline-flex;gap:4px;align-items:center}
.mn-connection-card__occupation,.follows-recommendation-card__headline{color:rgba(0,0,0,.6);font-size:12px}
ul{margin:0;padding:0} aside{color:rgba(0,0,0,.6);font-size:12px;padding:16px}
`;

export interface LinkedInPage {
  title: string;
  viewer: LinkedInPerson;
  body: string;
  note?: string;
}

/** A whole linkedin.com-like document: global navigation with the Me menu, the identity module. */
export function linkedinPageMarkup(page: LinkedInPage): string {
  const v = page.viewer;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(page.title)} | LinkedIn (Rapport demo)</title><style>${STYLE}</style></head><body><header class="global-nav"><a class="logo" href="/feed/">in</a><a href="/feed/">Home</a><a href="/mynetwork/invite-connect/connections/">My Network</a><a href="/messaging/">Messaging</a><a href="/notifications/">Notifications</a><div class="global-nav__me"><img class="global-nav__me-photo" alt="${esc(v.name)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><span>Me</span></div></header><div class="layout"><div><div class="artdeco-card feed-identity-module"><div class="feed-identity-module__actor-meta">${photo(v, 72)}<a href="/in/${esc(v.slug)}/">${esc(v.name)}</a><p>${esc(v.headline)}</p></div></div></div><main class="scaffold-layout__main" aria-label="Main Feed"><h2 class="pt artdeco-card">${esc(page.title)}</h2>${page.body}</main><aside class="artdeco-card">${esc(page.note ?? 'A made-up feed: Rapport reads it exactly as it reads linkedin.com.')}</aside></div></body></html>`;
}

// Every hook Rapport reads on linkedin.com, in one place. LinkedIn ships two front-ends at once:
// the Ember one (BEM class names such as `update-components-actor__meta-link`) and a newer one
// with hashed class names, where only data-view-name / data-urn / role / aria hooks are stable.
// Only hooks that a saved page (tests/fixtures/linkedin, with counts in `seenIn`) or the demo
// pages (src/demo/linkedin-markup.ts, for what no public capture shows) exercise are listed:
// a hook of the newer front-end goes in beside the old one when a capture of it does.
export interface SelectorSpec {
  css: string;
  why: string;
  seenIn: Readonly<Record<string, number>>;
}

const ACTIVITY = 'recent-activity.html';
const NOTIFICATIONS = 'notifications.html';

export const LINKEDIN = {
  /** The main column; observed for changes. */
  contentRoot: {
    css: 'main',
    why: 'scope of the MutationObserver (the feed, a post, notifications, lists)',
    seenIn: { [NOTIFICATIONS]: 1 },
  },
  post: {
    css: '[data-urn^="urn:li:activity:"]',
    why: 'one post (feed, single post, recent activity): its activity urn is its id',
    seenIn: { [ACTIVITY]: 4 },
  },
  actorLink: {
    css: 'a.update-components-actor__meta-link',
    why: "the post author's profile link (with miniProfileUrn = the profile id)",
    seenIn: { [ACTIVITY]: 4 },
  },
  actorName: {
    css: '.update-components-actor__title span[dir="ltr"] > span[aria-hidden="true"]',
    why: "the author's name as shown (the visually-hidden copy beside it is for screen readers)",
    seenIn: { [ACTIVITY]: 4 },
  },
  header: {
    css: '.update-components-header',
    why: '"<Name> reposted this" / "likes this" above a post: a passive signal from that person',
    seenIn: { [ACTIVITY]: 1 },
  },
  postText: {
    css: '.update-components-text',
    why: "the post's text: its /in/ links are mentions",
    seenIn: { [ACTIVITY]: 4 },
  },
  comment: {
    css: 'article[data-id^="urn:li:comment:"]',
    why: 'one comment or reply (comments-comment-entity; a reply is nested in its thread)',
    // No saved page with comments loaded yet: the demo feed (src/demo/linkedin-markup.ts) has them.
    seenIn: {},
  },
  commentMeta: {
    css: '.comments-comment-meta__actor',
    why: "the commenter's block: their profile link and name (not the comment's text)",
    seenIn: {},
  },
  commentName: {
    css: '.comments-comment-meta__description-title',
    why: "the commenter's name",
    seenIn: {},
  },
  commentText: {
    css: '.comments-comment-item__main-content',
    why: "the comment's text: its /in/ links are mentions",
    seenIn: {},
  },
  notification: {
    css: 'article[data-view-name="notification-card-container"], article.nt-card',
    why: 'one notification card',
    seenIn: { [NOTIFICATIONS]: 6 },
  },
  notificationImage: {
    css: 'a[data-view-name="notification-card-image"]',
    why: "the card's picture link: the person it is about (/in/<slug>)",
    seenIn: { [NOTIFICATIONS]: 6 },
  },
  notificationHeadline: {
    css: 'a.nt-card__headline',
    why: "the card's sentence, linking the post or comment it is about",
    seenIn: { [NOTIFICATIONS]: 6 },
  },
  notificationPhoto: {
    css: 'a[data-view-name="notification-card-image"] img[alt]',
    why: "the card's picture: a person's photo has their name as shown for its alt",
    seenIn: { [NOTIFICATIONS]: 8 },
  },
  notificationName: {
    css: 'a.nt-card__headline strong',
    why: "the names the card's sentence shows in bold: the badge goes after the person's",
    seenIn: { [NOTIFICATIONS]: 13 },
  },
  connectionCard: {
    css: 'li.mn-connection-card',
    why: 'one connection on My Network › Connections',
    seenIn: {},
  },
  followerCard: {
    css: 'li.follows-recommendation-card',
    why: 'one follower on the followers page',
    seenIn: {},
  },
  viewerLink: {
    css: '.feed-identity-module__actor-meta a[href*="/in/"]',
    why: "the viewer's own profile link, in the feed's identity module",
    seenIn: {},
  },
  viewerName: {
    css: 'img.global-nav__me-photo',
    why: 'the Me menu photo: its alt is the viewer’s name',
    seenIn: {},
  },
} as const satisfies Record<string, SelectorSpec>;

/** Units the content script parses one by one (comments are read with their post). */
export const LINKEDIN_UNIT_SELECTOR = [
  LINKEDIN.post.css,
  LINKEDIN.notification.css,
  LINKEDIN.connectionCard.css,
  LINKEDIN.followerCard.css,
].join(', ');

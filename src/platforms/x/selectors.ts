// Every hook Rapport reads on x.com, in one place. data-testid, role and aria hooks only, never
// X's hashed class names. `seenIn` pairs each selector with the saved pages (tests/fixtures/x, named after what they show)
// where it must match, and how many times; tests/unit/x-selectors.test.ts holds them to it.

export interface SelectorSpec {
  css: string;
  why: string;
  seenIn: Readonly<Record<string, number>>;
}

const HOME = 'home-timeline.html';
const CONVERSATION = 'conversation.html';
const WITH_REPLIES = 'profile-with-replies.html';
const ARTICLE_PAGE = 'status-article.html';
const QUOTE = 'post-with-quote.html';
const SAMPLE = 'post-sample.html';

export const X = {
  /** The main column; the timeline lives in it across in-page navigation. */
  contentRoot: {
    css: 'main[role="main"]',
    why: 'scope of the MutationObserver',
    seenIn: { [ARTICLE_PAGE]: 1 },
  },
  post: {
    css: 'article[data-testid="tweet"]',
    why: 'one post (a tombstone "This post is unavailable" is an article without the testid)',
    seenIn: {
      [HOME]: 8,
      [CONVERSATION]: 3,
      [WITH_REPLIES]: 7,
      [ARTICLE_PAGE]: 1,
      [QUOTE]: 1,
      [SAMPLE]: 1,
    },
  },
  userCell: {
    css: '[data-testid="UserCell"]',
    why: 'one account in a list: followers, following, who to follow, relevant people',
    seenIn: { [ARTICLE_PAGE]: 1 },
  },
  cell: {
    css: '[data-testid="cellInnerDiv"]',
    why: 'one row of a virtual timeline; posts of one thread are consecutive rows',
    seenIn: { [HOME]: 11, [CONVERSATION]: 6, [WITH_REPLIES]: 12, [ARTICLE_PAGE]: 1, [QUOTE]: 1 },
  },
  userName: {
    css: '[data-testid="User-Name"]',
    why: "an author's name, @handle and time; a quoted post has its own",
    seenIn: {
      [HOME]: 11,
      [CONVERSATION]: 3,
      [WITH_REPLIES]: 7,
      [ARTICLE_PAGE]: 1,
      [QUOTE]: 2,
      [SAMPLE]: 1,
    },
  },
  avatar: {
    css: '[data-testid="Tweet-User-Avatar"]',
    why: 'its column holds a second child, the thread line, when the next row continues the thread',
    seenIn: {
      [HOME]: 11,
      [CONVERSATION]: 3,
      [WITH_REPLIES]: 7,
      [ARTICLE_PAGE]: 1,
      [QUOTE]: 2,
      [SAMPLE]: 1,
    },
  },
  tweetText: {
    css: '[data-testid="tweetText"]',
    why: 'the text of a post: mentions are its profile links',
    seenIn: { [HOME]: 11, [CONVERSATION]: 3, [WITH_REPLIES]: 7, [QUOTE]: 2, [SAMPLE]: 1 },
  },
  actionBar: {
    css: '[role="group"]',
    why: 'reply/repost/like bar: ends the part of a post that can hold the reply context',
    seenIn: {
      [HOME]: 8,
      [CONVERSATION]: 3,
      [WITH_REPLIES]: 7,
      [ARTICLE_PAGE]: 2,
      [QUOTE]: 1,
      [SAMPLE]: 1,
    },
  },
  quote: {
    css: 'div[role="link"][tabindex="0"]',
    why: 'a quoted post (not an anchor: no status link); "Show more" matches too, so only those holding a User-Name count',
    seenIn: { [HOME]: 5, [ARTICLE_PAGE]: 4, [QUOTE]: 1, [SAMPLE]: 1 },
  },
  socialContext: {
    css: '[data-testid="socialContext"]',
    why: '"Name reposted" (inside a profile link), "Pinned", a community',
    seenIn: { [HOME]: 2, [WITH_REPLIES]: 1 },
  },
  viewerProfileLink: {
    css: 'a[data-testid="AppTabBar_Profile_Link"]',
    why: "side navigation's Profile link: the viewer's handle",
    seenIn: {},
  },
  accountSwitcher: {
    css: '[data-testid="SideNav_AccountSwitcher_Button"]',
    why: "account menu: the viewer's name and @handle",
    seenIn: { [ARTICLE_PAGE]: 1 },
  },
  followsYou: {
    css: '[data-testid="userFollowIndicator"]',
    why: '"Follows you"',
    seenIn: { [ARTICLE_PAGE]: 1 },
  },
  notification: {
    css: 'article[data-testid="notification"]',
    why: 'one notification cell: "followed you", likes and reposts of your posts (replies and mentions are posts)',
    // No saved notifications page yet: tests/unit/x-notifications.test.ts builds the cell X draws.
    seenIn: {},
  },
  userAvatar: {
    css: '[data-testid^="UserAvatar-Container-"]',
    why: "an account's avatar; the testid ends with its handle",
    seenIn: {
      [HOME]: 11,
      [CONVERSATION]: 4,
      [WITH_REPLIES]: 7,
      [ARTICLE_PAGE]: 4,
      [QUOTE]: 2,
      [SAMPLE]: 1,
    },
  },
  followButton: {
    css: '[data-testid$="-follow"], [data-testid$="-unfollow"]',
    why: "Follow / Following button: testid `<rest_id>-follow` gives the account's id",
    seenIn: { [ARTICLE_PAGE]: 1 },
  },
} as const satisfies Record<string, SelectorSpec>;

/** Units the content script parses one by one. */
export const X_UNIT_SELECTOR = `${X.post.css}, ${X.userCell.css}, ${X.followsYou.css}, ${X.notification.css}`;

import { describe, expect, test } from 'vitest';
import {
  activityIdFromUrn,
  commentFromUrn,
  linkedinPageKind,
  LINKEDIN_PAGE_KINDS,
  profileIdFromHref,
  slugFromHref,
  timeFromId,
  type LinkedInPageKind,
} from '../../src/platforms/linkedin/pages.ts';
import { linkedinOperationFromUrl } from '../../src/platforms/linkedin/operations.ts';

const URLS: Record<LinkedInPageKind, string[]> = {
  feed: ['https://www.linkedin.com/feed/', 'https://www.linkedin.com/feed/?sortBy=RECENT'],
  post: [
    'https://www.linkedin.com/feed/update/urn:li:activity:7401930806958653440/',
    'https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7401930806958653440?commentUrn=x',
    'https://www.linkedin.com/posts/ken-cheng_today-i-told-activity-7401930806958653440-AbCd',
  ],
  'recent-activity': [
    'https://www.linkedin.com/in/ken-cheng-991849b6/recent-activity/all/',
    'https://www.linkedin.com/in/ken-cheng-991849b6/recent-activity/comments/',
  ],
  notifications: [
    'https://www.linkedin.com/notifications/',
    'https://www.linkedin.com/notifications/?filter=all',
  ],
  connections: ['https://www.linkedin.com/mynetwork/invite-connect/connections/'],
  followers: [
    'https://www.linkedin.com/mynetwork/network-manager/people-follow/followers/',
    'https://www.linkedin.com/feed/followers/',
  ],
  profile: [
    'https://www.linkedin.com/in/ken-cheng-991849b6/',
    'https://www.linkedin.com/in/sam%2Dokonkwo%2D31a9',
  ],
  messaging: [
    'https://www.linkedin.com/messaging/',
    'https://www.linkedin.com/messaging/thread/2-ABCdef==/',
  ],
  other: [
    'https://www.linkedin.com/jobs/search-results/?keywords=Engineer',
    'https://www.linkedin.com/company/hockeystack/',
    'https://www.linkedin.com/mynetwork/',
    'https://www.linkedin.com/in/ken-cheng-991849b6/details/experience/',
    'https://www.linkedin.com/feed/update/not-an-urn/',
    'https://www.linkedin.com/',
  ],
};

describe('LinkedIn page kinds', () => {
  test('every kind has addresses in the table', () => {
    expect(Object.keys(URLS).sort()).toEqual([...LINKEDIN_PAGE_KINDS].sort());
  });
  const rows = Object.entries(URLS).flatMap(([kind, urls]) => urls.map((url) => [url, kind]));
  test.each(rows)('%s → %s (and no other kind)', (url, kind) => {
    expect(linkedinPageKind(new URL(url))).toBe(kind);
  });
});

describe('identifiers in LinkedIn links', () => {
  test.each([
    [
      'https://www.linkedin.com/in/ken-cheng-991849b6?miniProfileUrn=urn%3Ali%3Afsd_profile%3AACoAAB',
      'ken-cheng-991849b6',
    ],
    ['/in/sam%2Dokonkwo%2D31a9', 'sam-okonkwo-31a9'],
    ['/in/Theosoti/', 'theosoti'],
    ['https://fr.linkedin.com/in/j%C3%A9r%C3%B4me-l/', 'jérôme-l'],
    ['/in/', undefined],
    ['/company/hockeystack/', undefined],
    ['https://evil.example/in/someone', undefined],
    ['/in/%E0%A4%A', undefined],
  ])('slug of %s → %s', (href, slug) => {
    expect(slugFromHref(href)).toBe(slug);
  });
  test('profile id from an actor link', () => {
    expect(
      profileIdFromHref('/in/a?miniProfileUrn=urn%3Ali%3Afsd_profile%3AACoAABivhj0By6q1ONB6QeqR'),
    ).toBe('ACoAABivhj0By6q1ONB6QeqR');
    expect(profileIdFromHref('/in/a')).toBeUndefined();
  });
  test('activity and comment urns in both forms', () => {
    expect(activityIdFromUrn('urn:li:activity:7401930806958653440')).toBe('7401930806958653440');
    expect(activityIdFromUrn('urn:li:fsd_profile:7401930806958653440')).toBeUndefined();
    const ids = { postId: '7320724072932298753', commentId: '7320752695852638208' };
    expect(
      commentFromUrn('urn:li:comment:(activity:7320724072932298753,7320752695852638208)'),
    ).toEqual(ids);
    expect(
      commentFromUrn(
        'urn:li:fsd_comment:(7320752695852638208,urn:li:activity:7320724072932298753)',
      ),
    ).toEqual(ids);
    expect(commentFromUrn('urn:li:comment:(activity:1,x)')).toBeUndefined();
  });
  test('an id tells when it was made (the comment API says createdAt 1745403455699)', () => {
    expect(timeFromId('7320752695852638208')).toBe(new Date(1745403455699).toISOString());
    expect(timeFromId('12345')).toBeUndefined();
    expect(timeFromId('9999999999999999999999')).toBeUndefined();
  });
});

describe('LinkedIn API operations, by name, never by hash', () => {
  test.each([
    ['https://www.linkedin.com/voyager/api/me', 'Me'],
    [
      'https://www.linkedin.com/voyager/api/graphql?variables=(count:10)&queryId=voyagerSocialDashComments.afec6d88d7810d45548797a8dac4fb87',
      'Comments',
    ],
    [
      'https://www.linkedin.com/voyager/api/graphql?queryId=voyagerRelationshipsDashConnections.a3b4&variables=()',
      'Connections',
    ],
    [
      'https://www.linkedin.com/voyager/api/relationships/dash/connections?decorationId=x&count=40',
      'Connections',
    ],
    [
      'https://www.linkedin.com/voyager/api/graphql?queryId=voyagerFeedDashMainFeed.923020905727c01516495a0ac90bb475',
      'Feed',
    ],
    [
      'https://www.linkedin.com/voyager/api/voyagerMessagingGraphQL/graphql?queryId=messengerConversations.0d5e6781bbee71c3e51c8843c6519f48&variables=()',
      'Messages',
    ],
    ['https://www.linkedin.com/voyager/api/graphql?queryId=voyagerJobsDashJobCards.1', undefined],
    ['https://www.linkedin.com/li/track', undefined],
    ['https://evil.example/voyager/api/me', undefined],
  ])('%s → %s', (url, operation) => {
    expect(linkedinOperationFromUrl(url)).toBe(operation);
  });
});

/**
 * The LinkedIn half of the demo: made-up people around the same viewer, Robin Vale, where
 * conversation means comments. Used by `npm start` and the browser tests (EXPECTED_LINKEDIN_TIERS).
 */
import type { Tier } from '../core/model.ts';
import {
  connectionMarkup,
  followerMarkup,
  linkedinPageMarkup,
  notificationMarkup,
  postMarkup,
  type LinkedInPerson,
  type LinkedInPost,
} from './linkedin-markup.ts';

const person = (slug: string, name: string, id: string, headline: string): LinkedInPerson => ({
  slug,
  name,
  id,
  headline,
});

export const LINKEDIN_VIEWER = person(
  'robin-vale',
  'Robin Vale',
  'ACoAADemoRobinVale01',
  'Writes about small teams',
);
export const LINKEDIN_PEOPLE = {
  ines: person('ines-okafor', 'Ines Okafor', 'ACoAADemoInesOkafor1', 'Engineering manager, Lagos'),
  lena: person('lena-falk', 'Lena Falk', 'ACoAADemoLenaFalk001', 'Product designer'),
  arjun: person('arjun-rook', 'Arjun Rook', 'ACoAADemoArjunRook01', 'Founder at a small studio'),
  kofi: person('kofi-marsh', 'Kofi Marsh', 'ACoAADemoKofiMarsh01', 'Recruiter'),
  emeka: person('emeka-hollis', 'Emeka Hollis', 'ACoAADemoEmekaHolli1', 'Student of systems'),
  sofia: person('sofia-thorne', 'Sofia Thorne', 'ACoAADemoSofiaThorn1', 'Writes about hiring'),
  mira: person('mira-castell', 'Mira Castell', 'ACoAADemoMiraCastel1', 'Data journalist'),
} as const;

/** What Rapport should conclude once the LinkedIn demo pages were seen. */
export const EXPECTED_LINKEDIN_TIERS: Readonly<Record<string, Tier>> = {
  'ines-okafor': 'conversational',
  'lena-falk': 'unanswered',
  'arjun-rook': 'reaching',
  'kofi-marsh': 'silent-follower',
  'emeka-hollis': 'silent-follower',
  'sofia-thorne': 'passive',
  'mira-castell': 'unknown',
};

const HOUR = 3_600_000;

/** A LinkedIn id made when LinkedIn would have made it: milliseconds in its first 41 bits. */
export function linkedinId(ms: number, sequence: number): string {
  return ((BigInt(Math.floor(ms)) << 22n) | BigInt(sequence & 0x3fffff)).toString();
}

export function linkedinFeed(now: number): LinkedInPost[] {
  const id = (hoursAgo: number, seq: number) => linkedinId(now - hoursAgo * HOUR, seq);
  const { ines, lena, arjun, mira } = LINKEDIN_PEOPLE;
  const mine = id(50, 1);
  return [
    {
      id: mine,
      author: LINKEDIN_VIEWER,
      text: 'Small teams ship when everyone can see the whole board. What made your last team fast?',
      comments: [
        {
          id: id(48, 11),
          author: ines,
          text: 'A single weekly demo, no slides. Everyone saw everything.',
          replies: [
            {
              id: id(47, 12),
              author: LINKEDIN_VIEWER,
              text: 'Stealing this. Did the demo ever get too long?',
              mentions: [ines],
            },
          ],
        },
        { id: id(30, 13), author: lena, text: 'Fewer meetings, more written decisions.' },
      ],
    },
    {
      id: id(20, 2),
      author: arjun,
      text: 'We are hiring our second engineer. What should a two-person team look for?',
      comments: [
        {
          id: id(19, 21),
          author: LINKEDIN_VIEWER,
          text: 'Someone who writes things down. Happy to share our checklist.',
        },
      ],
    },
    {
      id: id(8, 3),
      author: mira,
      text: 'New chart: how long teams keep the same tools, by team size.',
    },
    {
      id: id(5, 4),
      author: ines,
      text: 'Our retro format, one page, free to copy.',
    },
  ];
}

/** Pages of the LinkedIn demo, by full URL. */
export function linkedinDemoPages(now: number): Record<string, string> {
  const { ines, lena, kofi, emeka, sofia } = LINKEDIN_PEOPLE;
  const feed = linkedinFeed(now);
  const mine = feed[0] as LinkedInPost;
  const inesComment = mine.comments?.[0]?.id ?? '';
  const commentUrn = encodeURIComponent(`urn:li:comment:(activity:${mine.id},${inesComment})`);
  const viewer = LINKEDIN_VIEWER;
  return {
    'https://www.linkedin.com/feed/': linkedinPageMarkup({
      title: 'Feed',
      viewer,
      body: feed.map((post) => postMarkup(post, now)).join(''),
    }),
    'https://www.linkedin.com/notifications/': linkedinPageMarkup({
      title: 'Notifications',
      viewer,
      body: `<div class="nt-card-list artdeco-card">${[
        notificationMarkup({
          person: sofia,
          words: 'reacted to your post: Small teams ship when everyone can see the whole board.',
          href: `/feed/update/urn:li:activity:${mine.id}/`,
          unread: true,
        }),
        notificationMarkup({
          person: ines,
          words: 'commented on your post: A single weekly demo, no slides.',
          href: `/feed/update/urn:li:activity:${mine.id}/?commentUrn=${commentUrn}`,
        }),
        notificationMarkup({
          person: kofi,
          words: 'accepted your invitation to connect.',
          href: `/in/${kofi.slug}/`,
        }),
        notificationMarkup({
          person: emeka,
          words: 'started following you.',
          href: `/in/${emeka.slug}/`,
        }),
      ].join('')}</div>`,
    }),
    'https://www.linkedin.com/mynetwork/invite-connect/connections/': linkedinPageMarkup({
      title: 'Connections',
      viewer,
      body: `<ul class="artdeco-card">${[ines, kofi].map(connectionMarkup).join('')}</ul>`,
    }),
    'https://www.linkedin.com/mynetwork/network-manager/people-follow/followers/':
      linkedinPageMarkup({
        title: 'Followers',
        viewer,
        body: `<ul class="artdeco-card">${[emeka, lena].map(followerMarkup).join('')}</ul>`,
      }),
  };
}

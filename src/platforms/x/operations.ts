/**
 * X's GraphQL operations whose responses Rapport reads, matched by name (never by query id, which
 * X changes with every deploy). Shared by the page-world capture script and the parser.
 */
export const X_OPERATIONS = [
  'HomeTimeline',
  'HomeLatestTimeline',
  'TweetDetail',
  'Followers',
  'BlueVerifiedFollowers',
  'Following',
  'UserTweets',
  'UserTweetsAndReplies',
  'SearchTimeline',
] as const;
export type XOperation = (typeof X_OPERATIONS)[number];

/** The operation name of a GraphQL URL: `/i/api/graphql/<queryId>/<OperationName>`. */
export function operationFromUrl(url: string): string | undefined {
  return /\/i\/api\/graphql\/[^/?#]+\/([A-Za-z]+)(?:[?#]|$)/.exec(url)?.[1];
}

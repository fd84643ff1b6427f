/**
 * X's API responses Rapport reads. GraphQL operations are matched by name (never by query id,
 * which X changes with every deploy); direct messages still come from X's REST API, matched by
 * path. Shared by the page-world capture script and the parser.
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
  'NotificationsTimeline',
  'Viewer',
  // Not GraphQL: the direct-message inbox and conversations (see DM_PATH).
  'DirectMessages',
] as const;
export type XOperation = (typeof X_OPERATIONS)[number];

/** `/i/api/1.1/dm/inbox_initial_state.json`, `user_updates.json`, `conversation/<id>.json`… */
const DM_PATH =
  /\/i\/api\/1\.1\/dm\/(?:inbox_initial_state|user_updates|inbox_timeline\/[a-z_]+|conversation\/[\w-]+)\.json(?:[?#]|$)/;

/** The operation name of an X API URL: `/i/api/graphql/<queryId>/<OperationName>` or a DM path. */
export function operationFromUrl(url: string): string | undefined {
  const graphql = /\/i\/api\/graphql\/[^/?#]+\/([A-Za-z]+)(?:[?#]|$)/.exec(url)?.[1];
  if (graphql) return graphql;
  return DM_PATH.test(url) ? 'DirectMessages' : undefined;
}

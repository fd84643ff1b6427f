/**
 * The LinkedIn API responses Rapport reads, named from their URL: Voyager REST paths and GraphQL
 * query ids (`queryId=<name>.<hash>`: the name, never the hash, which changes with every deploy).
 * Shared by the page-world capture script and the parser.
 */
export const LINKEDIN_OPERATIONS = ['Me', 'Comments', 'Connections', 'Feed', 'Messages'] as const;
export type LinkedInOperation = (typeof LINKEDIN_OPERATIONS)[number];

const RULES: readonly [RegExp, LinkedInOperation][] = [
  [/^me$/, 'Me'],
  [/^(voyagerSocialDash(Norm)?Comments|feed\/dash\/comments|socialDashComments)/, 'Comments'],
  [
    /^(voyagerRelationshipsDash(Connections|ConnectionsList)|relationships\/dash\/connections)/,
    'Connections',
  ],
  [/^(voyagerFeedDash|feed\/dash\/|feed\/updates)/, 'Feed'],
  [/^(messenger(Conversations|Messages)|voyagerMessagingDash)/, 'Messages'],
];

/** `https://www.linkedin.com/voyager/api/…` → the operation, or undefined for anything else. */
export function linkedinOperationFromUrl(url: string): LinkedInOperation | undefined {
  // Cheap refusal first: this runs for every request the page makes.
  if (!url.includes('/voyager/api/')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url, 'https://www.linkedin.com');
  } catch {
    return undefined;
  }
  if (!/(^|\.)linkedin\.com$/.test(parsed.hostname)) return undefined;
  const path = parsed.pathname.replace(/^\/voyager\/api\//, '');
  if (path === parsed.pathname) return undefined;
  // GraphQL: /voyager/api/graphql?queryId=<name>.<hash> (messaging: voyagerMessagingGraphQL/graphql).
  const queryId = parsed.searchParams.get('queryId');
  const name = /\bgraphql$/i.test(path) && queryId ? (queryId.split('.')[0] as string) : path;
  return RULES.find(([pattern]) => pattern.test(name))?.[1];
}

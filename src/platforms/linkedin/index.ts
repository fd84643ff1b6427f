import type { PlatformAdapter } from '../adapter.ts';
import { LINKEDIN_OPERATIONS } from './operations.ts';
import { linkedinPageKind, type LinkedInPageKind } from './pages.ts';
import {
  embeddedLinkedInResponses,
  findLinkedInViewer,
  linkedinBadgeTargets,
  linkedinUnitFingerprint,
  parseLinkedInUnit,
} from './parse-dom.ts';
import { parseLinkedInJson, type LinkedInJsonContext } from './parse-json.ts';
import { LINKEDIN, LINKEDIN_UNIT_SELECTOR } from './selectors.ts';

const READ_OPERATIONS: ReadonlySet<string> = new Set(LINKEDIN_OPERATIONS);

/** Page kinds that always show posts, cards or people when LinkedIn renders them. */
const EXPECTS: ReadonlySet<LinkedInPageKind> = new Set([
  'feed',
  'post',
  'recent-activity',
  'connections',
  'followers',
]);

export const linkedinAdapter: PlatformAdapter = {
  platform: 'linkedin',
  pageKind: linkedinPageKind,
  expectsObservations: (kind) => EXPECTS.has(kind as LinkedInPageKind),
  contentRoot: (doc) => doc.querySelector(LINKEDIN.contentRoot.css),
  // Content without the hooks Rapport reads means LinkedIn changed its markup: articles, list
  // items or plenty of text, whatever their classes.
  showsContent: (root) =>
    root.querySelectorAll('[role="article"], article').length >= 2 ||
    root.getElementsByTagName('li').length >= 6 ||
    (root.textContent ?? '').length >= 3000,
  unitSelector: LINKEDIN_UNIT_SELECTOR,
  // LinkedIn's feed has no single row element: every added subtree is searched.
  isRow: () => false,
  unitsIn: (root) => root.querySelectorAll(LINKEDIN_UNIT_SELECTOR),
  findViewer: findLinkedInViewer,
  embeddedResponses: embeddedLinkedInResponses,
  parseUnit: parseLinkedInUnit,
  badgeTargets: linkedinBadgeTargets,
  unitFingerprint: linkedinUnitFingerprint,
  parseResponse(operation, _url, json, ctx) {
    if (!READ_OPERATIONS.has(operation)) {
      console.warn(`[rapport] ${operation}: not an operation Rapport reads, skipped`);
      return [];
    }
    const context: LinkedInJsonContext = { operation };
    if (ctx.viewer) context.viewer = ctx.viewer;
    if (ctx.authorOf) context.authorOf = ctx.authorOf;
    return parseLinkedInJson(json, context);
  },
};

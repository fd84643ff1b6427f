import type { PlatformAdapter } from '../adapter.ts';
import {
  findViewer,
  parseXUnit,
  viewerIdFromCookie,
  xBadgeTargets,
  xUnitFingerprint,
} from './parse-dom.ts';
import { X_OPERATIONS } from './operations.ts';
import { xPageKind, type XPageKind } from './pages.ts';
import { parseXJson, variablesFromUrl, type JsonContext } from './parse-json.ts';
import { X, X_UNIT_SELECTOR } from './selectors.ts';

const READ_OPERATIONS: ReadonlySet<string> = new Set(X_OPERATIONS);

/** Page kinds that always show posts or accounts when X renders them. */
const EXPECTS: ReadonlySet<XPageKind> = new Set([
  'home',
  'status',
  'profile',
  'profile-with-replies',
  'followers',
  'verified-followers',
  'following',
  'search',
  'mentions',
]);

/**
 * A timeline row holds one item: a post row needs only its post (one simple selector, matched on
 * Chrome's fast path, where the selector list costs ten times as much); other rows and other
 * subtrees get the full list.
 */
function unitsIn(root: Element): Iterable<Element> {
  if (root.getAttribute('data-testid') === 'cellInnerDiv') {
    const post = root.querySelector(X.post.css);
    if (post) return [post];
  }
  return root.querySelectorAll(X_UNIT_SELECTOR);
}

export const xAdapter: PlatformAdapter = {
  platform: 'x',
  pageKind: xPageKind,
  expectsObservations: (kind) => EXPECTS.has(kind as XPageKind),
  contentRoot: (doc) => doc.querySelector(X.contentRoot.css),
  // Content without the hooks Rapport reads means X changed its markup: timeline rows, articles
  // or plenty of text, whatever their testids.
  showsContent: (root) =>
    root.querySelectorAll(X.cell.css).length >= 3 ||
    root.getElementsByTagName('article').length >= 2 ||
    (root.textContent ?? '').length >= 2000,
  unitSelector: X_UNIT_SELECTOR,
  isRow: (el) => el.getAttribute('data-testid') === 'cellInnerDiv',
  unitsIn,
  findViewer,
  findViewerId: (doc) => viewerIdFromCookie(doc.cookie),
  parseUnit: parseXUnit,
  badgeTargets: xBadgeTargets,
  unitFingerprint: xUnitFingerprint,
  parseResponse(operation, url, json, ctx) {
    if (!READ_OPERATIONS.has(operation)) {
      console.warn(`[rapport] ${operation}: not an operation Rapport reads, skipped`);
      return [];
    }
    const context: JsonContext = { operation };
    if (ctx.viewer) context.viewer = ctx.viewer;
    if (ctx.viewerId) context.viewerId = ctx.viewerId;
    const variables = variablesFromUrl(url);
    if (variables) context.variables = variables;
    return parseXJson(json, context);
  },
};

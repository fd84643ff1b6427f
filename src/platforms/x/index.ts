import type { PlatformAdapter } from '../adapter.ts';
import { findViewer, parseXUnit, xBadgeTargets, xUnitFingerprint } from './parse-dom.ts';
import { xPageKind, type XPageKind } from './pages.ts';
import { X, X_UNIT_SELECTOR } from './selectors.ts';

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
]);

export const xAdapter: PlatformAdapter = {
  platform: 'x',
  pageKind: xPageKind,
  expectsObservations: (kind) => EXPECTS.has(kind as XPageKind),
  contentRoot: (doc) => doc.querySelector(X.contentRoot.css),
  unitSelector: X_UNIT_SELECTOR,
  findViewer,
  parseUnit: parseXUnit,
  badgeTargets: xBadgeTargets,
  unitFingerprint: xUnitFingerprint,
};

import type { AccountRef, Observation, Platform } from '../core/model.ts';

/** What a parser knows about where it runs. */
export interface PageContext {
  url: URL;
  /** The logged-in user when already known (from this page or an earlier one). */
  viewer?: AccountRef;
  /** The logged-in user's id on the platform, when the page says it before naming them. */
  viewerId?: string;
  /** The author of a post already seen on this page (API responses about comments omit it). */
  authorOf?: (postId: string) => AccountRef | undefined;
}

/** A response the page carries in its markup: operation, the request it answered, the body. */
export interface EmbeddedResponse {
  operation: string;
  url: string;
  body: string;
}

/** Where a badge goes: after `anchor`, for `account`. */
export interface BadgeTarget {
  account: AccountRef;
  anchor: Element;
}

/**
 * One declarative connector per site. The content script drives any adapter the same way: find
 * the units of a page (posts, user cells), parse each once, badge the names they show.
 */
export interface PlatformAdapter {
  platform: Platform;
  /** Which kind of page a URL is (home, status, followers…). */
  pageKind(url: URL): string;
  /** Page kinds that must yield observations when they show content; else reading broke. */
  expectsObservations(kind: string): boolean;
  /** Whether the page shows content at all (rows, articles, text), hooks or not. */
  showsContent(root: Element): boolean;
  /** The element whose subtree holds the units; observed for changes. */
  contentRoot(doc: Document): Element | null;
  /** CSS selector of the units parsed one by one. */
  unitSelector: string;
  /** A row of the site's list (holds one item, is never inside a unit): a cheap test. */
  isRow(el: Element): boolean;
  /** The units inside a subtree the site just added (the hot path: keep it cheap). */
  unitsIn(root: Element): Iterable<Element>;
  findViewer(doc: Document): AccountRef | undefined;
  /** The logged-in user's platform id from page state (a cookie the site's own scripts read). */
  findViewerId?(doc: Document): string | undefined;
  parseUnit(unit: Element, ctx: PageContext): Observation[];
  badgeTargets(unit: Element): BadgeTarget[];
  /**
   * A cheap fingerprint of a unit's identity: a unit whose fingerprint changed is parsed again.
   * `added` is the element just added inside the unit, when that is why it is looked at again.
   */
  unitFingerprint(unit: Element, added?: Element): string;
  /**
   * API responses the site embedded in the page itself (first-load data), named like captured
   * ones: read once, at idle, as if the page had fetched them.
   */
  embeddedResponses?(doc: Document): EmbeddedResponse[];
  /** Observations of one of the site's own API responses the page received (already JSON-parsed). */
  parseResponse?(operation: string, url: string, json: unknown, ctx: PageContext): Observation[];
}

/** Parses a whole saved page: the viewer, then every unit. */
export function parseDocument(adapter: PlatformAdapter, doc: Document, url: URL): Observation[] {
  const viewer = adapter.findViewer(doc);
  const ctx: PageContext = viewer ? { url, viewer } : { url };
  const out: Observation[] = viewer ? [{ type: 'viewer', account: viewer }] : [];
  for (const unit of doc.querySelectorAll(adapter.unitSelector)) {
    out.push(...adapter.parseUnit(unit, ctx));
  }
  return out;
}

import type { AccountKey } from '../core/keys.ts';
import { TIERS, type Tier } from '../core/model.ts';

export const BADGE_TAG = 'rapport-badge';

const LABEL: Readonly<Record<Tier, string>> = {
  conversational: 'talks',
  unanswered: 'waiting',
  reaching: 'reaching',
  'silent-follower': 'silent',
  passive: 'passive',
  // Drawn as a small ring, not a word: most names on a page are new, and a word on each is noise.
  unknown: '',
};

/** What assistive technology reads for a badge (the hover card says it to the eye). */
const DESCRIPTION: Readonly<Record<Tier, string>> = {
  conversational: 'Rapport: you talk with each other',
  unanswered: 'Rapport: they addressed you and wait for an answer',
  reaching: 'Rapport: you addressed them; no answer yet',
  'silent-follower': 'Rapport: follows you, never talks',
  passive: 'Rapport: only likes or reposts',
  unknown: 'Rapport: nothing known yet',
};

const cssString = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** Every badge carries its account: the attribute lifts the rules above the site's resets. */
const B = 'rapport-badge[data-account]';
// Every rule names only <rapport-badge>, so the sheet cannot touch the site; every declaration is
// !important, with an attribute in every selector, so the site's own rules (resets, `*::after`,
// `body *`: anything without an id) cannot change the badge. (A shadow root per badge held the
// same rules on :host, which the site's rules outrank, and cost more than the rest of the badge:
// 0.35–0.5 ms per 100 posts, measured side by side.) Fixed height below the name's line height,
// no margins that push lines: no layout shift. The label is drawn from data-tier, so a tier
// change touches one attribute.
const RULES = [
  `${B} { display: inline-flex; align-items: center; height: 16px; width: auto;
  margin: 0 0 0 4px; padding: 0; border: 0; flex: none; vertical-align: middle; position: static;
  contain: layout style; visibility: visible; opacity: 1; background: none;
  font: 600 11px/16px system-ui, sans-serif; text-transform: none; text-decoration: none; }`,
  `${B}[hidden] { display: none; }`,
  `${B}::before { content: none; }`,
  `${B}::after { display: inline-block; height: 16px; width: auto; margin: 0;
  padding: 0 6px; border: 0; border-radius: 8px; box-sizing: content-box; white-space: nowrap;
  background: #eef1f4; color: #536471; letter-spacing: .01em; }`,
  ...TIERS.map(
    (tier) => `${B}[data-tier="${tier}"]::after { content: ${cssString(LABEL[tier])}; }`,
  ),
  `${B}[data-tier="conversational"]::after { background: #d9f5e5; color: #0b6b3a; }`,
  `${B}[data-tier="unanswered"]::after { background: #ffe9c7; color: #8a4b00; }`,
  `${B}[data-tier="reaching"]::after { background: #e3ecff; color: #2949a8; }`,
  `${B}[data-tier="silent-follower"]::after { background: #efe6fb; color: #6a3fa0; }`,
  `${B}[data-tier="passive"]::after { background: #f1f1f1; color: #6b6b6b; }`,
  `${B}[data-tier="unknown"]::after { width: 6px; height: 6px; padding: 0;
  margin: 0 2px; box-sizing: border-box; border: 1.5px solid #aab4bd; border-radius: 50%;
  background: transparent; }`,
];
const DARK = [
  `${B}::after { background: #22303c; color: #b4c0cc; }`,
  `${B}[data-tier="conversational"]::after { background: #10402a; color: #8ff0bd; }`,
  `${B}[data-tier="unanswered"]::after { background: #4a3208; color: #ffcf85; }`,
  `${B}[data-tier="reaching"]::after { background: #1d2d57; color: #a9c1ff; }`,
  `${B}[data-tier="silent-follower"]::after { background: #3a2556; color: #d6bcff; }`,
];
const important = (rule: string) => rule.replace(/;/g, ' !important;');
export const BADGE_STYLE = `${RULES.map(important).join('\n')}
@media (prefers-color-scheme: dark) {
${DARK.map(important).join('\n')}
}`;

/**
 * The badges' stylesheet in a document: adopted by the document (a constructed sheet: no markup,
 * and not subject to the site's style-src), else a <style> element where adoption fails.
 */
type InstalledStyle = { sheet: CSSStyleSheet } | { element: HTMLStyleElement };
const installed = new WeakMap<Document, { style: InstalledStyle; checkedAt: number }>();
/**
 * How often the sheet is looked for once in place: reading the document's adopted sheets from the
 * content script's world costs tens of µs (1.4–4.2 ms per 2,000 X posts when asked at every change
 * of the page, 1–4% of the script, profiled); a site that drops the sheet sees it back within this
 * time.
 */
export const STYLE_CHECK_MS = 1000;

function adopt(doc: Document): InstalledStyle | undefined {
  try {
    const view = doc.defaultView as (Window & { CSSStyleSheet: typeof CSSStyleSheet }) | null;
    const sheet = new (view?.CSSStyleSheet ?? CSSStyleSheet)();
    sheet.replaceSync(BADGE_STYLE);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return doc.adoptedStyleSheets.includes(sheet) ? { sheet } : undefined;
  } catch {
    return undefined;
  }
}

function styleElement(doc: Document): InstalledStyle {
  const element = doc.createElement('style');
  element.setAttribute('data-rapport', '');
  element.textContent = BADGE_STYLE;
  (doc.head ?? doc.documentElement).append(element);
  return { element };
}

function inPlace(doc: Document, style: InstalledStyle): boolean {
  return 'sheet' in style
    ? doc.adoptedStyleSheets.includes(style.sheet)
    : style.element.isConnected;
}

/**
 * Puts the badges' stylesheet in the document, or back when the site dropped it (a site that
 * sets the document's adopted sheets, or rewrites its head). Called before each batch of badges;
 * looks at most every STYLE_CHECK_MS.
 */
export function ensureBadgeStyle(doc: Document, now = Date.now()): void {
  const held = installed.get(doc);
  if (held && now - held.checkedAt < STYLE_CHECK_MS) return;
  if (held && inPlace(doc, held.style)) {
    held.checkedAt = now;
    return;
  }
  // Where adoption failed once, a <style> element it is.
  const style = (held && 'element' in held.style ? undefined : adopt(doc)) ?? styleElement(doc);
  installed.set(doc, { style, checkedAt: now });
}

/**
 * One badge per tier and document, never inserted: new badges are copies of it, one call into the
 * page's DOM instead of three (each such call costs ~0.5–1 µs from a content script's world).
 */
const blanks = new WeakMap<Document, Map<Tier, Element>>();

/** A badge: a custom-named element, its look in the document's badge stylesheet. Text only. */
export function createBadge(doc: Document, account: AccountKey, tier: Tier): HTMLElement {
  let byTier = blanks.get(doc);
  if (!byTier) blanks.set(doc, (byTier = new Map()));
  let blank = byTier.get(tier);
  if (!blank) {
    blank = doc.createElement(BADGE_TAG);
    writeTier(blank, tier);
    byTier.set(tier, blank);
  }
  const host = blank.cloneNode(false) as HTMLElement;
  host.setAttribute('data-account', account);
  return host;
}

export function setBadgeTier(host: Element, tier: Tier): void {
  if (host.getAttribute('data-tier') !== tier) writeTier(host, tier);
}

function writeTier(host: Element, tier: Tier): void {
  host.setAttribute('data-tier', tier);
  // Not a title: the browser's own tooltip would open over the hover card.
  host.setAttribute('aria-label', DESCRIPTION[tier]);
}

export function isBadge(node: Node): boolean {
  return node.nodeName === 'RAPPORT-BADGE';
}

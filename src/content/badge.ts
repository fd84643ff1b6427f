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

// Fixed height below the name's line height and no margins that push lines: no layout shift.
// The label is drawn by CSS from the host's data-tier, so a tier change touches one attribute and
// the shadow content never changes.
const STYLE = `
:host { display: inline-flex; align-items: center; height: 16px; margin: 0 0 0 4px; flex: none;
  vertical-align: middle; contain: layout style; font: 600 11px/16px system-ui, sans-serif; }
:host([hidden]) { display: none; }
:host::after { display: inline-block; height: 16px; padding: 0 6px; border-radius: 8px; white-space: nowrap;
  background: #eef1f4; color: #536471; letter-spacing: .01em; }
${TIERS.map((tier) => `:host([data-tier="${tier}"])::after { content: ${cssString(LABEL[tier])}; }`).join('\n')}
:host([data-tier="conversational"])::after { background: #d9f5e5; color: #0b6b3a; }
:host([data-tier="unanswered"])::after { background: #ffe9c7; color: #8a4b00; }
:host([data-tier="reaching"])::after { background: #e3ecff; color: #2949a8; }
:host([data-tier="silent-follower"])::after { background: #efe6fb; color: #6a3fa0; }
:host([data-tier="passive"])::after { background: #f1f1f1; color: #6b6b6b; }
:host([data-tier="unknown"])::after { width: 6px; height: 6px; padding: 0; margin: 0 2px;
  box-sizing: border-box; border: 1.5px solid #aab4bd; border-radius: 50%; background: transparent; }
@media (prefers-color-scheme: dark) {
  :host::after { background: #22303c; color: #b4c0cc; }
  :host([data-tier="conversational"])::after { background: #10402a; color: #8ff0bd; }
  :host([data-tier="unanswered"])::after { background: #4a3208; color: #ffcf85; }
  :host([data-tier="reaching"])::after { background: #1d2d57; color: #a9c1ff; }
  :host([data-tier="silent-follower"])::after { background: #3a2556; color: #d6bcff; }
}`;

/**
 * One parsed stylesheet adopted by every badge's shadow root: inserting a badge then costs no
 * style parsing (a <style> per badge made insertion twice as slow in the bench). Where adoption is
 * not possible, each badge gets its own <style>.
 */
const sheets = new WeakMap<Document, CSSStyleSheet | null>();
function sharedSheet(doc: Document): CSSStyleSheet | null {
  let sheet = sheets.get(doc);
  if (sheet === undefined) {
    try {
      const view = doc.defaultView as (Window & { CSSStyleSheet: typeof CSSStyleSheet }) | null;
      sheet = new (view?.CSSStyleSheet ?? CSSStyleSheet)();
      sheet.replaceSync(STYLE);
    } catch {
      sheet = null;
    }
    sheets.set(doc, sheet);
  }
  return sheet;
}

/** A badge: a custom-named element whose look lives in a closed shadow root. Text only. */
export function createBadge(doc: Document, account: AccountKey, tier: Tier): HTMLElement {
  const host = doc.createElement(BADGE_TAG);
  const shadow = host.attachShadow({ mode: 'closed' });
  const sheet = sharedSheet(doc);
  let adopted = false;
  if (sheet) {
    try {
      shadow.adoptedStyleSheets = [sheet];
      adopted = true;
    } catch {
      sheets.set(doc, null);
    }
  }
  if (!adopted) {
    const style = doc.createElement('style');
    style.textContent = STYLE;
    shadow.append(style);
  }
  host.setAttribute('data-account', account);
  // New: no old tier to compare with.
  writeTier(host, tier);
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

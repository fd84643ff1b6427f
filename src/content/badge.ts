import type { AccountKey } from '../core/keys.ts';
import { TIERS, type Tier } from '../core/model.ts';

export const BADGE_TAG = 'rapport-badge';

const LABEL: Readonly<Record<Tier, string>> = {
  conversational: 'talks',
  unanswered: 'waiting',
  reaching: 'reaching',
  'silent-follower': 'silent',
  passive: 'passive',
  unknown: '·',
};

const TITLE: Readonly<Record<Tier, string>> = {
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
// the shadow content never changes: every badge is a clone of one template.
const STYLE = `
:host { display: inline-flex; align-items: center; height: 16px; margin: 0 0 0 4px; flex: none;
  vertical-align: middle; contain: layout style; font: 600 11px/16px system-ui, sans-serif; }
span { display: inline-block; height: 16px; padding: 0 6px; border-radius: 8px; white-space: nowrap;
  background: #eef1f4; color: #536471; letter-spacing: .01em; }
${TIERS.map((tier) => `:host([data-tier="${tier}"]) span::after { content: ${cssString(LABEL[tier])}; }`).join('\n')}
:host([data-tier="conversational"]) span { background: #d9f5e5; color: #0b6b3a; }
:host([data-tier="unanswered"]) span { background: #ffe9c7; color: #8a4b00; }
:host([data-tier="reaching"]) span { background: #e3ecff; color: #2949a8; }
:host([data-tier="silent-follower"]) span { background: #efe6fb; color: #6a3fa0; }
:host([data-tier="passive"]) span { background: #f1f1f1; color: #6b6b6b; }
:host([data-tier="unknown"]) span { background: transparent; color: #9aa4ad; padding: 0 2px; }
@media (prefers-color-scheme: dark) {
  span { background: #22303c; color: #b4c0cc; }
  :host([data-tier="conversational"]) span { background: #10402a; color: #8ff0bd; }
  :host([data-tier="unanswered"]) span { background: #4a3208; color: #ffcf85; }
  :host([data-tier="reaching"]) span { background: #1d2d57; color: #a9c1ff; }
  :host([data-tier="silent-follower"]) span { background: #3a2556; color: #d6bcff; }
}`;

function buildBadge(doc: Document, clonable: boolean): HTMLElement {
  const host = doc.createElement(BADGE_TAG);
  const shadow = host.attachShadow({ mode: 'closed', clonable } as ShadowRootInit);
  const style = doc.createElement('style');
  style.textContent = STYLE;
  shadow.append(style, doc.createElement('span'));
  return host;
}

const templates = new WeakMap<Document, HTMLElement | null>();

/** A badge host whose shadow root clones with it, when the browser can; null where it cannot. */
function template(doc: Document): HTMLElement | null {
  let found = templates.get(doc);
  if (found === undefined) {
    found = null;
    try {
      // Probe with an open root: a closed one cannot be seen on the clone.
      const probe = doc.createElement(BADGE_TAG);
      probe.attachShadow({ mode: 'open', clonable: true } as ShadowRootInit);
      if ((probe.cloneNode(true) as HTMLElement).shadowRoot) found = buildBadge(doc, true);
    } catch {
      found = null;
    }
    templates.set(doc, found);
  }
  return found;
}

/** A badge: a custom-named element whose look lives in a closed shadow root. Text only. */
export function createBadge(doc: Document, account: AccountKey, tier: Tier): HTMLElement {
  const proto = template(doc);
  const host = proto ? (proto.cloneNode(true) as HTMLElement) : buildBadge(doc, false);
  host.setAttribute('data-account', account);
  setBadgeTier(host, tier);
  return host;
}

export function setBadgeTier(host: Element, tier: Tier): void {
  if (host.getAttribute('data-tier') === tier) return;
  host.setAttribute('data-tier', tier);
  host.setAttribute('title', TITLE[tier]);
}

export function isBadge(node: Node): boolean {
  return node.nodeName === 'RAPPORT-BADGE';
}

// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import {
  BADGE_STYLE,
  createBadge,
  ensureBadgeStyle,
  setBadgeTier,
  STYLE_CHECK_MS,
} from '../../src/content/badge.ts';
import { TIERS } from '../../src/core/model.ts';

/** The style rules of the badges' sheet, at-rules opened: selector and declarations each. */
function rules(css: string): Array<{ selector: string; declarations: string[] }> {
  const flat = css.replace(/@media[^{]*\{([\s\S]*)\}\s*$/, '$1');
  return [...flat.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((match) => ({
    selector: (match[1] as string).trim(),
    declarations: (match[2] as string)
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean),
  }));
}

/** A fresh document, as a new page is. */
function freshDocument(): Document {
  return document.implementation.createHTMLDocument('page');
}

describe('badge', () => {
  test('is an element with its account, tier and spoken description: no markup inside', () => {
    const badge = createBadge(document, 'x:aiko_t', 'conversational');
    expect(badge.localName).toBe('rapport-badge');
    expect(badge.getAttribute('data-account')).toBe('x:aiko_t');
    expect(badge.getAttribute('data-tier')).toBe('conversational');
    expect(badge.getAttribute('aria-label')).toBe('Rapport: you talk with each other');
    expect(badge.childNodes).toHaveLength(0);
    setBadgeTier(badge, 'unanswered');
    expect(badge.getAttribute('data-tier')).toBe('unanswered');
    expect(badge.getAttribute('aria-label')).toMatch(/wait for an answer/);
  });

  test("its sheet names only badges, and the site's rules cannot outrank any of it", () => {
    const found = rules(BADGE_STYLE);
    expect(found.length).toBeGreaterThan(10);
    for (const { selector, declarations } of found) {
      expect(selector).toMatch(
        /^rapport-badge\[data-account\](\[[a-z-]+(="[a-z-]+")?\])?(::(before|after))?$/,
      );
      expect(declarations.length).toBeGreaterThan(0);
      for (const declaration of declarations) expect(declaration).toMatch(/ !important$/);
    }
    // Every tier has its label (the unknown one is a ring, drawn without words).
    for (const tier of TIERS)
      expect(BADGE_STYLE).toContain(
        `rapport-badge[data-account][data-tier="${tier}"]::after { content: "`,
      );
  });

  test('the sheet goes in once per document, and back when the site drops it', () => {
    const doc = freshDocument();
    const count = () =>
      doc.adoptedStyleSheets.length + doc.querySelectorAll('style[data-rapport]').length;
    ensureBadgeStyle(doc, 0);
    ensureBadgeStyle(doc, STYLE_CHECK_MS);
    expect(count()).toBe(1);
    // What the site may do: set its own adopted sheets, or rewrite its head.
    doc.adoptedStyleSheets = [];
    for (const style of doc.querySelectorAll('style[data-rapport]')) style.remove();
    // Looked for at most every STYLE_CHECK_MS: not yet…
    ensureBadgeStyle(doc, 1.5 * STYLE_CHECK_MS);
    expect(count()).toBe(0);
    // …then it is back, once.
    ensureBadgeStyle(doc, 2 * STYLE_CHECK_MS);
    ensureBadgeStyle(doc, 2 * STYLE_CHECK_MS + 1);
    expect(count()).toBe(1);
  });
});

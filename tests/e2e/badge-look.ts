/**
 * Pages that try to restyle or block Rapport's badges, and what a badge looks like in them, read
 * the same way in Chromium (playwright) and Firefox (puppeteer).
 */
import { expect } from 'vitest';

/** Resets and rules a site might carry, some !important: none names an id. */
export const HOSTILE_CSS = `
*, *::before, *::after { all: unset; }
*, *::before, *::after { box-sizing: border-box !important; margin: 0 !important; padding: 0 !important; }
*::after { content: none !important; display: none !important; }
body * { font-size: 30px !important; background: red !important; visibility: hidden; }
a, span, rapport-badge { margin-left: 40px !important; opacity: 0 !important; }
[data-tier]::after { content: "hacked"; }
`;

/** The demo's home page with the site's hostile stylesheet, or with styles forbidden by its CSP. */
export function restyledPages(home: string): Record<string, string> {
  return {
    '/hostile-css/home': home.replace('</head>', `<style>${HOSTILE_CSS}</style></head>`),
    '/strict-csp/home': home.replace(
      '<head>',
      `<head><meta http-equiv="Content-Security-Policy" content="style-src 'none'">`,
    ),
  };
}

export interface BadgeLook {
  display: string;
  fontSize: string;
  marginLeft: string;
  opacity: string;
  visibility: string;
  label: string;
  labelBackground: string;
  width: number;
}

/** Evaluated in the page: the computed look of the first badge matching `selector`. */
export function readBadgeLook(selector: string): BadgeLook | null {
  const badge = document.querySelector(selector);
  if (!badge) return null;
  const host = getComputedStyle(badge);
  const label = getComputedStyle(badge, '::after');
  return {
    display: host.display,
    fontSize: host.fontSize,
    marginLeft: host.marginLeft,
    opacity: host.opacity,
    visibility: host.visibility,
    label: label.content,
    labelBackground: label.backgroundColor,
    width: badge.getBoundingClientRect().width,
  };
}

/**
 * A conversational badge, as the badge's sheet draws it in a light page (inline-flex, shown as
 * flex in a flex row such as X's author line).
 */
export const TALKS_LOOK = {
  display: expect.stringMatching(/^(inline-)?flex$/),
  fontSize: '11px',
  marginLeft: '4px',
  opacity: '1',
  visibility: 'visible',
  label: '"talks"',
  labelBackground: 'rgb(217, 245, 229)',
};

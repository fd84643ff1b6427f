/**
 * Runs in an isolated world of a page holding saved posts (as a content script does): the
 * adapter's own steps, timed per post on freshly inserted copies, beside one native walk of
 * each post's subtree. No MutationObserver, messages or lookups: what reading and badging a post
 * costs at the least, so a change to a parser is measured without the whole feed's noise.
 */
import { accountKey } from '../../src/core/keys.ts';
import { createBadge, ensureBadgeStyle } from '../../src/content/badge.ts';
import type { PlatformAdapter } from '../../src/platforms/adapter.ts';
import { linkedinAdapter } from '../../src/platforms/linkedin/index.ts';
import { xAdapter } from '../../src/platforms/x/index.ts';

const ADAPTERS: Record<string, PlatformAdapter> = { x: xAdapter, linkedin: linkedinAdapter };

export function floor(site: string, holderId: string, copies: number, runs: number) {
  const adapter = ADAPTERS[site] as PlatformAdapter;
  const holder = document.getElementById(holderId) as Element;
  const originals = [...holder.children].map((child) => child.cloneNode(true) as Element);
  const ctx = { url: new URL(document.location.href) };
  // As the content script does before its first badges: once per document.
  ensureBadgeStyle(document);
  const steps: Record<string, (unit: Element) => void> = {
    // The least any reader pays: the browser walks the post's subtree once, natively.
    walk: (unit) => void unit.getElementsByTagName('*').length,
    fingerprint: (unit) => void adapter.unitFingerprint(unit),
    'fingerprint + parse': (unit) => {
      adapter.unitFingerprint(unit);
      adapter.parseUnit(unit, ctx);
    },
    'fingerprint + parse + badge targets': (unit) => {
      adapter.unitFingerprint(unit);
      adapter.parseUnit(unit, ctx);
      adapter.badgeTargets(unit);
    },
    'fingerprint + parse + badges': (unit) => {
      adapter.unitFingerprint(unit);
      adapter.parseUnit(unit, ctx);
      for (const target of adapter.badgeTargets(unit))
        target.anchor.after(createBadge(document, accountKey(target.account), 'unknown'));
    },
  };
  const out: Record<string, number> = {};
  let units = 0;
  for (const [name, step] of Object.entries(steps)) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      holder.textContent = '';
      for (let i = 0; i < copies; i++)
        for (const original of originals) holder.append(original.cloneNode(true));
      // Timed as the content script meets them: just inserted, not laid out yet.
      const found = holder.querySelectorAll(adapter.unitSelector);
      units = found.length;
      const started = performance.now();
      for (let i = 0; i < found.length; i++) step(found[i] as Element);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out[name] = ((times[Math.floor(times.length / 2)] as number) / units) * 100;
  }
  return { units, msPer100: out };
}

import type { AccountKey } from '../core/keys.ts';
import type { Tier } from '../core/model.ts';
import { whenText } from '../shared/words.ts';
import { BADGE_TAG } from './badge.ts';

/** What a badge's hover card says about one person (from the last tier lookup). */
export interface CardInfo {
  tier: Tier;
  inCount: number;
  outCount: number;
  lastExchangeAt?: number;
  /** The first line of the user's note. */
  note?: string;
}

const TIER_WORDS: Readonly<Record<Tier, string>> = {
  conversational: 'Talks with you',
  unanswered: 'Waiting on you',
  reaching: 'You reach out',
  'silent-follower': 'Silent follower',
  passive: 'Only likes or reposts',
  unknown: 'Nothing known yet',
};

const STYLE = `
:host { position: fixed; z-index: 2147483647; display: none; }
:host([open]) { display: block; }
.card { font: 13px/1.4 system-ui, sans-serif; background: #fff; color: #0f1419; border: 1px solid #e6ebef;
  border-radius: 10px; padding: 8px 10px; box-shadow: 0 6px 24px rgba(0,0,0,.15); max-width: 260px; }
.tier { font-weight: 700; } .muted { color: #536471; font-size: 12px; }
.note { margin-top: 4px; font-style: italic; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button { margin-top: 6px; font: inherit; font-size: 12px; border: 1px solid #cfd9de; border-radius: 999px;
  background: transparent; color: inherit; padding: 2px 10px; cursor: pointer; }
@media (prefers-color-scheme: dark) {
  .card { background: #15202b; color: #e7ecf0; border-color: #2c3a47; } .muted { color: #8b98a5; }
}`;

/**
 * One card per page, shown beside the badge under the pointer or keyboard focus. It lives in its
 * own closed shadow root and is filled with text only. Listening on the document (one listener,
 * not one per badge) keeps badges as cheap as before.
 */
export function installCards(
  doc: Document,
  infoOf: (account: AccountKey) => CardInfo | undefined,
  open: (account: AccountKey) => void,
): () => void {
  const host = doc.createElement('rapport-card');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const card = doc.createElement('div');
  card.className = 'card';
  card.setAttribute('role', 'tooltip');
  shadow.append(style, card);
  let current: AccountKey | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  const show = (badge: Element) => {
    const account = badge.getAttribute('data-account') as AccountKey | null;
    if (!account) return;
    if (hideTimer !== undefined) clearTimeout(hideTimer);
    const info = infoOf(account);
    current = account;
    const line = (cls: string, text: string) => {
      const el = doc.createElement('div');
      el.className = cls;
      el.textContent = text;
      return el;
    };
    const parts: Node[] = [line('tier', TIER_WORDS[info?.tier ?? 'unknown'])];
    if (info && info.inCount + info.outCount > 0)
      parts.push(line('muted', `${info.inCount} from them · ${info.outCount} from you`));
    if (info?.lastExchangeAt !== undefined)
      parts.push(line('muted', `Last exchange ${whenText(info.lastExchangeAt, Date.now())}`));
    if (info?.note) parts.push(line('note', info.note));
    const button = doc.createElement('button');
    button.type = 'button';
    button.textContent = 'Open in Rapport';
    button.addEventListener('click', () => current && open(current));
    parts.push(button);
    card.replaceChildren(...parts);
    if (!host.isConnected) doc.documentElement.append(host);
    const box = badge.getBoundingClientRect();
    host.style.left = `${Math.max(4, Math.min(box.left, (doc.defaultView?.innerWidth ?? 800) - 270))}px`;
    host.style.top = `${box.bottom + 6}px`;
    host.setAttribute('open', '');
  };
  const hideSoon = () => {
    if (hideTimer !== undefined) clearTimeout(hideTimer);
    hideTimer = setTimeout(() => host.removeAttribute('open'), 250);
  };
  const over = (event: Event) => {
    const target = event.target;
    if (target instanceof Element && target.localName === BADGE_TAG) show(target);
    else if (target === host) {
      if (hideTimer !== undefined) clearTimeout(hideTimer);
    }
  };
  const out = (event: Event) => {
    const target = event.target;
    if (target instanceof Element && (target.localName === BADGE_TAG || target === host))
      hideSoon();
  };
  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Escape') host.removeAttribute('open');
  };
  doc.addEventListener('mouseover', over, true);
  doc.addEventListener('mouseout', out, true);
  doc.addEventListener('focusin', over, true);
  doc.addEventListener('focusout', out, true);
  doc.addEventListener('keydown', keys, true);
  return () => {
    doc.removeEventListener('mouseover', over, true);
    doc.removeEventListener('mouseout', out, true);
    doc.removeEventListener('focusin', over, true);
    doc.removeEventListener('focusout', out, true);
    doc.removeEventListener('keydown', keys, true);
    host.remove();
  };
}

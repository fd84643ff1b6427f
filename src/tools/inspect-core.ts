import { Window } from 'happy-dom';
import { readFileSync } from 'node:fs';
import type { Observation } from '../core/model.ts';
import { parseDocument, type PlatformAdapter } from '../platforms/adapter.ts';
import { linkedinAdapter } from '../platforms/linkedin/index.ts';
import { parseLinkedInJson } from '../platforms/linkedin/parse-json.ts';
import { xAdapter } from '../platforms/x/index.ts';
import { operationFromUrl } from '../platforms/x/operations.ts';
import { parseXJson, variablesFromUrl, type JsonContext } from '../platforms/x/parse-json.ts';

export class InspectError extends Error {}

const ADAPTERS: readonly PlatformAdapter[] = [xAdapter, linkedinAdapter];

/** Which site a saved page comes from, by the hooks in it, when no URL is given. */
function guessUrl(html: string): string | undefined {
  const canonical =
    /<link[^>]+rel="canonical"[^>]+href="([^"]+)"/i.exec(html)?.[1] ??
    /<meta[^>]+property="og:url"[^>]+content="([^"]+)"/i.exec(html)?.[1];
  if (canonical && /^https:\/\//.test(canonical)) return canonical;
  if (/data-testid="(tweet|UserCell|cellInnerDiv|primaryColumn)"/.test(html))
    return 'https://x.com/home';
  if (/class="nt-card|data-view-name="notification-card/.test(html))
    return 'https://www.linkedin.com/notifications/';
  if (/data-urn="urn:li:activity:|feed-shared-update-v2/.test(html))
    return 'https://www.linkedin.com/feed/';
  return undefined;
}

function adapterFor(url: URL): PlatformAdapter | undefined {
  const host = url.hostname.replace(/^(www|mobile)\./, '');
  if (host === 'x.com' || host === 'twitter.com') return xAdapter;
  if (host === 'linkedin.com') return linkedinAdapter;
  return ADAPTERS.find((a) => host.includes(a.platform));
}

/** A saved API response: X GraphQL (the operation comes from --url when given). */
function inspectJson(path: string, text: string, url: string | undefined): Observation[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InspectError(
      `${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}); a truncated file?`,
    );
  }
  // LinkedIn: Voyager responses are `{ data, included }` or a list of typed entities.
  const linkedin =
    (Array.isArray(json) &&
      json.some((item) => typeof item === 'object' && item !== null && '$type' in item)) ||
    (typeof json === 'object' && json !== null && 'included' in json) ||
    (url !== undefined && /linkedin\.com/.test(url));
  if (linkedin) return parseLinkedInJson(json);
  const known =
    typeof json === 'object' &&
    json !== null &&
    ['data', 'inbox_initial_state', 'user_events', 'conversation_timeline', 'inbox_timeline'].some(
      (key) => key in json,
    );
  if (!known) {
    throw new InspectError(
      `${path}: not a response Rapport knows (expected X GraphQL, an object with "data", X's direct-message inbox, or a LinkedIn Voyager response with "included")`,
    );
  }
  const ctx: JsonContext = {};
  const operation = url ? operationFromUrl(url) : undefined;
  const variables = url ? variablesFromUrl(url) : undefined;
  if (operation) ctx.operation = operation;
  if (variables) ctx.variables = variables;
  return parseXJson(json, ctx);
}

/**
 * Observations of a saved page (.html) or API response (.json). Throws InspectError with a
 * reason a person can act on.
 */
export function inspectFile(path: string, url?: string): Observation[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InspectError(
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (/\.json$/i.test(path) || /^\s*[[{]/.test(text)) return inspectJson(path, text, url);
  const page = loadSavedPage(path, text, url);
  return parseDocument(page.adapter, page.doc, page.url);
}

/**
 * A saved page as the browser would hold it, with the adapter of its site (from `url`, else from
 * the page's own address or hooks). Throws InspectError with a reason a person can act on.
 */
export function loadSavedPage(
  path: string,
  text: string,
  url?: string,
): { adapter: PlatformAdapter; doc: Document; url: URL } {
  if (!/<[a-z!]/i.test(text)) throw new InspectError(`${path}: not an HTML page`);
  const pageUrl = url ?? guessUrl(text);
  if (!pageUrl)
    throw new InspectError(
      `${path}: cannot tell which site this page is from; pass --url https://x.com/...`,
    );
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(pageUrl);
  } catch {
    throw new InspectError(`not a URL: ${pageUrl}`);
  }
  const adapter = adapterFor(parsedUrl);
  if (!adapter)
    throw new InspectError(`no adapter for ${parsedUrl.hostname} (known: x.com, www.linkedin.com)`);
  const window = new Window({
    url: parsedUrl.href,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  if (/^\s*(<!DOCTYPE|<html)/i.test(text)) window.document.write(text);
  else window.document.body.innerHTML = text;
  return { adapter, doc: window.document as unknown as Document, url: parsedUrl };
}

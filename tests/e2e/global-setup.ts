/**
 * Privacy across the whole e2e suite: every browser session the harness starts records the
 * requests made by extension contexts (its pages and worker) into one tally; at the end of the
 * run the tally is printed and must be zero.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { REQUEST_TALLY } from './harness.ts';

export function setup(): void {
  rmSync(REQUEST_TALLY, { force: true });
}

export function teardown(): void {
  const sessions = existsSync(REQUEST_TALLY)
    ? readFileSync(REQUEST_TALLY, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { requests: string[] })
    : [];
  const requests = sessions.flatMap((s) => s.requests);
  console.log(
    `privacy: ${sessions.length} browser sessions with the extension, ${requests.length} network requests from extension contexts`,
  );
  if (requests.length > 0)
    throw new Error(`the extension made network requests:\n${requests.join('\n')}`);
}

import { expect } from 'vitest';
import { DB_VERSION } from '../../src/store/schema.ts';

/** What `upgrade` in tests/e2e/migration-entry.ts answers. */
export interface Upgraded {
  ms: number;
  version: number;
  rows: number;
  followers: number[];
  marked: string | null;
  unmarked: string | null;
  evidence: number;
  addressed: number[];
  trail: string[];
}

/** What tests/e2e/migration-entry.ts exposes on `window.rapportMigration`. */
export interface Migration {
  olderDatabase(name: string, version: number, rows: number): Promise<void>;
  upgrade(name: string): Promise<Upgraded>;
}

/**
 * A database `olderDatabase` wrote with `rows` rows, as this code's upgrade must leave it: every
 * row there, every follower marked, every reply to the user marked and found by the queries.
 */
export function expectUpgraded(result: Upgraded, rows: number): void {
  expect(result.version).toBe(DB_VERSION);
  expect(result.rows).toBe(rows);
  // Row i belongs to viewer i % 2 and follows when i % 3 === 0: i % 6 is 0 (X) or 3 (LinkedIn).
  let onX = 0;
  let onLinkedIn = 0;
  for (let i = 0; i < rows; i += 3) {
    if (i % 2 === 0) onX += 1;
    else onLinkedIn += 1;
  }
  expect(result.followers).toEqual([onX, onLinkedIn]);
  expect(result.marked).toBe('x:me');
  expect(result.unmarked).toBeNull();
  // Every piece of evidence re-keyed; those to a viewer (i % 4 < 2) marked, by viewer i % 2.
  expect(result.evidence).toBe(rows);
  expect(result.addressed).toEqual([rows / 4, rows / 4]);
  expect(result.trail).toEqual(['x:4:reply:p4:me in']);
}

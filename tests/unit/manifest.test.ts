import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeManifest } from '../../manifest/manifest.ts';

describe('manifest', () => {
  const manifest = makeManifest('chrome') as unknown as Record<string, unknown>;
  test('permissions are exactly storage and unlimitedStorage; host access only where content scripts run', () => {
    expect(manifest.permissions).toEqual(['storage', 'unlimitedStorage']);
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.optional_permissions).toBeUndefined();
    const scripts = manifest.content_scripts as Array<{
      matches: string[];
      world?: string;
      run_at?: string;
      js: string[];
    }>;
    expect(new Set(scripts.flatMap((s) => s.matches))).toEqual(
      new Set(['https://x.com/*', 'https://www.linkedin.com/*']),
    );
  });
  test('on each site the content script listens before the page-world capture script runs', () => {
    const scripts = manifest.content_scripts as Array<{
      world?: string;
      run_at?: string;
      js: string[];
    }>;
    expect(scripts.map((s) => [s.js[0], s.world ?? 'ISOLATED', s.run_at])).toEqual([
      ['src/content/x.ts', 'ISOLATED', 'document_start'],
      ['src/capture/x-main.ts', 'MAIN', 'document_start'],
      ['src/content/linkedin.ts', 'ISOLATED', 'document_start'],
      ['src/capture/linkedin-main.ts', 'MAIN', 'document_start'],
    ]);
  });
  test('nothing is web-accessible (sites probe for that)', () => {
    expect(manifest.web_accessible_resources).toBeUndefined();
  });
  test('extension pages may not connect anywhere', () => {
    const csp = (manifest.content_security_policy as { extension_pages: string }).extension_pages;
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("script-src 'self'");
  });
  test('Firefox variant declares its id and collects no data', () => {
    const firefox = makeManifest('firefox') as unknown as {
      browser_specific_settings: { gecko: Record<string, unknown> };
    };
    expect(firefox.browser_specific_settings.gecko).toMatchObject({
      data_collection_permissions: { required: ['none'] },
    });
  });
});

const BUILT = join(process.cwd(), 'dist/chrome/manifest.json');
describe.runIf(existsSync(BUILT))('built extension', () => {
  test('has no web_accessible_resources and one file per content script', () => {
    const built = JSON.parse(readFileSync(BUILT, 'utf8')) as Record<string, unknown>;
    expect(built.web_accessible_resources).toBeUndefined();
    const scripts = built.content_scripts as Array<{ js: string[] }>;
    for (const script of scripts) expect(script.js).toHaveLength(1);
  });
  test('ships the icons and their warning variant (shown while reading is broken)', () => {
    for (const size of [16, 32, 48, 128]) {
      expect(existsSync(join(process.cwd(), `dist/chrome/icons/icon-${size}.png`))).toBe(true);
      expect(existsSync(join(process.cwd(), `dist/chrome/icons/icon-warning-${size}.png`))).toBe(
        true,
      );
    }
  });
  test('ships no source maps', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(join(process.cwd(), 'dist/chrome'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });
});

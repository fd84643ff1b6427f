import { resolve } from 'node:path';
import { build } from 'vite';

/**
 * An IIFE bundle of a test or bench entry, to evaluate in a real browser page: `name` becomes the
 * global that holds the entry's exports.
 */
export async function bundle(entry: string, name: string): Promise<string> {
  const built = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: process.env.RAPPORT_PROFILE !== '1',
      lib: { entry: resolve(entry), formats: ['iife'], name, fileName: name },
    },
  });
  const output = (Array.isArray(built) ? built[0] : built) as {
    output: Array<{ type: string; code?: string }>;
  };
  return output.output.find((o) => o.type === 'chunk')?.code ?? '';
}

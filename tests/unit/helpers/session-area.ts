import type { SessionArea } from '../../../src/shared/storage-full.ts';

/** An in-memory `storage.session`, its items open to the test. */
export function memoryArea(): SessionArea & { items: Record<string, unknown> } {
  const items: Record<string, unknown> = {};
  return {
    items,
    get: async (key) => (key in items ? { [key]: items[key] } : {}),
    set: async (more) => void Object.assign(items, more),
    remove: async (key) => void delete items[key],
  };
}

/**
 * The extension runtime as content scripts see it, without a polyfill: Chrome's and Firefox's
 * MV3 `runtime.sendMessage` both return promises. After the extension is reloaded or removed,
 * `id` is gone and calls throw "Extension context invalidated".
 */
export interface ContentRuntime {
  id?: string;
  sendMessage(message: unknown): Promise<unknown>;
}

export function contentRuntime(): ContentRuntime | undefined {
  const scope = globalThis as {
    browser?: { runtime?: ContentRuntime };
    chrome?: { runtime?: ContentRuntime };
  };
  return scope.browser?.runtime ?? scope.chrome?.runtime;
}

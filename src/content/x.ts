import browser from 'webextension-polyfill';
import { xAdapter } from '../platforms/x/index.ts';
import { startContent } from './run.ts';

startContent(xAdapter, {
  doc: document,
  send: (message) => browser.runtime.sendMessage(message),
  // After the extension is reloaded, this script's runtime id is gone: stop quietly.
  alive: () => Boolean(browser.runtime?.id),
});

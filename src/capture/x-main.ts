/**
 * x.com's page-world capture script: X's GraphQL operations and direct-message endpoints that
 * the X adapter reads (see install.ts for how a response is taken and handed over).
 */
import { operationFromUrl, X_OPERATIONS } from '../platforms/x/operations.ts';
import { installCapture } from './install.ts';

const OPERATIONS: ReadonlySet<string> = new Set(X_OPERATIONS);

installCapture((url) => {
  const op = operationFromUrl(url);
  return op && OPERATIONS.has(op) ? op : undefined;
});

/**
 * linkedin.com's page-world capture script: the Voyager API responses the LinkedIn adapter reads
 * (see install.ts for how a response is taken and handed over).
 */
import { linkedinOperationFromUrl } from '../platforms/linkedin/operations.ts';
import { installCapture } from './install.ts';

installCapture(linkedinOperationFromUrl);

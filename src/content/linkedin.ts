import { linkedinAdapter } from '../platforms/linkedin/index.ts';
import { bootContent } from './boot.ts';

bootContent(linkedinAdapter);

import { xAdapter } from '../platforms/x/index.ts';
import { bootContent } from './boot.ts';

bootContent(xAdapter);

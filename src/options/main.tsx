import { render } from 'preact';
import { openRapportDB } from '../store/schema.ts';
import { Options } from './Options.tsx';

const root = document.getElementById('app');
if (root) render(<Options open={openRapportDB} />, root);

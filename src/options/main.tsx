import { render } from 'preact';
import { openRapportDB } from '../store/schema.ts';
import { Options } from './Options.tsx';

const root = document.getElementById('app');
// A schema upgrade closed our connection: start again on the new schema (notes save per keystroke).
const open = () => openRapportDB(undefined, { onClosed: () => location.reload() });
if (root) render(<Options open={open} />, root);

import { render } from 'preact';
import { openRapportDB } from '../store/schema.ts';
import { App } from './App.tsx';

const root = document.getElementById('app');
// A schema upgrade closed our connection: start again on the new schema (notes save per keystroke).
const open = () => openRapportDB(undefined, { onClosed: () => location.reload() });
if (root) render(<App open={open} />, root);

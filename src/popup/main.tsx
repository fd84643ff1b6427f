import { render } from 'preact';
import { openRapportDB } from '../store/schema.ts';
import { App } from './App.tsx';

// The popup's own work starts here (read by the popup bench, npm run bench -- --popup).
performance.mark('rapport:start');
const root = document.getElementById('app');
// A schema upgrade closed our connection: start again on the new schema (notes save per keystroke).
// Opened before the first render: the database is the first screen's longest wait.
const opening = openRapportDB(undefined, { onClosed: () => location.reload() });
if (root) render(<App open={() => opening} />, root);

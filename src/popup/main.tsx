import { render } from 'preact';
import { openRapportDB } from '../store/schema.ts';
import { App } from './App.tsx';

const root = document.getElementById('app');
if (root) render(<App open={openRapportDB} />, root);

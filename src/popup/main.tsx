import { render } from 'preact';
import { openRapportDB } from '../store/schema.ts';
import { App } from './App.tsx';
import { loadPopup } from './load.ts';
import { rememberShown, shownLastTime } from '../shared/shown-last.ts';

// The popup's own work starts here (read by the popup bench, npm run bench -- --popup).
performance.mark('rapport:start');
const root = document.getElementById('app');
// A schema upgrade closed our connection: start again on the new schema (notes save per keystroke).
// Opened before the first render: the database is the first screen's longest wait.
const opening = openRapportDB(undefined, { onClosed: () => location.reload() });
// The accounts shown at the last opening: their first rows are read with the accounts.
const guessed = shownLastTime();
// The first screen's next read starts as soon as the database is open, not after a render.
const first = opening.then((db) => {
  performance.mark('rapport:db-open');
  return loadPopup(db, {}, guessed);
});
// Remembered for the next opening, once this one's first rows had their turn.
first.then(
  (data) => setTimeout(() => rememberShown(data.shown.map((viewer) => viewer.key)), 0),
  () => undefined,
);
// A failure is shown by the App, which reads `first` once the database is open (and reports a
// failed open itself): until then, the rejection is not an unhandled one.
first.catch(() => undefined);
if (root) render(<App open={() => opening} first={first} />, root);

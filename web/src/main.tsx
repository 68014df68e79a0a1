/** The web UI of `trove serve`: search, read, and see the evidence for every item. */
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);

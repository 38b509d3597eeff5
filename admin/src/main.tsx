import { render } from 'solid-js/web';
import { createApiClient } from '../../client/index.js';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// One client for the page's life: it holds the admin's session.
render(() => <App api={createApiClient()} />, root);

/** Browser entry: store, URL sync, worker pool, scheduler, React root. */
import { startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createAppStore } from './state/store.ts';
import { startUrlSync } from './state/url/sync.ts';
import { createPool } from './engine/client.ts';
import { startScheduler } from './engine/scheduler.ts';
import { startMethods } from './engine/methodsJob.ts';
import { startModelJobs } from './engine/modelJob.ts';
import { registerServiceWorker } from './app/offline/registerServiceWorker.ts';
import './styles/theme.css';
import './styles/app.css';

const store = createAppStore();
startUrlSync(store);
const pool = createPool();
startScheduler(store, pool);
startMethods(store, pool);
startModelJobs(store, pool);

// The first render is a transition: React renders it in slices of a few ms instead of one long task, so
// the main thread keeps answering the engine workers' start-up (which waits on it) while the page is built.
const root = createRoot(document.getElementById('root')!);
startTransition(() => root.render(<App store={store} />));
registerServiceWorker();

/**
 * Keeps the URL and the store's config in step (ARCHITECTURE rule 6):
 *  - on start: decode location.search, apply it, show what was ignored;
 *  - on a config change: pushState for discrete changes (in a task of its own,
 *    right after the change's: Chromium spends ~10 ms in a same-document
 *    navigation, which made a format click's task 45–52 ms long), replaceState
 *    (debounced) for slider moves, nothing for changes that came from the URL;
 *  - on popstate (back/forward): decode and apply without writing history.
 * Returns a function that stops syncing.
 */
import type { AppStore } from '../store.ts';
import { decodeConfig, encodeConfig } from './codec.ts';

export const URL_NOTICE_ID = 'url-ignored';
export const FILE_NOTICE_ID = 'file-needed';

export interface SyncOptions {
  /** debounce of replaceState for slider moves, ms */
  debounceMs?: number;
}

export function applyQuery(store: AppStore, query: string): void {
  const { config, ignored } = decodeConfig(query);
  const s = store.getState();
  store.setState({ config, historyMode: 'none' });
  if (ignored.length) {
    s.showNotice({
      id: URL_NOTICE_ID,
      tone: 'warning',
      title: 'Parts of this link were ignored and set to their defaults',
      details: ignored,
    });
  } else {
    s.dismissNotice(URL_NOTICE_ID);
  }
  if (config.file !== null && !filesMatch(store)) {
    s.showNotice({
      id: FILE_NOTICE_ID,
      tone: 'info',
      title: `This link shows a file from the sender's computer: open "${config.file.replace(/:[0-9]+$/, '')}" to see it`,
      details: [
        'Files never leave a computer, so the link only names it. Use "Open a tensor file" to pick it.',
        ...(config.tensor ? [`Tensor: ${config.tensor}`] : []),
      ],
    });
  }
}

function filesMatch(store: AppStore): boolean {
  const { files, config } = store.getState();
  return files !== null && config.file !== null;
}

export function startUrlSync(store: AppStore, win: Window = window, opts: SyncOptions = {}): () => void {
  const debounceMs = opts.debounceMs ?? 250;
  applyQuery(store, win.location.search);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastQuery = encodeConfig(store.getState().config);
  /** discrete changes not yet pushed (each gets its own history entry, in order) */
  let pushes: string[] = [];
  let pushTimer: ReturnType<typeof setTimeout> | null = null;

  const urlFor = (query: string) => `${win.location.pathname}${query}${win.location.hash}`;
  const flushPushes = () => {
    pushTimer = null;
    const queued = pushes;
    pushes = [];
    for (const q of queued) win.history.pushState(null, '', urlFor(q));
  };
  const dropPushes = () => {
    if (pushTimer) clearTimeout(pushTimer);
    pushTimer = null;
    pushes = [];
  };

  const unsubscribe = store.subscribe((state, prev) => {
    if (state.config === prev.config || state.historyMode === 'none') return;
    const query = encodeConfig(state.config);
    if (query === lastQuery) return;
    lastQuery = query;
    if (state.historyMode === 'replace') {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        if (pushTimer) flushPushes(); // the entry the slider moves replace comes first
        win.history.replaceState(null, '', urlFor(lastQuery));
      }, debounceMs);
    } else {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      pushes.push(query);
      pushTimer ??= setTimeout(flushPushes, 0);
    }
  });

  const onPop = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    dropPushes(); // back/forward wins over a change not yet in the history
    applyQuery(store, win.location.search);
    lastQuery = encodeConfig(store.getState().config);
  };
  win.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', onPop);
    if (timer) clearTimeout(timer);
    if (pushTimer) flushPushes();
  };
}

/** The full shareable link of the current view. */
export function shareableLink(store: AppStore, win: Window = window): string {
  return `${win.location.origin}${win.location.pathname}${encodeConfig(store.getState().config)}`;
}

/**
 * Registers the service worker of a production build (sw.js next to
 * index.html, written by vite/swPlugin.ts), so the app works offline after the
 * first visit. Dev server: nothing. Failures are silent: the app works
 * online without it.
 */
export function registerServiceWorker(win: Window = window): void {
  if (!import.meta.env.PROD || !('serviceWorker' in win.navigator)) return;
  // relative to the page, so the site works from any folder (vite base './')
  const url = new URL('sw.js', win.document.baseURI);
  const register = () => {
    win.navigator.serviceWorker.register(url.href, { scope: './' }).catch(() => {
      /* file:// pages, private modes: online only */
    });
  };
  if (win.document.readyState === 'complete') register();
  else win.addEventListener('load', register, { once: true });
}

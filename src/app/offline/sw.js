/*
 * quantscope service worker (offline after the first visit).
 * vite/swPlugin.ts prepends, at build time:
 *   const VERSION = '<hash of the built files>';
 *   const PRECACHE = ['index.html', 'assets/…', …];   // paths relative to this file
 * install: cache every built file; activate: drop older caches and take
 * control; fetch: same-origin GETs from the cache first (page loads with any
 * query string get index.html), the network only for what is not cached.
 * Nothing here ever contacts another origin.
 */
/* global VERSION, PRECACHE */
const CACHE = `quantscope-${VERSION}`;
const scopeUrl = (path) => new URL(path, self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new Request(scopeUrl(p), { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('quantscope-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    // every view is index.html with a query string (the URL schema)
    event.respondWith(
      caches.open(CACHE).then(async (cache) => (await cache.match(scopeUrl('index.html'))) || fetch(req)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(req, { ignoreSearch: true })) || fetch(req)),
  );
});

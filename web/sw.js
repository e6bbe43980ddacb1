// Dataflow Playground's service worker: after the first visit the page works offline.
//
// Network first, cache as fallback, for the page and every file whose name can change content
// (index.html, editor.js, sw.js): a new build is picked up at once when online (so `trunk serve`
// never shows stale files), and the last files seen are used offline. Cache first for trunk's
// hashed files, which a new build gives new names. On install it caches the app shell:
// index.html and every file it names (the hashed JS, CSS, editor), but not the engine's wasm:
// the page's loader (web/loader.js) keeps the module it decoded, so nothing downloads the engine
// twice. On activate, hashed files that the current index.html no longer names (an older
// build's) leave the cache.
const CACHE = 'dataflow-playground-v1';

function assetsOf(html) {
  const found = new Set(['./']);
  for (const m of html.matchAll(/(?:href|src)="([^"#]+)"|(?:from|module_or_path:)\s*'([^']+)'/g)) {
    const url = m[1] ?? m[2];
    if (!/^[a-z]+:/i.test(url)) found.add(url);
  }
  return [...found];
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const response = await fetch('./', { cache: 'no-cache' });
    const html = await response.clone().text();
    await cache.put('./', response);
    await cache.addAll(assetsOf(html).filter((u) => u !== './'));
    await self.skipWaiting();
  })());
});

// trunk's hashed files (`name-<16 hex>.js`, `…_bg.wasm`, `….wasm.br`, `.css`) never change
// under the same name: served from the cache when there.
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)(\.br)?$/;

/** The hashed files the current page uses: what it names, and the engine its loader keeps. */
function inUse(html) {
  const named = assetsOf(html);
  for (const m of html.matchAll(/data-engine-(?:rest-|whole-)?wasm="([^"]+)"/g)) named.push(m[1]);
  return new Set(named.map((u) => new URL(u, self.registration.scope).href));
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    const cache = await caches.open(CACHE);
    const page = await cache.match('./');
    if (page) {
      const keep = inUse(await page.text());
      for (const request of await cache.keys()) {
        if (HASHED.test(new URL(request.url).pathname) && !keep.has(request.url)) await cache.delete(request);
      }
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (HASHED.test(url.pathname)) {
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
    }
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (offline) {
      const cached = await cache.match(request, { ignoreSearch: true })
        ?? (request.mode === 'navigate' ? await cache.match('./') : undefined);
      if (cached) return cached;
      throw offline;
    }
  })());
});

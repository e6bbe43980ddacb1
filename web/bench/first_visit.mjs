// The first visit on a real network (issue #17): the release build served as a static host
// serves it, through a link of limited bandwidth and round-trip time, in headless Chromium:
//   node web/bench/first_visit.mjs [DIST]      (DIST defaults to target/bench-dist)
// For each host (gzip only, as GitHub Pages serves; brotli where the browser accepts it) and each
// link (25 Mbps / 40 ms, 10 Mbps / 80 ms, and loopback): a fresh context (empty cache, no service
// worker) opens the page; we measure the time from navigation to the first pipeline result and
// the body bytes the server had sent by then (every request: page, worker, service worker),
// median of BENCH_VISITS (3). Then the repeat visit: once the page has kept the engine and the
// service worker is active (as they are when a user comes back), the same context opens the page
// again. Prints a table, DuckDB-wasm's engine bytes beside ours, and writes
// target/bench/first_visit.json.
//
// The link is modelled in the server, so that it holds for every request (the page's, its
// worker's and the service worker's alike): one shared token bucket at the link's rate paces all
// response bytes, and each response waits one round trip before its first byte. Every file gets
// GitHub Pages' `Cache-Control: max-age=600`.
import { createServer } from 'node:http';
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dist = resolve(process.argv[2] ?? join(root, 'target', 'bench-dist'));
const visits = Number(process.env.BENCH_VISITS ?? 3);
const links = [
  { name: '25 Mbps / 40 ms', mbps: 25, rtt: 40 },
  { name: '10 Mbps / 80 ms', mbps: 10, rtt: 80 },
  { name: 'loopback', mbps: Infinity, rtt: 0 },
];
const hosts = ['gzip', 'br'];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
};
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Each file compressed once per encoding: gzip level 9 and brotli 11, as a host precompresses.
const compressed = new Map();
function encoded(file, body, encoding) {
  const key = `${encoding}:${file}`;
  if (!compressed.has(key)) {
    compressed.set(key, encoding === 'gzip'
      ? gzipSync(body, { level: 9 })
      : brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  }
  return compressed.get(key);
}

/** A static server over dist with one host's encodings and one link; counts the bytes it sends. */
async function serve(host, link) {
  const bytesPerMs = (link.mbps * 1e6) / 8 / 1000;
  let linkFreeAt = 0; // when the shared link has sent everything queued so far
  const stats = { bytes: 0, requests: [] };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(dist, path.endsWith('/') ? path + 'index.html' : path));
    let body;
    try { body = await readFile(file); } catch { res.writeHead(404).end(); return; }
    const type = types[extname(file)];
    const accepts = req.headers['accept-encoding'] ?? '';
    const encoding = type && (host === 'br' && /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null);
    const payload = encoding ? encoded(file, body, encoding) : body;
    // GitHub Pages' caching header, on every file.
    const headers = { 'content-type': type ?? 'application/octet-stream', 'content-length': payload.length, 'cache-control': 'max-age=600' };
    if (encoding) headers['content-encoding'] = encoding;
    stats.requests.push(`${path} ${encoding ?? 'identity'} ${payload.length}`);
    await sleep(link.rtt);
    res.writeHead(200, headers);
    for (let at = 0; at < payload.length; at += 16384) {
      const chunk = payload.subarray(at, at + 16384);
      const now = performance.now();
      linkFreeAt = Math.max(linkFreeAt, now) + chunk.length / bytesPerMs;
      if (linkFreeAt > now) await sleep(linkFreeAt - now);
      stats.bytes += chunk.length;
      if (!res.write(chunk)) await new Promise((ok) => res.once('drain', ok));
    }
    res.end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, stats, close: () => new Promise((ok) => server.close(ok)) };
}

/** Navigation to the first result on screen, in ms of the page's clock. */
async function firstResult(tab, url) {
  if (process.env.BENCH_LOG) tab.on('console', (m) => console.log(`  page: ${m.text()}`));
  await tab.goto(url);
  await tab.getByTestId('fingerprint').waitFor({ timeout: 120_000 }).catch(async (e) => {
    console.log('no first result:', await tab.evaluate(() => document.getElementById('boot-status')?.textContent ?? document.querySelector('[data-testid="run-status"]')?.textContent));
    throw e;
  });
  return tab.evaluate(() => performance.now());
}

// Precompressed before any visit, so that no request waits for a compression; not the app's
// plain wasm when its brotli file is there (the page's loader never asks for it, web/loader.js).
const names = await readdir(dist);
const unused = (file) => /dataflow-app-[0-9a-f]+_bg\.wasm$/.test(file) && names.some((n) => file.endsWith(n) && names.includes(`${n}.br`));
for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath ?? entry.path, entry.name);
  if (!entry.isFile() || !types[extname(file)] || unused(file)) continue;
  const body = await readFile(file);
  for (const encoding of hosts) encoded(file, body, encoding === 'br' ? 'br' : 'gzip');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.env.DIST_DIR = dist;
const { launchBrowser } = await import('../e2e/harness.mjs');
const browser = await launchBrowser();
const results = [];
for (const link of links) {
  for (const host of hosts) {
    const server = await serve(host, link);
    const cold = [], bytes = [], repeat = [];
    for (let i = 0; i < visits; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      server.stats.bytes = 0;
      server.stats.requests = [];
      cold.push(await firstResult(tab, server.url));
      bytes.push(server.stats.bytes);
      if (process.env.BENCH_LOG) console.log(`${link.name} ${host}: requests before the first result`, server.stats.requests);
      // The repeat visit: the same context (its HTTP cache and service worker), a new page, once
      // the engine is kept and the service worker active.
      await tab.evaluate(() => window.dataflowEngineKept);
      await tab.evaluate(() => navigator.serviceWorker.ready);
      const again = await context.newPage();
      repeat.push(await firstResult(again, server.url));
      await context.close();
    }
    results.push({ link: link.name, host, first_result_ms: median(cold), mb_on_the_wire: median(bytes) / 1e6, repeat_visit_ms: median(repeat), runs: { cold, bytes, repeat } });
    await server.close();
  }
}
await browser.close();

console.log('\nFirst visit (median of %d, fresh context; repeat: the same context again)', visits);
console.log('| link | host | first result | on the wire before it | repeat visit |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.link} | ${r.host === 'br' ? 'brotli' : 'gzip only'} | ${(r.first_result_ms / 1000).toFixed(2)} s | ${r.mb_on_the_wire.toFixed(2)} MB | ${(r.repeat_visit_ms / 1000).toFixed(2)} s |`);
}

// What each engine weighs on the wire: ours as shipped (the brotli file the loader decodes, the
// same from any host) and DuckDB-wasm's, compressed by the host.
const shipped = (await readdir(dist)).find((f) => /^dataflow-app-[0-9a-f]+_bg\.wasm\.br$/.test(f));
const ours = shipped ? (await readFile(join(dist, shipped))).length : null;
const duckFile = join(here, 'node_modules', '@duckdb', 'duckdb-wasm', 'dist', 'duckdb-eh.wasm');
const duck = await readFile(duckFile).catch(() => null);
const engines = {
  ours_brotli_file_mb: ours && ours / 1e6,
  duckdb_gzip_mb: duck && gzipSync(duck, { level: 9 }).length / 1e6,
  duckdb_brotli_mb: duck && encoded(duckFile, duck, 'br').length / 1e6,
};
console.log(`\nThe engine on the wire: ours ${engines.ours_brotli_file_mb?.toFixed(2)} MB (${shipped}, from any host); ` +
  (duck ? `DuckDB-wasm's duckdb-eh.wasm ${engines.duckdb_gzip_mb.toFixed(2)} MB gzip, ${engines.duckdb_brotli_mb.toFixed(2)} MB brotli` : 'DuckDB-wasm not installed (cd web/bench && npm ci)'));
await mkdir(join(root, 'target', 'bench'), { recursive: true });
await writeFile(join(root, 'target', 'bench', 'first_visit.json'), JSON.stringify({ visits: results, engines }, null, 2));

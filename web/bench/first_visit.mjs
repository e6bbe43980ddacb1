// The first visit on a real network (issue #17): the release build served as a static host
// serves it, through a link of limited bandwidth and round-trip time, in headless Chromium:
//   node web/bench/first_visit.mjs [DIST]      (DIST defaults to target/bench-dist)
// For each host (gzip only, as GitHub Pages serves; brotli where the browser accepts it) and each
// link (25 Mbps / 40 ms, 10 Mbps / 80 ms, and loopback): a fresh context (empty cache, no service
// worker) opens the page; we measure the time from navigation to the first frame that shows the
// first pipeline result (marked by the page) and the body bytes the server had sent by then
// (every request: page, worker, service worker),
// median of BENCH_VISITS (3). Then the repeat visit: once the page has kept the engine and the
// service worker is active (as they are when a user comes back), 3 s after the first visit's work
// in the background ended (in a split build, the warm-up of the whole engine: web/loader.js's
// warmUpWhole), the same context opens the page again; and a later visit, a third page 3 s after the repeat visit's first result (V8 keeps the
// engine's optimised code beside a module compiled from Cache Storage with its address, as
// web/loader.js compiles the whole engine, a little after it optimised it: one second after the
// first result was not always enough). Prints a table, DuckDB-wasm's engine bytes beside ours, and writes
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
  // `sent`: [wall-clock ms, bytes sent so far], after each chunk
  const stats = { bytes: 0, requests: [], sent: [] };
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
      stats.sent.push([Date.now(), stats.bytes]);
      if (!res.write(chunk)) await new Promise((ok) => res.once('drain', ok));
    }
    res.end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, stats, close: () => new Promise((ok) => server.close(ok)) };
}

let reloads = 0;
/** Navigation to the first result on screen (`ms`) and its wall-clock time (`at`): the first frame
 * after the result entered the DOM, marked by the page itself, since the page's thread may be too
 * busy to answer the benchmark at once. */
async function firstResult(tab, url) {
  await tab.addInitScript(() => new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-testid="fingerprint"]')) return;
    observer.disconnect();
    requestAnimationFrame(() => performance.mark('bench: first result on screen'));
  }).observe(document, { childList: true, subtree: true }));
  if (process.env.BENCH_LOG) {
    tab.on('console', (m) => console.log(`  page: ${m.text()}`));
    tab.on('pageerror', (e) => console.log(`  page error: ${e.stack ?? e}`));
  }
  // A split build reloads the page when it needed the rest of the engine before it arrived
  // (web/loader.js): counted, since such a visit pays for a second start.
  tab.on('framenavigated', (frame) => { if (frame === tab.mainFrame()) reloads += 1; });
  reloads = -1;
  const started = Date.now();
  await tab.goto(url);
  await tab.getByTestId('fingerprint').waitFor({ timeout: 120_000 }).catch(async (e) => {
    console.log('no first result:', await tab.evaluate(() => document.getElementById('boot-status')?.textContent ?? document.querySelector('[data-testid="run-status"]')?.textContent));
    throw e;
  });
  // After a reload the page's clock starts again: the time is then the wall clock's since the
  // first navigation.
  let onPage;
  for (;;) {
    try {
      onPage = await tab.evaluate(async () => {
        while (!performance.getEntriesByName('bench: first result on screen').length) {
          await new Promise((ok) => setTimeout(ok, 10));
        }
        return { origin: performance.timeOrigin, time: performance.getEntriesByName('bench: first result on screen')[0].startTime };
      });
      break;
    } catch {
      await tab.getByTestId('fingerprint').waitFor({ timeout: 120_000 }); // it reloaded meanwhile
    }
  }
  const at = onPage.origin + onPage.time;
  return { ms: reloads > 0 ? at - started : onPage.time, at };
}

/** When a split build's whole engine is in and the page responds (web/loader.js), in ms of the
 * page's clock; the first result's time where the build is not split. */
function engineComplete(tab) {
  return tab.evaluate(async () => {
    if (window.dataflowEngineComplete) await window.dataflowEngineComplete;
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
    return mark('dataflow: whole engine in') ?? mark('bench: first result on screen') ?? performance.now();
  });
}

// Precompressed before any visit, so that no request waits for a compression; not the app's
// plain wasm when its brotli file is there (the page's loader never asks for it, web/loader.js).
const names = await readdir(dist);
const unused = (file) => /dataflow-app-(rest-|whole-)?[0-9a-f]+_bg\.wasm$/.test(file) && names.some((n) => file.endsWith(n) && names.includes(`${n}.br`));
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
// BENCH_LINK (a part of a link's name) measures that link only.
for (const link of links.filter((l) => l.name.includes(process.env.BENCH_LINK ?? ''))) {
  for (const host of hosts.filter((h) => h.includes(process.env.BENCH_HOST ?? ''))) {
    const server = await serve(host, link);
    const cold = [], bytes = [], repeat = [], later = [], complete = [];
    let reloaded = 0;
    for (let i = 0; i < visits; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      server.stats.bytes = 0;
      server.stats.sent = [];
      server.stats.requests = [];
      const first = await firstResult(tab, server.url);
      cold.push(first.ms);
      bytes.push(server.stats.sent.findLast(([t]) => t <= first.at)?.[1] ?? 0);
      complete.push(await engineComplete(tab));
      await tab.waitForTimeout(1000);
      if (reloads > 0) reloaded += 1;
      if (process.env.BENCH_LOG) {
        console.log(`${link.name} ${host}: requests before the first result`, server.stats.requests);
        // The loader's milestones (web/loader.js marks them) and when each file had arrived.
        console.log(await tab.evaluate(() => [
          ...performance.getEntriesByType('mark').map((m) => `${m.startTime.toFixed(0).padStart(6)} ms ${m.name}`),
          ...performance.getEntriesByType('resource').map((r) => `${r.responseEnd.toFixed(0).padStart(6)} ms arrived ${new URL(r.name).pathname}`),
        ].sort().join('\n')));
      }
      // The repeat visit: the same context (its HTTP cache and service worker), a new page, 3 s
      // after the first visit's work in the background ended (the engine kept, the service worker
      // active, and in a split build the whole engine warmed up for V8).
      await tab.evaluate(() => window.dataflowEngineKept);
      await tab.evaluate(() => navigator.serviceWorker.ready);
      await tab.evaluate(() => window.dataflowEngineWarm);
      await tab.waitForTimeout(3000);
      const again = await context.newPage();
      repeat.push((await firstResult(again, server.url)).ms);
      await again.waitForTimeout(3000);
      later.push((await firstResult(await context.newPage(), server.url)).ms);
      await context.close();
    }
    results.push({ link: link.name, host, first_result_ms: median(cold), mb_on_the_wire: median(bytes) / 1e6, engine_complete_ms: median(complete), reloaded_visits: reloaded, repeat_visit_ms: median(repeat), later_visit_ms: median(later), runs: { cold, bytes, complete, repeat, later } });
    await server.close();
  }
}
await browser.close();

console.log('\nFirst visit (median of %d, fresh context; repeat and later: the same context, a second and a third visit)', visits);
console.log('| link | host | first result | on the wire before it | whole engine in (page responds) | repeat visit | later visit |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.link} | ${r.host === 'br' ? 'brotli' : 'gzip only'} | ${(r.first_result_ms / 1000).toFixed(2)} s | ${r.mb_on_the_wire.toFixed(2)} MB | ${(r.engine_complete_ms / 1000).toFixed(2)} s${r.reloaded_visits ? ` (${r.reloaded_visits} of ${visits} reloaded)` : ''} | ${(r.repeat_visit_ms / 1000).toFixed(2)} s | ${(r.later_visit_ms / 1000).toFixed(2)} s |`);
}

// What each engine weighs on the wire: ours as shipped (the brotli file the loader decodes, the
// same from any host) and DuckDB-wasm's, compressed by the host.
const shipped = (await readdir(dist)).find((f) => /^dataflow-app-[0-9a-f]+_bg\.wasm\.br$/.test(f));
const ours = shipped ? (await readFile(join(dist, shipped))).length : null;
// A split build's rest of the engine (web/tools/split.mjs), downloaded after the first part.
const restFile = (await readdir(dist)).find((f) => /^dataflow-app-rest-[0-9a-f]+_bg\.wasm\.br$/.test(f));
const rest = restFile ? (await readFile(join(dist, restFile))).length : null;
// And the whole engine, which such a page keeps in the background for every later visit.
const wholeFile = (await readdir(dist)).find((f) => /^dataflow-app-whole-[0-9a-f]+_bg\.wasm\.br$/.test(f));
const whole = wholeFile ? (await readFile(join(dist, wholeFile))).length : null;
const duckFile = join(here, 'node_modules', '@duckdb', 'duckdb-wasm', 'dist', 'duckdb-eh.wasm');
const duck = await readFile(duckFile).catch(() => null);
const engines = {
  ours_brotli_file_mb: ours && ours / 1e6,
  ours_rest_brotli_file_mb: rest && rest / 1e6,
  ours_whole_brotli_file_mb: whole && whole / 1e6,
  duckdb_gzip_mb: duck && gzipSync(duck, { level: 9 }).length / 1e6,
  duckdb_brotli_mb: duck && encoded(duckFile, duck, 'br').length / 1e6,
};
console.log(`\nThe engine on the wire: ours ${engines.ours_brotli_file_mb?.toFixed(2)} MB (${shipped}, from any host` +
  (rest ? `; split: the first part, then the rest, ${engines.ours_rest_brotli_file_mb.toFixed(2)} MB, after it` : '') +
  (whole ? `, then the whole engine for later visits, ${engines.ours_whole_brotli_file_mb.toFixed(2)} MB, in the background); ` : '); ') +
  (duck ? `DuckDB-wasm's duckdb-eh.wasm ${engines.duckdb_gzip_mb.toFixed(2)} MB gzip, ${engines.duckdb_brotli_mb.toFixed(2)} MB brotli` : 'DuckDB-wasm not installed (cd web/bench && npm ci)'));
await mkdir(join(root, 'target', 'bench'), { recursive: true });
await writeFile(join(root, 'target', 'bench', 'first_visit.json'), JSON.stringify({ visits: results, engines }, null, 2));

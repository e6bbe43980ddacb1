// The browser benchmark (scripts/bench_browser.sh builds the release site first):
//   node web/bench/run.mjs [DIST]      (DIST defaults to target/bench-dist)
// Serves the release build and DuckDB-wasm's files on loopback, and in headless Chromium:
// 1. the app's time from navigation to the first pipeline result, cold cache (fresh context);
// 2. the sample pipeline at 1M and 10M source rows in our engine and in DuckDB-wasm on the same
//    rows, median/min/max of several runs, alternating the two;
// 3. levers that need no rebuild (batch size, pauses, dictionary country_code) and the longest
//    main-thread task during a run on the page's thread;
// 4. the app itself at the largest size: its run (in the engine's worker) and the page's longest
//    task meanwhile, then its run diff (in the worker too) and the longest task meanwhile;
// 5. the run diff and the profiles at each size on the page's thread, with the longest task;
// then prints a table with the wasm sizes (raw, gzip, brotli) beside DuckDB's and the
// wasm/native ratio (from bench/native/target/native.json, if that benchmark ran), and writes it
// all to target/bench/browser.json. Env: BENCH_ROWS (comma list), BENCH_RUNS, BENCH_LEVER_ROWS.
import { readFile, writeFile, mkdir, readdir, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dist = resolve(process.argv[2] ?? join(root, 'target', 'bench-dist'));
const duckDist = join(here, 'node_modules', '@duckdb', 'duckdb-wasm', 'dist');
const sizes = (process.env.BENCH_ROWS ?? '1000000,10000000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const leverRows = Number(process.env.BENCH_LEVER_ROWS ?? 1000000);
const coldRuns = 3;

// The bench page: the app's release index.html with <body data-bench> (main mounts nothing) and
// bench.js (our script and DuckDB's ESM module, bundled). No CSP: DuckDB's worker is not ours.
const index = await readFile(join(dist, 'index.html'), 'utf8');
const page = index
  .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
  .replace(/<body>/, '<body data-bench>')
  .replace('</body>', '<script type="module" src="./bench.js"></script></body>');
await writeFile(join(dist, 'bench.html'), page);
await build({
  entryPoints: [join(here, 'bench.js')], bundle: true, format: 'esm', target: 'es2022',
  outfile: join(dist, 'bench.js'), logLevel: 'warning',
});
await mkdir(join(dist, 'duckdb'), { recursive: true });
for (const file of ['duckdb-eh.wasm', 'duckdb-browser-eh.worker.js']) {
  await copyFile(join(duckDist, file), join(dist, 'duckdb', file));
}

// The same static server and browser as the end-to-end tests, over this dist.
process.env.DIST_DIR = dist;
const { serveDist, launchBrowser } = await import('../e2e/harness.mjs');
const server = await serveDist();
const url = server.url;
const browser = await launchBrowser();

// 1. Navigation to the first result, each time in a fresh context (empty cache, no service worker).
const cold = [];
for (let i = 0; i < coldRuns; i++) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(url);
  await tab.getByTestId('fingerprint').waitFor({ timeout: 120_000 });
  cold.push(await tab.evaluate(() => performance.now()));
  await context.close();
}

// 4. The app itself at the largest size: the pipeline runs in the engine's worker, and the page's
// longest task (Long Tasks API) from the change of Rows/day to the new result on screen.
// Runs of over a million source rows go to the worker (crates/app/src/worker/).
const appRun = await (async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(url);
  await tab.getByTestId('fingerprint').waitFor({ timeout: 120_000 });
  // A split build's page is inert until the rest of the engine is in (web/loader.js).
  await tab.evaluate(() => window.dataflowEngineComplete);
  const before = await tab.getByTestId('fingerprint').textContent();
  await tab.evaluate(() => {
    window.benchLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.benchLongTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const rowsPerDay = Math.round(Math.max(...sizes) / 7);
  await tab.getByTestId('rows-per-day').fill(String(rowsPerDay));
  const started = await tab.evaluate(() => performance.now());
  await tab.getByTestId('rows-per-day').press('Enter');
  await tab.waitForFunction((old) => {
    const f = document.querySelector('[data-testid="fingerprint"]')?.textContent;
    const s = document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
    return f && f !== old && s.startsWith('Ran ');
  }, before, { timeout: 300_000 });
  const ended = await tab.evaluate(() => performance.now());
  const longTasks = await tab.evaluate(() => window.benchLongTasks);
  // Then the Changes panel compares that run with the one before (in the worker, at this size).
  await tab.waitForFunction(() => /^Compared /.test(document.querySelector('[data-testid="changes-compared"]')?.textContent ?? ''),
    null, { timeout: 300_000 });
  const compared = await tab.getByTestId('changes-compared').textContent();
  const compareTasks = (await tab.evaluate(() => window.benchLongTasks)).slice(longTasks.length);
  const inWorker = tab.workers().some((w) => /engine-worker-/.test(w.url()));
  await context.close();
  return {
    rows_per_day: rowsPerDay, run_ms: ended - started, in_worker: inWorker,
    longest_task_ms: longTasks.length ? Math.max(...longTasks) : 0, long_tasks: longTasks.length,
    compared, compare_longest_task_ms: compareTasks.length ? Math.max(...compareTasks) : 0,
  };
})();

// 2 and 3. The comparison and the levers, in one page.
const context = await browser.newContext();
const tab = await context.newPage();
const errors = [];
tab.on('pageerror', (e) => errors.push(String(e)));
tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
await tab.goto(url + 'bench.html');
await tab.waitForFunction(() => window.benchReady === true, null, { timeout: 120_000 });
const result = await tab.evaluate((config) => window.runBench(config),
  { sizes, runs, leverRows, leverRuns: runs }).catch((e) => { throw new Error(`${e}\n${errors.join('\n')}`); });
await browser.close();
await server.close();

// Sizes: what a visitor downloads for the engine.
const files = await readdir(dist);
const wasmFile = files.find((f) => /^dataflow-app-[0-9a-f]+_bg\.wasm$/.test(f));
const sizeOf = async (path) => {
  const bytes = await readFile(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
// A split build (web/tools/split.mjs) ships the engine as a first module and the rest: both count.
const restFile = files.find((f) => /^dataflow-app-rest-[0-9a-f]+_bg\.wasm$/.test(f));
const ourParts = await Promise.all([wasmFile, restFile].filter(Boolean).map((f) => sizeOf(join(dist, f))));
const ourSize = Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, ourParts.reduce((sum, part) => sum + part[k], 0)]));
const duckSize = await sizeOf(join(duckDist, 'duckdb-eh.wasm'));

const nativePath = join(root, 'bench', 'native', 'target', 'native.json');
const native = existsSync(nativePath) ? JSON.parse(await readFile(nativePath, 'utf8')) : [];
const nativeFor = (rows) => native.find((n) => n.partitions === 1 && n.source_rows === rows);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f1 = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(1));
const mb = (b) => (b / 1e6).toFixed(2) + ' MB';
let commit = '';
try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(); } catch { /* not a repo */ }

console.log(`\nDataflow Playground browser benchmark — ${new Date().toISOString()} — commit ${commit} — ${result.duckdb_version}`);
console.log(`median of ${runs} runs after two warm-ups (min–max); our engine and DuckDB alternate, same rows\n`);
console.log('source rows | ours ms (min–max)        | DuckDB ms (min–max)      | ours/DuckDB | native 1-part ms | wasm/native | out rows (ours/DuckDB)');
for (const s of result.sizes) {
  const n = nativeFor(s.rows);
  const ratio = s.ours.median / s.duckdb.median;
  const wn = n ? s.ours.median / n.median_ms : undefined;
  console.log(`${String(s.rows).padStart(11)} | ${f1(s.ours.median).padStart(8)} (${f1(s.ours.min)}–${f1(s.ours.max)})`.padEnd(40)
    + ` | ${f1(s.duckdb.median).padStart(8)} (${f1(s.duckdb.min)}–${f1(s.duckdb.max)})`.padEnd(27)
    + ` | ${ratio.toFixed(2).padStart(11)} | ${(n ? f1(n.median_ms) : 'not run').padStart(16)} | ${(wn ? wn.toFixed(2) : '–').padStart(11)} | ${s.ours_output_rows}/${s.duckdb_output_rows}`);
}
for (const s of result.sizes) {
  console.log(`  ours at ${s.rows} rows, per step (median ms): ${s.ours_steps_median_ms.map(f1).join(' / ')}`);
}
const big = result.sizes[result.sizes.length - 1];
console.log(`\nnavigation to first result (cold, ${coldRuns} fresh contexts): median ${f1(median(cold))} ms (${cold.map(f1).join(', ')})`);
console.log(`DuckDB-wasm worker start + instantiate + first query: ${f1(result.duckdb_start_ms)} ms`);
console.log(`wasm size    ours ${wasmFile}${restFile ? ' and the rest (split)' : ''}: raw ${mb(ourSize.raw)}, gzip ${mb(ourSize.gzip)}, brotli ${mb(ourSize.brotli)}`
  + (restFile ? `; the first module alone brotli ${mb(ourParts[0].brotli)}` : ''));
console.log(`             DuckDB duckdb-eh.wasm: raw ${mb(duckSize.raw)}, gzip ${mb(duckSize.gzip)}, brotli ${mb(duckSize.brotli)}`);
console.log(`peak wasm memory at ${big.rows} rows: ours ${mb(big.ours_memory_bytes)}; DuckDB buffer manager reports ${big.duckdb_memory_usage}`);
console.log(`data generation (ours, not timed above) ${f1(big.generate_ms)} ms; loading the same rows into DuckDB (Arrow IPC) ${f1(big.duckdb_load_ms)} ms`);
if (result.levers.length) {
  console.log(`\nlevers at ${leverRows} rows (ours only, median of ${runs}):`);
  for (const l of result.levers) console.log(`  ${l.lever.padEnd(40)} ${f1(l.median).padStart(8)} ms (${f1(l.min)}–${f1(l.max)})`);
  console.log(`longest main-thread task during a run at ${leverRows} rows: ${f1(result.responsiveness.with_pauses_ms)} ms with the app's pauses, ${f1(result.responsiveness.without_pauses_ms)} ms without`);
}
for (const d of result.diff_profile) {
  console.log(`\ndiff and profile at ${d.rows} source rows (${d.step_rows} step rows in the two runs; median of ${runs}, longest main-thread task during one more):`);
  for (const m of d.measures) {
    console.log(`  ${m.name.padEnd(42)} ${f1(m.median).padStart(8)} ms (${f1(m.min)}–${f1(m.max)}), longest task ${f1(m.longest_task_ms)} ms`);
  }
  console.log(`  the message to the worker: ${mb(d.message_bytes)}`);
}
console.log(`\nthe app at ${appRun.rows_per_day} rows a day (7 days; the engine's worker ${appRun.in_worker ? 'running' : 'absent'}): `
  + `${f1(appRun.run_ms)} ms from Enter to the result on screen (source generated too); `
  + `longest main-thread task ${f1(appRun.longest_task_ms)} ms (${appRun.long_tasks} tasks over 50 ms)`);
console.log(`then the Changes panel: "${appRun.compared}" (against the run before); longest main-thread task meanwhile ${f1(appRun.compare_longest_task_ms)} ms`);

await mkdir(join(root, 'target', 'bench'), { recursive: true });
const out = join(root, 'target', 'bench', 'browser.json');
await writeFile(out, JSON.stringify({
  date: new Date().toISOString(), commit, runs, cold_first_result_ms: cold, wasm_sizes: { ours: ourSize, duckdb: duckSize, wasm_file: wasmFile },
  native: native.filter((n) => n.partitions === 1), app_run: appRun, ...result,
}, null, 2) + '\n');
console.log(`\nwrote ${out}`);
if (errors.length) console.log(`page errors:\n${errors.join('\n')}`);

// The benchmark page's script (bundled by web/bench/run.mjs with esbuild into bench.js next to
// the app's release build). It drives our engine through the app's own wasm (the exports in
// crates/app/src/bench.rs) and DuckDB-wasm (eh build, served from /duckdb/, no CDN) on the same
// rows: our synthetic source, handed to DuckDB as Arrow IPC. run.mjs calls window.runBench.
import * as duckdb from '@duckdb/duckdb-wasm';

const now = () => performance.now();

/** The app's wasm exports, once the loader has started the module and, in a split build, has
 * the rest of the engine in (web/loader.js: the bench's calls reach beyond the first module). */
async function ours() {
  if (!window.wasmBindings) await new Promise((ok) => addEventListener('TrunkApplicationStarted', ok, { once: true }));
  // The bench page mounts no app, so no first run opens the loader's gate for the rest: this does.
  window.dataflowRunEnded?.();
  await window.dataflowEngineComplete;
  return window.wasmBindings;
}

let duck = null;
/** DuckDB-wasm (eh build) in its worker, and one connection; `startMs` is worker start + instantiate. */
async function duckdbConnection() {
  if (duck) return duck;
  const started = now();
  // Absolute URLs: the worker resolves relative ones against its own address.
  const worker = new Worker(new URL('./duckdb/duckdb-browser-eh.worker.js', location.href).href);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL('./duckdb/duckdb-eh.wasm', location.href).href);
  const conn = await db.connect();
  await conn.query('SELECT 1');
  duck = { db, conn, startMs: now() - started };
  return duck;
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1], runs: times };
}

/** Our pipeline once: every step kept, as the app runs it. */
async function runOurs(wasm, { batchSize = 0, pauses = false } = {}) {
  const t = now();
  const out = JSON.parse(await wasm.bench_run(batchSize, pauses));
  return { ms: now() - t, rows: out.rows, steps: out.steps_ms };
}

/** DuckDB once: every step but the last kept as a temporary table, the last step's rows fetched. */
async function runDuck(conn, steps) {
  const t = now();
  for (const step of steps.slice(0, -1)) {
    await conn.query(`CREATE OR REPLACE TEMP TABLE ${step.name} AS ${step.sql}`);
  }
  const result = await conn.query(steps[steps.length - 1].sql);
  return { ms: now() - t, rows: result.numRows };
}

/**
 * One source size: prepare the rows in our engine, hand the same rows to DuckDB, then `runs`
 * timed runs of each (after one warm-up), alternating so both see the same machine noise.
 */
async function compare(rows, runs) {
  const wasm = await ours();
  const { conn } = await duckdbConnection();
  let t = now();
  const sourceRows = wasm.bench_prepare(rows);
  const generateMs = now() - t;
  t = now();
  await conn.query('CREATE SCHEMA IF NOT EXISTS some_db');
  await conn.query('DROP TABLE IF EXISTS some_db.source_table');
  const batches = wasm.bench_batches();
  for (let i = 0; i < batches; i++) {
    await conn.insertArrowFromIPCStream(wasm.bench_batch_ipc(i), { schema: 'some_db', name: 'source_table', create: i === 0 });
  }
  const duckLoadMs = now() - t;
  const duckRows = Number((await conn.query('SELECT COUNT(*) AS n FROM some_db.source_table')).toArray()[0].n);
  const steps = JSON.parse(wasm.bench_steps());

  const oursTimes = [];
  const oursSteps = [];
  const duckTimes = [];
  let oursOut = 0;
  let duckOut = 0;
  // Two warm-up runs each: the browser compiles wasm in tiers, and the first runs at a size
  // also pay for allocations that later runs reuse.
  for (let i = 0; i < 2; i++) {
    await runOurs(wasm);
    await runDuck(conn, steps);
  }
  for (let i = 0; i < runs; i++) {
    const a = await runOurs(wasm);
    const b = await runDuck(conn, steps);
    oursTimes.push(a.ms);
    oursSteps.push(a.steps);
    duckTimes.push(b.ms);
    oursOut = a.rows;
    duckOut = b.rows;
  }
  const duckMemory = (await conn.query('SELECT memory_usage FROM pragma_database_size()')).toArray()[0]?.memory_usage;
  return {
    rows: sourceRows, duckdb_rows: duckRows, generate_ms: generateMs, duckdb_load_ms: duckLoadMs,
    ours: stats(oursTimes), duckdb: stats(duckTimes),
    ours_steps_median_ms: oursSteps[0]?.map((_, k) => stats(oursSteps.map((s) => s[k])).median), ours_output_rows: oursOut, duckdb_output_rows: duckOut,
    ours_memory_bytes: wasm.bench_memory_bytes(), duckdb_memory_usage: String(duckMemory ?? ''),
  };
}

/** Levers that need no rebuild, on the prepared source: batch size, pauses, dictionary country_code. */
async function levers(rows, runs) {
  const wasm = await ours();
  wasm.bench_prepare(rows);
  const variants = [
    ['baseline (batch 8192, no pauses)', {}],
    ['batch size 4096', { batchSize: 4096 }],
    ['batch size 32768', { batchSize: 32768 }],
    ['batch size 131072', { batchSize: 131072 }],
    ['pauses every 40 ms (as the app runs)', { pauses: true }],
  ];
  const out = [];
  const measure = async (name, options) => {
    await runOurs(wasm, options);
    const times = [];
    for (let i = 0; i < runs; i++) times.push((await runOurs(wasm, options)).ms);
    out.push({ lever: name, ...stats(times) });
  };
  for (const [name, options] of variants) await measure(name, options);
  wasm.bench_dictionary_country_code();
  await measure('dictionary-encoded country_code', {});
  return out;
}

/**
 * The longest the main thread is blocked (long tasks) during one app-style run (pauses on), and
 * during one run without pauses, at `rows`.
 */
async function responsiveness(rows) {
  const wasm = await ours();
  wasm.bench_prepare(rows);
  const longest = async (options) => {
    // Start observing in a fresh task: the task that prepared the rows is not the run's.
    await new Promise((ok) => setTimeout(ok, 50));
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask', buffered: false });
    await new Promise((ok) => setTimeout(ok, 0));
    await runOurs(wasm, options);
    await new Promise((ok) => setTimeout(ok, 50));
    observer.disconnect();
    return tasks.length ? Math.max(...tasks) : 0;
  };
  return { with_pauses_ms: await longest({ pauses: true }), without_pauses_ms: await longest({}) };
}

/** Runs `work` once and gives the longest main-thread task meanwhile (0 when none over 50 ms). */
async function longestDuring(work) {
  // Start observing in a fresh task: the task before is not the work's.
  await new Promise((ok) => setTimeout(ok, 50));
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  await new Promise((ok) => setTimeout(ok, 0));
  await work();
  await new Promise((ok) => setTimeout(ok, 50));
  observer.disconnect();
  return tasks.length ? Math.max(...tasks) : 0;
}

/**
 * The Changes panel's diff (the sample against its DENSE_RANK edit) and the profiles of the source
 * and the output at each size, on the page's thread with the app's pauses: median of `runs` after
 * a warm-up, and the longest task during one more. Also what a diff sent to the worker costs the
 * page: encoding both runs' steps into one message.
 */
async function diffProfile(sizes, runs) {
  const wasm = await ours();
  const out = [];
  for (const rows of sizes) {
    const sourceRows = wasm.bench_prepare(rows);
    const stepRows = await wasm.bench_diff_prepare();
    const timed = async (name, work) => {
      await work();
      const times = [];
      for (let i = 0; i < runs; i++) {
        const t = now();
        await work();
        times.push(now() - t);
      }
      return { name, ...stats(times), longest_task_ms: await longestDuring(work) };
    };
    let messageBytes = 0;
    out.push({
      rows: sourceRows, step_rows: stepRows,
      measures: [
        await timed('diff, 3 steps (page, pauses)', () => wasm.bench_diff(true)),
        await timed('diff: encode both runs for the worker', () => { messageBytes = wasm.bench_diff_encode(); }),
        await timed('profile of the source (pauses)', () => wasm.bench_profile(false, true)),
        await timed('profile of the output (pauses)', () => wasm.bench_profile(true, true)),
      ],
      message_bytes: messageBytes,
    });
  }
  return out;
}

window.runBench = async ({ sizes, runs, leverRows, leverRuns }) => {
  const started = await duckdbConnection();
  const results = [];
  for (const rows of sizes) results.push(await compare(rows, runs));
  return {
    duckdb_version: await started.db.getVersion(),
    duckdb_start_ms: started.startMs,
    sizes: results,
    levers: leverRows ? await levers(leverRows, leverRuns) : [],
    responsiveness: leverRows ? await responsiveness(leverRows) : null,
    diff_profile: await diffProfile(sizes, runs),
  };
};
window.benchReady = true;

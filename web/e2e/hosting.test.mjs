// The built site works from a sub-path (as on GitHub Pages), and offline after the first visit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, waitForRun, pageTable, screenshot, serveDist, dist } from './harness.mjs';

const app = useApp();
// A split site (web/tools/split.mjs, as the hosted page ships; CI runs this suite on one too):
// the engine in two parts, and whole beside them.
const splitSite = (await readFile(join(dist, 'index.html'), 'utf8')).includes('data-engine-rest-wasm');
/** The options of a test that only a split site can run (skipped on an unsplit one). */
const splitOnly = { skip: !splitSite && 'not a split site' };
/** The requests for any of the engine's modules (first part, rest, whole) since `from`. */
const wasmRequests = (from) => app.server.requests.slice(from).filter((path) => /dataflow-app-.*_bg\.wasm/.test(path));

test('served from a sub-path, the page runs; after the first visit it runs offline', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${app.server.url}pages/dataflow/`);
  await waitForRun(page);
  const online = await pageTable(page);
  assert.equal(online.rows.length, 100);
  // The service worker has cached the app shell (index.html, JS, CSS, editor), the loader the
  // engine's wasm it decoded.
  assert.equal(await page.evaluate(() => window.dataflowEngineKept), true);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });

  await context.setOffline(true);
  await page.reload();
  await waitForRun(page);
  assert.deepEqual(await pageTable(page), online);
  // The editor loaded offline (created after the first result).
  await page.getByTestId('step-STEP_1-sql').locator('.cm-content').waitFor({ timeout: 10_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

// The engine's download (issue #17): web/loader.js fetches the brotli-compressed wasm and decodes
// it in the page; the plain wasm never crosses the wire, and a repeat visit downloads neither.
const engineRequests = (requests, from) => requests.slice(from).filter((path) => /dataflow-app-[0-9a-f]+_bg\.wasm/.test(path));

test('the first visit downloads the engine once, brotli-compressed; a repeat visit downloads none of it', async () => {
  const context = await app.browser.newContext();
  const from = app.server.requests.length;
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(app.server.url);
  await waitForRun(page);
  const first = await pageTable(page);
  assert.equal(await page.evaluate(() => window.dataflowEngineKept), true);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  const downloads = engineRequests(app.server.requests, from);
  assert.equal(downloads.length, 1, `one download of the engine: ${downloads}`);
  assert.match(downloads[0], /_bg\.wasm\.br$/);

  const again = app.server.requests.length;
  const repeat = await context.newPage();
  repeat.on('pageerror', (e) => errors.push(String(e)));
  const warnings = [];
  repeat.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await repeat.goto(app.server.url);
  await waitForRun(repeat);
  assert.deepEqual(await pageTable(repeat), first);
  assert.deepEqual(wasmRequests(again), [], 'the repeat visit used the kept engine');
  if (splitSite) {
    // A split site: once the first visit had both parts, it kept the engine whole in their stead,
    // and the repeat visit starts on that one module (web/loader.js), its worker too: a run of over
    // a million source rows goes there.
    const marks = await repeat.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    assert.ok(marks.includes('dataflow: whole engine from disk'), marks.join(', '));
    assert.equal(await repeat.evaluate(() => window.dataflowEngineRest), undefined, 'no rest to attach');
    const kept = await repeat.evaluate(async () => (await (await caches.open('dataflow-playground-v1')).keys())
      .map((r) => new URL(r.url).pathname.split('/').pop()).filter((name) => /^dataflow-app-.*_bg\.wasm$/.test(name)));
    assert.equal(kept.length, 1, `only the whole engine is kept: ${kept}`);
    assert.match(kept[0], /^dataflow-app-whole-[0-9a-f]{16}_bg\.wasm$/);
    await repeat.getByTestId('rows-per-day').fill('150000');
    await repeat.getByTestId('rows-per-day').press('Enter');
    await repeat.waitForFunction(() => (document.querySelector('[data-testid="run-status"]')?.textContent ?? '').includes('on 1,049,328 source rows'), null, { timeout: 120_000 });
    assert.ok(repeat.workers().some((w) => /engine-worker-[0-9a-f]{16}\.js$/.test(w.url())), 'no engine worker');
    assert.deepEqual(warnings.filter((w) => /worker/.test(w)), []);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("a split site: a visit by a link downloads the engine whole, not its parts, and keeps it", splitOnly, async () => {
  // A lesson's link is not a newcomer's first visit: the page waits for the whole engine before
  // it starts, so one module (web/loader.js), which the next visit finds on disk.
  const context = await app.browser.newContext();
  const from = app.server.requests.length;
  const page = await context.newPage();
  await page.goto(`${app.server.url}?lesson=2`);
  await waitForRun(page);
  const downloads = wasmRequests(from);
  assert.equal(downloads.length, 1, `one download of the engine: ${downloads}`);
  assert.match(downloads[0], /dataflow-app-whole-[0-9a-f]{16}_bg\.wasm\.br$/);
  assert.equal(await page.evaluate(() => document.body.inert), false);
  assert.equal(await page.evaluate(() => window.dataflowEngineKept), true);
  await context.close();
});

// V8 keeps a module's optimised code for the next visit only once it ran hot, compiled through
// the service worker: a first visit, which ran on the parts, runs the sample once on the engine it
// kept whole, in a worker (web/loader.js's warmUpWhole, crates/app/src/warm_up.rs).
test("a split site's first visit runs the sample once on the engine it kept whole, in a worker that then ends", splitOnly, async () => {
  const context = await app.browser.newContext();
  const from = app.server.requests.length;
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (worker) => {
    const seen = { url: worker.url(), closed: false };
    worker.on('close', () => { seen.closed = true; });
    workers.push(seen);
  });
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  await page.goto(app.server.url);
  await waitForRun(page);
  assert.equal(await page.evaluate(() => window.dataflowEngineKept), true);
  assert.equal(await page.evaluate(() => window.dataflowEngineWarm), true, warnings.join('\n'));
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
  assert.ok(marks.includes('dataflow: warmed up'), marks.join(', '));
  const warmers = workers.filter((w) => /engine-worker-[0-9a-f]{16}\.js\?warm-up$/.test(w.url));
  assert.equal(warmers.length, 1, workers.map((w) => w.url).join(', '));
  for (let i = 0; i < 50 && !warmers[0].closed; i++) await page.waitForTimeout(100);
  assert.ok(warmers[0].closed, 'the worker was ended once it was done');
  const downloads = wasmRequests(from);
  assert.equal(downloads.length, 3, `the parts and the whole engine, once each (the warm-up's from disk): ${downloads}`);
  assert.deepEqual(warnings, []);
  await context.close();
});

test('a split site where the browser saves data keeps the parts, not the engine whole as well', splitOnly, async () => {
  const context = await app.browser.newContext();
  await context.addInitScript(() => Object.defineProperty(navigator.connection, 'saveData', { get: () => true }));
  const from = app.server.requests.length;
  const page = await context.newPage();
  await page.goto(app.server.url);
  await waitForRun(page);
  assert.equal(await page.evaluate(() => window.dataflowEngineKept), true);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  const repeat = await context.newPage();
  await repeat.goto(app.server.url);
  await waitForRun(repeat);
  const marks = await repeat.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
  assert.ok(!marks.includes('dataflow: whole engine from disk'), marks.join(', '));
  const downloads = wasmRequests(from);
  assert.equal(downloads.length, 2, `the two parts, once: ${downloads}`);
  assert.ok(downloads.every((path) => !path.includes('whole')), `${downloads}`);
  await context.close();
});

test('while the engine downloads, the first screen shows the sample and the progress; then the app takes over', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  // A slow link (5 Mbps, 40 ms), so that the first screen is there to be read.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 5e6 / 8, uploadThroughput: 5e6 / 8 });
  await page.goto(app.server.url);
  const boot = page.locator('#boot');
  await page.waitForFunction(() => document.getElementById('boot-progress')?.value > 0);
  assert.match(await page.locator('#boot-status').textContent(), /^Downloading the query engine: [\d.]+ of [\d.]+ MB$/);
  assert.deepEqual(await boot.locator('.step-name').allTextContents(), ['STEP_1', 'STEP_2', 'STEP_3']);
  assert.match(await boot.locator('pre[data-boot-step="STEP_2"]').textContent(), /RANK\(\) OVER \(/);
  await screenshot(page, 'first-screen.png');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await waitForRun(page);
  assert.equal(await boot.count(), 0, 'the app replaced the first screen');
  await context.close();
});

// A split site (web/tools/split.mjs, as the hosted page ships; CI runs this suite on one too)
// starts a newcomer's page on the engine's first module and loads the rest after the first
// result: the page is inert meanwhile, and says so. An unsplit site's page responds at once.
test("a newcomer's first result comes before the whole engine, and the page says when it will respond", async () => {
  const context = await app.browser.newContext();
  // Every change of what the page shows, from its first node: inert, the status, the result.
  await context.addInitScript(() => {
    window.dataflowSeen = [];
    new MutationObserver(() => {
      const run = document.querySelector('[data-testid="run-button"]');
      const now = {
        inert: document.body?.inert ?? false,
        status: document.querySelector('.engine-rest')?.textContent ?? null,
        result: document.querySelector('[data-testid="result-table"]') !== null,
        runOpacity: run ? getComputedStyle(run).opacity : null,
        // How many steps' SQL shows (in its editor, or as text until the editors are created).
        sql: [...document.querySelectorAll('[data-testid^="step-STEP_"][data-testid$="-sql"]')]
          .filter((el) => /\bSELECT\b/.test(el.textContent)).length,
      };
      if (JSON.stringify(now) !== JSON.stringify(window.dataflowSeen.at(-1))) window.dataflowSeen.push(now);
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(app.server.url);
  await waitForRun(page);
  const split = await page.evaluate(() => 'dataflowEngineComplete' in window);
  await page.evaluate(() => window.dataflowEngineComplete);
  const seen = await page.evaluate(() => window.dataflowSeen);
  const inert = seen.filter((s) => s.inert);
  // The steps' SQL is readable from the moment the app shows them: at the first result too,
  // before their editors are created.
  assert.ok(seen.some((s) => s.result), 'the observer saw the first result');
  for (const s of seen.filter((s) => s.result)) assert.equal(s.sql, 3, 'the three steps\' SQL is on screen');
  if (split) {
    assert.ok(inert.some((s) => s.result), 'the first result is on screen before the rest of the engine is in');
    for (const s of inert) {
      assert.match(s.status ?? '', /the page responds (once it is in|in a moment)$/, 'an inert page says why');
      if (s.runOpacity !== null) assert.ok(Number(s.runOpacity) < 1, 'Run looks disabled while the page is inert');
    }
    assert.ok(inert.some((s) => /^Loading the rest of the query engine: [\d.]+ of [\d.]+ MB/.test(s.status)), 'the rest\'s download is shown');
  } else {
    assert.deepEqual(inert, [], 'an unsplit page is never inert');
    assert.ok(seen.every((s) => s.status === null));
  }
  // Then the page responds: no status, nothing dimmed, and Run runs.
  await page.waitForFunction(() => !document.body.inert && !document.querySelector('.engine-rest'));
  assert.equal(await page.getByTestId('run-button').evaluate((el) => getComputedStyle(el).opacity), '1');
  const before = await page.getByTestId('fingerprint').textContent();
  await page.getByTestId('params').evaluate((d) => { d.open = true; });
  await page.getByTestId('param-top_n').fill('5');
  await page.getByTestId('param-top_n').dispatchEvent('change');
  await page.getByTestId('run-button').click();
  await page.waitForFunction((old) => document.querySelector('[data-testid="fingerprint"]')?.textContent !== old, before, { timeout: 60_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

// A split page that reaches the rest of the engine before it arrived (a placeholder) reloads
// once the rest is on disk, and the reloaded page waits for the whole engine: one reload, never a
// loop. (An unsplit site has no placeholders: skipped there; CI runs the suite on a split site.)
test('a split page that needed the rest early reloads once, then runs', splitOnly, async () => {
  // With Cache Storage the reloaded page finds the rest on disk; without (some private modes) it
  // downloads it again, and the tab remembers not to start before it.
  for (const storage of [true, false]) {
    const context = await app.browser.newContext();
    // As the app starts on a newcomer's first visit the rest is not in (it loads after the first
    // run): a call into it then lands on a placeholder. Once per tab.
    await context.addInitScript((storage) => {
      if (!storage) Object.defineProperty(globalThis, 'caches', { get: () => { throw new Error('no Cache Storage'); } });
      addEventListener('TrunkApplicationStarted', () => {
        if (!globalThis.dataflowPlaceholders || sessionStorage.getItem('test.placeholder-called')) return;
        sessionStorage.setItem('test.placeholder-called', '1');
        try {
          globalThis.dataflowPlaceholders[0]();
        } catch {
          // the loader says it (console.warn)
        }
      });
    }, storage);
    const page = await context.newPage();
    let loads = 0;
    const warnings = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) loads += 1; });
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await page.goto(app.server.url);
    for (const deadline = Date.now() + 120_000; loads < 2 && Date.now() < deadline;) await page.waitForTimeout(100);
    await waitForRun(page);
    await page.evaluate(() => window.dataflowEngineComplete);
    await page.waitForTimeout(1000); // a further reload, if there were one, would have begun
    await waitForRun(page);
    assert.ok(warnings.some((w) => /the rest of the query engine is not loaded yet \(function 0\)/.test(w)), warnings.join('\n'));
    assert.equal(loads, 2, `one reload (${storage ? 'with' : 'without'} Cache Storage)`);
    assert.equal(await page.evaluate(() => document.body.inert), false);
    // The reloaded page waited for the whole engine before it started.
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    assert.ok(marks.indexOf('dataflow: whole engine in') < marks.indexOf('dataflow: app started'),
      `${storage ? 'with' : 'without'} Cache Storage: ${marks.join(', ')}`);
    await context.close();
  }
});

test('an engine download that fails, or bytes that are not the engine, are said on the first screen', async () => {
  for (const [body, said] of [[null, /HTTP 404/], [Buffer.from('not brotli at all, nor wasm'), /corrupt|brotli/]]) {
    const context = await app.browser.newContext();
    await context.route(/_bg\.wasm\.br$/, (route) => (body ? route.fulfill({ status: 200, body }) : route.fulfill({ status: 404, body: 'not found' })));
    const page = await context.newPage();
    await page.goto(app.server.url);
    await page.waitForSelector('#boot.failed');
    const status = await page.locator('#boot-status').textContent();
    assert.match(status, /^The query engine could not be loaded \(/);
    assert.match(status, said);
    assert.match(status, /Reload the page to try again\.$/);
    await context.close();
  }
});

test('an engine download whose first bytes trickle in still starts the engine', async () => {
  // The first hundred bytes of brotli decode to nothing: the loader must read on, not wait (it
  // once did: a stream's pull that queues nothing is not called again).
  const slow = await serveDist({ trickle: /_bg\.wasm\.br$/ });
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(slow.url);
  await waitForRun(page);
  assert.equal((await pageTable(page)).rows.length, 100);
  await context.close();
  await slow.close();
});

test('a host that sends the engine already decoded (plain wasm) is served as it is', async () => {
  // As a host that serves `.br` files with `Content-Encoding: br` would: the page gets plain wasm.
  const decoded = await serveDist({ alias: (path) => path.replace(/(_bg\.wasm)\.br$/, '$1') });
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(decoded.url);
  await waitForRun(page);
  assert.equal((await pageTable(page)).rows.length, 100);
  assert.ok(decoded.requests.some((path) => path.endsWith('_bg.wasm.br')));
  await context.close();
  await decoded.close();
});

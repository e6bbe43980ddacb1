// The built site works from a sub-path (as on GitHub Pages), and offline after the first visit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, waitForRun, pageTable, screenshot, serveDist } from './harness.mjs';

const app = useApp();

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
  assert.ok(await page.getByTestId('step-STEP_1-sql').locator('.cm-content').count() === 1, 'the editor loaded offline');
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
  await repeat.goto(app.server.url);
  await waitForRun(repeat);
  assert.deepEqual(await pageTable(repeat), first);
  assert.deepEqual(engineRequests(app.server.requests, again), [], 'the repeat visit used the kept engine');
  assert.deepEqual(errors, []);
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

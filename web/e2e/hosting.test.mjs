// The built site works from a sub-path (as on GitHub Pages), and offline after the first visit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, waitForRun, pageTable } from './harness.mjs';

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
  // The service worker has cached the app shell (index.html, JS, wasm, CSS, editor).
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

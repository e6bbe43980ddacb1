// Long runs (issue #8 and #9): a run happens in the engine's worker (or, without one, gives the
// page its thread back between slices of work), so its progress updates on screen and Cancel
// stops it; the last result stays. Sizes over the synthetic limit are refused before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, openApp, waitForRun, screenshot, resultsDir } from './harness.mjs';

const app = useApp();

test('a long run shows its progress, the page stays live, and Cancel keeps the last result', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const before = await page.getByTestId('fingerprint').textContent();

  // About 19.6 million rows, near the limit: seconds of work (7 million took 1.6 s here).
  await page.getByTestId('rows-per-day').fill('2800000');
  await page.getByTestId('rows-per-day').press('Enter');
  const progress = page.getByTestId('run-progress');
  await progress.waitFor({ state: 'visible', timeout: 30_000 });
  const rowsShown = async () => Number((await progress.textContent()).match(/([\d,]+) rows/)?.[1].replaceAll(',', '') ?? NaN);
  const first = await rowsShown();
  // A run this big is in the engine's worker, not on the page's thread.
  assert.ok(page.workers().some((w) => /engine-worker-[0-9a-f]{16}\.js$/.test(w.url())), 'no engine worker');
  // The count moves while the run goes on: the page repaints between slices.
  await page.waitForFunction((n) => {
    const text = document.querySelector('[data-testid="run-progress"]')?.textContent ?? '';
    const shown = Number(text.match(/([\d,]+) rows/)?.[1].replaceAll(',', '') ?? NaN);
    return shown > n;
  }, first, { timeout: 30_000 });
  assert.match(await progress.textContent(), /generating the source|step \d of 3/);
  await page.getByTestId('cancel-run').click();
  await screenshot(page, 'long-run-cancelled.png');
  // A notice, not a failure: the user asked for it.
  const cancelled = page.getByTestId('cancelled-banner');
  await cancelled.waitFor({ timeout: 30_000 });
  assert.match(await cancelled.textContent(), /Run cancelled\. The results below are from the last run that finished\./);
  assert.equal(await page.getByTestId('error-banner').count(), 0);
  await progress.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await page.getByTestId('run-button').textContent(), 'Run');
  assert.equal(await page.getByTestId('fingerprint').textContent(), before, 'the last good result stays');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a synthetic source over 20 million rows is refused before any work, with the most allowed', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const before = await page.getByTestId('fingerprint').textContent();
  await page.getByTestId('rows-per-day').fill('5000000');
  await page.getByTestId('rows-per-day').press('Enter');
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /the limit is 20000000 \(over 7 days, at most about 2857142 rows a day\)/);
  assert.equal(await page.getByTestId('run-progress').count(), 0, 'nothing started');
  assert.equal(await page.getByTestId('fingerprint').textContent(), before);
  assert.equal(await page.getByTestId('rows-per-day').inputValue(), '60000', 'the field shows the size in use again');
  await page.close();
});

test('without the engine worker a big run happens on the page, with the same result', async () => {
  // Over a million source rows (7 × 150,000): in the worker normally, on the page without it.
  const rowsPerDay = '150000';
  const { page: normal } = await openApp(app.browser, app.server.url);
  await waitForRun(normal);
  const small = await normal.getByTestId('fingerprint').textContent();
  await normal.getByTestId('rows-per-day').fill(rowsPerDay);
  await normal.getByTestId('rows-per-day').press('Enter');
  await normal.waitForFunction((old) => document.querySelector('[data-testid="fingerprint"]')?.textContent !== old, small, { timeout: 120_000 });
  assert.ok(normal.workers().length > 0, 'the big run used the worker');
  const expected = await normal.getByTestId('fingerprint').textContent();
  await normal.close();

  // The context's route also answers the worker's own request for its script (a page's does not).
  const context = await app.browser.newContext();
  await context.route(/engine-worker-[0-9a-f]+\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto(app.server.url);
  await waitForRun(page);
  assert.equal(await page.getByTestId('fingerprint').textContent(), small);
  await page.getByTestId('rows-per-day').fill(rowsPerDay);
  await page.getByTestId('rows-per-day').press('Enter');
  await page.waitForFunction((old) => document.querySelector('[data-testid="fingerprint"]')?.textContent !== old, small, { timeout: 120_000 });
  assert.equal(await page.getByTestId('fingerprint').textContent(), expected, 'the same rows as the worker gave');
  assert.ok(warnings.some((w) => w.includes("the engine's worker did not start")), JSON.stringify(warnings));
  // An imported file is parsed on the page too.
  const csv = join(resultsDir, 'no-worker.csv');
  await writeFile(csv, 'title_id,country_code,view_hours,playback_date\n1,US,2.5,2022-01-01\n2,FR,4,2022-01-01\n');
  await page.getByTestId('import-file').setInputFiles(csv);
  await page.waitForFunction(() => /on 2 source rows/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60_000 });
  assert.match(await page.getByTestId('source-summary').innerText(), /no-worker\.csv · 2 rows/);
  assert.deepEqual(errors, []);
  await context.close();
});

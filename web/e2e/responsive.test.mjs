// Long runs (issue #8 and #9): a run gives the page its thread back between slices of work, so
// its progress updates on screen and Cancel stops it; the last result stays. Sizes over the
// synthetic limit are refused before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, waitForRun, screenshot } from './harness.mjs';

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
  // The count moves while the run goes on: the page repaints between slices.
  await page.waitForFunction((n) => {
    const text = document.querySelector('[data-testid="run-progress"]')?.textContent ?? '';
    const shown = Number(text.match(/([\d,]+) rows/)?.[1].replaceAll(',', '') ?? NaN);
    return shown > n;
  }, first, { timeout: 30_000 });
  assert.match(await progress.textContent(), /generating the source|step \d of 3/);
  await page.getByTestId('cancel-run').click();
  await screenshot(page, 'long-run-cancelled.png');
  await page.getByTestId('error-banner').filter({ hasText: 'the run was cancelled' }).waitFor({ timeout: 30_000 });
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

// Mocks and the unit test in the browser: the sample's mocks pass; a broken transform fails with
// the right cells highlighted; fixing it passes again. Mocks are checked as they are typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, waitForRun, screenshot, code, setCode } from './harness.mjs';

const app = useApp();

async function runUnitTest(page) {
  await page.getByTestId('run-unit-test').click();
  await page.getByTestId('unit-test-result').waitFor();
  return page.getByTestId('unit-test-result').innerText();
}

test('the sample unit test passes, fails when the transform breaks, and passes again when fixed', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('tab-mocks').click();
  assert.match(await page.getByTestId('mock-input-findings').innerText(), /9 rows, no problems/);
  assert.match(await runUnitTest(page), /Passed: all 7 expected rows match/);

  // Break step 1: MAX instead of SUM. US title 1 had 2.0 + 1.5 hours.
  await page.getByTestId('tab-pipeline').click();
  const good = await code(page, 'step-STEP_1-sql');
  await setCode(page, 'step-STEP_1-sql', good.replace('SUM(view_hours)', 'MAX(view_hours)'));
  await page.getByTestId('tab-mocks').click();
  const failed = await runUnitTest(page);
  assert.match(failed, /^Failed: 6 rows match, 0 missing, 0 unexpected, 1 changed/);
  const changed = page.getByTestId('changed-view_hours');
  assert.equal(await changed.count(), 1);
  assert.equal(await changed.innerText(), '3.5 → 2.0');
  assert.equal(await page.getByTestId('changed-title_rank').innerText(), '1 → 2');
  assert.match(await page.getByTestId('unit-test-diff').innerText(), /changed\t1\tUS/);
  await screenshot(page, 'unit-test-failed.png');

  await page.getByTestId('tab-pipeline').click();
  await setCode(page, 'step-STEP_1-sql', good);
  await page.getByTestId('tab-mocks').click();
  assert.match(await runUnitTest(page), /Passed/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('mocks are checked as they are typed, with YAML line numbers', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await page.getByTestId('tab-mocks').click();
  const good = await code(page, 'mock-input');
  await setCode(page, 'mock-input', good.replace('[3, US, 1.0, 2022-01-01]', '[3, US, lots, 2022-01-01]'));
  assert.match(await page.getByTestId('mock-input-findings').innerText(), /line 15: .*lots/);
  await setCode(page, 'mock-input', good.replace('rows:', 'rows: [oops'));
  assert.match(await page.getByTestId('mock-input-findings').innerText(), /line \d+, column \d+/);
  await setCode(page, 'mock-input', good);
  assert.match(await page.getByTestId('mock-input-findings').innerText(), /9 rows, no problems/);
  await page.close();
});

test('make expected from current output, and run the pipeline on the input mock', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('tab-mocks').click();
  await setCode(page, 'mock-expected', 'table: dataflow_sample_results\ncolumns: []\nrows: []\n');
  assert.match(await runUnitTest(page), /Failed/);
  await page.getByTestId('make-expected').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="mock-expected"]').dataflowEditor.state.doc.toString().includes('[4, BR, 1, 12.5]'));
  assert.match(await runUnitTest(page), /Passed: all 7 expected rows match/);

  await page.getByTestId('source-choice').selectOption('mock');
  await page.getByTestId('tab-pipeline').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step-STEP_3-stats"]')?.textContent.startsWith('7 rows'));
  await page.close();
});

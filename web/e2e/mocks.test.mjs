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
  // The editor marks the line of the first finding.
  const marked = page.getByTestId('mock-input').locator('.cm-lintRange-error');
  await marked.first().waitFor();
  assert.match(await marked.first().innerText(), /lots/);
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

/** A mock's data rows (the `- [...]` lines of its YAML). */
const dataRows = (yaml) => yaml.split('\n').filter((l) => l.trimStart().startsWith('- ['));

test('a mock edits as a grid: cells are checked by type, rows added and removed', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await page.getByTestId('tab-mocks').click();
  const before = await code(page, 'mock-input');
  await page.getByTestId('mock-input-as-grid').click();
  const grid = page.getByTestId('mock-input-grid');
  assert.deepEqual((await grid.locator('thead th').allInnerTexts()).slice(1),
    ['title_id INT', 'country_code STRING', 'view_hours DOUBLE', 'playback_date DATE']);
  const hours = page.getByTestId('mock-input-cell-0-2');
  await hours.fill('lots');
  await hours.dispatchEvent('change');
  assert.match(await page.getByTestId('mock-input-grid-problem').innerText(), /Row 1, column 3: "lots" is not a number/);
  assert.equal(await code(page, 'mock-input'), before, 'a bad cell changes nothing');
  await hours.fill('9.25');
  await hours.dispatchEvent('change');
  await page.getByTestId('mock-input-grid-problem').waitFor({ state: 'detached' });
  assert.match(dataRows(await code(page, 'mock-input'))[0], /9\.25/);

  const rows = dataRows(before).length;
  await page.getByTestId('mock-input-add-row').click();
  assert.equal(dataRows(await code(page, 'mock-input')).length, rows + 1);
  assert.match(dataRows(await code(page, 'mock-input')).at(-1), /\[null, null, null, null\]/);
  await page.getByRole('button', { name: `Remove row ${rows + 1}` }).click();
  assert.equal(dataRows(await code(page, 'mock-input')).length, rows);
  assert.match(await page.getByTestId('mock-input-findings').innerText(), new RegExp(`${rows} rows, no problems`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('generate a mock from a step\'s result and from the source, with a rule, or empty from the DDL', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('tab-mocks').click();
  await page.getByTestId('generator').locator('summary').click();
  // STEP_2's top 2 titles by hours in the first country, without ties, as the expected output.
  await page.getByTestId('gen-from').selectOption('STEP_2');
  await page.getByTestId('gen-rule-top').check();
  await page.getByTestId('gen-top').fill('2');
  await page.getByTestId('gen-top').dispatchEvent('change');
  await page.getByTestId('gen-groups').fill('1');
  await page.getByTestId('gen-groups').dispatchEvent('change');
  await page.getByTestId('generator').getByText('plus ties').click();
  await page.getByTestId('gen-into').selectOption('expected');
  await page.getByTestId('gen-run').click();
  assert.equal(await page.getByTestId('gen-outcome').innerText(), 'Wrote the expected mock.');
  const expected = await code(page, 'mock-expected');
  assert.match(expected, /table: dataflow_sample_results/);
  assert.match(expected, /title_rank/);
  const picked = dataRows(expected);
  assert.equal(picked.length, 2, expected);
  assert.match(picked[0], /, 1\]$|, 1,/, 'rank 1 first');

  // The first 5 source rows on the run date, two columns only, as the input.
  await page.getByTestId('gen-from').selectOption('source');
  await page.getByTestId('gen-rule-first').check();
  await page.getByTestId('gen-rows').fill('5');
  await page.getByTestId('gen-rows').dispatchEvent('change');
  await page.getByTestId('gen-columns').getByLabel('view_hours').uncheck();
  await page.getByTestId('gen-into').selectOption('input');
  await page.getByTestId('gen-run').click();
  const input = await code(page, 'mock-input');
  assert.equal(dataRows(input).length, 5);
  assert.doesNotMatch(input, /view_hours/);
  assert.match(input, /table: some_db\.source_table/);

  await page.getByTestId('gen-empty-expected').click();
  const empty = await code(page, 'mock-expected');
  assert.match(empty, /rows: \[\]/);
  assert.match(empty, /\{name: view_hours, type: DOUBLE\}/);
  await page.getByTestId('mock-expected-as-grid').click();
  await screenshot(page, 'mock-generator.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 50 MB paste into a mock is refused with the limit, and the page stays usable', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await page.getByTestId('tab-mocks').click();
  const good = await code(page, 'mock-input');
  await page.getByTestId('mock-input').evaluate((el) => {
    const view = el.dataflowEditor;
    const huge = 'rows:\n' + '  - [1, US, 1.0, 2022-01-01]\n'.repeat(50 * 1024 * 1024 / 28);
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: huge }, userEvent: 'input.paste' });
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="mock-input-findings"]')?.textContent.includes('limit'));
  assert.match(await page.getByTestId('mock-input-findings').innerText(), /the mock is 5\d,\d{3},\d{3} bytes|the mock is 5\d{7} bytes; the limit is 10485760 bytes \(10 MiB\)/);
  await setCode(page, 'mock-input', good);
  assert.match(await page.getByTestId('mock-input-findings').innerText(), /9 rows, no problems/);
  assert.deepEqual(errors, []);
  await page.close();
});

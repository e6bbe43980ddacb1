// The pipeline studio: edit steps, import a source file, download results, see plans and DDL findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, openApp, cliRun, waitForRun, resultsDir, screenshot, code, setCode } from './harness.mjs';

const app = useApp();

/** Waits until a step's stats line starts with `text`. */
async function waitForStats(page, step, text) {
  await page.waitForFunction(([s, t]) => {
    const el = document.querySelector(`[data-testid="step-${s}-stats"]`);
    return el && el.textContent.startsWith(t);
  }, [step, text], { timeout: 120_000 });
}

/** Clicks a download button of the result section and returns the saved file's text. */
async function download(page, testid) {
  const button = page.getByRole('region', { name: 'Result' }).getByTestId(testid);
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(resultsDir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('top 100 to top 10 in the SQL, run, and the downloaded CSV is the engine\'s', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await setCode(page, 'step-STEP_3-sql', (await code(page, 'step-STEP_3-sql')).replace('${top_n}', '10'));
  await page.getByTestId('run-button').click();
  const expected = cliRun('--top-n', '10');
  await waitForStats(page, 'STEP_3', `${expected.rows.length.toLocaleString('en-US')} rows`);
  const csv = await download(page, 'download-csv-STEP_3');
  assert.equal(csv.name, 'STEP_3_20220101.csv');
  const lines = csv.text.trimEnd().split('\n');
  assert.equal(lines[0], expected.header.join(','));
  assert.deepEqual(lines.slice(1), expected.rows.map((r) => r.join(',')));
  const parquet = await download(page, 'download-parquet-STEP_3');
  assert.equal(parquet.name, 'STEP_3_20220101.parquet');
  assert.deepEqual(errors, []);
  await page.close();
});

test('add, rename and explain a step; the DDL check lists what does not fit', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('add-step').click();
  await setCode(page, 'step-STEP_4-sql', 'SELECT country_code, COUNT(*) AS titles FROM STEP_3 GROUP BY country_code');
  await page.getByTestId('step-STEP_4-name').fill('per_country');
  await page.getByTestId('step-STEP_4-name').dispatchEvent('change');
  await page.getByTestId('run-button').click();
  await waitForStats(page, 'per_country', '190 rows');
  const findings = await page.getByTestId('ddl-findings').innerText();
  assert.match(findings, /column title_id is in the DDL but not in the output/);
  assert.match(findings, /column titles is in the output but not in the DDL/);
  await page.getByTestId('step-per_country').locator('summary', { hasText: 'Explain' }).click();
  assert.match(await page.getByTestId('step-per_country').innerText(), /AggregateExec/);
  await screenshot(page, 'studio.png');
  await page.close();
});

test('a step that reads a later step is refused by name', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await setCode(page, 'step-STEP_1-sql', 'SELECT * FROM STEP_2');
  await page.keyboard.press('Control+Enter');
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /STEP_1 failed[\s\S]*reads STEP_2, which runs after it/);
  await page.close();
});

test('an imported CSV replaces the source table; wrong files say why', async () => {
  const csv = join(resultsDir, 'views.csv');
  await writeFile(csv, [
    'title_id,country_code,view_hours,playback_date',
    '1,US,2.5,2022-01-01', '2,US,4,2022-01-01', '1,US,2,2022-01-01', '3,BR,1,20220101', '9,BR,7,2021-12-31',
  ].join('\n'));
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('import-file').setInputFiles(csv);
  await waitForStats(page, 'STEP_3', '3 rows');
  assert.match(await page.getByTestId('source-summary').innerText(), /views\.csv · 5 rows/);
  const rows = await page.getByTestId('result-table').locator('tbody tr').allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split('\t')), [['1', '3', 'BR', '1.0'], ['1', '1', 'US', '4.5'], ['2', '2', 'US', '4.0']]);

  const lacking = join(resultsDir, 'lacking.csv');
  await writeFile(lacking, 'title_id,country_code,playback_date\n1,US,2022-01-01\n');
  await page.getByTestId('import-file').setInputFiles(lacking);
  await page.getByTestId('error-banner').waitFor();
  assert.match(await page.getByTestId('error-banner').innerText(), /lacking\.csv lacks columns the steps need: view_hours/);

  const fake = join(resultsDir, 'fake.parquet');
  await writeFile(fake, 'title_id\n1\n');
  await page.getByTestId('import-file').setInputFiles(fake);
  await page.waitForFunction(() => document.querySelector('[data-testid="error-banner"]')?.textContent.includes('fake.parquet'));
  assert.match(await page.getByTestId('error-banner').innerText(), /fake\.parquet is not a Parquet file/);
  // A file over the stated limit is refused by its size, before the tab reads it (a sparse file:
  // it takes no disk, and its size is all the app looks at).
  const huge = join(resultsDir, 'huge.csv');
  await writeFile(huge, '');
  await truncate(huge, 300 * 1024 * 1024);
  await page.getByTestId('import-file').setInputFiles(huge);
  await page.waitForFunction(() => document.querySelector('[data-testid="error-banner"]')?.textContent.includes('huge.csv'));
  assert.match(await page.getByTestId('error-banner').innerText(), /huge\.csv is 300\.0 MB; the limit is 256 MB/);
  await unlink(huge);
  // The last good result (from views.csv) is still there, and the sample comes back on request.
  assert.equal(await page.getByTestId('result-table').locator('tbody tr').count(), 3);
  await page.getByTestId('source-choice').selectOption('synthetic');
  await waitForStats(page, 'STEP_3', '19,025 rows');
  await page.close();
});

test('the result sorts by a column, pages, and charts a country\'s top titles', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const table = page.getByTestId('result-table');
  assert.match(await page.getByTestId('result-count').innerText(), /^rows 1–100 of 19,025$/);
  await page.getByTestId('result-next').click();
  assert.match(await page.getByTestId('result-count').innerText(), /^rows 101–200 of 19,025$/);
  // view_hours, twice: most hours first, as numbers (not as text).
  const hours = table.locator('thead button', { hasText: 'view_hours' });
  await hours.click();
  await hours.click();
  assert.match(await page.getByTestId('result-count').innerText(), /^rows 1–100/);
  const shown = (await table.locator('tbody tr td:nth-child(4)').allInnerTexts()).map(Number);
  assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
  assert.ok(shown[0] > 100, `${shown[0]}`);

  await page.getByTestId('country-filter').selectOption('US');
  const chart = page.getByTestId('result-chart');
  assert.match(await chart.innerText(), /Top 10 titles in US by view hours/);
  assert.equal(await chart.locator('rect').count(), 10);
  await screenshot(page, 'result-chart.png');
  await page.close();
});

test('each step\'s rows are in a grid that sorts and pages', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const stats = await page.getByTestId('step-STEP_1-stats').innerText();
  const total = stats.match(/^([\d,]+) rows/)[1];
  await page.getByTestId('step-STEP_1-rows-toggle').click();
  const count = page.getByTestId('step-STEP_1-rows-count');
  await count.waitFor();
  assert.equal(await count.innerText(), `rows 1–100 of ${total}`);
  const table = page.getByTestId('step-STEP_1-rows-table');
  assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['title_id', 'country_code', 'view_hours']);
  // Most hours first, as numbers.
  const hours = table.locator('thead button', { hasText: 'view_hours' });
  await hours.click();
  await hours.click();
  const shown = (await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).map(Number);
  assert.equal(shown.length, 100);
  assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
  await page.getByTestId('step-STEP_1-rows-next').click();
  assert.equal(await count.innerText(), `rows 101–200 of ${total}`);
  const next = (await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).map(Number);
  assert.ok(next[0] <= shown[99], `${next[0]} after ${shown[99]}`);
  await page.close();
});

test('parameters: a user-defined one is substituted, removing it is an error that names it, TARGET_DB names the table', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('params').locator('summary').click();
  await page.getByTestId('param-new-name').fill('max_rank');
  await page.getByTestId('param-new-value').fill('3');
  await page.getByTestId('param-add').click();
  await setCode(page, 'step-STEP_3-sql', 'SELECT * FROM STEP_2 WHERE title_rank <= ${max_rank}');
  await page.keyboard.press('Control+Enter');
  const expected = cliRun('--top-n', '3');
  await waitForStats(page, 'STEP_3', `${expected.rows.length.toLocaleString('en-US')} rows`);

  await page.getByRole('button', { name: 'Remove max_rank' }).click();
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /max_rank/);
  assert.match(await banner.innerText(), /unknown parameter/i);

  await page.getByTestId('param-TARGET_DB').fill('analytics');
  await page.getByTestId('param-TARGET_DB').dispatchEvent('change');
  await page.getByTestId('param-new-name').fill('max_rank');
  await page.getByTestId('param-new-value').fill('2');
  await page.getByTestId('param-add').click();
  await banner.waitFor({ state: 'detached' });
  await waitForRun(page);
  assert.match(await page.getByTestId('target-summary').innerText(), /in analytics\.dataflow_sample_results, partition date=2022-01-01/);
  await page.getByTestId('param-new-name').fill('bad name');
  await page.getByTestId('param-add').click();
  assert.match(await banner.innerText(), /a parameter name is letters, digits and _/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('typing in a step editor keeps the focus and the cursor, key by key', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const before = await code(page, 'step-STEP_3-sql');
  await page.getByTestId('step-STEP_3-sql').locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\n  AND view_hours > 0', { delay: 5 });
  assert.equal(await code(page, 'step-STEP_3-sql'), `${before}\n  AND view_hours > 0`);
  assert.ok(await page.getByTestId('step-STEP_3-sql').evaluate((el) => el.contains(document.activeElement)));
  await page.close();
});

test('Spark SQL in a step: completion of Spark\'s functions and the earlier step\'s columns, Spark\'s rows, Spark\'s refusals', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  const completions = () => page.evaluate(() => [...document.querySelectorAll('.cm-completionLabel')].map((e) => e.textContent));
  await page.getByTestId('step-STEP_3-sql').locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(' AND count_i', { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll('.cm-completionLabel').length > 0);
  assert.ok((await completions()).includes('COUNT_IF'), 'a Spark function is offered');
  await page.keyboard.press('Escape');
  await page.keyboard.type(' view_h', { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll('.cm-completionLabel').length > 0);
  assert.deepEqual(await completions(), ['view_hours'], 'the column of STEP_2, the step it reads');
  await page.keyboard.press('Escape');

  // Java date patterns, LATERAL VIEW explode, IF and a decimal literal, as Spark runs them.
  await setCode(page, 'step-STEP_3-sql', "SELECT title_id, country_code, view_hours, title_rank,\n  date_format(DATE '${date}', 'EEE, d MMM yyyy') AS day, IF(view_hours > 0.5, 'high', 'low') AS band, part\nFROM STEP_2\nLATERAL VIEW explode(split('a,b', ',')) p AS part\nWHERE title_rank <= 1 AND country_code = 'BR'");
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRun(page);
  await page.getByTestId('step-STEP_3').getByText('Rows and columns').click();
  const step = page.getByTestId('step-STEP_3');
  await step.getByText('Sat, 1 Jan 2022').first().waitFor();
  assert.match(await step.innerText(), /2 rows/, 'one title, once per part of the exploded array');
  assert.match(await step.innerText(), /\bhigh\b/);

  // A misspelled Spark function: Spark's message, at its place; the last good result stays.
  await setCode(page, 'step-STEP_3-sql', 'SELECT title_id,\n  yaer(title_id) AS y FROM STEP_2');
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.getByText('`yaer` is not a Spark SQL function: did you mean `year`?').waitFor();
  assert.match(await page.getByTestId('step-STEP_3-error-at').innerText(), /line 2, column 3/);
  await screenshot(page, 'spark-sql-typo.png');
  assert.deepEqual(errors, []);
});

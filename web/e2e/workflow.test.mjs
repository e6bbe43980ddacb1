// Write-Audit-Publish in the browser: main publishes and sets the high-water mark; nulls injected
// into the source make a blocking audit fail, and the published table stays exactly as it was;
// daily and backfill run date by date, and a backfill can be cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, openApp, waitForRun, resultsDir, screenshot, code, setCode, cliChanges, denseRankStepsFile } from './harness.mjs';

const app = useApp();

async function idle(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="run-main"]')?.disabled, null, { timeout: 120_000 });
}

test('main publishes; nulls in the source block the publish and leave the published table unchanged', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('run-main').click();
  await idle(page);
  assert.match(await page.getByTestId('wap-outcome').innerText(), /published 19025 row\(s\) for 2022-01-01/);
  for (const job of ['ddl', 'metadata', 'write', 'audit', 'publish', 'hwm']) {
    assert.equal(await page.getByTestId(`job-${job}`).getAttribute('data-status'), 'passed', job);
  }
  const catalog = page.getByTestId('catalog');
  assert.match(await catalog.getByTestId('catalog-hwm').innerText(), /High-water mark: 2022-01-01/);
  const published = await catalog.getByTestId('catalog-fingerprint').innerText();

  // A source for the same date with NULL country codes.
  const csv = join(resultsDir, 'nulls.csv');
  await writeFile(csv, ['title_id,country_code,view_hours,playback_date',
    '1,US,2.5,2022-01-01', '2,,4,2022-01-01', '3,,1,2022-01-01', '4,BR,7,2022-01-01'].join('\n'));
  await page.getByTestId('import-file').setInputFiles(csv);
  // The file is read in the engine's worker: wait for the run on its 4 rows.
  await page.waitForFunction(() => /on 4 source rows/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 120_000 });
  await page.getByTestId('run-main').click();
  await idle(page);
  assert.match(await page.getByTestId('wap-outcome').innerText(), /blocked/i);
  assert.equal(await page.getByTestId('job-audit').getAttribute('data-status'), 'failed');
  assert.equal(await page.getByTestId('job-publish').getAttribute('data-status'), 'skipped');
  assert.equal(await page.getByTestId('job-hwm').getAttribute('data-status'), 'skipped');
  assert.equal(await catalog.getByTestId('catalog-fingerprint').innerText(), published, 'the published data did not change');
  assert.match(await catalog.getByTestId('catalog-hwm').innerText(), /2022-01-01/);
  assert.match(await page.getByTestId('run-history').locator('tbody tr').first().innerText(), /blocked/);
  // The audit says why, with the failing rows.
  await page.getByTestId('job-audit').click();
  assert.match(await page.getByTestId('audit-0').innerText(), /columns_should_not_have_nulls.*failed · blocking/);
  assert.match(await page.getByTestId('audit-0-count').innerText(), /2 failing/);
  assert.equal(await page.getByTestId('audit-0-sample-table').locator('tbody tr').count(), 2);
  await screenshot(page, 'wap-blocked.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('daily runs the run date and the days before it; a bad range is refused; a backfill can be cancelled', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('run-daily').click();
  await idle(page);
  assert.match(await page.getByTestId('schedule-summary').innerText(), /^3 published, 0 blocked, 0 failed, 0 not run\./);
  for (const d of ['2021-12-30', '2021-12-31', '2022-01-01']) {
    assert.match(await page.getByTestId(`date-${d}`).innerText(), /published/);
  }
  assert.equal(await page.getByTestId('catalog-partitions').locator('tbody tr').count(), 3);

  await page.getByTestId('backfill-start').fill('2022-01-05');
  await page.getByTestId('backfill-start').dispatchEvent('change');
  await page.getByTestId('run-backfill').click();
  await page.getByTestId('wap-problem').waitFor();
  assert.match(await page.getByTestId('wap-problem').innerText(), /2022-01-05.*2022-01-01|after/);

  await page.getByTestId('backfill-start').fill('2021-12-26');
  await page.getByTestId('backfill-start').dispatchEvent('change');
  await page.getByTestId('run-backfill').click();
  await page.getByTestId('cancel-schedule').click();
  await idle(page);
  const summary = await page.getByTestId('schedule-summary').innerText();
  assert.match(summary, /[1-6] not run/, summary);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the workflow files: shown from the spec, a broken edit is refused with its place, a good one applied', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('tab-workflow').click();
  const main = await code(page, 'workflow-yaml');
  assert.match(main, /type: wap/);
  assert.match(main, /columns_should_not_have_nulls/);
  await setCode(page, 'workflow-yaml', main.replace('columns_should_not_have_nulls', 'no_such_audit'));
  await page.getByTestId('apply-workflow').click();
  assert.match(await page.getByTestId('workflow-error').innerText(), /no_such_audit/);
  await page.getByTestId('workflow-file-daily.sch.yaml').click();
  const daily = await code(page, 'workflow-yaml');
  assert.match(daily, /daily/i);
  await page.getByTestId('workflow-file-main.sch.yaml').click();
  await setCode(page, 'workflow-yaml', main.replace(/blocking: true/, 'blocking: false'));
  await page.getByTestId('apply-workflow').click();
  await page.getByTestId('workflow-applied').waitFor();
  assert.equal(await page.getByTestId('audit-spec-0-blocking').isChecked(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

/** After a run on `sourceRows` source rows, Main publishes the same rows as the Pipeline tab's
 *  last step, and the write job's pipeline ran in the engine's worker. */
async function mainRunsInTheWorker(page, sourceRows) {
  await page.waitForFunction((n) => (document.querySelector('[data-testid="run-status"]')?.textContent ?? '').includes(`on ${n} source rows`),
    sourceRows, { timeout: 120_000 });
  const stats = await page.getByTestId('step-STEP_3-stats').innerText();
  const rows = stats.match(/^([\d,]+) rows/)[1].replaceAll(',', '');
  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('run-main').click();
  await idle(page);
  await page.getByTestId('job-write').click();
  assert.match(await page.getByTestId('job-log').innerText(), /^the pipeline ran in the engine's worker\nSTEP_1: /);
  assert.match(await page.getByTestId('wap-outcome').innerText(), new RegExp(`published ${rows} row\\(s\\) for 2022-01-01`));
  for (const job of ['write', 'audit', 'publish', 'hwm']) {
    assert.equal(await page.getByTestId(`job-${job}`).getAttribute('data-status'), 'passed', job);
  }
}

test('main on a source of over a million rows: the write job runs the pipeline in the engine worker', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('rows-per-day').fill('150000');
  await page.getByTestId('rows-per-day').press('Enter');
  await mainRunsInTheWorker(page, '1,049,328');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an imported file of over a million rows is parsed in the engine worker, which also runs it', async () => {
  // 1,050,000 rows for the run date: 5,000 titles in 15 countries.
  const codes = ['US', 'BR', 'FR', 'DE', 'IN', 'JP', 'MX', 'GB', 'CA', 'ES', 'IT', 'KR', 'AR', 'PL', 'NL'];
  const lines = ['title_id,country_code,view_hours,playback_date'];
  for (let i = 0; i < 1_050_000; i++) {
    lines.push(`${10_000_000 + (i % 5_000)},${codes[i % codes.length]},${(i % 97) / 4 + 0.25},2022-01-01`);
  }
  const csv = join(resultsDir, 'big.csv');
  await writeFile(csv, lines.join('\n'));
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('import-file').setInputFiles(csv);
  await page.getByTestId('importing').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('importing').innerText(), /^reading big\.csv…$/);
  await mainRunsInTheWorker(page, '1,050,000');
  assert.deepEqual(errors, []);
  await page.close();
});

test('before the publish, main says what it changes: the staged partition against the published one', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const n = (x) => x.toLocaleString('en-US');
  // The truth: the CLI's output with each ranking, compared by key here.
  const { base, added, removed, changedKeys } = cliChanges('--steps', await denseRankStepsFile(page, 'publish_dense.sql'));
  const changed = changedKeys.length;

  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('run-main').click();
  await idle(page);
  assert.match(await page.getByTestId('publish-changes').innerText(), /^The publish changed foo\.dataflow_sample_results's 2022-01-01 partition: /);
  assert.match(await page.getByTestId('publish-headline').innerText(), new RegExp(`^added ${n(base.size)}, removed 0, changed 0,`));

  await page.getByTestId('tab-pipeline').click();
  await setCode(page, 'step-STEP_2-sql', (await code(page, 'step-STEP_2-sql')).replace('RANK()', 'DENSE_RANK()'));
  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('run-main').click();
  await idle(page);
  const headline = await page.getByTestId('publish-headline').innerText();
  assert.match(headline, new RegExp(`^added ${n(added)}, removed ${n(removed)}, changed ${n(changed)} in \\d+ country_code,`));
  const publish = await page.getByTestId('publish-changes').innerText();
  assert.match(publish, /title_rank: changed/);
  assert.doesNotMatch(publish, /type /, 'compared as the publish writes the rows: in the table\'s types');
  assert.deepEqual(errors, []);
  await page.close();
});

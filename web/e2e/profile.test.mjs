// The Profile panel: the source's profile against SQL COUNT/MIN/MAX the CLI computes, a step's
// histogram, and suggested audits added to the workflow, shown in main.sch.yaml and run by WAP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useApp, openApp, cliRun, waitForRun, resultsDir, screenshot, code } from './harness.mjs';

const app = useApp();

const n = (x) => Number(x).toLocaleString('en-US');

/** Profiles `table` and returns the headline once the profile is on screen. */
async function profile(page, table) {
  await page.getByTestId('profile-of').selectOption(table);
  await page.getByTestId('profile-run').click();
  await page.getByTestId('profile-headline').waitFor({ timeout: 120_000 });
  return page.getByTestId('profile-headline').innerText();
}

test('the source profile matches SQL counts; suggested audits join the workflow and pass in WAP', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);

  // The truth: SQL over the same source, run by the CLI.
  const sql = join(resultsDir, 'profile_truth.sql');
  await writeFile(sql, '-- step: TRUTH\nSELECT COUNT(*) AS n, COUNT(DISTINCT country_code) AS countries, '
    + 'MIN(view_hours) AS lo, MAX(view_hours) AS hi, COUNT(DISTINCT title_id) AS titles, '
    + 'MIN(playback_date) AS first, MAX(playback_date) AS last FROM some_db.source_table\n');
  const truth = cliRun('--steps', sql);
  const at = (name) => truth.rows[0][truth.header.indexOf(name)];

  assert.equal(await profile(page, 'some_db.source_table'), `some_db.source_table: ${n(at('n'))} rows, 4 columns`);
  const column = (name) => page.getByTestId(`profile-col-${name}`);
  assert.equal(await column('country_code').getByTestId('profile-distinct').innerText(), n(at('countries')));
  assert.equal(await column('title_id').getByTestId('profile-distinct').innerText(), n(at('titles')));
  assert.equal(await column('view_hours').getByTestId('profile-range').innerText(), `${at('lo')} … ${at('hi')}`);
  assert.equal(await column('playback_date').getByTestId('profile-range').innerText(), `${at('first')} … ${at('last')}`);
  assert.equal(await column('view_hours').getByTestId('profile-nulls').innerText(), '0 (0.0%)');
  // A histogram of ten bins whose counts add up to the rows.
  const bins = await column('view_hours').locator('svg.histogram rect title').allTextContents();
  assert.equal(bins.length, 10);
  const binned = bins.map((t) => Number(t.match(/: ([\d,]+) rows?$/)[1].replaceAll(',', ''))).reduce((a, b) => a + b);
  assert.equal(binned, Number(at('n')));
  assert.equal(await page.getByTestId('suggest-audits').count(), 0, 'only the output suggests audits');

  // The output's profile suggests audits; add them all.
  const output = await profile(page, 'STEP_3');
  const rows = Number(output.match(/^STEP_3: ([\d,]+) rows/)[1].replaceAll(',', ''));
  await page.getByTestId('suggest-audits').click();
  await page.getByTestId('suggestion').first().waitFor({ timeout: 120_000 });
  const suggestions = await page.getByTestId('suggestion').allInnerTexts();
  assert.equal(suggestions.length, 3, suggestions.join('\n---\n'));
  assert.match(suggestions[0], /because view_hours has no NULL in [\d,]+ rows[\s\S]*columns_should_not_have_nulls/);
  assert.match(suggestions[2], new RegExp(`min: ${Math.floor(rows / 2)}\\b`));
  await screenshot(page, 'profile-suggestions.png');
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('accept-suggestion').first().click();
  }
  assert.equal(await page.getByTestId('accepted').count(), 3);

  // In the workflow file, and run by WAP: every audit passes and the table is published.
  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('workflow-file-main.sch.yaml').click();
  const main = await code(page, 'workflow-yaml');
  assert.match(main, /- function: column_values_should_be_within\n\s+blocking: false\n\s+params:\n\s+column: view_hours/);
  assert.match(main, new RegExp(`- function: row_count_should_be_within\\n\\s+blocking: false\\n\\s+params:\\n\\s+max: ${Math.ceil(rows * 1.5)}\\n\\s+min: ${Math.floor(rows / 2)}`));
  await page.getByTestId('run-main').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="run-main"]')?.disabled, null, { timeout: 120_000 });
  assert.match(await page.getByTestId('wap-outcome').innerText(), new RegExp(`published ${rows} row\\(s\\)`));
  await page.getByTestId('job-audit').click();
  const audits = await page.locator('div.audit').allInnerTexts();
  const added = audits.slice(-3);
  assert.match(added[0], /^columns_should_not_have_nulls passed/);
  assert.match(added[1], /^column_values_should_be_within passed/);
  assert.match(added[2], /^row_count_should_be_within passed/);
  assert.deepEqual(errors, []);
  await page.close();
});

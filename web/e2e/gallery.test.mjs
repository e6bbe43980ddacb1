// The template gallery: four recipes from the user's pipeline, previewed with highlighting and as a
// diff against the default template, downloaded as a zip that a standard tool extracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useApp, openApp, waitForRun, code, setCode, resultsDir, screenshot } from './harness.mjs';

const app = useApp();

test('the gallery renders the user\'s pipeline in each recipe, diffs it, and downloads a real zip', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('top-n').fill('10');
  await page.getByTestId('top-n').dispatchEvent('change');
  await waitForRun(page);
  // A changed step: the diff against the default template shows it.
  await setCode(page, 'step-STEP_3-sql', `${await code(page, 'step-STEP_3-sql')}\n  AND view_hours > 0`);
  await page.getByTestId('tab-gallery').click();
  for (const recipe of ['spark-sql', 'pyspark', 'scala', 'sparklyr']) {
    assert.ok(await page.getByTestId(`recipe-${recipe}`).count() === 1, recipe);
  }
  // pyspark opens on its transform: DataFrame code with the user's top N.
  const tree = await page.getByTestId('file-tree').innerText();
  for (const file of ['main.sch.yaml', 'daily.sch.yaml', 'backfill.sch.yaml', 'some_db.source_table.yaml']) {
    assert.ok(tree.includes(file), `${file} in\n${tree}`);
  }
  assert.equal(await page.getByTestId('opt-top-n').inputValue(), '10');
  const transform = await code(page, 'file-preview');
  assert.match(transform, /Window/);
  assert.match(transform, /10/);
  await page.getByTestId('show-diff').check();
  assert.match(await page.getByTestId('diff-summary').innerText(), /line\(s\) differ from the default template/);
  assert.ok(await page.getByTestId('diff').locator('ins').count() > 0);
  await screenshot(page, 'gallery.png');

  // A bad option is refused with a message; a fixable one is normalised.
  await page.getByTestId('opt-short-name').fill('../evil');
  await page.getByTestId('opt-short-name').dispatchEvent('change');
  assert.match(await page.getByTestId('gallery-error').innerText(), /short-name/);
  await page.getByTestId('opt-short-name').fill('My Flow');
  await page.getByTestId('opt-short-name').dispatchEvent('change');
  await page.getByTestId('gallery-error').waitFor({ state: 'detached' });

  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recipe-spark-sql-zip').click()]);
  assert.equal(file.suggestedFilename(), 'my_flow.zip');
  const path = join(resultsDir, file.suggestedFilename());
  await file.saveAs(path);
  const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' });
  for (const entry of ['my_flow/main.sch.yaml', 'my_flow/src/sparksql_write.sql', 'my_flow/src/mocks/some_db.source_table.yaml']) {
    assert.ok(listing.includes(entry), `${entry} in\n${listing}`);
  }
  const sql = execFileSync('unzip', ['-p', path, 'my_flow/src/sparksql_write.sql'], { encoding: 'utf8' });
  assert.match(sql, /RANK\(\) OVER/);
  assert.deepEqual(errors, []);
  await page.close();
});

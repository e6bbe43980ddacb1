// Column lineage on the page: clicking an output column highlights its path to the source and
// lists it as `dataflow lineage` prints it; an edit redraws the graph from the new plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { useApp, openApp, waitForRun, screenshot, code, setCode, cli } from './harness.mjs';

const app = useApp();

/** The path lines `dataflow lineage --column NAME` prints (without its heading). */
function cliLineage(column) {
  const out = execFileSync(cli, ['lineage', '--column', column], { encoding: 'utf8' });
  return out.trimEnd().split('\n').slice(1).map((l) => l.trim());
}

test('view_hours is traced to some_db.source_table.view_hours through STEP_1 to STEP_3', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('lineage').locator('summary').click();
  await page.getByTestId('lineage-node-STEP_3.view_hours').click();
  const lines = await page.getByTestId('lineage-path').locator('li').allInnerTexts();
  assert.deepEqual(lines, [
    'STEP_3.view_hours ← STEP_2.view_hours',
    'STEP_2.view_hours ← STEP_1.view_hours',
    'STEP_1.view_hours ← some_db.source_table.view_hours via sum(view_hours)',
  ]);
  assert.deepEqual(lines, cliLineage('view_hours'));
  const highlighted = await page.locator('[data-testid^="lineage-node-"].on-path').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.deepEqual(highlighted.sort(), ['some_db.source_table', 'STEP_1', 'STEP_2', 'STEP_3']
    .map((t) => `lineage-node-${t}.view_hours`).sort());
  assert.deepEqual(await page.locator('.lineage-graph .link.on-path text').allTextContents(), ['sum(view_hours)', '', '']);
  await page.getByTestId('lineage').scrollIntoViewIfNeeded();
  await screenshot(page, 'lineage.png');

  // DENSE_RANK: the rank's edges are redrawn from the new plan.
  await setCode(page, 'step-STEP_2-sql', (await code(page, 'step-STEP_2-sql')).replace('RANK()', 'DENSE_RANK()'));
  await page.getByTestId('run-button').click();
  await page.getByTestId('lineage-node-STEP_3.title_rank').click();
  await page.waitForFunction(() => /dense_rank/.test(document.querySelector('[data-testid="lineage-path"]')?.textContent ?? ''), null, { timeout: 120_000 });
  const rank = await page.getByTestId('lineage-path').locator('li').allInnerTexts();
  assert.ok(rank.includes('STEP_2.title_rank ← STEP_1.view_hours via dense_rank() OVER (PARTITION BY country_code ORDER BY view_hours DESC)'), rank.join('\n'));
  assert.ok(rank.includes('STEP_1.country_code ← some_db.source_table.country_code'), rank.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

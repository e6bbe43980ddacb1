// The Changes panel: what a run changed against the previous run (or a pinned one), checked
// against a comparison of the CLI's two outputs made here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, cliRun, cliChanges, denseRankStepsFile, waitForRun, screenshot, code, setCode } from './harness.mjs';

const app = useApp();

const n = (x) => x.toLocaleString('en-US');

/** Waits until a step's line in the Changes panel starts with `text` and returns it. */
async function changeOf(page, step, text) {
  const line = page.getByTestId(`change-${step}`).getByTestId('change-headline');
  await page.waitForFunction(([s, t]) => {
    const el = document.querySelector(`[data-testid="change-${s}"] [data-testid="change-headline"]`);
    return el && el.textContent.startsWith(t);
  }, [step, text], { timeout: 120_000 });
  return line.innerText();
}

test('RANK to DENSE_RANK: the panel counts what the CLI\'s two outputs differ by', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  assert.match(await page.getByTestId('changes-status').innerText(), /^Edit a step or a parameter and run/);

  // The truth: the CLI's output with each ranking, compared by key here.
  const denseFile = await denseRankStepsFile(page, 'dense_rank.sql');
  const { base, next: dense, added, removed, changedKeys } = cliChanges('--steps', denseFile);
  const countries = new Set(changedKeys.map((k) => k.split('/')[0])).size;
  assert.ok(added > 0 && changedKeys.length > 0);

  await setCode(page, 'step-STEP_2-sql', (await code(page, 'step-STEP_2-sql')).replace('RANK()', 'DENSE_RANK()'));
  await page.getByTestId('run-button').click();
  const output = await changeOf(page, 'STEP_3', 'added');
  assert.ok(
    output.startsWith(`added ${n(added)}, removed ${n(removed)}, changed ${n(changedKeys.length)} in ${countries} country_code,`),
    output,
  );
  const step3 = await page.getByTestId('change-STEP_3').innerText();
  assert.match(step3, new RegExp(`title_rank: changed ${n(changedKeys.length)}; largest: `));
  assert.doesNotMatch(step3, /view_hours: changed/, 'a column that did not change is not listed');
  assert.match(await changeOf(page, 'STEP_1', 'added 0'), /^added 0, removed 0, changed 0,/);

  // The grid: the first changed rows by key, old and new rank in one marked cell.
  const grid = page.getByTestId('changes-table');
  assert.equal(await grid.locator('caption').innerText(), `The output's first 200 of ${n(added + removed + changedKeys.length)} rows added, removed or changed`);
  assert.deepEqual(await grid.locator('thead th').allInnerTexts(), ['change', 'country_code', 'title_id', 'view_hours', 'title_rank']);
  const first = await grid.locator('tbody tr').first().locator('td').allInnerTexts();
  const key = `${first[1]}/${first[2]}`;
  const header = cliRun('--limit', '1').header;
  const rank = (row) => row[header.indexOf('title_rank')];
  if (first[0] === 'changed') {
    assert.equal(first[4], `${rank(base.get(key))} → ${rank(dense.get(key))}`);
    assert.equal(await grid.locator('tbody tr').first().locator('td.changed-cell').count(), 1);
  } else {
    assert.equal(first[0], 'added');
    assert.ok(!base.has(key) && dense.has(key));
  }
  await screenshot(page, 'changes.png');

  // A key the user chooses: country_code alone is not unique, so rows pair whole, and it says so.
  const setKey = async (text) => {
    await page.getByTestId('diff-key').fill(text);
    await page.getByTestId('diff-key').dispatchEvent('change');
  };
  await setKey('country_code');
  await page.waitForFunction(() => /the key \(country_code\) is not unique/.test(document.querySelector('[data-testid="change-STEP_3"]')?.textContent ?? ''), null, { timeout: 120_000 });
  await setKey('');
  assert.ok((await changeOf(page, 'STEP_3', `added ${n(added)}, removed`)).includes('paired by country_code, title_id'));

  // Pinned: the next run (top 10) is compared with the DENSE_RANK run, not with RANK.
  await page.getByTestId('pin-baseline').click();
  await setCode(page, 'step-STEP_3-sql', (await code(page, 'step-STEP_3-sql')).replace('${top_n}', '10'));
  await page.getByTestId('run-button').click();
  const top10 = await changeOf(page, 'STEP_3', 'added 0, removed');
  assert.match(top10, /^added 0, removed [0-9,]+, changed 0,/);
  assert.match(await changeOf(page, 'STEP_2', 'added 0'), /^added 0, removed 0, changed 0,/, 'STEP_2 is the pinned run\'s');
  // A removed row shows the values it had.
  const removedRow = await page.getByTestId('changes-table').locator('tbody tr').first().locator('td').allInnerTexts();
  assert.equal(removedRow[0], 'removed');
  assert.equal(removedRow[4], rank(dense.get(`${removedRow[1]}/${removedRow[2]}`)));
  assert.equal(await page.getByTestId('unpin-baseline').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('big step results are compared in the engine\'s worker, small ones on the page', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('top-n').fill('10');
  await page.getByTestId('top-n').dispatchEvent('change');
  await changeOf(page, 'STEP_3', 'added 0, removed');
  assert.match(await page.getByTestId('changes-compared').innerText(), /^Compared on this page in \d+ ms\.$/);
  // 1.4M source rows: the run and then the comparison (over 250,000 step rows) go to the worker.
  await page.getByTestId('rows-per-day').fill('200000');
  await page.getByTestId('rows-per-day').press('Enter');
  await page.waitForFunction(() => /in the engine's worker/.test(document.querySelector('[data-testid="changes-compared"]')?.textContent ?? ''), null, { timeout: 240_000 });
  const step1 = await page.getByTestId('change-STEP_1').getByTestId('change-headline').innerText();
  assert.match(step1, /^added [\d,]+, removed [\d,]+, changed [\d,]+ in \d+ country_code/);
  assert.deepEqual(errors, []);
  await page.close();
});

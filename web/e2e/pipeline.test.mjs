// The walking skeleton, end to end: the built page runs the sample pipeline in the browser
// and shows the same rows as the native engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, openApp, cliRun, pageTable, inPageOrder, screenshot, waitForRun, code, setCode,
} from './harness.mjs';

const app = useApp();

const group = (n) => n.toLocaleString('en-US');

test('the page runs the sample pipeline and shows the engine\'s rows', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const expected = cliRun();
  const shown = await pageTable(page);
  assert.deepEqual(shown.header.slice(0, 4), ['title_rank', 'title_id', 'country_code', 'view_hours']);
  assert.equal(shown.rows.length, 100, 'the first page of rows');
  const want = expected.rows.slice(0, 100).map((r) => inPageOrder(expected.header, shown.header, r));
  assert.deepEqual(shown.rows, want);

  // Every step's row count, and the whole output's size (about 19,000 a day).
  const stats = await page.getByTestId('step-STEP_3-stats').innerText();
  assert.match(stats, new RegExp(`^${group(expected.rows.length)} rows`));
  assert.ok(expected.rows.length > 18_000 && expected.rows.length < 20_000, `${expected.rows.length}`);
  for (const step of ['STEP_1', 'STEP_2']) {
    assert.match(await page.getByTestId(`step-${step}-stats`).innerText(), /^[\d,]+ rows · \d+ ms/);
  }
  // The SQL of the three steps is on the page.
  assert.match(await code(page, 'step-STEP_2-sql'), /RANK\(\) OVER \(/);
  // Each step is in a code editor with line numbers and SQL highlighting.
  const editor = page.getByTestId('step-STEP_2-sql');
  assert.ok(await editor.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^2$/ }).count() > 0);
  assert.ok(await editor.locator('.cm-line span').count() > 5, 'keywords are highlighted');
  await screenshot(page, 'pipeline.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the country filter shows one country\'s ranking', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('country-filter').selectOption('US');
  const shown = await pageTable(page);
  const expected = cliRun();
  const us = expected.rows.filter((r) => r[expected.header.indexOf('country_code')] === 'US')
    .map((r) => inPageOrder(expected.header, shown.header, r));
  assert.deepEqual(shown.rows, us.slice(0, 100));
  assert.equal(shown.rows[0][0], '1');
  assert.match(await page.getByTestId('result-count').innerText(), new RegExp(`^rows 1–100 of ${group(us.length)}$`));
  await page.close();
});

test('Run with a new top N runs again', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('top-n').fill('10');
  await page.getByTestId('top-n').dispatchEvent('change');
  const expected = cliRun('--top-n', '10');
  await page.waitForFunction((n) => {
    const s = document.querySelector('[data-testid="step-STEP_3-stats"]');
    return s && s.textContent.startsWith(`${n} rows`);
  }, group(expected.rows.length), { timeout: 120_000 });
  const shown = await pageTable(page);
  assert.deepEqual(shown.rows[0], inPageOrder(expected.header, shown.header, expected.rows[0]));
  await page.close();
});

test('a SQL error shows its message, keeps the last result, and the app recovers', async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const before = await pageTable(page);
  const good = await code(page, 'step-STEP_3-sql');
  await setCode(page, 'step-STEP_3-sql', 'SELECT title_id,\n  nope FROM STEP_2');
  await page.getByTestId('run-button').click();
  const banner = page.getByTestId('error-banner');
  await banner.waitFor({ timeout: 120_000 });
  const message = await banner.innerText();
  assert.match(message, /STEP_3 failed/);
  assert.match(message, /nope/);
  assert.match(await page.getByTestId('step-STEP_3').getAttribute('class'), /failed/);
  assert.deepEqual(await pageTable(page), before, 'the last good result stays');
  // The editor marks the unknown column where it is in the step's own text (line 2), and
  // "show it" selects it.
  const editor = page.getByTestId('step-STEP_3-sql');
  const marked = editor.locator('.cm-lintRange-error');
  await marked.waitFor();
  assert.equal(await marked.innerText(), 'nope');
  assert.match(message, /line 2, column 3/);
  await page.getByTestId('step-STEP_3-error-at').click();
  const selected = await editor.evaluate((el) => {
    const { state } = el.dataflowEditor;
    return state.sliceDoc(state.selection.main.from, state.selection.main.to);
  });
  assert.equal(selected, 'nope');
  await screenshot(page, 'sql-error.png');

  await setCode(page, 'step-STEP_3-sql', good);
  // Ctrl+Enter in the editor runs (and adds no line).
  await page.keyboard.press('Control+Enter');
  await banner.waitFor({ state: 'detached', timeout: 120_000 });
  await waitForRun(page);
  assert.deepEqual(await pageTable(page), before);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run date without source rows says so and shows an empty result', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('run-date').fill('2023-06-01');
  await page.getByTestId('run-date').dispatchEvent('change');
  const notice = page.getByTestId('notice');
  await notice.waitFor({ timeout: 120_000 });
  assert.match(await notice.innerText(), /no rows for the run date 2023-06-01: it covers 2021-12-26 to 2022-01-01/);
  assert.match(await page.getByTestId('result-count').innerText(), /^rows 0–0 of 0$/);
  await page.close();
});

test('a panic shows a visible message instead of a dead tab, and a reload restores the saved work', async () => {
  const { page } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  await page.getByTestId('top-n').fill('7');
  await page.getByTestId('top-n').dispatchEvent('change');
  await waitForRun(page);
  await page.evaluate(() => { try { window.wasmBindings.simulate_panic(); } catch { /* the trap */ } });
  const banner = page.locator('#panic-banner');
  await banner.waitFor({ timeout: 10_000 });
  assert.match(await banner.innerText(), /internal error[\s\S]*simulated panic/);
  await screenshot(page, 'panic.png');
  await page.locator('#panic-restore').click();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '7');
  // The other way back: the sample, with the work kept aside.
  await page.evaluate(() => { try { window.wasmBindings.simulate_panic(); } catch { /* the trap */ } });
  await page.locator('#panic-sample').click();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '100');
  await page.close();
});

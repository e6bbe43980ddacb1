// No script injection: SQL, result cells, column names, error messages, mocks, parameters and
// permalink contents are always rendered as text. The page's CSP allows no inline script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { useApp, waitForRun, setCode } from './harness.mjs';

const app = useApp();

const payload = (n) => `<img src=x onerror="window.__xss=${n}">`;

/** A v1 permalink made here, as a stranger could: steps and a DDL carrying payloads. */
function link(spec) {
  const json = JSON.stringify({ s: spec, v: 'pipeline' });
  return `#v1.${deflateRawSync(Buffer.from(json)).toString('base64url')}`;
}

async function assertNothingRan(page) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'an injected handler ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'a payload became an element');
}

test('payloads through a permalink, steps, results, errors, mocks and parameters stay text', async () => {
  const steps = [
    { name: 'STEP_1', sql: `SELECT title_id, country_code, SUM(view_hours) AS view_hours FROM some_db.source_table WHERE playback_date = DATE '\${date}' GROUP BY title_id, country_code` },
    { name: 'STEP_2', sql: 'SELECT title_id, country_code, view_hours, RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC) AS title_rank FROM STEP_1' },
    { name: 'STEP_3', sql: `SELECT *, '${payload(1)}' AS note, 1 AS \`${payload(2)}\` FROM STEP_2 WHERE title_rank <= 2` },
  ];
  const context = await app.browser.newContext();
  const page = await context.newPage();
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) csp.push(m.text()); });
  await page.goto(app.server.url + link({ steps, ddl: `-- ${payload(3)}\n` + 'CREATE TABLE t (x INT)' }));
  await waitForRun(page);
  // The cell and the column name are in the result grid, as text.
  const table = page.getByTestId('result-table');
  assert.ok((await table.innerText()).includes(payload(1)));
  assert.ok((await table.locator('thead').innerText()).includes(payload(2)));
  await assertNothingRan(page);

  // An error message that quotes the payload.
  await setCode(page, 'step-STEP_3-sql', `SELECT ${payload(4)} FROM STEP_2`);
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('error-banner').waitFor();
  await assertNothingRan(page);

  // A mock whose column name and cell carry payloads, in YAML and in the grid.
  await page.getByTestId('tab-mocks').click();
  await setCode(page, 'mock-input', `table: t\ncolumns:\n  - {name: "${payload(5).replace(/"/g, '\\"')}", type: STRING}\nrows:\n  - ["${payload(6).replace(/"/g, '\\"')}"]\n`);
  assert.ok((await page.getByTestId('mock-input-findings').innerText()).includes(payload(5)));
  await page.getByTestId('mock-input-as-grid').click();
  assert.ok((await page.getByTestId('mock-input-grid').innerText()).includes(payload(5)));
  await assertNothingRan(page);

  // A parameter's value.
  await page.getByTestId('tab-pipeline').click();
  await page.getByTestId('params').locator('summary').click();
  await page.getByTestId('param-new-name').fill('note');
  await page.getByTestId('param-new-value').fill(payload(7));
  await page.getByTestId('param-add').click();
  await assertNothingRan(page);

  // And the CSP itself refuses an inline script, should one ever get in.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__xss = 99';
    document.body.append(s);
  });
  await assertNothingRan(page);
  assert.ok(csp.length > 0, 'the browser reported the CSP refusal');
  await context.close();
});

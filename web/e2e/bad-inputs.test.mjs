// The bad-input catalogue (tests/bad_inputs.json, also run natively by tests/bad_inputs.rs)
// through the app: each input shows its exact message where the user is looking, nothing
// crashes, and the last good result stays on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { useApp, openApp, waitForRun, code, setCode, root, resultsDir } from './harness.mjs';

const app = useApp();
const catalogue = JSON.parse(await readFile(join(root, 'tests', 'bad_inputs.json'), 'utf8'));

const text = (page, testid) => page.getByTestId(testid).innerText();

async function shows(page, testid, message) {
  await page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.innerText.includes(want),
    [testid, message], { timeout: 30_000 }).catch(() => {});
  const shown = await page.getByTestId(testid).innerText().catch(() => '(nothing shown)');
  assert.ok(shown.includes(message), `expected ${JSON.stringify(message)}\n     shown ${JSON.stringify(shown)}`);
}

/** Drives one entry through the app; `good` holds what to put back afterwards. */
async function enter(page, entry, good) {
  switch (entry.route) {
    case 'step_sql':
    case 'step1_sql': {
      const id = entry.route === 'step_sql' ? 'step-STEP_3-sql' : 'step-STEP_1-sql';
      await setCode(page, id, entry.input);
      await page.keyboard.press('Control+Enter');
      await shows(page, 'error-banner', entry.message);
      await setCode(page, id, good[id]);
      break;
    }
    case 'step_name': {
      const name = page.locator('.step-name').nth(2);
      await name.fill(entry.input);
      await name.dispatchEvent('change');
      await page.getByTestId('run-button').click();
      await shows(page, 'error-banner', entry.message);
      await name.fill('STEP_3');
      await name.dispatchEvent('change');
      break;
    }
    case 'param': {
      await page.getByTestId('params').evaluate((d) => { d.open = true; });
      if (['top_n', 'date', 'TARGET_DB'].includes(entry.name)) {
        const input = page.getByTestId(`param-${entry.name}`);
        await input.fill(entry.input);
        await input.dispatchEvent('change');
        await shows(page, 'error-banner', entry.message);
        await input.fill(good.params[entry.name]);
        await input.dispatchEvent('change');
      } else {
        await page.getByTestId('param-new-name').fill(entry.name);
        await page.getByTestId('param-new-value').fill(entry.input);
        await page.getByTestId('param-add').click();
        await shows(page, 'error-banner', entry.message);
        await page.getByTestId('param-new-name').fill('');
      }
      break;
    }
    case 'ddl':
      await setCode(page, 'ddl', entry.input);
      await page.keyboard.press('Control+Enter');
      await shows(page, 'ddl-error', entry.message);
      await setCode(page, 'ddl', good.ddl);
      break;
    case 'mock_input': {
      await page.getByTestId('tab-mocks').click();
      if (entry.generate_bytes) {
        await page.getByTestId('mock-input').evaluate((el, n) => {
          const view = el.dataflowEditor;
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '#'.repeat(n) } });
        }, entry.generate_bytes);
      } else {
        await setCode(page, 'mock-input', entry.input);
      }
      await shows(page, 'mock-input-findings', entry.message);
      await setCode(page, 'mock-input', good.mock);
      await page.getByTestId('tab-pipeline').click();
      break;
    }
    case 'upload':
    case 'upload_size': {
      const file = join(resultsDir, entry.name);
      await writeFile(file, entry.input);
      if (entry.size) await truncate(file, entry.size);
      await page.getByTestId('import-file').setInputFiles(file);
      await shows(page, 'error-banner', entry.message);
      await unlink(file);
      break;
    }
    case 'permalink': {
      const fragment = entry.json ? entry.input + deflateRawSync(Buffer.from(entry.json)).toString('base64url') : entry.input;
      // Only the fragment differs from the page's address: a reload makes it a fresh visit.
      await page.goto(app.server.url + fragment);
      await page.reload();
      await waitForRun(page);
      await shows(page, 'session-banner', `This link could not be opened: ${entry.message}`);
      break;
    }
    case 'audit_param': {
      await page.getByTestId('tab-workflow').click();
      const input = page.getByTestId(`audit-spec-${entry.audit}-${entry.name}`);
      const before = await input.inputValue();
      await input.fill(entry.input);
      await input.dispatchEvent('change');
      await shows(page, 'audits', entry.message);
      await input.fill(before);
      await input.dispatchEvent('change');
      await page.getByTestId('tab-pipeline').click();
      break;
    }
    case 'template_option': {
      await page.getByTestId('tab-gallery').click();
      if (entry.recipe) await page.getByTestId(`recipe-${entry.recipe}-open`).click();
      const input = page.getByTestId(`opt-${entry.name}`);
      const before = await input.inputValue();
      await input.fill(entry.input);
      await input.dispatchEvent('change');
      await shows(page, 'gallery-error', entry.message);
      await input.fill(before);
      await input.dispatchEvent('change');
      if (entry.recipe) await page.getByTestId('recipe-pyspark-open').click();
      await page.getByTestId('tab-pipeline').click();
      break;
    }
    default:
      throw new Error(`unknown route ${entry.route}`);
  }
}

test(`${catalogue.length} bad inputs: the exact message, no crash, the last good result stays`, async () => {
  const { page, errors } = await openApp(app.browser, app.server.url);
  await waitForRun(page);
  const fingerprint = await text(page, 'fingerprint');
  await page.getByTestId('tab-mocks').click(); // a tab is built when first shown
  const mock = await code(page, 'mock-input');
  await page.getByTestId('tab-pipeline').click();
  const good = {
    'step-STEP_3-sql': await code(page, 'step-STEP_3-sql'),
    'step-STEP_1-sql': await code(page, 'step-STEP_1-sql'),
    ddl: await code(page, 'ddl'),
    mock,
    params: { top_n: '100', date: '2022-01-01', TARGET_DB: await page.getByTestId('param-TARGET_DB').inputValue() },
  };
  const failures = [];
  for (const entry of catalogue) {
    try {
      await enter(page, entry, good);
      // The last good result is still on screen.
      assert.equal(await text(page, 'fingerprint'), fingerprint, 'the last good result changed');
      assert.equal(await page.getByTestId('result-table').locator('tbody tr').count(), 100);
    } catch (e) {
      failures.push(`${entry.id}: ${e.message.split('\n').slice(0, 3).join('\n   ')}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await page.close();
});

// Onboarding lessons: each step is ticked by the app's real state, a lesson has its own link,
// and it can be left and resumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, waitForRun, code, setCode, screenshot } from './harness.mjs';

const app = useApp();

const status = (page, step) => page.getByTestId(`lesson-step-${step}`).getAttribute('data-status');

async function setTopN(page, n) {
  await page.getByTestId('top-n').fill(String(n));
  await page.getByTestId('top-n').dispatchEvent('change');
}

test('lesson 2 by its link: ticked by what the user does, left, and resumed where it was', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.server.url}?lesson=2`);
  await waitForRun(page);
  const panel = page.getByTestId('lesson-panel');
  assert.match(await panel.innerText(), /Lesson 2: Change top-N and see the effect/);
  assert.equal(await status(page, 1), 'current');
  assert.equal(await status(page, 2), 'later');

  // Picking a country first does not count: step 2 waits for step 1.
  await page.getByTestId('country-filter').selectOption('US');
  assert.equal(await status(page, 2), 'later');
  await setTopN(page, 10);
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-1"]')?.dataset.status === 'done');
  await page.getByTestId('country-filter').selectOption('BR');
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-2"]')?.dataset.status === 'done');
  await screenshot(page, 'lesson.png');

  await page.getByTestId('lesson-leave').click();
  await panel.waitFor({ state: 'detached' });
  await page.goto(app.server.url);
  await waitForRun(page);
  assert.equal(await panel.count(), 0, 'a left lesson stays closed');
  await page.getByTestId('tab-learn').click();
  assert.match(await page.getByTestId('lesson-2').innerText(), /2 of 3 done/);
  assert.equal(await page.getByTestId('lesson-2-link').getAttribute('href'), '?lesson=2');
  await page.getByTestId('lesson-2-start').click();
  assert.equal(await status(page, 3), 'current');
  await setTopN(page, 100);
  await page.getByTestId('lesson-finished').waitFor();
  assert.match(await page.getByTestId('lesson-2').innerText(), /3 of 3 done/);
  await context.close();
});

test('lesson 4: a failing unit test, then a fix', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.server.url}?lesson=4`);
  await waitForRun(page);
  await page.getByTestId('tab-mocks').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-1"]')?.dataset.status === 'done');
  await page.getByTestId('run-unit-test').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-2"]')?.dataset.status === 'done');
  const good = await code(page, 'mock-expected');
  await setCode(page, 'mock-expected', good.replace('12.5', '13.5'));
  await page.getByTestId('run-unit-test').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-3"]')?.dataset.status === 'done');
  await page.getByTestId('make-expected').click();
  await page.getByTestId('run-unit-test').click();
  await page.getByTestId('lesson-finished').waitFor();
  await context.close();
});

test('lesson 3: WAP blocks the publish when a blocking audit fails', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.server.url}?lesson=3`);
  await waitForRun(page);
  assert.match(await page.getByTestId('lesson-panel').innerText(), /Lesson 3: Break an audit/);
  await page.getByTestId('tab-workflow').click();
  await page.getByTestId('run-main').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-2"]')?.dataset.status === 'done', null, { timeout: 60_000 });
  await page.getByTestId('audit-spec-2-max').fill('10');
  await page.getByTestId('audit-spec-2-max').dispatchEvent('change');
  await page.getByTestId('run-main').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-3"]')?.dataset.status === 'done', null, { timeout: 60_000 });
  await page.getByTestId('job-audit').click();
  await page.getByTestId('lesson-finished').waitFor();
  await context.close();
});

test('lesson 5: generate and download a template', async () => {
  const context = await app.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${app.server.url}?lesson=5`);
  await waitForRun(page);
  await page.getByTestId('tab-gallery').click();
  await page.getByTestId('file-main.sch.yaml').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step-2"]')?.dataset.status === 'done');
  await Promise.all([page.waitForEvent('download'), page.getByTestId('recipe-scala-zip').click()]);
  await page.getByTestId('lesson-finished').waitFor();
  await page.getByTestId('tab-learn').click();
  assert.equal(await page.locator('.lesson-list > li').count(), 5);
  await context.close();
});

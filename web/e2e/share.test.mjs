// Permalinks and saved work: a link reproduces the run (same fingerprint), edits survive a reload,
// opening a link keeps the user's own work, and Reset asks first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, waitForRun, code, setCode, screenshot } from './harness.mjs';

const app = useApp();

/** A page in `context` (which shares localStorage with its other pages), after its first run. */
async function open(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  await waitForRun(page);
  return { page, errors };
}

async function share(page) {
  await page.getByTestId('share').click();
  await page.getByTestId('share-link').waitFor();
  const link = await page.getByTestId('share-link').inputValue();
  return link;
}

async function closeShare(page) {
  await page.getByTestId('share-popover').getByRole('button', { name: 'Close' }).click();
}

const fingerprint = (page) => page.getByTestId('fingerprint').innerText();

async function setTopN(page, n) {
  await page.getByTestId('top-n').fill(String(n));
  await page.getByTestId('top-n').dispatchEvent('change');
  await page.waitForFunction((want) => document.querySelector('[data-testid="run-status"]')?.textContent.startsWith('Ran ')
    && document.querySelector('[data-testid="top-n"]').value === want, String(n));
  await waitForRun(page);
}

test('a link reproduces the run: same steps, parameters, tab and fingerprint; the default link is short', async () => {
  const a = await app.browser.newContext();
  const { page, errors } = await open(a, app.server.url);
  const sample = await share(page);
  assert.ok(sample.length - app.server.url.length <= 1000, `${sample.length} characters`);
  assert.match(sample, /#v1\./);
  const sampleFingerprint = await fingerprint(page);
  await closeShare(page);

  await setTopN(page, 10);
  await setCode(page, 'step-STEP_1-sql', (await code(page, 'step-STEP_1-sql')).replace('SUM(view_hours)', 'SUM(view_hours) * 2'));
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((old) => document.querySelector('[data-testid="fingerprint"]')?.textContent !== old, sampleFingerprint);
  await page.getByTestId('tab-mocks').click();
  const link = await share(page);
  assert.match(await page.getByTestId('share-status').innerText(), /characters; opening it runs this exact pipeline/);
  const mine = await fingerprint(page);
  await page.getByTestId('share-link').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('share-popover').waitFor({ state: 'detached' });
  assert.notEqual(mine, sampleFingerprint);

  const b = await app.browser.newContext();
  const other = await open(b, link);
  assert.equal(await fingerprint(other.page), mine);
  assert.equal(await other.page.getByTestId('top-n').inputValue(), '10');
  assert.match(await code(other.page, 'step-STEP_1-sql'), /SUM\(view_hours\) \* 2/);
  assert.equal(await other.page.getByTestId('tab-mocks').getAttribute('aria-selected'), 'true');
  assert.equal(new URL(other.page.url()).hash, '', 'the link is read once, then the saved work is the truth');
  await screenshot(other.page, 'opened-link.png');
  assert.deepEqual([...errors, ...other.errors], []);
  await a.close();
  await b.close();
});

test('edits are saved as they happen and come back after a reload; Reset asks first', async () => {
  const context = await app.browser.newContext();
  const { page } = await open(context, app.server.url);
  await setTopN(page, 7);
  await page.getByTestId('tab-mocks').click();
  await page.reload();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '7');
  assert.equal(await page.getByTestId('tab-mocks').getAttribute('aria-selected'), 'true');

  await page.getByTestId('reset').click();
  assert.match(await page.getByTestId('reset-confirm').innerText(), /Replace your pipeline with the sample\?/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByTestId('top-n').inputValue(), '7');
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-yes').click();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '100');
  await page.reload();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '100');
  await context.close();
});

test('opening a link keeps the user\'s own work, and both can be switched between', async () => {
  const sharer = await app.browser.newContext();
  const s = await open(sharer, app.server.url);
  await setTopN(s.page, 10);
  const link = await share(s.page);

  const me = await app.browser.newContext();
  const mine = await open(me, app.server.url);
  await setTopN(mine.page, 3);
  const page = await me.newPage();
  await page.goto(link);
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '10');
  assert.match(await page.getByTestId('session-banner').innerText(), /Your own work was kept, not overwritten/);
  await page.getByTestId('swap-work').click();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '3');
  assert.match(await page.getByTestId('session-banner').innerText(), /Your own work is back/);
  await page.getByTestId('swap-work').click();
  await waitForRun(page);
  assert.equal(await page.getByTestId('top-n').inputValue(), '10');
  await sharer.close();
  await me.close();
});

test('a damaged link says why and opens the saved work; a very long link is made with a warning', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.server.url}#v1.not-a-link`);
  await waitForRun(page);
  assert.match(await page.getByTestId('session-banner').innerText(), /This link could not be opened: permalink: the link is damaged/);
  await page.goto(`${app.server.url}#v7.abc`);
  await page.reload();
  await waitForRun(page);
  assert.match(await page.getByTestId('session-banner').innerText(), /the link is version v7; this app reads v1 links/);

  const noise = Array.from({ length: 4000 }, (_, i) => ((i * 7919) % 100003).toString(36)).join('');
  await page.getByTestId('add-step').click();
  await setCode(page, 'step-STEP_4-sql', `SELECT '${noise}' AS x FROM STEP_3 LIMIT 1`);
  const link = await share(page);
  assert.match(await page.getByTestId('share-long').innerText(), /Some chat tools cut links over 3,800 characters/);
  const other = await app.browser.newContext();
  const opened = await open(other, link);
  assert.match(await code(opened.page, 'step-STEP_4-sql'), new RegExp(noise.slice(0, 50)));
  await context.close();
  await other.close();
});

test('a link carries the pinned baseline: whoever opens it sees the same changes', async () => {
  const sharer = await app.browser.newContext();
  const s = await open(sharer, app.server.url);
  await s.page.getByTestId('pin-baseline').click();
  await setTopN(s.page, 10);
  const headline = (page) => page.getByTestId('change-STEP_3').getByTestId('change-headline').innerText();
  await s.page.getByTestId('change-STEP_3').waitFor({ timeout: 120_000 });
  const shown = await headline(s.page);
  assert.match(shown, /^added 0, removed [\d,]+, changed 0,/);
  const link = await share(s.page);
  assert.match(await s.page.getByTestId('share-status').innerText(), /carries the pinned baseline/);

  const reader = await app.browser.newContext();
  const r = await open(reader, link);
  await r.page.getByTestId('change-STEP_3').waitFor({ timeout: 120_000 });
  assert.equal(await headline(r.page), shown, 'the same before and after');
  assert.equal(await r.page.getByTestId('top-n').inputValue(), '10', 'the link\'s spec is on screen after its baseline');
  assert.equal(await r.page.getByTestId('unpin-baseline').count(), 1, 'the baseline is pinned');
  assert.equal(await fingerprint(r.page), await fingerprint(s.page));
  // Unpinned, the next link is a plain one.
  await r.page.getByTestId('unpin-baseline').click();
  await share(r.page);
  assert.doesNotMatch(await r.page.getByTestId('share-status').innerText(), /baseline/);
  assert.deepEqual([...s.errors, ...r.errors], []);
  await sharer.close();
  await reader.close();
});

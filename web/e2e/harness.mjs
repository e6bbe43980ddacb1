// Shared set-up for the browser tests: a static server over the built app (dist/) on a free
// loopback port, Debian's Chromium through playwright-core, and the native CLI for expected results.
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const dist = resolve(process.env.DIST_DIR ?? join(root, 'dist'));
export const cli = resolve(process.env.DATAFLOW_CLI ?? join(root, 'target', 'debug', 'dataflow'));
export const resultsDir = join(root, 'web', 'test-results');

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

/** Serves dist/ on 127.0.0.1 and a free port; resolves to { url, close, requests }, `requests`
 * being the path of every request the server has answered, in order (what crossed the wire).
 * With `trickle` (a RegExp), a matching file's first bytes go in three pieces of 32, 200 ms
 * apart, before the rest, as a slow link can deliver them. With `alias`, a request's path is
 * first mapped to the file that answers it. `dir` serves another built site than dist/. */
export async function serveDist({ trickle, alias = (path) => path, dir = dist } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    // The app is also served under a sub-path, as GitHub Pages serves it under /REPO/.
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/pages\/dataflow\//, '/');
    requests.push(path);
    const file = normalize(join(dir, path.endsWith('/') ? path + 'index.html' : alias(path)));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      if (trickle?.test(path)) {
        for (let at = 0; at < 96; at += 32) {
          res.write(body.subarray(at, at + 32));
          await new Promise((ok) => setTimeout(ok, 200));
        }
        res.end(body.subarray(96));
      } else {
        res.end(body);
      }
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)), requests };
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the app and collects page errors; the caller asserts there were none. */
export async function openApp(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.getByTestId('result-table').waitFor({ timeout: 120_000 });
  // A split build's page is inert until the rest of the engine is in (web/loader.js): a user
  // waits for it to respond, and so do the tests (their events bypass inert).
  await page.evaluate(() => window.dataflowEngineComplete);
  await editorsCreated(page);
  return { page, errors };
}

/** The native CLI's output for the same pipeline, as { header, rows }. */
export function cliRun(...args) {
  const text = execFileSync(cli, ['run', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const [header, ...rows] = text.trimEnd().split('\n').map((line) => line.split(','));
  return { header, rows };
}

/** The page's result table as { header, rows } of cell texts. */
export async function pageTable(page) {
  const table = page.getByTestId('result-table');
  const header = await table.locator('thead th').allInnerTexts();
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  return { header, rows };
}

/** Re-orders a CLI row into the page's column order. */
export function inPageOrder(cliHeader, pageHeader, row) {
  return pageHeader.map((name) => row[cliHeader.indexOf(name)]);
}

export async function screenshot(page, name) {
  await mkdir(resultsDir, { recursive: true });
  await page.screenshot({ path: join(resultsDir, name), fullPage: false });
}

/** Waits until the run summary says a run finished (not "Running…"). */
export async function waitForRun(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="run-status"]');
    return s && s.textContent.startsWith('Ran ');
  }, null, { timeout: 120_000 });
}

/** Registers the suite's set-up: the static server and the browser, shared by its tests. */
export function useApp() {
  const app = {};
  before(async () => {
    app.server = await serveDist();
    app.browser = await launchBrowser();
    await mkdir(resultsDir, { recursive: true });
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/** The text of the code editor (CodeMirror) with this test id. */
/** Waits for the code editors: the page creates them after its first result (crates/app/src/
 * editor.rs), and shows their text until then. */
export async function editorsCreated(page) {
  await page.waitForFunction(() => !document.querySelector('.code-editor > .code-text'), null, { timeout: 10_000 });
}

export async function code(page, testid) {
  await page.getByTestId(testid).locator('.cm-content').waitFor({ state: 'attached' });
  return page.getByTestId(testid).evaluate((el) => el.dataflowEditor.state.doc.toString());
}

/** Replaces a code editor's text as a user does: click in it, select all, type the new text. */
export async function setCode(page, testid, text) {
  await page.getByTestId(testid).locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

/** The page's steps with RANK() made DENSE_RANK(), written as a `--steps` file; its path. */
export async function denseRankStepsFile(page, name) {
  const steps = [];
  for (const step of ['STEP_1', 'STEP_2', 'STEP_3']) {
    steps.push(`-- step: ${step}\n${await code(page, `step-${step}-sql`)}`);
  }
  const file = join(resultsDir, name);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(file, steps.join('\n').replace('RANK()', 'DENSE_RANK()'));
  return file;
}

/**
 * What the diff views are checked against: the CLI's default output and its output with `args`,
 * keyed by country_code/title_id, and the keys added, removed and changed between them.
 */
export function cliChanges(...args) {
  const keyed = ({ header, rows }) => new Map(rows.map((r) => [`${r[header.indexOf('country_code')]}/${r[header.indexOf('title_id')]}`, r]));
  const base = keyed(cliRun());
  const next = keyed(cliRun(...args));
  return {
    base, next,
    added: [...next.keys()].filter((k) => !base.has(k)).length,
    removed: [...base.keys()].filter((k) => !next.has(k)).length,
    changedKeys: [...next.keys()].filter((k) => base.has(k) && base.get(k).join() !== next.get(k).join()),
  };
}

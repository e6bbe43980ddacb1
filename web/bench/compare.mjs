// Newcomers' first visits to several builds, alternated, on loopback:
//   node web/bench/compare.mjs N DIST_A DIST_B [DIST…]
// This machine's speed changes by a third from one hour to the next, so two builds measured one
// after the other differ by more than most changes do. Here each round opens every build once, in
// a fresh context (empty cache, no service worker), and the medians of N rounds are compared:
// the first result on screen (the first frame that shows it, as web/bench/first_visit.mjs marks
// it), and on the page's timeline (web/loader.js) when the engine's first module was decoded,
// when the app started, and how long its first run took. Files are served as they are, without
// compression (loopback: bytes are free; web/e2e/harness.mjs's server) or a modelled link; for
// those, first_visit.mjs.
import { basename, resolve } from 'node:path';

const [rounds, ...dists] = [Number(process.argv[2]), ...process.argv.slice(3).map((d) => resolve(d))];
if (!(rounds > 0) || dists.length < 2) {
  console.error('usage: node web/bench/compare.mjs ROUNDS DIST_A DIST_B [DIST…]');
  process.exit(2);
}

/** One newcomer's first visit: its times in ms of the page's clock. */
async function firstVisit(browser, url) {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.addInitScript(() => new MutationObserver((_, observer) => {
      if (!document.querySelector('[data-testid="fingerprint"]')) return;
      observer.disconnect();
      requestAnimationFrame(() => performance.mark('bench: first result on screen'));
    }).observe(document, { childList: true, subtree: true }));
    let reloaded = false;
    tab.on('framenavigated', (frame) => { if (frame === tab.mainFrame() && frame.url() !== 'about:blank') reloaded = true; });
    await tab.goto(url);
    reloaded = false;
    await tab.getByTestId('fingerprint').waitFor({ timeout: 120_000 });
    const times = await tab.evaluate(async () => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
      while (at('bench: first result on screen') === undefined) await new Promise((ok) => setTimeout(ok, 10));
      return {
        result: at('bench: first result on screen'),
        decoded: at('dataflow: engine downloaded'),
        started: at('dataflow: app started'),
        run: at('dataflow: first run ended') - at('dataflow: app started'),
      };
    });
    // A split page that reloaded for the rest of the engine restarted its clock: not comparable.
    if (reloaded) throw new Error(`${url} reloaded during its first visit`);
    return times;
  } finally {
    await context.close();
  }
}

process.env.DIST_DIR = dists[0];
const { launchBrowser, serveDist } = await import('../e2e/harness.mjs');
const servers = await Promise.all(dists.map((dir) => serveDist({ dir })));
const browser = await launchBrowser();
const measured = dists.map(() => []);
try {
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) measured[i].push(await firstVisit(browser, server.url));
  }
} finally {
  await browser.close();
  for (const server of servers) server.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '—');
console.log(`Newcomers' first visits on loopback, ${rounds} rounds alternated (medians)`);
console.log('| build | first result | decoded | app started | first run | every first result |');
console.log('|---|---|---|---|---|---|');
for (const [i, dist] of dists.entries()) {
  const column = (key) => measured[i].map((t) => t[key]);
  console.log(`| ${basename(dist)} | ${ms(median(column('result')))} | ${ms(median(column('decoded')))} | ${ms(median(column('started')))} | ${ms(median(column('run')))} | ${column('result').map(Math.round).join(' ')} |`);
}

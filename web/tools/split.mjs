// Splits a built site's engine in two (issue #17): the first module holds what the sample's first
// run calls, the rest everything else, which a newcomer's page loads after its first result.
//   node web/tools/split.mjs DIST   (after `DATAFLOW_KEEP_NAMES=1 trunk build --release`, or a dev
//                                    build, which keeps names; binaryen from scripts/binaryen.sh)
//
// Why: the first result needs about a quarter of the engine's code (and what that calls), so a
// newcomer's first visit waits for 3.0 MB (brotli) instead of 6.4 MB. How, with binaryen's wasm-split:
// 1. instrument the built wasm, serve a copy of the site with it, open it in headless Chromium
//    as a newcomer does, and once the first result is on screen and the page has settled (the
//    worker's start, the lineage graph, saving), ask the module which functions ran (its profile);
// 2. split the built wasm by that profile: the functions that ran stay, and with them what the
//    profile cannot see (below), the others go to the rest, each replaced in the first module by
//    a placeholder import;
// 3. write both brotli-compressed, the unsplit module beside them (for later visits), and give the page's loader (web/loader.js, through FILES) and
//    the app's JS glue what they need to instantiate the rest against the first module's exports.
// The profile is measured on the very module it splits, so it cannot go stale. But which
// functions a visit calls depends also on values no visit can fix: the time a run took, today's
// date, a hash table's random seed and the order it gives. Those values steer mostly the standard
// library's code: a float that Grisu cannot print exactly falls back to Dragon (and its bignums),
// a sort of another order takes another of its paths, and a hash table calls its key's equality
// through a function pointer only when a tag collides. So the first module also keeps (by the
// names the build kept, which the split then drops):
// - every standard-library function that a kept function calls directly, and every function
//   that a standard-library function calls directly (its generic code calls our closures and
//   impls: a fold that compares two of DataFusion's `Expr`s only for some orders), to a fixed
//   point: **the first module never calls into the rest directly from the standard library's
//   code, nor into the standard library's code in the rest**. Not every direct callee of any
//   crate: that closure (every error path of every function that ran) is three times the
//   profile's code;
// - the hash tables' functions (hashbrown: their closures are those function pointers) and
//   everything they reach (the key's equality, called on a collision).
// A call that still reaches the rest reloads the page once the rest is in (web/loader.js).
// SPLIT_PROFILE keeps the profile in a file, or reuses it (to try another rule on one build;
// wasm-split refuses a profile of another module).
// SPLIT_QUALITY sets the brotli quality (11; lower is quicker), SPLIT_MAP a file for the
// placeholders' functions, SPLIT_NAMES=1 keeps the names in both parts (for a readable stack).
// The hosted site is built this way (scripts/build_site.sh), and CI runs the browser suite on a
// split copy of its dev build (scripts/test.sh). What it measured: docs/performance.md.
import { readFile, writeFile, readdir, rm, cp, mkdtemp, unlink } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants } from 'node:zlib';
import { join, dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { withoutNameSection } from './wasm-names.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const binaryen = process.env.BINARYEN ?? join(root, 'scripts', 'binaryen.sh');
// The features rustc and wasm-bindgen use; binaryen's `-all` would write GC types that not every
// engine reads.
const features = ['--enable-reference-types', '--enable-bulk-memory', '--enable-multivalue',
  '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-sign-ext'];
const quality = Number(process.env.SPLIT_QUALITY ?? 11);

const files = await readdir(dist);
const named = (pattern, what) => {
  const found = files.find((f) => pattern.test(f));
  if (!found) throw new Error(`split: no ${what} in ${dist}`);
  return found;
};
const wasm = named(/^dataflow-app-[0-9a-f]+_bg\.wasm$/, 'dataflow-app-*_bg.wasm');
const glue = named(/^dataflow-app-[0-9a-f]+\.js$/, "the app's JS glue");
const loader = named(/^loader-[0-9a-f]+\.js$/, 'loader-*.js');
if (files.some((f) => /^dataflow-app-rest-/.test(f))) throw new Error(`split: ${dist} is split already`);

const brotli = (bytes) => brotliCompressSync(bytes, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: quality,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
  },
});
const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const run = (...args) => execFileSync(binaryen, ['wasm-split', ...features, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
const input = join(dist, wasm);
if (!WebAssembly.Module.customSections(new WebAssembly.Module(await readFile(input)), 'name').length) {
  throw new Error(`split: ${wasm} has no function names: build it with DATAFLOW_KEEP_NAMES=1`);
}

// 1. The profile of a newcomer's first visit.
const work = await mkdtemp(join(tmpdir(), 'dataflow-split-'));
const profile = process.env.SPLIT_PROFILE ? resolve(process.env.SPLIT_PROFILE) : join(work, 'first-visit.prof');
if (!process.env.SPLIT_PROFILE || !existsSync(profile)) {
  const site = join(work, 'site');
  await cp(dist, site, { recursive: true });
  run('--instrument', input, '-o', join(site, wasm));
  await writeFile(join(site, `${wasm}.br`), brotliCompressSync(await readFile(join(site, wasm)), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
  }));
  // Two visits, merged: one on loopback and one through a slow link (10 Mbps, 80 ms), since what
  // the page calls before its first result depends on what has arrived by then.
  const profiles = [];
  for (const link of [null, { mbps: 10, rtt: 80 }]) {
    const path = join(work, `first-visit-${profiles.length}.prof`);
    await writeFile(path, await firstVisitProfile(site, link));
    profiles.push(path);
  }
  run('--merge-profiles', ...profiles, '-o', profile);
}

// 2. The split: what the profile leaves out (binaryen's names, escaped as it writes them), then
// the split itself with what the first module must keep besides.
const profiled = execFileSync(binaryen, ['wasm-split', ...features, `--print-profile=${profile}`, input],
  { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const leftOut = new Set([...profiled.matchAll(/^- (.+)$/gm)].map(([, name]) => name));
if (!leftOut.size) throw new Error('split: wasm-split printed no function the profile leaves out');
const keep = toKeep(leftOut, callGraph(input));
const keepFile = join(work, 'keep.txt');
await writeFile(keepFile, [...keep].join('\n'));
const first = join(work, 'first.wasm');
const rest = join(work, 'rest.wasm');
run('--split', `--profile=${profile}`, input, '-o1', first, '-o2', rest, '--placeholdermap',
  ...(process.env.SPLIT_NAMES ? ['-g'] : []), `--keep-funcs=@${keepFile}`);
const placeholders = (await readFile(`${first}.placeholders`, 'utf8')).split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(':') + 1));
const missed = placeholders.filter((name) => keep.has(name));
if (missed.length) throw new Error(`split: wasm-split left out ${missed.length} functions it was told to keep, such as ${missed[0]}`);
if (process.env.SPLIT_MAP) await cp(`${first}.placeholders`, process.env.SPLIT_MAP);

// 3. The site: the first module under the engine's name, the rest beside it, and the engine
// whole as an unsplit build ships it (names dropped): a page that has both parts keeps it in the
// background, and every later visit starts on it alone (web/loader.js).
const wholeBytes = withoutNameSection(await readFile(input));
const wholeWasm = `dataflow-app-whole-${hash(wholeBytes)}_bg.wasm`;
const wholePacked = brotli(wholeBytes);
await writeFile(join(dist, wholeWasm), wholeBytes);
await writeFile(join(dist, `${wholeWasm}.br`), wholePacked);
const firstBytes = await readFile(first);
const restBytes = await readFile(rest);
const restWasm = `dataflow-app-rest-${hash(restBytes)}_bg.wasm`;
const firstPacked = brotli(firstBytes);
const restPacked = brotli(restBytes);
await writeFile(join(dist, wasm), firstBytes);
await writeFile(join(dist, `${wasm}.br`), firstPacked);
await writeFile(join(dist, restWasm), restBytes);
await writeFile(join(dist, `${restWasm}.br`), restPacked);
await rm(work, { recursive: true, force: true });
console.log(`split: the profile left out ${leftOut.size} functions; ${keep.size} of them are kept besides`);

// The glue imports the placeholders, and lets the loader instantiate the rest before the app
// starts (`dataflowBeforeStart`, web/loader.js and web/worker.js). Renamed: hashed names never
// change content.
let glueSource = await readFile(join(dist, glue), 'utf8');
const patch = (from, to) => {
  if (!glueSource.includes(from)) throw new Error(`split: the glue has no \`${from.trim()}\` (a new wasm-bindgen?)`);
  glueSource = glueSource.replace(from, to);
};
patch('function __wbg_get_imports() {', `function __wbg_get_imports() {
    return { ...__wbg_get_imports_whole(), placeholder: globalThis.dataflowPlaceholders };
}
function __wbg_get_imports_whole() {`);
patch(`    wasm.__wbindgen_start();
    return wasm;`, `    const start = () => { wasm.__wbindgen_start(); return wasm; };
    return globalThis.dataflowBeforeStart ? globalThis.dataflowBeforeStart(wasm).then(start) : start();`);
const newGlue = `dataflow-app-${hash(glueSource)}.js`;
await writeFile(join(dist, newGlue), glueSource);
await unlink(join(dist, glue));

// The loader learns the rest's files; renamed for the same reason.
let loaderSource = await readFile(join(dist, loader), 'utf8');
const FILES = JSON.parse(loaderSource.match(/^const FILES = (\{.*\});$/m)[1]);
Object.assign(FILES, {
  glue: `./${newGlue}`,
  brotliBytes: firstPacked.length,
  rest: `./${restWasm}.br`,
  restWasm: `./${restWasm}`,
  restBrotliBytes: restPacked.length,
  whole: `./${wholeWasm}.br`,
  wholeWasm: `./${wholeWasm}`,
  wholeBrotliBytes: wholePacked.length,
});
loaderSource = loaderSource.replace(/^const FILES = \{.*\};$/m, `const FILES = ${JSON.stringify(FILES)};`);
const newLoader = `loader-${hash(loaderSource)}.js`;
await writeFile(join(dist, newLoader), loaderSource);
await unlink(join(dist, loader));

let html = await readFile(join(dist, 'index.html'), 'utf8');
// Trunk's modulepreload of the glue carries its integrity digest.
const integrity = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
html = html.replace(new RegExp(`(href="\\./${glue.replaceAll('.', '\\.')}"[^>]*integrity=")[^"]*"`), `$1${integrity(glueSource)}"`);
for (const [from, to] of [[glue, newGlue], [loader, newLoader]]) {
  if (!html.includes(from)) throw new Error(`split: index.html does not name ${from}`);
  html = html.replaceAll(from, to);
}
html = html.replace(/data-engine-wasm="([^"]+)"/, `data-engine-wasm="$1" data-engine-rest-wasm="./${restWasm}" data-engine-whole-wasm="./${wholeWasm}"`);
await writeFile(join(dist, 'index.html'), html);
const mb = (n) => (n / 1e6).toFixed(2);
console.log(`split: ${wasm}: first module ${mb(firstBytes.length)} MB (${mb(firstPacked.length)} MB brotli), ` +
  `rest ${mb(restBytes.length)} MB (${mb(restPacked.length)} MB brotli), whole ${mb(wholeBytes.length)} MB (${mb(wholePacked.length)} MB brotli)`);

/** The profile that the instrumented site's module writes after a newcomer's first visit. */
async function firstVisitProfile(siteDir, link) {
  process.env.DIST_DIR = siteDir;
  const { serveDist, launchBrowser } = await import('../e2e/harness.mjs');
  const server = await serveDist();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      addEventListener('TrunkApplicationStarted', (e) => { window.dataflowExports = e.detail.wasm; });
      // As in a split build, the app waits for the whole engine before it starts its worker
      // (crates/app/src/worker/mod.rs, `prewarm`): the code that waits must be in the profile.
      // (here it comes after the first result, as the rest does on a slow link),
      window.dataflowEngineComplete = new Promise((ok) => { window.dataflowCompleteNow = ok; });
      // and the page is inert until then (web/loader.js).
      addEventListener('DOMContentLoaded', () => { document.body.inert = true; });
      window.dataflowEngineComplete.then(() => { document.body.inert = false; });
    });
    const page = await context.newPage();
    if (link) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: link.rtt, downloadThroughput: (link.mbps * 1e6) / 8, uploadThroughput: (link.mbps * 1e6) / 8,
      });
    }
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.getByTestId('fingerprint').waitFor({ timeout: 300_000 });
    // What the page does after its first result and before the rest is in (the lineage graph
    // and the saved work follow the run), then once it is in (the worker starts a second later).
    await page.waitForTimeout(link ? 6000 : 2000);
    await page.evaluate(() => window.dataflowCompleteNow());
    await page.waitForTimeout(4000);
    if (errors.length) throw new Error(`split: the instrumented page failed: ${errors.join('; ')}`);
    const bytes = await page.evaluate(() => {
      const w = window.dataflowExports;
      const size = 1 << 22;
      const at = w.__wbindgen_malloc(size, 1);
      const length = w.__write_profile(at, size);
      return Array.from(new Uint8Array(w.memory.buffer, at, length));
    });
    return Buffer.from(bytes);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The direct calls between the module's functions, by binaryen's names: caller → callees. */
function callGraph(module) {
  const dot = execFileSync(binaryen, ['wasm-opt', ...features, '--print-call-graph', module],
    { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const calls = new Map();
  for (const [, from, to] of dot.matchAll(/^ {2}"(.+)" -> "(.+)"; \/\/ call$/gm)) {
    if (!calls.has(from)) calls.set(from, new Set());
    calls.get(from).add(to);
  }
  if (!calls.size) throw new Error('split: wasm-opt printed no call graph');
  return calls;
}

/** Of the functions the profile left out, those the first module keeps besides (see the top). */
function toKeep(leftOut, calls) {
  const unescape = (name) => name.replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  // The standard library's own code (a drop of one of its types, not of another crate's), and its
  // impls for any type (`<T as alloc::string::ToString>::to_string`). Its crates, built before
  // ours, may carry their disambiguator: `core[c5930c85a12de822]::`.
  const crate = (names) => `(${names})(\\[[0-9a-f]+\\])?::`;
  const stdCode = new RegExp(`^(<?&?(mut )?${crate('core|alloc|std|hashbrown|compiler_builtins|dlmalloc')}(?!ptr::drop_in_place(::)?<(?!${crate('core|alloc|std')}))|<(T|\\[T\\]|&T|&mut T) as ${crate('core|alloc|std')})`);
  const hashTable = new RegExp(`^<?${crate('hashbrown')}`);
  const std = (name) => stdCode.test(unescape(name));
  for (const [what, test] of [['the standard library', std], ['hashbrown', (n) => hashTable.test(unescape(n))]]) {
    if (![...leftOut].some(test)) throw new Error(`split: no function the profile leaves out is ${what}'s: are its names written otherwise?`);
  }
  // Whose every direct callee is kept: the standard library's functions (their generic code
  // calls the caller's closures and impls: a fold that compares two of DataFusion's `Expr`s only
  // for some orders), and a hash table's functions and all they reach (the key's equality, on a
  // collision). Any other kept function keeps only the standard library's functions it calls.
  const wide = new Set([...calls.keys(), ...leftOut].filter((name) => hashTable.test(unescape(name))));
  const keep = new Set([...leftOut].filter((name) => wide.has(name)));
  let frontier = [...calls.keys()].filter((name) => !leftOut.has(name)).concat([...keep]);
  while (frontier.length) {
    const next = [];
    for (const caller of frontier) {
      const widens = wide.has(caller);
      const callsAnything = std(caller);
      for (const callee of calls.get(caller) ?? []) {
        if (!leftOut.has(callee)) continue;
        if (widens) {
          // (a left-out function in `wide` is kept already)
          if (wide.has(callee)) continue;
          wide.add(callee);
        } else if (keep.has(callee) || !(callsAnything || std(callee))) continue;
        keep.add(callee);
        next.push(callee);
      }
    }
    frontier = next;
  }
  return keep;
}

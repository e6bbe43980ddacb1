// The page's loader: it takes the place of the script Trunk writes (web/tools/post-build.mjs
// copies this file as loader-<hash>.js, with this build's file names in FILES). It marks its
// milestones on the page's performance timeline (`dataflow: …`; web/bench/first_visit.mjs
// prints them with BENCH_LOG=1).
//
// Why it exists (issue #17): the engine's wasm is about 10 MB gzip-compressed but 6 MB
// brotli-compressed, and static hosts such as GitHub Pages compress with gzip only. So the build
// ships the wasm brotli-compressed as an opaque file (`…_bg.wasm.br`, which no host compresses
// again) and this loader decodes it as the bytes arrive, with the small decoder module of
// crates/unbrotli, feeding the engine's streaming compile: the download, the decoding and the
// compile overlap. A host that decoded the file itself (it served it with `Content-Encoding: br`)
// hands over plain wasm, which goes through untouched.
//
// The decoded module is kept in the service worker's cache under the plain wasm's address, so a
// repeat visit compiles it from disk with neither download nor decoding, and the service worker
// never downloads the engine a second time (web/sw.js leaves the engine to this loader); an
// older build's module is dropped from the cache when a newer one is kept.
//
// While it loads, the first screen (#boot in index.html: the sample's steps, and a progress bar)
// says how far the download is; the app replaces it when it starts. A failure is said there too.
const FILES = /* FILES */ {};
// The service worker's cache (web/sw.js).
const CACHE = 'dataflow-playground-v1';

const boot = document.getElementById('boot');
/** The keys the app keeps in localStorage (crates/app/src/persist.rs: saved or kept-aside work,
 * lessons), or null where the page has no storage. */
function keptKeys() {
  try {
    return Object.keys(localStorage).filter((key) => key.startsWith('dataflow-playground.'));
  } catch {
    return null;
  }
}
const storedKeys = keptKeys();
// The first screen shows the sample's steps; a page that opens a link (the URL's fragment) or
// the user's saved work shows what it opens once the app starts.
if (location.hash || storedKeys?.includes('dataflow-playground.work')) document.getElementById('boot-steps')?.remove();
const bar = document.getElementById('boot-progress');
const said = document.getElementById('boot-status');

function say(text) {
  if (said) said.textContent = text;
}

function progress(received, total) {
  const share = Math.min(1, received / total);
  if (bar) bar.value = share;
  say(`Downloading the query engine: ${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`);
}

async function openCache() {
  try {
    return 'caches' in self ? await caches.open(CACHE) : null;
  } catch {
    return null; // storage refused (private mode, quota): load without keeping
  }
}

const isWasm = (bytes) => bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;

/** Why the engine's download or decoding failed, if it did. */
let downloadError = null;

/** A brotli decoder (crates/unbrotli). */
async function decoder() {
  const glue = await import(FILES.unbrotliGlue);
  await glue.default({ module_or_path: FILES.unbrotliWasm });
  return new glue.Decoder();
}

/** Cache entries of older builds' copies of a module named like `pattern`, except `keep`. */
async function dropOlder(cache, keep, pattern) {
  for (const request of await cache.keys()) {
    if (request.url !== keep && pattern.test(request.url)) await cache.delete(request);
  }
}

/** One wasm module as a Response that streams while it downloads and decodes: `plain` is its
 * address once decoded (the key it is kept under), `brotli` the file that is downloaded (or its
 * download and decoder `started` already, without asking the cache). A
 * module loaded in the `background` gives the page's thread back between chunks. The promise
 * `kept` (returned beside the response) says when the module is on disk. */
async function decodedWasm({ plain, brotli, older, onBytes, background, started }) {
  const address = new URL(plain, location.href).href;
  const opening = openCache(); // awaited only where the answer is needed first
  const found = started ? undefined : await (await opening)?.match(address).catch(() => undefined);
  if (found) return { response: found, kept: Promise.resolve(true), fromCache: true };
  const pending = started?.decoder ?? decoder();
  pending.catch(() => {}); // a decoder that fails to load is reported when it is needed
  let response;
  try {
    response = await (started?.response ?? fetch(brotli));
  } catch (offline) {
    // A download started without asking the cache: the module may be there all the same.
    const kept = started && await (await opening)?.match(address).catch(() => undefined);
    if (kept) return { response: kept, kept: Promise.resolve(true), fromCache: true };
    throw offline;
  }
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} for ${brotli}`);
  const reader = response.body.getReader();
  let received = 0;
  let head = new Uint8Array(0);
  let decode = null;
  // One pull enqueues at least one chunk (or ends the stream): a stream whose pull returns with
  // nothing queued is not pulled again, and a brotli chunk can decode to nothing (a header, or
  // part of a block), so it reads on until there are bytes to hand over.
  async function next(controller) {
    for (;;) {
      // Decoding takes the page's thread: in the background it gives it back between chunks.
      if (background) await (globalThis.scheduler?.yield?.() ?? new Promise((ok) => setTimeout(ok)));
      const { done, value } = await reader.read();
      if (done) {
        if (!decode?.finished()) throw new Error(`the download of ${brotli} stopped early`);
        onBytes(received, true);
        controller.close();
        return;
      }
      received += value.length;
      onBytes(received, false);
      let input = value;
      if (!decode) {
        // The first four bytes say which: wasm's magic number, or brotli.
        input = head.length ? new Uint8Array([...head, ...value]) : value;
        if (input.length < 4) {
          head = input;
          continue;
        }
        decode = isWasm(input) ? { push: (bytes) => bytes, finished: () => true } : await pending;
      }
      const bytes = decode.push(input);
      if (bytes.length) {
        controller.enqueue(bytes);
        return;
      }
    }
  }
  const decoded = new ReadableStream({
    pull: (controller) => next(controller).catch((error) => {
      // The compile that reads this stream reports only that the stream failed: say why.
      downloadError ??= error;
      throw error;
    }),
    cancel: (reason) => reader.cancel(reason),
  });
  const headers = { 'content-type': 'application/wasm' };
  const [forEngine, forCache] = decoded.tee();
  // A full disk costs the next visit only. An older build's module (tens of MB) leaves the cache.
  // Without a cache the copy is dropped (a branch nobody reads would hold every byte).
  const kept = opening.then(async (cache) => {
    if (!cache) return forCache.cancel().then(() => false);
    await cache.put(address, new Response(forCache, { headers }));
    await dropOlder(cache, address, older);
    return true;
  }).catch(() => false);
  return { response: new Response(forEngine, { headers }), kept, fromCache: false };
}

/** The engine's wasm as a streaming Response: in a split build, its first part on a newcomer's
 * first visit (downloaded at once: `earlyStart`) and the whole engine on any other. */
async function engineWasm() {
  if (FILES.whole && !firstVisit) {
    const kept = await keptWhole();
    if (kept) {
      performance.mark('dataflow: whole engine from disk');
      say('Starting the query engine');
      return startsWhole(kept, Promise.resolve(true));
    }
    // Any visit but a newcomer's first waits for the whole engine before it starts: it downloads
    // it in one module (6.3 MB) rather than in two parts (6.6 MB, and the rest to instantiate),
    // unless both parts are on disk already.
    if (!((await onDisk(FILES.wasm)) && (await onDisk(FILES.restWasm)))) {
      const { response, kept } = await decodedWasm({
        plain: FILES.wholeWasm,
        brotli: FILES.whole,
        older: WHOLE,
        onBytes: (received, done) => downloaded(received, done, FILES.wholeBrotliBytes),
      });
      return startsWhole(response, kept.then(dropParts));
    }
  }
  const { response, kept, fromCache } = await decodedWasm({
    plain: FILES.wasm,
    brotli: FILES.brotli,
    started: earlyStart,
    older: /\/dataflow-app-[0-9a-f]+_bg\.wasm$/,
    onBytes: (received, done) => {
      downloaded(received, done, FILES.brotliBytes);
      if (!done) return;
      // The rest downloads after the first part (when its gate opens): they do not share the link.
      if (FILES.rest) restCompiled().catch(() => {});
    },
  });
  if (fromCache) {
    say('Starting the query engine');
    if (FILES.rest) restCompiled().catch(() => {});
  }
  // `dataflowEngineKept` says when the engine is on disk (the offline tests wait for it).
  window.dataflowEngineKept = FILES.rest
    ? Promise.all([kept, restKept, wholeKept]).then((all) => all.every(Boolean))
    : kept;
  return response;
}

function downloaded(received, done, total) {
  if (!done) return progress(received, total);
  performance.mark('dataflow: engine downloaded');
  say('Starting the query engine');
}

/** The whole engine's `response`, for a page that starts on it; `kept` says when it is on disk. */
function startsWhole(response, kept) {
  wholeEngine = true;
  window.dataflowEngineKept = kept;
  return response;
}

// A split build (web/tools/split.mjs) ships the engine in two modules: the first holds what the
// sample's first run calls, the rest everything else. Until the rest is instantiated, a call into
// it lands on a placeholder (an import of the first module): the page is inert meanwhile, and a
// placeholder that is reached anyway reloads the page once the rest is in (both parts then come
// from the cache). In an unsplit build FILES.rest is absent and none of this happens.
//
// Only a newcomer's first visit starts on the parts. Once such a page has both in and on disk, it
// keeps the engine whole (FILES.whole: the unsplit module, downloaded and decoded in the
// background, 6.3 MB) and drops the parts: every later visit starts on that one module
// (`wholeEngine`), with no placeholders, nothing to instantiate before the app starts, and,
// fetched through the service worker, V8's compiled code kept beside it (keptWhole).
const WHOLE = /\/dataflow-app-whole-[0-9a-f]+_bg\.wasm$/;
let wholeEngine = false;
let wholeKeptNow;
const wholeKept = new Promise((ok) => { wholeKeptNow = ok; });
let restKeptNow;
const restKept = new Promise((ok) => { restKeptNow = ok; });
let placeholderHit = false;
// On a newcomer's first visit the rest is downloaded, decoded and compiled only once the first run
// has ended (crates/app/src/state.rs calls `dataflowRunEnded`; the delay lets its result paint):
// the first result then has the link and the page's thread to itself. Any visit but a first one
// ever (`firstVisit`), one that finds the rest on disk, and a placeholder that is reached open
// this gate at once; 5 s after the first module started, it opens anyway.
let openRestGate;
const restGate = new Promise((ok) => { openRestGate = ok; });
// A first visit ever: no link, no lesson (`?lesson=N`), and nothing the app keeps (no storage:
// not known, so not one), in a tab that has not reloaded for the rest already. Only such a
// visit is what the split's profile saw, so only it starts before the rest is in.
const RELOADED = 'dataflow-playground.reloaded-for-rest';
const reloadedForRest = (() => {
  try {
    return sessionStorage.getItem(RELOADED) !== null;
  } catch {
    return false;
  }
})();
const firstVisit = !location.hash && !location.search && storedKeys?.length === 0 && !reloadedForRest;
if (!firstVisit) openRestGate();
let runEnded = false;
globalThis.dataflowRunEnded = () => {
  if (runEnded) return;
  runEnded = true;
  performance.mark('dataflow: first run ended');
  setTimeout(openRestGate, 100);
  setTimeout(registerServiceWorker, 100);
};

// The service worker (web/sw.js) lets later visits start from disk and the page work offline.
// Its install fetches the page and every file it names once more and writes them to Cache
// Storage: work on the browser's other threads which, registered as the app started, took
// about 0.1 s from the first run on a two-core machine (docs/performance.md). So it is registered
// once the first run's result has painted, or 5 s after the loader started if no run ended by
// then; not on the bench page (web/bench/run.mjs), which measures the engine alone. A refusal
// (no service worker on an insecure origin or in some private modes) is not the user's error:
// the page just does not work offline.
let registration;
function registerServiceWorker() {
  if (registration || !('serviceWorker' in navigator) || document.body?.hasAttribute('data-bench')) return;
  // Relative to the page, so the app works from any sub-path (GitHub Pages).
  registration = navigator.serviceWorker.register('sw.js').catch((error) => {
    console.warn(`offline use is off: ${error.message ?? error}`);
  });
}
setTimeout(registerServiceWorker, 5000);

/** Whether a service worker controls the page, waiting up to `ms` for the one registered on this
 * visit to install and claim it. */
async function controlled(ms) {
  if (navigator.serviceWorker?.controller) return true;
  registerServiceWorker();
  if (!registration || !(await registration)) return false;
  return new Promise((done) => {
    const timer = setTimeout(() => done(navigator.serviceWorker.controller !== null), ms);
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      clearTimeout(timer);
      done(true);
    }, { once: true });
    if (navigator.serviceWorker.controller) done(true);
  });
}
const restStatus = document.createElement('p');
restStatus.className = 'engine-rest';
restStatus.setAttribute('role', 'status');

if (FILES.rest) {
  globalThis.dataflowPlaceholders = new Proxy({}, {
    get: (_, index) => () => {
      placeholderHit = true;
      openRestGate();
      const error = new Error(`the rest of the query engine is not loaded yet (function ${String(index)})`);
      // The stack says which code the profiled first visit missed (web/tools/split.mjs).
      console.warn(error.stack);
      throw error;
    },
  });
  // The compiled rest, for the engine's worker (crates/app/src/worker/client.rs posts it), and a
  // promise that says when it is instantiated on this page.
  let completed;
  window.dataflowEngineComplete = new Promise((ok) => { completed = ok; });
  globalThis.dataflowBeforeStart = async (exports) => {
    if (wholeEngine) {
      performance.mark('dataflow: whole engine in');
      completed(true);
      return;
    }
    const attach = restCompiled().then(async (module) => {
      await WebAssembly.instantiate(module, { primary: exports });
      window.dataflowEngineRest = module;
      performance.mark('dataflow: whole engine in');
      completed(true);
    });
    Promise.all([attach, restKept]).then(keepWhole, () => false).then(wholeKeptNow, () => wholeKeptNow(false));
    // A first visit ever starts at once and loads the rest after its first run; any other visit
    // (a link, saved or kept-aside work, lessons), or one that finds the rest on disk, waits for
    // the whole engine.
    if (!firstVisit || (await onDisk(FILES.restWasm))) {
      openRestGate(); // open already unless the rest is on disk
      return attach;
    }
    // Inert, the page ignores every click: say so at once, and dim the controls (web/styles.css).
    document.body.inert = true;
    // A first run that never ends (or a page that runs nothing) must not hold the page inert.
    setTimeout(openRestGate, 5000);
    restStatus.textContent = 'The rest of the query engine loads after the first result: the page responds once it is in';
    document.documentElement.append(restStatus);
    attach.then(() => {
      if (placeholderHit) {
        // Once the rest is on disk, so that the reloaded page finds it and waits for it; and the
        // tab remembers, so that a page without Cache Storage does not reload again and again.
        restStatus.textContent = 'The page needed the rest of the query engine before it arrived: reloading';
        try {
          sessionStorage.setItem(RELOADED, '1');
        } catch {
          // no storage: the reloaded page finds the rest on disk, or it has no cache to reload from
        }
        restKept.then(() => location.reload());
        return;
      }
      restStatus.remove();
      document.body.inert = false;
    }, (error) => {
      console.error(error);
      restStatus.textContent = `The rest of the query engine could not be loaded (${error.message ?? error}). Reload the page to try again.`;
      document.documentElement.append(restStatus);
    });
  };
}


/** The module kept under the address `plain`, as `cache.match` gives it, or undefined. */
async function onDisk(plain) {
  return (await openCache())?.match(new URL(plain, location.href).href).catch(() => undefined);
}

/** The whole engine as an earlier visit kept it (keepWhole), or null. Through the service worker
 * where one controls the page (it answers from the same cache): V8 keeps its compiled code only
 * beside a Response that came from Cache Storage with its address, which `cache.match` in the
 * page does not give (it has none). A visit that runs on it so leaves its optimised code for the
 * next: measured in docs/performance.md. */
async function keptWhole() {
  const found = await onDisk(FILES.wholeWasm);
  if (!found) return null;
  if (navigator.serviceWorker?.controller) {
    const served = await fetch(FILES.wholeWasm).catch(() => undefined);
    if (served?.ok) return served;
  }
  return found;
}

/** After a visit that has both parts in and on disk (`partsKept`), keeps the whole engine for the
 * next visits and drops the parts; says whether the engine is kept. Where the user asked the
 * browser to save data, the parts stay what later visits start on. */
async function keepWhole([, partsKept]) {
  if (!partsKept || navigator.connection?.saveData) return partsKept;
  const { response, kept } = await decodedWasm({
    plain: FILES.wholeWasm,
    brotli: FILES.whole,
    older: WHOLE,
    background: true,
    onBytes: () => {},
  });
  // Nothing compiles it now: the cache's copy is the one wanted.
  await response.body?.pipeTo(new WritableStream());
  const dropped = await dropParts(await kept);
  // Whether a worker ran the sample on it (web/bench's repeat visit waits for it); set before
  // `dataflowEngineKept` says the engine is kept.
  if (dropped) {
    window.dataflowEngineWarm = warmUpWhole().catch((error) => {
      console.warn(`the engine's warm-up failed: ${error.message ?? error}`);
      return false;
    });
  }
  return dropped;
}

/** V8 keeps a module's optimised code beside it for the next visit only where it was compiled
 * from Cache Storage with its address (through the service worker) and enough of it ran hot
 * (crates/app/src/warm_up.rs). This visit ran on the parts, so the whole engine it kept is
 * compiled the next visit's way and a worker runs the sample on it once, then ends; the page
 * holds the module for a while after, since V8 writes the code a little after it optimised it.
 * Says whether the worker ran it. */
async function warmUpWhole() {
  const link = document.querySelector('link[data-engine-worker]');
  // One core: the worker would take the thread of the page the user is in, for a second or so.
  if (!(navigator.hardwareConcurrency > 1) || !link?.dataset.glue || !(await controlled(10_000))) return false;
  const served = await fetch(FILES.wholeWasm);
  if (!served.ok) return false;
  const module = await WebAssembly.compileStreaming(served);
  // Its own address (the service worker answers it from the same file): not the engine's worker.
  const worker = new Worker(`${link.href}?warm-up`, { type: 'module' });
  let timer;
  const ran = await new Promise((done) => {
    worker.onmessage = ({ data }) => {
      if (!data?.warmedUp) return;
      // Only the next visit is slower for a warm-up that stopped: said, not shown.
      if (data.failed) console.warn(`the engine's warm-up stopped: ${data.failed}`);
      done(!data.failed);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      console.warn(`the engine's warm-up failed: ${event.message ?? 'its script did not load'}`);
      done(false);
    };
    timer = setTimeout(() => {
      console.warn("the engine's warm-up did not end in 60 s: ended");
      done(false);
    }, 60_000);
    worker.postMessage({ module, glue: new URL(link.dataset.glue, location.href).href, warmUp: true });
  });
  clearTimeout(timer);
  worker.terminate();
  if (ran) performance.mark('dataflow: warmed up');
  setTimeout(() => module, 10_000); // held until V8 has written its code
  return ran;
}

/** Once the whole engine is `kept`, the parts leave the cache (no later visit starts on them). */
async function dropParts(kept) {
  if (!kept) return false;
  const cache = await openCache();
  for (const part of [FILES.wasm, FILES.restWasm]) await cache?.delete(new URL(part, location.href).href).catch(() => false);
  return true;
}

let restPromise = null;
/** The rest of a split engine, compiled (downloaded once, after the first part, once the gate is
 * open). */
function restCompiled() {
  restPromise ??= (async () => {
    await restGate;
    const { response, kept } = await decodedWasm({
      plain: FILES.restWasm,
      brotli: FILES.rest,
      older: /\/dataflow-app-rest-[0-9a-f]+_bg\.wasm$/,
      background: true,
      onBytes: (received, done) => {
        restStatus.textContent = done ? 'Starting the rest of the query engine: the page responds in a moment'
          : `Loading the rest of the query engine: ${(received / 1e6).toFixed(1)} of ${(FILES.restBrotliBytes / 1e6).toFixed(1)} MB; the page responds once it is in`;
      },
    });
    kept.then(restKeptNow);
    return WebAssembly.compileStreaming(response);
  })();
  restPromise.catch(() => restKeptNow(false));
  return restPromise;
}

function failed(error) {
  error = downloadError ?? error;
  console.error(error);
  boot?.classList.add('failed');
  say(`The query engine could not be loaded (${error.message ?? error}). Reload the page to try again.`);
}

// A newcomer's first visit has nothing on disk, and Cache Storage's first answers in a new
// profile take 100-150 ms: the engine's download (its first part) and its decoder start at once,
// without asking the cache (a page that kept nothing of its own is a first visit: at worst it
// downloads again what a visit that saved no work kept).
const earlyStart = firstVisit ? { decoder: decoder(), response: fetch(FILES.brotli) } : null;
earlyStart?.response.catch(() => {}); // reported by decodedWasm, which awaits it
earlyStart?.decoder.catch(() => {});

try {
  const engine = engineWasm(); // its download need not wait for the glue
  engine.catch(() => {}); // reported by the compile that reads it
  const app = await import(FILES.glue);
  const wasm = await app.default({ module_or_path: engine });
  window.wasmBindings = app;
  boot?.remove();
  performance.mark('dataflow: app started');
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  failed(error);
}

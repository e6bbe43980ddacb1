// The page's loader: it takes the place of the script Trunk writes (web/tools/post-build.mjs
// copies this file as loader-<hash>.js, with this build's file names in FILES).
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
// The first screen shows the sample's steps; a page that opens a link (the URL's fragment) or
// the user's saved work (crates/app/src/persist.rs) shows what it opens once the app starts.
function opensSample() {
  try {
    return !location.hash && localStorage.getItem('dataflow-playground.work') === null;
  } catch {
    return true; // no storage: nothing saved either
  }
}
if (!opensSample()) document.getElementById('boot-steps')?.remove();
const bar = document.getElementById('boot-progress');
const said = document.getElementById('boot-status');

function say(text) {
  if (said) said.textContent = text;
}

function progress(received) {
  const share = Math.min(1, received / FILES.brotliBytes);
  if (bar) bar.value = share;
  say(`Downloading the query engine: ${(received / 1e6).toFixed(1)} of ${(FILES.brotliBytes / 1e6).toFixed(1)} MB`);
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

/** The engine's wasm as a Response that streams while it downloads and decodes. */
async function engineWasm() {
  const address = new URL(FILES.wasm, location.href).href;
  const cache = await openCache();
  const kept = await cache?.match(address).catch(() => undefined);
  if (kept) {
    window.dataflowEngineKept = Promise.resolve(true);
    say('Starting the query engine');
    return kept;
  }
  const pending = decoder();
  pending.catch(() => {}); // a decoder that fails to load is reported when it is needed
  const response = await fetch(FILES.brotli);
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} for ${FILES.brotli}`);
  const reader = response.body.getReader();
  let received = 0;
  let head = new Uint8Array(0);
  let decode = null;
  // One pull enqueues at least one chunk (or ends the stream): a stream whose pull returns with
  // nothing queued is not pulled again, and a brotli chunk can decode to nothing (a header, or
  // part of a block), so it reads on until there are bytes to hand over.
  async function next(controller) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (!decode?.finished()) throw new Error(`the download of ${FILES.brotli} stopped early`);
        say('Starting the query engine');
        controller.close();
        return;
      }
      received += value.length;
      progress(received);
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
  if (!cache) {
    window.dataflowEngineKept = Promise.resolve(false);
    return new Response(decoded, { headers });
  }
  const [forEngine, forCache] = decoded.tee();
  // A full disk costs the next visit only. An older build's engine (tens of MB) leaves the cache.
  // `dataflowEngineKept` says when the module is on disk (the offline tests wait for it).
  window.dataflowEngineKept = cache.put(address, new Response(forCache, { headers }))
    .then(async () => {
      for (const request of await cache.keys()) {
        if (request.url !== address && /\/dataflow-app-[0-9a-f]+_bg\.wasm$/.test(request.url)) await cache.delete(request);
      }
      return true;
    })
    .catch(() => false);
  return new Response(forEngine, { headers });
}

function failed(error) {
  error = downloadError ?? error;
  console.error(error);
  boot?.classList.add('failed');
  say(`The query engine could not be loaded (${error.message ?? error}). Reload the page to try again.`);
}

try {
  const app = await import(FILES.glue);
  const wasm = await app.default({ module_or_path: engineWasm() });
  window.wasmBindings = app;
  boot?.remove();
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  failed(error);
}

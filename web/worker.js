// The engine's worker (crates/app/src/worker/): the page's own wasm module runs big pipelines
// here, so the page's thread stays free. web/tools/post-build.mjs copies this file as
// engine-worker-<hash>.js and names it, and the app's JS glue, in index.html.
//
// The page's first message is { module, glue, rest, warmUp }: the module it compiled (no second
// download or compile), the address of the glue that instantiates it, in a split build the rest of
// the engine, compiled, and whether the worker only runs the sample once and says when it is done
// (`warmedUp`: web/loader.js's warmUpWhole). Starting the module posts the
// worker's `Ready` (crates/app/src/worker/host.rs); every later message goes to worker_message,
// in order, the ones that came early included. What they say is the app's business
// (crates/app/src/worker/protocol.rs), not this file's. A start that fails is thrown again as an
// uncaught error, which the page sees as the worker's `error` event.
let deliver = null;
let early = null;
self.onmessage = ({ data }) => {
  if (deliver) return deliver(data);
  if (early) return early.push(data);
  early = [];
  start(data).catch((error) => setTimeout(() => { throw error; }));
};

async function start({ module, glue, rest, warmUp }) {
  if (warmUp) {
    // Asked to run the sample once for V8 (crates/app/src/warm_up.rs), which then says so here.
    self.dataflowWarmUp = true;
    self.dataflowWarmedUp = (failed) => self.postMessage({ warmedUp: true, failed: failed && String(failed) });
  }
  if (rest) {
    // A split build (web/loader.js, web/tools/split.mjs): the rest of the engine is instantiated
    // before the app starts here, so no placeholder is ever called in the worker.
    self.dataflowPlaceholders = new Proxy({}, {
      get: (_, index) => () => { throw new Error(`the rest of the engine is missing (function ${String(index)})`); },
    });
    self.dataflowBeforeStart = (exports) => WebAssembly.instantiate(rest, { primary: exports });
  }
  const app = await import(new URL(glue, self.location.href).href);
  await app.default({ module_or_path: module });
  deliver = app.worker_message;
  for (const data of early.splice(0)) deliver(data);
}

//! The engine's optimised code, ready for the next visit (issue #17).
//!
//! V8 compiles a wasm function on its first call (quickly, unoptimised) and optimises the ones
//! that run hot; it keeps the optimised code beside the module's bytes only for a module compiled
//! from a Response with an address from Cache Storage, and only once enough of it was optimised.
//! A visit that starts on the engine kept whole (`web/loader.js`) so leaves that code for the next
//! visit, whose first run then takes about a third of the time (docs/performance.md). A
//! newcomer's first visit runs on the split engine's parts, so without this the second visit
//! would be the first to produce it. Once such a visit has kept the whole engine, the loader
//! compiles it through the service worker and gives it to a worker asked to warm up
//! (`web/worker.js`): here it runs what the page's first run runs (the sample on its synthetic
//! source, the result's view, the column lineage), calls `dataflowWarmedUp`, and the page ends
//! the worker. Nothing it computes is used; it never runs beside a first result.

use std::sync::Arc;

use dataflow_engine::lineage::column_lineage;
use dataflow_engine::{resolve, run_pipeline_with, PipelineSpec, SourceCache};
use wasm_bindgen::{JsCast, JsValue};

use crate::view_model::RunView;

/// Whether this instance was started to warm up (`dataflowWarmUp`, set by `web/worker.js`).
pub fn requested() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("dataflowWarmUp")).is_ok_and(|v| v.is_truthy())
}

/// Runs the warm-up, then calls `dataflowWarmedUp` with why it stopped early, if it did.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let failed = warm().await.err().map_or(JsValue::UNDEFINED, JsValue::from);
        let done = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("dataflowWarmedUp"));
        if let Some(done) = done.ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            let _ = done.call1(&JsValue::NULL, &failed);
        }
    });
}

/// The page's first run: the sample, its result's view, its column lineage.
async fn warm() -> Result<(), String> {
    let said = |e: dataflow_engine::EngineError| e.to_string();
    let spec = PipelineSpec::sample();
    let control = Arc::new(crate::browser::pausing_control());
    let source = resolve(&spec, &SourceCache::default(), &control).await.map_err(said)?;
    let run = run_pipeline_with(&spec, &source, &control).await.map_err(said)?;
    RunView::from_run(&run, 0.0).map_err(|e| e.message)?;
    column_lineage(&spec, source.schema.clone()).await.map_err(said)?;
    Ok(())
}

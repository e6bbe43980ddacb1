//! The worker's side: it answers the page's [`Request`]s with [`Reply`]s. Its sources are the
//! engine's `SourceCache`, as on the page: the file it parsed last, and the synthetic table it
//! built last (reused while the spec's source does not change).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use dataflow_engine::diff::diff_runs;
use dataflow_engine::import::read_source;
use dataflow_engine::wire::{as_named, decode_sides, encode_diff, encode_outcome, encode_table};
use dataflow_engine::{resolve, run_pipeline_with, PipelineSpec, RunControl, SourceCache};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::protocol::{decode, encode, Reply, Request};

/// What the worker holds between requests.
#[derive(Default)]
struct Host {
    sources: Arc<SourceCache>,
    /// The runs and diffs in flight, by id (Cancel).
    runs: RefCell<HashMap<u32, Arc<RunControl>>>,
}

thread_local! {
    static HOST: Rc<Host> = Rc::new(Host::default());
}

fn host() -> Rc<Host> {
    HOST.with(Rc::clone)
}

fn post(reply: &Reply, bytes: Option<&Uint8Array>) {
    let scope = js_sys::global().unchecked_into::<web_sys::DedicatedWorkerGlobalScope>();
    let sent = encode(reply, bytes)
        .and_then(|(data, transfer)| scope.post_message_with_transfer(&data, &transfer).map_err(|e| format!("{e:?}")));
    if let Err(e) = sent {
        web_sys::console::error_1(&JsValue::from(e));
    }
}

/// Says the worker is ready (called by `main` once the module runs here).
pub fn started() {
    post(&Reply::Ready, None);
}

/// Handles one message from the page (`web/worker.js` calls it for every message after the
/// first, which carried the module).
#[wasm_bindgen]
pub fn worker_message(data: JsValue) {
    let (request, bytes) = match decode::<Request>(&data) {
        Ok(decoded) => decoded,
        Err(e) => return web_sys::console::error_1(&JsValue::from(e)),
    };
    match request {
        Request::Run { id, spec } => wasm_bindgen_futures::spawn_local(run(id, *spec)),
        Request::Diff { id, spec, key, max_rows } => {
            let bytes = bytes.map(|b| b.to_vec()).unwrap_or_default();
            wasm_bindgen_futures::spawn_local(diff(id, *spec, key, max_rows, bytes));
        }
        Request::Import { id, name } => {
            let bytes = bytes.map(|b| b.to_vec()).unwrap_or_default();
            import(id, &name, bytes);
        }
        Request::Cancel { id } => {
            if let Some(control) = host().runs.borrow().get(&id) {
                control.cancel();
            }
        }
    }
}

fn done(id: u32, bytes: &[u8]) {
    post(&Reply::Done { id }, Some(&Uint8Array::from(bytes)));
}

async fn run(id: u32, spec: PipelineSpec) {
    let host = host();
    // Pauses let the worker read a Cancel between slices of work.
    let control = Arc::new(crate::browser::pausing_control());
    host.runs.borrow_mut().insert(id, control.clone());
    let reporting = control.clone();
    let ticker = gloo_timers::callback::Interval::new(100, move || {
        post(&Reply::Progress { id, progress: reporting.progress() }, None);
    });
    let outcome = match resolve(&spec, host.sources.as_ref(), &control).await {
        Ok(source) => run_pipeline_with(&spec, &source, &control).await,
        Err(e) => Err(e),
    };
    drop(ticker);
    host.runs.borrow_mut().remove(&id);
    done(id, &encode_outcome(&outcome).or_else(|e| encode_outcome(&Err(e))).unwrap_or_default());
}

async fn diff(id: u32, spec: PipelineSpec, key: Option<Vec<String>>, max_rows: usize, bytes: Vec<u8>) {
    let host = host();
    let control = Arc::new(crate::browser::pausing_control());
    host.runs.borrow_mut().insert(id, control.clone());
    let outcome = match decode_sides(&bytes) {
        Ok((base, new)) => {
            diff_runs(&spec, &as_named(&base), &as_named(&new), key.as_deref(), max_rows, &control).await
        }
        Err(e) => Err(e),
    };
    host.runs.borrow_mut().remove(&id);
    done(id, &encode_diff(&outcome));
}

fn import(id: u32, name: &str, bytes: Vec<u8>) {
    let parsed = read_source(name, bytes);
    if let Ok(data) = &parsed {
        host().sources.import(name, Arc::new(data.clone()));
    }
    done(id, &encode_table(&parsed).or_else(|e| encode_table(&Err(e))).unwrap_or_default());
}

//! Big runs happen in a Web Worker, so the page's thread is never blocked by them.
//!
//! The worker runs this same wasm module: `web/worker.js` (copied as `engine-worker-<hash>.js`
//! by `web/tools/post-build.mjs` and named by `<link rel="prefetch" data-engine-worker>` in
//! index.html) imports the page's JS glue and instantiates the module the page already compiled,
//! which the page sends in its first message (no second download or compile). After that the two
//! sides speak [`protocol`]: the page's side is [`client`], the worker's [`host`]. The outcome
//! comes back as `dataflow_engine::wire` bytes (the buffer is transferred, not copied).
//!
//! Which runs go there: a source of over [`PAGE_RUN_MAX_ROWS`] rows, the synthetic table or an
//! imported file the worker parsed. Smaller runs stay on the page, where their longest task is
//! under 50 ms (measured at 1M rows) and the first result does not wait for the worker to start;
//! the input mock is small. When there is no worker (no link, or it could not start), [`run`]
//! and [`import`] return `None` and the caller does the work on the page, pausing between slices.
//! A run diff whose steps have over [`PAGE_DIFF_MAX_ROWS`] rows in all goes there too ([`diff`]).

mod client;
pub mod host;
pub mod protocol;

use std::cell::Cell;
use std::sync::Arc;

use dataflow_engine::diff::{Named, RunDiff};
use dataflow_engine::wire::{decode_diff, decode_outcome, encode_sides, TableReader};
use dataflow_engine::{EngineError, PipelineRun, PipelineSpec, RunControl, SourceData};
use futures::future::{select, Either};
use protocol::Request;
use web_time::Instant;

use client::Ended;

/// The most source rows a run on the page's thread has.
pub const PAGE_RUN_MAX_ROWS: u64 = 1_000_000;

/// The most step rows (both runs' steps together) a diff on the page's thread compares; more
/// go to the worker ([`diff`]).
pub const PAGE_DIFF_MAX_ROWS: usize = 250_000;

/// After Cancel, how long the worker has to stop at its next check before it is terminated (a
/// parse that never yields, say). A new worker starts with the next run.
const CANCEL_GRACE_MS: f64 = 2000.0;

/// True in the engine's worker (there is no window): `main` then mounts nothing.
pub fn in_worker() -> bool {
    web_sys::window().is_none()
}

/// What a oneshot answer became (a sender dropped unanswered means the worker went away).
fn ended(answer: Result<Ended, futures::channel::oneshot::Canceled>) -> Ended {
    answer.unwrap_or_else(|_| Ended::Failed(EngineError::Worker("the engine's worker went away".into())))
}

/// Starts the worker a second after it is first called (the page calls it after each result), so
/// the first big run does not wait for it, and its start does not compete with the first render.
/// In a split build it waits for the rest of the engine first (`dataflowEngineComplete`, set by
/// web/loader.js), which the worker needs.
pub fn prewarm() {
    thread_local! {
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    }
    if SCHEDULED.with(|s| s.replace(true)) {
        return;
    }
    let complete = crate::browser::loader_global::<js_sys::Promise>("dataflowEngineComplete");
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(complete) = complete {
            let _ = wasm_bindgen_futures::JsFuture::from(complete).await;
        }
        gloo_timers::future::TimeoutFuture::new(1000).await;
        let _ = client::client();
    });
}

/// Tells a split build's loader that a run has ended, so the rest of the engine may take the
/// page's thread to decode and compile now (web/loader.js, `dataflowRunEnded`). An unsplit build
/// has no such hook.
pub fn run_ended() {
    if let Some(hook) = crate::browser::loader_global::<js_sys::Function>("dataflowRunEnded") {
        let _ = hook.call0(&wasm_bindgen::JsValue::NULL);
    }
}

/// Parses an imported file in the worker, which keeps its rows for big runs; the page gets them
/// back a batch at a time, giving its thread back between. `buffer` (the file's bytes) is moved
/// to the worker. `None` when there is no worker: the caller reads the file again and parses it.
pub async fn import(name: &str, buffer: &js_sys::ArrayBuffer) -> Option<Result<SourceData, EngineError>> {
    let client = client::client()?;
    let control = Arc::new(RunControl::default());
    let bytes = js_sys::Uint8Array::new(buffer);
    let request = |id| Request::Import { id, name: name.to_string() };
    let (_, answered) = client.request(&control, request, Some(&bytes))?;
    let bytes = match ended(answered.await) {
        Ended::Bytes(bytes) => bytes.to_vec(),
        Ended::Failed(e) => return Some(Err(e)),
        Ended::Unavailable => return None,
    };
    crate::browser::next_task().await;
    let mut reader = match TableReader::new(&bytes) {
        Ok(reader) => reader,
        Err(e) => return Some(Err(e)),
    };
    let mut batches = Vec::new();
    let mut slice = Instant::now();
    while let Some(batch) = reader.next_batch() {
        match batch {
            Ok(batch) => batches.push(batch),
            Err(e) => return Some(Err(e)),
        }
        if slice.elapsed().as_secs_f64() * 1000.0 > dataflow_engine::control::SLICE_MS {
            crate::browser::next_task().await;
            slice = Instant::now();
        }
    }
    let data = SourceData::new(reader.schema(), batches);
    client.now_holds(name, data.row_count() as u64);
    Some(Ok(data))
}

/// Runs `spec` in the worker: progress shows on `control`, and `control.cancel()` stops it (the
/// worker stops at its next check; one that does not answer within 2 s is terminated). `None`
/// when the run stays on the page (see the module's docs) or there is no worker: the caller runs
/// the pipeline itself.
pub async fn run(spec: &PipelineSpec, control: &Arc<RunControl>) -> Option<Result<PipelineRun, EngineError>> {
    if !client::wants(spec) {
        return None;
    }
    let client = client::client()?;
    let (id, answered) = client.request(control, |id| Request::Run { id, spec: Box::new(spec.clone()) }, None)?;
    drop(client);
    match answer(id, answered, control).await {
        Ended::Bytes(bytes) => {
            // Copying the bytes in and reading them are separate tasks: the page paints between.
            let bytes = bytes.to_vec();
            crate::browser::next_task().await;
            Some(decode_outcome(&bytes, spec))
        }
        Ended::Failed(e) => Some(Err(e)),
        Ended::Unavailable => None,
    }
}

/// Compares two runs in the worker: the page's thread only copies their step results into one
/// message (Arrow IPC, moved, not copied again) and reads the answer back. For big results the
/// join and the groupings then never hold the page's thread. `control.cancel()` stops it as it
/// stops a run. `None` when there is no worker: the caller compares on the page.
pub async fn diff(
    spec: &PipelineSpec,
    base: &[Named<'_>],
    new: &[Named<'_>],
    key: Option<Vec<String>>,
    max_rows: usize,
    control: &Arc<RunControl>,
) -> Option<Result<RunDiff, EngineError>> {
    if !client::possible() {
        return None;
    }
    let bytes = match encode_sides(base, new) {
        Ok(bytes) => js_sys::Uint8Array::from(bytes.as_slice()),
        Err(e) => return Some(Err(e)),
    };
    crate::browser::next_task().await;
    let client = client::client()?;
    let request = |id| Request::Diff { id, spec: Box::new(spec.clone()), key, max_rows };
    let (id, answered) = client.request(control, request, Some(&bytes))?;
    drop(client);
    match answer(id, answered, control).await {
        Ended::Bytes(bytes) => Some(decode_diff(&bytes.to_vec())),
        Ended::Failed(e) => Some(Err(e)),
        Ended::Unavailable => None,
    }
}

/// The answer to request `id`, or the cancel `control` asked for meanwhile.
async fn answer(id: u32, answered: futures::channel::oneshot::Receiver<Ended>, control: &RunControl) -> Ended {
    let answer = std::pin::pin!(answered);
    let watch = std::pin::pin!(watch_cancel(id, control));
    match select(answer, watch).await {
        Either::Left((answer, _)) => ended(answer),
        Either::Right(((), _)) => Ended::Failed(EngineError::Cancelled),
    }
}

/// Watches `control` every 100 ms: after a Cancel it tells the worker, and ends (having
/// terminated the worker) if the worker has not answered within [`CANCEL_GRACE_MS`].
async fn watch_cancel(id: u32, control: &RunControl) {
    while !control.is_cancelled() {
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    if let Some(client) = client::current() {
        client.cancel(id);
    }
    let asked = Instant::now();
    while asked.elapsed().as_secs_f64() * 1000.0 <= CANCEL_GRACE_MS {
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    client::stop(|| Ended::Failed(EngineError::Cancelled));
}

//! The pipeline runs in a Web Worker, so the page's thread is never blocked by a run.
//!
//! The worker runs this same wasm module: `engine-worker-<hash>.js` (written by
//! `web/tools/post-build.mjs`, named by `<link rel="prefetch" data-engine-worker>` in index.html)
//! imports the page's JS glue and instantiates the module the page already compiled, which the
//! page sends in its first message (no second download or compile). Then, page → worker:
//! `{kind: "run", id, spec}` (the spec as JSON) and `{kind: "cancel", id}`; worker → page:
//! `{kind: "progress", id, progress}` every 100 ms, then `{kind: "done", id, bytes}` with the
//! outcome as `dataflow_engine::wire` bytes (the buffer is transferred, not copied). The worker
//! keeps the synthetic source it built, as the page did.
//!
//! Runs of up to a million source rows stay on the page ([`wants_worker`]), as does every run
//! when there is no worker (no link, or it could not start): [`run`] returns `None` and the
//! caller runs the pipeline itself, pausing between slices.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};

use dataflow_engine::import::read_source;
use dataflow_engine::wire::{decode_outcome, encode_outcome, encode_table, TableReader};
use dataflow_engine::{
    run_pipeline_with, EngineError, PipelineRun, PipelineSpec, Progress, RunControl, SourceData, SourceSpec,
};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::{JsCast, JsValue};
use web_time::Instant;

/// After Cancel, how long the worker has to stop at its next check before it is terminated (a
/// parse that never yields, say). A new worker starts with the next run.
const CANCEL_GRACE_MS: f64 = 2000.0;

/// True in the engine's worker (there is no window): `main` then mounts nothing.
pub fn in_worker() -> bool {
    web_sys::window().is_none()
}

/// A plain JS object with these fields.
fn message(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn id_of(data: &JsValue) -> Option<u32> {
    field(data, "id")
        .as_f64()
        .filter(|id| id.fract() == 0.0 && *id >= 0.0 && *id <= f64::from(u32::MAX))
        .map(|id| id as u32)
}

// ---------------------------------------------------------------------------------------------
// The page's side.

/// How a run in the worker ended, as the page sees it.
enum Ended {
    /// The worker's outcome bytes (`dataflow_engine::wire`), still in JS memory.
    Bytes(Uint8Array),
    /// The worker stopped (or was stopped) before it answered.
    Failed(EngineError),
    /// The worker could not start: run on the page instead.
    Unavailable,
}

/// A value set once by a callback and awaited by the run (single-threaded, as the page is).
#[derive(Default)]
struct Slot {
    value: RefCell<Option<Ended>>,
    waker: RefCell<Option<Waker>>,
}

impl Slot {
    fn fill(&self, ended: Ended) {
        self.value.borrow_mut().get_or_insert(ended);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

struct Pending {
    control: Arc<RunControl>,
    slot: Rc<Slot>,
}

/// The page's handle on the worker.
struct Client {
    worker: web_sys::Worker,
    pending: RefCell<HashMap<u32, Pending>>,
    next_id: Cell<u32>,
    /// Set when the worker said it loaded the module.
    ready: Cell<bool>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    /// Set once the worker failed to start: every run stays on the page from then on.
    static UNAVAILABLE: Cell<bool> = const { Cell::new(false) };
    /// The imported file the worker holds (parsed there), by name, and its rows.
    static HELD_IMPORT: RefCell<Option<(String, u64)>> = const { RefCell::new(None) };
}

/// The worker script's address, from index.html (absent where the post-build hook did not run).
fn worker_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document.query_selector("link[data-engine-worker]").ok()??.get_attribute("href")
}

/// Ends every pending run with `ended` and forgets the worker (the next run starts a new one).
fn drop_worker(ended: impl Fn() -> Ended) {
    let client = CLIENT.with(|c| c.borrow_mut().take());
    HELD_IMPORT.with(|h| h.borrow_mut().take());
    if let Some(client) = client {
        client.worker.terminate();
        let pending: Vec<Pending> = client.pending.borrow_mut().drain().map(|(_, p)| p).collect();
        for p in pending {
            p.slot.fill(ended());
        }
        // Called from the worker's own callbacks: they are freed after they return, not now.
        wasm_bindgen_futures::spawn_local(async move { drop(client) });
    }
}

fn start_worker() -> Option<Rc<Client>> {
    let url = worker_url()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url, &options).ok()?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| on_message(&event.data()));
    // An `ErrorEvent` for an error thrown in the worker, a plain `Event` when its script did
    // not load: both are read as plain objects.
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        event.prevent_default();
        let message = field(&event, "message").as_string().unwrap_or_else(|| "its script did not load".into());
        let started = CLIENT.with(|c| c.borrow().as_ref().is_some_and(|c| c.ready.get()));
        if !started {
            return unavailable(&message);
        }
        let why = format!("the engine stopped: {message}");
        web_sys::console::error_1(&why.clone().into());
        drop_worker(|| Ended::Failed(EngineError::Worker(why.clone())));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.post_message(&message(&[("module", wasm_bindgen::module())])).ok()?;
    Some(Rc::new(Client {
        worker,
        pending: RefCell::new(HashMap::new()),
        next_id: Cell::new(1),
        ready: Cell::new(false),
        _on_message: on_message,
        _on_error: on_error,
    }))
}

fn client() -> Option<Rc<Client>> {
    if UNAVAILABLE.with(Cell::get) {
        return None;
    }
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = start_worker();
        }
        c.clone()
    })
}

/// The worker could not start: the runs waiting for it, and every later one, run on the page.
fn unavailable(why: &str) {
    web_sys::console::warn_1(&format!("the engine's worker did not start ({why}): runs use the page's thread").into());
    UNAVAILABLE.with(|u| u.set(true));
    drop_worker(|| Ended::Unavailable);
}

fn on_message(data: &JsValue) {
    let kind = field(data, "kind").as_string().unwrap_or_default();
    let Some(client) = CLIENT.with(|c| c.borrow().clone()) else { return };
    match kind.as_str() {
        "ready" => client.ready.set(true),
        "failed" => unavailable(&field(data, "message").as_string().unwrap_or_default()),
        _ => {}
    }
    let Some(id) = id_of(data) else { return };
    match kind.as_str() {
        "progress" => {
            let progress = field(data, "progress").as_string().and_then(|p| serde_json::from_str::<Progress>(&p).ok());
            if let (Some(progress), Some(p)) = (progress, client.pending.borrow().get(&id)) {
                p.control.report(progress);
            }
        }
        "done" => {
            let bytes = field(data, "bytes").dyn_into::<Uint8Array>();
            if let Some(p) = client.pending.borrow_mut().remove(&id) {
                p.slot.fill(match bytes {
                    Ok(bytes) => Ended::Bytes(bytes),
                    Err(_) => Ended::Failed(EngineError::Worker("an answer without its bytes".into())),
                });
            }
        }
        _ => {}
    }
}

/// Whether a run of `spec` goes to the worker: a synthetic source, or an imported file the worker
/// parsed, of over [`PAGE_RUN_MAX_ROWS`] rows. Smaller runs stay on the page, where their longest
/// task is under 50 ms (measured at 1M rows) and the first result does not wait for the worker
/// to start; the input mock is small. Never when there is no worker.
pub fn wants_worker(spec: &PipelineSpec) -> bool {
    if UNAVAILABLE.with(Cell::get) || worker_url().is_none() {
        return false;
    }
    match &spec.source {
        SourceSpec::Synthetic(s) => s.row_count() > PAGE_RUN_MAX_ROWS,
        SourceSpec::Imported { file_name } => HELD_IMPORT
            .with(|h| h.borrow().as_ref().is_some_and(|(held, rows)| held == file_name && *rows > PAGE_RUN_MAX_ROWS)),
        SourceSpec::InputMock => false,
    }
}

/// The most source rows a run on the page's thread has.
pub const PAGE_RUN_MAX_ROWS: u64 = 1_000_000;

/// Starts the worker a second after it is called (the page calls it after each result), so the
/// first big run does not wait for it, and its start does not compete with the first render.
pub fn prewarm() {
    thread_local! {
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    }
    if SCHEDULED.with(|s| s.replace(true)) {
        return;
    }
    gloo_timers::callback::Timeout::new(1000, || {
        let _ = client();
    })
    .forget();
}

/// Sends the worker a request of `kind` with `fields` (and `transfer`, moved, not copied): its
/// id and where the answer will be, or `None` if it could not be sent.
fn request(
    client: &Client,
    control: &Arc<RunControl>,
    kind: &str,
    fields: &[(&str, JsValue)],
    transfer: Option<&JsValue>,
) -> Option<(u32, Rc<Slot>)> {
    let id = client.next_id.get();
    client.next_id.set(id.wrapping_add(1));
    let slot = Rc::new(Slot::default());
    client.pending.borrow_mut().insert(id, Pending { control: control.clone(), slot: slot.clone() });
    let mut all = vec![("kind", JsValue::from(kind)), ("id", id.into())];
    all.extend(fields.iter().cloned());
    let data = message(&all);
    let sent = match transfer {
        Some(t) => client.worker.post_message_with_transfer(&data, &js_sys::Array::of1(t)),
        None => client.worker.post_message(&data),
    };
    if sent.is_err() {
        client.pending.borrow_mut().remove(&id);
        return None;
    }
    Some((id, slot))
}

/// The worker's answer (or why there is none).
async fn answer(slot: &Slot) -> Ended {
    std::future::poll_fn(|cx| match slot.value.borrow_mut().take() {
        Some(ended) => Poll::Ready(ended),
        None => {
            *slot.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

/// Parses an imported file in the worker, which keeps its rows for big runs; the page gets them
/// back a batch at a time, giving its thread back between. `buffer` (the file's bytes) is moved
/// to the worker. `None` when there is no worker: the caller reads the file again and parses it.
pub async fn import(name: &str, buffer: &js_sys::ArrayBuffer) -> Option<Result<SourceData, EngineError>> {
    let client = client()?;
    let control = Arc::new(RunControl::default());
    let fields = [("name", JsValue::from(name)), ("bytes", buffer.into())];
    let (_, slot) = request(&client, &control, "import", &fields, Some(buffer))?;
    drop(client);
    let bytes = match answer(&slot).await {
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
    HELD_IMPORT.with(|h| *h.borrow_mut() = Some((name.to_string(), data.row_count() as u64)));
    Some(Ok(data))
}

/// Runs `spec` in the worker: progress shows on `control`, and `control.cancel()` stops it (the
/// worker stops at its next check; one that does not answer within 2 s is terminated). `None`
/// when the run stays on the page ([`wants_worker`]) or there is no worker: the caller runs the
/// pipeline itself.
pub async fn run(spec: &PipelineSpec, control: &Arc<RunControl>) -> Option<Result<PipelineRun, EngineError>> {
    if !wants_worker(spec) {
        return None;
    }
    let client = client()?;
    let spec_json = serde_json::to_string(spec).ok()?;
    let (id, slot) = request(&client, control, "run", &[("spec", spec_json.into())], None)?;
    // Cancel: tell the worker, and terminate it if it does not answer in time.
    let cancelled_at: Cell<Option<Instant>> = Cell::new(None);
    let (watched, watching_slot, worker) = (control.clone(), slot.clone(), client.worker.clone());
    let watcher = gloo_timers::callback::Interval::new(100, move || {
        if !watched.is_cancelled() {
            return;
        }
        match cancelled_at.get() {
            None => {
                cancelled_at.set(Some(Instant::now()));
                let _ = worker.post_message(&message(&[("kind", "cancel".into()), ("id", id.into())]));
            }
            Some(at) if at.elapsed().as_secs_f64() * 1000.0 > CANCEL_GRACE_MS => {
                drop_worker(|| Ended::Failed(EngineError::Cancelled));
                watching_slot.fill(Ended::Failed(EngineError::Cancelled));
            }
            Some(_) => {}
        }
    });
    drop(client);
    let ended = answer(&slot).await;
    drop(watcher);
    match ended {
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

// ---------------------------------------------------------------------------------------------
// The worker's side.

thread_local! {
    /// The source table built last, reused while the spec's source does not change.
    static SOURCE: RefCell<Option<(SourceSpec, Arc<SourceData>)>> = const { RefCell::new(None) };
    /// The last imported file parsed here, by name.
    static IMPORTED: RefCell<Option<(String, Arc<SourceData>)>> = const { RefCell::new(None) };
    /// The runs in flight, by id (Cancel).
    static RUNS: RefCell<HashMap<u32, Arc<RunControl>>> = RefCell::new(HashMap::new());
}

fn post(data: &JsValue, transfer: Option<&JsValue>) {
    let scope = js_sys::global().unchecked_into::<web_sys::DedicatedWorkerGlobalScope>();
    let sent = match transfer {
        Some(buffer) => scope.post_message_with_transfer(data, &js_sys::Array::of1(buffer)),
        None => scope.post_message(data),
    };
    if let Err(e) = sent {
        web_sys::console::error_1(&e);
    }
}

/// Handles one message from the page (called by the worker script for every message after the
/// first, which carried the module).
#[wasm_bindgen]
pub fn worker_message(data: JsValue) {
    let Some(id) = id_of(&data) else { return };
    match field(&data, "kind").as_string().as_deref() {
        Some("run") => {
            let spec = field(&data, "spec").as_string().unwrap_or_default();
            wasm_bindgen_futures::spawn_local(run_job(id, spec));
        }
        Some("import") => {
            let name = field(&data, "name").as_string().unwrap_or_default();
            let bytes = Uint8Array::new(&field(&data, "bytes")).to_vec();
            wasm_bindgen_futures::spawn_local(import_job(id, name, bytes));
        }
        Some("cancel") => RUNS.with(|r| {
            if let Some(control) = r.borrow().get(&id) {
                control.cancel();
            }
        }),
        _ => {}
    }
}

async fn run_job(id: u32, spec: String) {
    // Pauses let the worker read a Cancel between slices of work.
    let control = Arc::new(crate::browser::pausing_control());
    RUNS.with(|r| r.borrow_mut().insert(id, control.clone()));
    let reporting = control.clone();
    let ticker = gloo_timers::callback::Interval::new(100, move || {
        let progress = serde_json::to_string(&reporting.progress()).unwrap_or_default();
        post(&message(&[("kind", "progress".into()), ("id", id.into()), ("progress", progress.into())]), None);
    });
    let outcome = match serde_json::from_str::<PipelineSpec>(&spec) {
        Ok(spec) => match source(&spec, &control).await {
            Ok(source) => run_pipeline_with(&spec, &source, &control).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(EngineError::Worker(format!("cannot read the spec: {e}"))),
    };
    drop(ticker);
    RUNS.with(|r| r.borrow_mut().remove(&id));
    let bytes = encode_outcome(&outcome).or_else(|e| encode_outcome(&Err(e))).unwrap_or_default();
    let bytes = Uint8Array::from(bytes.as_slice());
    let buffer = bytes.buffer();
    post(&message(&[("kind", "done".into()), ("id", id.into()), ("bytes", bytes.into())]), Some(&buffer));
}

async fn import_job(id: u32, name: String, bytes: Vec<u8>) {
    let parsed = read_source(&name, bytes);
    // Only the last import is kept: the page imports one file at a time.
    IMPORTED.with(|i| *i.borrow_mut() = parsed.as_ref().ok().map(|data| (name.clone(), Arc::new(data.clone()))));
    let bytes = encode_table(&parsed).or_else(|e| encode_table(&Err(e))).unwrap_or_default();
    let bytes = Uint8Array::from(bytes.as_slice());
    let buffer = bytes.buffer();
    post(&message(&[("kind", "done".into()), ("id", id.into()), ("bytes", bytes.into())]), Some(&buffer));
}

/// The spec's source table: the imported file (parsed here) or the synthetic table (generated
/// a part at a time under `control`, then kept). The page never sends the input mock
/// ([`wants_worker`]).
async fn source(spec: &PipelineSpec, control: &RunControl) -> Result<Arc<SourceData>, EngineError> {
    if let SourceSpec::Imported { file_name } = &spec.source {
        let held = IMPORTED.with(|i| i.borrow().as_ref().filter(|(name, _)| name == file_name).map(|(_, d)| d.clone()));
        return held.ok_or_else(|| EngineError::Worker(format!("{file_name} is not in the engine's worker")));
    }
    let cached = SOURCE
        .with(|s| s.borrow().as_ref().filter(|(spec_source, _)| *spec_source == spec.source).map(|(_, d)| d.clone()));
    if let Some(data) = cached {
        return Ok(data);
    }
    // Drop the old table before building the new one: two big tables need not fit at once.
    SOURCE.with(|s| s.borrow_mut().take());
    let data = Arc::new(SourceData::build_with(&spec.source, control).await?);
    SOURCE.with(|s| *s.borrow_mut() = Some((spec.source.clone(), data.clone())));
    Ok(data)
}

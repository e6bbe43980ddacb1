//! The page's side of the engine's worker: it starts the worker (from `web/worker.js`, handing
//! it the module the page compiled), sends [`Request`]s and turns [`Reply`]s into the outcome of
//! the run or import that awaits them, each through a oneshot channel. A worker that stops
//! (crashes, or is terminated after a Cancel it ignored) ends every pending request with a
//! message; a worker that never started makes every run stay on the page from then on.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use dataflow_engine::{EngineError, PipelineSpec, RunControl, SourceSpec};
use futures::channel::oneshot;
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::protocol::{decode, encode, Reply, Request};
use super::PAGE_RUN_MAX_ROWS;

/// How a request to the worker ended, as the page sees it.
pub(super) enum Ended {
    /// The worker's answer bytes (`dataflow_engine::wire`), still in JS memory.
    Bytes(Uint8Array),
    /// The worker stopped (or was stopped) before it answered.
    Failed(EngineError),
    /// The worker could not start: do the work on the page instead.
    Unavailable,
}

struct Pending {
    control: Arc<RunControl>,
    answer: oneshot::Sender<Ended>,
}

/// The page's handle on a started worker.
pub(super) struct Client {
    worker: web_sys::Worker,
    pending: RefCell<HashMap<u32, Pending>>,
    next_id: Cell<u32>,
    /// Set when the worker said it loaded the module.
    ready: Cell<bool>,
    /// The imported file the worker parsed and holds, by name, and its rows.
    holds: RefCell<Option<(String, u64)>>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

/// Where the page stands with its worker.
enum Link {
    /// Not started (yet, or again after it stopped).
    Idle,
    Up(Rc<Client>),
    /// It could not start: every run stays on the page.
    Unavailable,
}

thread_local! {
    static LINK: RefCell<Link> = const { RefCell::new(Link::Idle) };
}

/// The worker script and the app's JS glue it imports, from index.html (absent where the
/// post-build hook did not run).
fn scripts() -> Option<(String, String)> {
    let document = web_sys::window()?.document()?;
    let link = document.query_selector("link[data-engine-worker]").ok()??;
    Some((link.get_attribute("href")?, link.get_attribute("data-glue")?))
}

/// Whether runs can go to a worker at all.
pub(super) fn possible() -> bool {
    !LINK.with_borrow(|link| matches!(link, Link::Unavailable)) && scripts().is_some()
}

/// The running worker, started if need be; `None` when there can be none.
pub(super) fn client() -> Option<Rc<Client>> {
    LINK.with_borrow_mut(|link| match link {
        Link::Up(client) => Some(client.clone()),
        Link::Unavailable => None,
        Link::Idle => {
            let client = start()?;
            *link = Link::Up(client.clone());
            Some(client)
        }
    })
}

/// The running worker, if there is one (a reply's callback; never starts one).
pub(super) fn current() -> Option<Rc<Client>> {
    LINK.with_borrow(|link| match link {
        Link::Up(client) => Some(client.clone()),
        _ => None,
    })
}

fn start() -> Option<Rc<Client>> {
    let (url, glue) = scripts()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url, &options).ok()?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| on_message(&event.data()));
    // An `ErrorEvent` for an error thrown in the worker (web/worker.js rethrows a failed start),
    // a plain `Event` when its script did not load: both are read as plain objects.
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        event.prevent_default();
        let message = Reflect::get(&event, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
        let message = message.unwrap_or_else(|| "its script did not load".into());
        if !current().is_some_and(|c| c.ready.get()) {
            return unavailable(&message);
        }
        let why = format!("the engine stopped: {message}");
        web_sys::console::error_1(&why.clone().into());
        stop(|| Ended::Failed(EngineError::Worker(why.clone())));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The bootstrap's one message (web/worker.js): the compiled module, and the glue to run it.
    let first = Object::new();
    Reflect::set(&first, &JsValue::from_str("module"), &wasm_bindgen::module()).ok()?;
    Reflect::set(&first, &JsValue::from_str("glue"), &JsValue::from(glue)).ok()?;
    // A split build's rest of the engine (web/loader.js sets it once it is compiled).
    if let Some(rest) = crate::browser::loader_global::<js_sys::WebAssembly::Module>("dataflowEngineRest") {
        Reflect::set(&first, &JsValue::from_str("rest"), &rest).ok()?;
    }
    worker.post_message(&first).ok()?;
    Some(Rc::new(Client {
        worker,
        pending: RefCell::new(HashMap::new()),
        next_id: Cell::new(1),
        ready: Cell::new(false),
        holds: RefCell::new(None),
        _on_message: on_message,
        _on_error: on_error,
    }))
}

/// Terminates the worker, ends every pending request with `ended` and forgets the worker (the
/// next run starts a new one, unless it is unavailable).
pub(super) fn stop(ended: impl Fn() -> Ended) {
    let client = LINK.with_borrow_mut(|link| match std::mem::replace(link, Link::Idle) {
        Link::Up(client) => Some(client),
        other => {
            *link = other;
            None
        }
    });
    let Some(client) = client else { return };
    client.worker.terminate();
    let pending: Vec<Pending> = client.pending.borrow_mut().drain().map(|(_, p)| p).collect();
    for p in pending {
        let _ = p.answer.send(ended());
    }
    // Called from the worker's own callbacks: they are freed after they return, not now.
    wasm_bindgen_futures::spawn_local(async move { drop(client) });
}

/// The worker could not start: the requests waiting for it, and every later run, use the page.
fn unavailable(why: &str) {
    web_sys::console::warn_1(&format!("the engine's worker did not start ({why}): runs use the page's thread").into());
    stop(|| Ended::Unavailable);
    LINK.with_borrow_mut(|link| *link = Link::Unavailable);
}

fn on_message(data: &JsValue) {
    let Some(client) = current() else { return };
    let (reply, bytes) = match decode::<Reply>(data) {
        Ok(decoded) => decoded,
        Err(e) => return web_sys::console::error_1(&format!("the engine's worker: {e}").into()),
    };
    match reply {
        Reply::Ready => client.ready.set(true),
        Reply::Progress { id, progress } => {
            if let Some(p) = client.pending.borrow().get(&id) {
                p.control.report(progress);
            }
        }
        Reply::Done { id } => {
            if let Some(p) = client.pending.borrow_mut().remove(&id) {
                let ended = bytes.map_or_else(
                    || Ended::Failed(EngineError::Worker("an answer without its bytes".into())),
                    Ended::Bytes,
                );
                let _ = p.answer.send(ended);
            }
        }
    }
}

impl Client {
    /// Sends the request `make` builds with its id (with `bytes`, whose buffer moves to the
    /// worker): the id, and where the answer will come. `None` if it could not be sent.
    pub(super) fn request(
        &self,
        control: &Arc<RunControl>,
        make: impl FnOnce(u32) -> Request,
        bytes: Option<&Uint8Array>,
    ) -> Option<(u32, oneshot::Receiver<Ended>)> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let (data, transfer) = encode(&make(id), bytes).ok()?;
        let (answer, answered) = oneshot::channel();
        self.pending.borrow_mut().insert(id, Pending { control: control.clone(), answer });
        if self.worker.post_message_with_transfer(&data, &transfer).is_err() {
            self.pending.borrow_mut().remove(&id);
            return None;
        }
        Some((id, answered))
    }

    /// Asks the worker to stop run `id` at its next check.
    pub(super) fn cancel(&self, id: u32) {
        if let Ok((data, _)) = encode(&Request::Cancel { id }, None) {
            let _ = self.worker.post_message(&data);
        }
    }

    /// Notes the file the worker now holds (it keeps the last one parsed).
    pub(super) fn now_holds(&self, name: &str, rows: u64) {
        *self.holds.borrow_mut() = Some((name.to_string(), rows));
    }
}

/// How many rows `spec`'s source has if the worker can read it: the synthetic table (it
/// generates it), or the imported file it parsed and holds.
fn rows_there(spec: &PipelineSpec, client: Option<&Client>) -> Option<u64> {
    match &spec.source {
        SourceSpec::Synthetic(s) => Some(s.row_count()),
        SourceSpec::Imported { file_name } => {
            client?.holds.borrow().as_ref().filter(|(held, _)| held == file_name).map(|(_, rows)| *rows)
        }
        SourceSpec::InputMock => None,
    }
}

/// Whether a run of `spec` goes to the worker: a source of over [`PAGE_RUN_MAX_ROWS`] rows that
/// the worker can read ([`rows_there`]). Never when there can be no worker.
pub(super) fn wants(spec: &PipelineSpec) -> bool {
    possible() && rows_there(spec, current().as_deref()).is_some_and(|rows| rows > PAGE_RUN_MAX_ROWS)
}

//! The few browser calls the app needs besides rendering: reading a picked file, saving bytes.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// A picked or dropped file's bytes, left in JS memory (to be moved to the engine's worker).
pub async fn read_buffer(file: &web_sys::File) -> Result<js_sys::ArrayBuffer, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| format!("could not read the file: {e:?}"))?;
    buffer.dyn_into().map_err(|_| "could not read the file: not an ArrayBuffer".to_string())
}

/// Hands `bytes` to the browser as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let js_error = |e: wasm_bindgen::JsValue| format!("could not save {file_name}: {e:?}");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_error)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: HtmlAnchorElement =
        document.create_element("a").map_err(js_error)?.dyn_into().map_err(|_| "no anchor")?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    Url::revoke_object_url(&url).map_err(js_error)
}

/// The page's URL fragment, without `#` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The page's address without its fragment (where a permalink points).
pub fn address() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let href = location.href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Replaces the URL fragment without reloading or adding a history entry (`None` removes it).
pub fn set_fragment(fragment: Option<&str>) {
    let Some(window) = web_sys::window() else { return };
    let url = match fragment {
        Some(f) => format!("#{f}"),
        None => window.location().pathname().unwrap_or_default() + &window.location().search().unwrap_or_default(),
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// A value saved in localStorage, if any (and if storage is allowed).
pub fn load(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Saves a value in localStorage; the reason if the browser refuses (full, or private mode).
pub fn save(key: &str, value: &str) -> Result<(), String> {
    let storage = storage().ok_or("this browser does not allow saving (localStorage is off)")?;
    storage.set_item(key, value).map_err(|e| format!("could not save your work: {e:?}"))
}

/// Removes a value from localStorage.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Copies text to the clipboard; `false` if the browser refused (the link is shown either way).
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

/// What web/loader.js set on the page for the app under `name` (a split build's rest of the
/// engine and its hooks), if it set it and it is a `T`.
pub fn loader_global<T: JsCast>(name: &str) -> Option<T> {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).ok()?.dyn_into().ok()
}

/// A parameter of the page's query string (`?lesson=3`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| value.to_string())
    })
}

/// Resolves once the page has painted its next frame: a task queued from a frame's callback runs
/// after that frame. The callback is a `Closure` dropped here once it ran, not one left to JS's
/// garbage collector (`once_into_js`): a split build's first module holds only the code its
/// profiled first visit ran (web/tools/split.mjs), and when a collection frees a closure is no
/// visit's to fix (a freed closure's destructor once reached the rest before it was in).
pub async fn after_next_paint() {
    let (painted, frame) = futures::channel::oneshot::channel::<()>();
    let callback = wasm_bindgen::closure::Closure::once(move || {
        let _ = painted.send(());
    });
    let asked = web_sys::window().and_then(|w| w.request_animation_frame(callback.as_ref().unchecked_ref()).ok());
    if asked.is_some() {
        let _ = frame.await;
    }
    drop(callback);
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Resolves on the next macrotask (a `MessageChannel` message: unlike `setTimeout(0)`, never
/// clamped to 4 ms), so the page paints and handles clicks first. It is `Send`, as the engine's
/// pause must be: it only holds a flag and a waker, which the JS callback sets.
pub fn next_task() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    use std::sync::{Arc, Mutex};
    let shared: Arc<Mutex<(bool, Option<std::task::Waker>)>> = Arc::new(Mutex::new((false, None)));
    let fired = shared.clone();
    let wake = move || {
        if let Ok(mut state) = fired.lock() {
            state.0 = true;
            if let Some(waker) = state.1.take() {
                waker.wake();
            }
        }
    };
    let posted = web_sys::MessageChannel::new().ok().map(|channel| {
        let port = channel.port1();
        let keep = port.clone();
        let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
            keep.set_onmessage(None);
            wake();
        });
        port.set_onmessage(Some(callback.unchecked_ref()));
        channel.port2().post_message(&wasm_bindgen::JsValue::UNDEFINED).is_ok()
    });
    if posted != Some(true) {
        // No channel: do not wait at all rather than wait forever.
        if let Ok(mut state) = shared.lock() {
            state.0 = true;
        }
    }
    Box::pin(std::future::poll_fn(move |cx| match shared.lock() {
        Ok(mut state) if !state.0 => {
            state.1 = Some(cx.waker().clone());
            std::task::Poll::Pending
        }
        _ => std::task::Poll::Ready(()),
    }))
}

/// A run control whose run gives the page its thread back (a [`next_task`]) after every slice of
/// work, as every run in the app does: the page stays responsive and Cancel works.
pub fn pausing_control() -> dataflow_engine::RunControl {
    dataflow_engine::RunControl::pausing(std::sync::Arc::new(next_task), dataflow_engine::control::SLICE_MS)
}

//! A panic must never leave a dead tab or lose work: it is logged and shown on the page, with a
//! way back. Every edit is already saved (`persist`), so a reload restores the last saved state;
//! if that state is what panics, the user can start from the sample with their work kept aside.

#[cfg(feature = "hooks")]
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::persist::{KEPT_KEY, WORK_KEY};

/// Installs a panic hook that logs to the console and shows a visible message.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// A button that runs `action` when clicked (the closure lives as long as the page).
fn button(document: &web_sys::Document, id: &str, label: &str, action: fn()) -> Option<web_sys::Element> {
    let button = document.create_element("button").ok()?;
    button.set_id(id);
    button.set_text_content(Some(label));
    let click = Closure::<dyn Fn()>::new(action);
    button.add_event_listener_with_callback("click", click.as_ref().unchecked_ref()).ok()?;
    click.forget();
    Some(button)
}

/// Shows the panic message in a fixed banner, as text (never as HTML), with the two ways back.
fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("panic-banner").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("panic-banner");
    banner.set_attribute("role", "alert").ok();
    let Ok(text) = document.create_element("p") else { return };
    text.set_text_content(Some(&format!(
        "Dataflow Playground hit an internal error and stopped. Your last edit was saved.\n\n{message}"
    )));
    banner.append_child(&text).ok();
    if let Some(restore) = button(&document, "panic-restore", "Reload and restore my saved work", reload) {
        banner.append_child(&restore).ok();
    }
    let sample = button(&document, "panic-sample", "Reload with the sample (my work is kept aside)", || {
        if let Some(work) = crate::browser::load(WORK_KEY) {
            let _ = crate::browser::save(KEPT_KEY, &work);
            crate::browser::forget(WORK_KEY);
        }
        reload();
    });
    if let Some(sample) = sample {
        banner.append_child(&sample).ok();
    }
    body.append_child(&banner).ok();
}

/// Panics on purpose. The browser tests call it (`window.wasmBindings.simulate_panic()`) to check
/// that a panic shows its message instead of a dead tab. A test hook: not in the shipped build.
#[cfg(feature = "hooks")]
#[wasm_bindgen]
pub fn simulate_panic() {
    panic!("simulated panic (from the browser tests)");
}

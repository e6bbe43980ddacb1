//! A panic must never leave a dead tab: it is logged and shown on the page.

use wasm_bindgen::prelude::wasm_bindgen;

/// Installs a panic hook that logs to the console and shows a visible message.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Shows the panic message in a fixed banner, as text (never as HTML).
fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("panic-banner");
    banner.set_attribute("role", "alert").ok();
    banner.set_text_content(Some(&format!(
        "Dataflow Playground hit an internal error and stopped. Reload the page to start again.\n\n{message}"
    )));
    body.append_child(&banner).ok();
}

/// Panics on purpose. The browser tests call it (`window.wasmBindings.simulate_panic()`) to check
/// that a panic shows its message instead of a dead tab.
#[wasm_bindgen]
pub fn simulate_panic() {
    panic!("simulated panic (from the browser tests)");
}

//! The top bar: the product name, the data source, the run parameters and Run.

use leptos::prelude::*;

use super::{ShareBar, SourcePicker};
use crate::state::AppState;

/// The top bar. Changing a parameter runs the pipeline again.
#[component]
pub fn TopBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let set = move |name: &'static str, text: String| state.set_param(name, &text);
    view! {
        <header class="top-bar">
            <h1>"Dataflow Playground"</h1>
            <SourcePicker />
            <label>
                "Run date "
                <input
                    type="date"
                    data-testid="run-date"
                    prop:value=move || state.spec.with(|s| s.params.date.to_string())
                    on:change=move |e| set("date", event_target_value(&e))
                />
            </label>
            <label>
                "Top N "
                <input
                    type="number"
                    min="1"
                    class="narrow"
                    data-testid="top-n"
                    prop:value=move || state.spec.with(|s| s.params.top_n.to_string())
                    on:change=move |e| set("top_n", event_target_value(&e))
                />
            </label>
            <button
                class="primary"
                data-testid="run-button"
                title="Run the pipeline (Ctrl+Enter)"
                on:click=move |_| state.run()
            >
                {move || if state.running.get() { "Running…" } else { "Run" }}
            </button>
            <ShareBar />
        </header>
    }
}

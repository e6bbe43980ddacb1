//! The top bar: the product name, the data source, the run parameters and Run.

use leptos::prelude::*;

use super::SourcePicker;
use crate::state::AppState;
use crate::view_model::RunFailure;

/// The top bar. Changing a parameter runs the pipeline again.
#[component]
pub fn TopBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Params::set checks the value, as the CLI's --param does; a change runs again.
    let set = move |name: &'static str, text: String| {
        let mut params = state.spec.with_untracked(|s| s.params.clone());
        match params.set(name, &text) {
            Ok(()) => {
                state.spec.update(|s| s.params = params);
                state.run();
            }
            Err(e) => state.failure.set(Some(RunFailure::general(e.to_string()))),
        }
    };
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
        </header>
    }
}

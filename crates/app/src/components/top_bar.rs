//! The top bar: the product name, the data source, the run parameters and Run.

use leptos::prelude::*;

use super::{ShareBar, SourcePicker};
use crate::state::{AppState, RunPhase};

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
                {move || if state.run.is_running() { "Running…" } else { "Run" }}
            </button>
            <RunProgressView />
            <ShareBar />
        </header>
    }
}

/// While a run is in flight: which step, how many rows it has read, for how long, and Cancel.
/// It shows only once the run has taken 300 ms (a CSS animation delay), so quick runs do not
/// flicker, in a fixed corner (see `.run-progress`), so it never shifts the top bar's buttons.
#[component]
fn RunProgressView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || state.run.phase.with(RunPhase::progress_text);
    view! {
        <Show when=move || state.run.is_running()>
            <span class="run-progress" role="status" data-testid="run-progress">
                <span class="spinner" aria-hidden="true"></span>
                {text}
                <button
                    data-testid="cancel-run"
                    title="Stop this run; the last result stays"
                    on:click=move |_| state.cancel_run()
                >
                    "Cancel"
                </button>
            </span>
        </Show>
    }
}

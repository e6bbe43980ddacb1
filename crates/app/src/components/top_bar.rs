//! The top bar: the product name, the data source, the run parameters and Run.

use dataflow_engine::RunDate;
use leptos::prelude::*;

use super::SourcePicker;
use crate::state::AppState;
use crate::view_model::RunFailure;

/// The top bar. Changing a parameter runs the pipeline again.
#[component]
pub fn TopBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let set_date = move |text: String| match RunDate::parse(&text) {
        Ok(date) => {
            state.spec.update(|s| s.params.date = date);
            state.run();
        }
        Err(e) => state.failure.set(Some(RunFailure::general(e.to_string()))),
    };
    let set_top_n = move |text: String| match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => {
            state.spec.update(|s| s.params.top_n = n);
            state.run();
        }
        _ => state
            .failure
            .set(Some(RunFailure::general(format!("top N must be a whole number of at least 1, not {text:?}")))),
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
                    on:change=move |e| set_date(event_target_value(&e))
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
                    on:change=move |e| set_top_n(event_target_value(&e))
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

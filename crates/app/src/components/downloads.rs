//! Download a step's whole result as CSV or Parquet.

use leptos::prelude::*;

use crate::browser::download;
use crate::state::AppState;
use crate::view_model::{RunFailure, StepData};
use std::sync::Arc;

/// "CSV" and "Parquet" buttons for the named step of the last good run.
#[component]
pub fn Downloads(
    /// The step whose rows to save.
    #[prop(into)]
    step: Signal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = move || -> Option<Arc<StepData>> {
        let name = step.get();
        state
            .last_good
            .with(|r| r.as_ref().and_then(|r| r.steps.iter().find(|s| s.name == name)).map(|s| s.data.clone()))
    };
    let save = move |parquet: bool| {
        let Some(data) = data() else { return };
        let date = state.spec.with_untracked(|s| s.params.date.compact());
        let base = format!("{}_{date}", step.get_untracked());
        let result = if parquet {
            data.to_parquet()
                .map_err(|e| e.to_string())
                .and_then(|bytes| download(&format!("{base}.parquet"), "application/vnd.apache.parquet", &bytes))
        } else {
            data.to_csv()
                .map_err(|e| e.to_string())
                .and_then(|text| download(&format!("{base}.csv"), "text/csv", text.as_bytes()))
        };
        if let Err(message) = result {
            state.failure.set(Some(RunFailure::general(message)));
        }
    };
    view! {
        <span class="downloads">
            "Download "
            <button data-testid=move || format!("download-csv-{}", step.get()) disabled=move || data().is_none()
                on:click=move |_| save(false)>"CSV"</button>
            <button data-testid=move || format!("download-parquet-{}", step.get()) disabled=move || data().is_none()
                on:click=move |_| save(true)>"Parquet"</button>
        </span>
    }
}

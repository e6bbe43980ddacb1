//! Download a step's whole result as CSV or Parquet.

use leptos::prelude::*;

use crate::browser::download;
use crate::state::AppState;
use crate::view_model::{ActionError, FileFormat, StepData};
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
            .run
            .last_good
            .with(|r| r.as_ref().and_then(|r| r.steps.iter().find(|s| s.name == name)).map(|s| s.data.clone()))
    };
    let save = move |format: FileFormat| {
        let Some(data) = data() else { return };
        let date = state.spec.with_untracked(|s| s.params.date.compact());
        let saved = data
            .file(&step.get_untracked(), &date, format)
            .and_then(|(name, mime, bytes)| download(&name, mime, &bytes));
        if let Err(message) = saved {
            state.action_error.set(Some(ActionError::Download(message)));
        }
    };
    view! {
        <span class="downloads">
            "Download "
            <button
                data-testid=move || format!("download-csv-{}", step.get())
                disabled=move || data().is_none()
                on:click=move |_| save(FileFormat::Csv)
            >
                "CSV"
            </button>
            <button
                data-testid=move || format!("download-parquet-{}", step.get())
                disabled=move || data().is_none()
                on:click=move |_| save(FileFormat::Parquet)
            >
                "Parquet"
            </button>
        </span>
    }
}

//! The data source: the synthetic sample or an imported file (picked or dropped on the page).

use dataflow_engine::SourceSpec;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// Accepted file types for the source table.
const ACCEPT: &str = ".csv,.json,.jsonl,.ndjson,.parquet";

/// The input element an event came from.
fn event_target_input(e: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
}

/// Chooses `some_db.source_table`: the synthetic sample or an imported file.
#[component]
pub fn SourcePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let describe = move || {
        state.spec.with(|s| match &s.source {
            SourceSpec::Synthetic(syn) => {
                format!("seed {} · {} to {}", syn.seed, syn.first_date, syn.last_date())
            }
            SourceSpec::InputMock => "src/mocks/some_db.source_table.yaml".to_string(),
            SourceSpec::Imported { file_name } => {
                let rows = state.sources.imported().map_or(0, |(_, d)| d.row_count());
                format!("{file_name} · {rows} rows")
            }
        })
    };
    // A memo: the field is rebuilt only when the size changes, not on every edit of the spec.
    let rows_per_day = Memo::new(move |_| {
        state.spec.with(|s| match &s.source {
            SourceSpec::Synthetic(syn) => Some(syn.rows_per_day),
            _ => None,
        })
    });
    let chosen = move || state.spec.with(|s| matches!(s.source, SourceSpec::Imported { .. }));
    let on_mock = move || state.spec.with(|s| matches!(s.source, SourceSpec::InputMock));
    let imported_name = move || state.sources.imported().map(|(n, _)| n);
    let choose = move |value: String| match (value.as_str(), imported_name()) {
        ("imported", Some(file_name)) => state.use_source(SourceSpec::Imported { file_name }),
        ("mock", _) => state.use_source(SourceSpec::InputMock),
        _ => state.use_source(state.spec.with_untracked(|s| state.sources.synthetic(s))),
    };
    let picked = move |e: leptos::ev::Event| {
        let input = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|files| files.get(0)) {
            state.import_file(file);
        }
        if let Some(input) = input {
            input.set_value("");
        }
    };
    view! {
        <label title="The source table some_db.source_table">
            "Source " <select data-testid="source-choice" on:change=move |e| choose(event_target_value(&e))>
                <option value="synthetic" selected=move || !chosen() && !on_mock()>
                    "synthetic sample"
                </option>
                <option value="mock" selected=on_mock>
                    "input mock"
                </option>
                {move || {
                    imported_name()
                        .map(|name| {
                            view! {
                                <option value="imported" selected=chosen>
                                    {format!("imported: {name}")}
                                </option>
                            }
                        })
                }}
            </select>
        </label>
        <span class="source" data-testid="source-summary">
            {describe}
        </span>
        {move || {
            state
                .imports
                .importing
                .get()
                .map(|name| {
                    view! {
                        <span class="source" role="status" data-testid="importing">
                            {format!("reading {name}…")}
                        </span>
                    }
                })
        }}
        {move || {
            rows_per_day
                .get()
                .map(|rows| {
                    view! {
                        <label title="About how many source rows each day has (the synthetic table has seven days; at most 20 million rows in all)">
                            "Rows/day "
                            <input
                                type="number"
                                min="1"
                                step="10000"
                                class="wide-number"
                                data-testid="rows-per-day"
                                prop:value=rows.to_string()
                                on:change=move |e| {
                                    state.set_rows_per_day(&event_target_value(&e));
                                    if let (Some(input), Some(rows)) = (
                                        event_target_input(&e),
                                        rows_per_day.get_untracked(),
                                    ) {
                                        input.set_value(&rows.to_string());
                                    }
                                }
                            />
                        </label>
                    }
                })
        }}
        <label
            class="file-button"
            title="Use a CSV, newline-delimited JSON or Parquet file as the source table (or drop it on the page)"
        >
            "Import file…"
            <input type="file" accept=ACCEPT data-testid="import-file" on:change=picked />
        </label>
    }
}

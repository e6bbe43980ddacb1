//! The target table: its DDL, editable, and how the last output fits it.

use leptos::prelude::*;

use super::CodeEditor;
use crate::editor::Language;
use crate::state::AppState;
use crate::view_model::{group_digits, TargetView};

/// The DDL editor and the output's check against it.
#[component]
pub fn TargetPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ddl = move || state.spec.with(|s| s.ddl.clone());
    let date = move || state.spec.with(|s| s.params.date.to_string());
    let check = move || state.run.last_good.with(|r| r.as_ref().map(|r| (r.target.clone(), r.output.rows.len())));
    let summary = move || match check() {
        None => view! { <p class="stats">"Not run yet."</p> }.into_any(),
        Some((TargetView::DdlError(message), _)) => view! {
            <p class="finding bad" data-testid="ddl-error">
                {message}
            </p>
        }
        .into_any(),
        Some((TargetView::Checked { table, partitions, findings }, rows)) => {
            let partition = partitions.iter().map(|p| format!("{p}={}", date())).collect::<Vec<_>>().join("/");
            let fits = findings.is_empty();
            view! {
                <p data-testid="target-summary">
                    {format!("The write puts {} rows in {table}, partition {partition}. ", group_digits(rows))}
                    {if fits { "The output fits the DDL." } else { "The output does not fit the DDL:" }}
                </p>
                <ul class="findings" data-testid="ddl-findings">
                    {findings.into_iter().map(|f| view! { <li class="finding bad">{f}</li> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="target" aria-label="Target table">
            <details open>
                <summary>"Target table DDL"</summary>
                <CodeEditor
                    text=Signal::derive(ddl)
                    on_change=move |value: String| state.spec.update(|s| s.ddl = value)
                    language=Language::Sql
                    label="Target table DDL".to_string()
                    testid="ddl".to_string()
                />
            </details>
            {summary}
        </section>
    }
}

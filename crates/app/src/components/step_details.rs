//! A step's result in detail: its columns, its first rows and its plans.

use leptos::prelude::*;

use super::Downloads;
use crate::state::AppState;
use crate::view_model::StepView;

/// The first rows and the plans of the named step, from the last good run.
#[component]
pub fn StepDetails(
    /// The step's name; the details follow it through renames and moves.
    #[prop(into)]
    name: Signal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let view = move || -> Option<StepView> {
        let name = name.get();
        state.last_good.with(|r| r.as_ref().and_then(|r| r.steps.iter().find(|s| s.name == name).cloned()))
    };
    move || {
        view().map(|step| {
            let testid = format!("step-{}-preview", step.name);
            let shown = format!("The first {} of {} rows.", step.preview.rows.len(), step.row_count);
            view! {
                <details class="step-rows">
                    <summary>{format!("Rows and columns ({})", step.columns.len())}</summary>
                    <p class="stats">{step.columns.join(" · ")}</p>
                    <div class="scroll">
                        <table data-testid=testid>
                            <thead><tr>{step.preview.columns.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {step.preview.rows.into_iter().map(|row| view! {
                                    <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="stats">{shown} " " <Downloads step=name /></p>
                </details>
                <details class="step-plan">
                    <summary>"Explain"</summary>
                    <h3>"Logical plan"</h3>
                    <pre>{step.logical_plan}</pre>
                    <h3>"Physical plan"</h3>
                    <pre>{step.physical_plan}</pre>
                </details>
            }
        })
    }
}

//! A step's result in detail: its columns, its rows in a grid, and its plans.

use std::sync::Arc;

use leptos::prelude::*;

use super::{DataGrid, Downloads};
use crate::state::AppState;
use crate::view_model::{ResultQuery, StepView};

/// The rows and the plans of the named step, from the last good run.
#[component]
pub fn StepDetails(
    /// The step's name; the details follow it through renames and moves.
    #[prop(into)]
    name: Signal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let view = move || -> Option<StepView> {
        let name = name.get();
        state.run.last_good.with(|r| r.as_ref().and_then(|r| r.steps.iter().find(|s| s.name == name).cloned()))
    };
    // The rows become text only while the user looks at them.
    let open = RwSignal::new(false);
    let query = RwSignal::new(ResultQuery::default());
    let rows = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let step = view()?;
        Some(step.data.table().map(Arc::new).map_err(|e| e.to_string()))
    });
    let table = Signal::derive(move || rows.get().and_then(Result::ok));
    let problem = move || rows.get().and_then(Result::err);
    move || {
        view().map(|step| {
            let testid = format!("step-{}-rows", step.name);
            view! {
                <details
                    class="step-rows"
                    prop:open=move || open.get()
                    on:toggle=move |e| {
                        let opened = event_target::<web_sys::HtmlDetailsElement>(&e).open();
                        if opened {
                            state.lessons.saw(format!("rows:{}", name.get_untracked()));
                        }
                        open.set(opened);
                    }
                >
                    <summary data-testid=format!(
                        "{testid}-toggle",
                    )>{format!("Rows and columns ({})", step.columns.len())}</summary>
                    <p class="stats">{step.columns.join(" · ")}</p>
                    {move || problem().map(|p| view! { <p class="finding bad">{p}</p> })}
                    <DataGrid table query testid=testid />
                    <p class="stats">
                        <Downloads step=name />
                    </p>
                </details>
                <details
                    class="step-plan"
                    on:toggle=move |e| {
                        if event_target::<web_sys::HtmlDetailsElement>(&e).open() {
                            state.lessons.saw(format!("plan:{}", name.get_untracked()));
                        }
                    }
                >
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

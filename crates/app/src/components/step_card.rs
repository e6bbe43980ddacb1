//! One transform step: its name, its SQL and what it returned in the last run.

use leptos::prelude::*;

use crate::state::AppState;
use crate::view_model::group_digits;

/// A step's editor and its last result.
#[component]
pub fn StepCard(
    /// The step's position in the spec.
    index: usize,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = move || state.spec.with(|s| s.steps.get(index).map(|st| st.name.clone()).unwrap_or_default());
    let sql = move || state.spec.with(|s| s.steps.get(index).map(|st| st.sql.clone()).unwrap_or_default());
    let set_sql = move |text: String| {
        state.spec.update(|s| {
            if let Some(step) = s.steps.get_mut(index) {
                step.sql = text;
            }
        })
    };
    let failed = move || state.failure.with(|f| f.as_ref().and_then(|f| f.step.clone())) == Some(name());
    // The last good run's numbers for this step, matched by name.
    let stats = move || {
        let name = name();
        state.last_good.with(|run| {
            run.as_ref().and_then(|r| r.steps.iter().find(|s| s.name == name)).map(|s| {
                format!("{} rows · {:.0} ms · {}", group_digits(s.row_count), s.elapsed_ms, s.columns.join(", "))
            })
        })
    };
    view! {
        <article class="step" class:failed=failed data-testid=move || format!("step-{}", name())>
            <header>
                <h2>{name}</h2>
                <span class="stats" data-testid=move || format!("step-{}-stats", name())>
                    {move || stats().unwrap_or_else(|| "not run yet".into())}
                </span>
            </header>
            <textarea
                spellcheck="false"
                rows="10"
                aria-label=move || format!("SQL of {}", name())
                data-testid=move || format!("step-{}-sql", name())
                prop:value=sql
                on:input=move |e| set_sql(event_target_value(&e))
            ></textarea>
        </article>
    }
}

//! One transform step: its name, its SQL, its controls and what it returned in the last run.

use leptos::prelude::*;

use super::step_details::StepDetails;
use super::CodeEditor;
use crate::editor::Language;
use crate::state::{AppState, RunError};
use crate::view_model::{group_digits, ErrorMark};

/// A step's editor, its controls (rename, move, remove) and its last result.
#[component]
pub fn StepCard(
    /// The step's position in the spec.
    index: usize,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let reveal = RwSignal::new(0usize);
    let name = move || state.spec.with(|s| s.steps.get(index).map(|st| st.name.clone()).unwrap_or_default());
    let sql = move || state.spec.with(|s| s.steps.get(index).map(|st| st.sql.clone()).unwrap_or_default());
    let count = move || state.spec.with(|s| s.steps.len());
    let edit = move |f: &dyn Fn(&mut dataflow_engine::PipelineSpec)| state.spec.update(|s| f(s));
    // The latest failure, when it belongs to this step.
    let failure = move || match state.run.error.get() {
        Some(RunError::Failed(f)) if f.step.as_deref() == Some(name().as_str()) => Some(f),
        _ => None,
    };
    let stats = move || {
        let name = name();
        state.run.last_good.with(|run| {
            run.as_ref()
                .and_then(|r| r.steps.iter().find(|s| s.name == name))
                .map(|s| format!("{} rows · {:.0} ms", group_digits(s.row_count), s.elapsed_ms))
        })
    };
    // The source's columns and those of the steps before this one (as they last ran), offered as you
    // type. Memos, so a keystroke neither rereads the source's schema nor reconfigures the editor.
    let source = Memo::new(move |_| state.spec.with(|s| s.source.clone()));
    let source_columns = Memo::new(move |_| {
        source.track();
        let schema = state.spec.with_untracked(|spec| state.sources.schema(spec)).ok()?;
        Some(schema.fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>())
    });
    let earlier = Memo::new(move |_| {
        state.spec.with(|s| s.steps.iter().take(index).map(|st| st.name.clone()).collect::<Vec<_>>())
    });
    let tables = Memo::new(move |_| {
        let mut tables = Vec::new();
        if let Some(columns) = source_columns.get() {
            tables.push((dataflow_engine::SOURCE_TABLE.to_string(), columns));
        }
        state.run.last_good.with(|run| {
            for step in earlier.get().iter().filter_map(|name| run.as_ref()?.steps.iter().find(|s| &s.name == name)) {
                tables.push((step.name.clone(), step.data.schema.fields().iter().map(|f| f.name().clone()).collect()));
            }
        });
        tables
    });
    // The error's place in this step's text, marked in the editor.
    let mark = Signal::derive(move || {
        let failure = failure()?;
        ErrorMark::at(&sql(), failure.at?, &failure.message)
    });
    view! {
        <article class="step" class:failed=move || failure().is_some() data-testid=move || format!("step-{}", name())>
            <header>
                <input
                    class="step-name"
                    aria-label="Step name"
                    data-testid=move || format!("step-{}-name", name())
                    prop:value=name
                    on:change=move |e| {
                        let value = event_target_value(&e);
                        edit(&|s| s.rename_step(index, &value));
                    }
                />
                <span class="stats" data-testid=move || format!("step-{}-stats", name())>
                    {move || stats().unwrap_or_else(|| "not run yet".into())}
                </span>
                <span class="step-tools">
                    <button
                        title="Move this step up"
                        aria-label="Move step up"
                        disabled=move || index == 0
                        on:click=move |_| edit(&|s| s.move_step(index, true))
                    >
                        "↑"
                    </button>
                    <button
                        title="Move this step down"
                        aria-label="Move step down"
                        disabled=move || { index + 1 >= count() }
                        on:click=move |_| edit(&|s| s.move_step(index, false))
                    >
                        "↓"
                    </button>
                    <button
                        title="Remove this step"
                        aria-label="Remove step"
                        disabled=move || { count() <= 1 }
                        on:click=move |_| edit(&|s| s.remove_step(index))
                    >
                        "✕"
                    </button>
                </span>
            </header>
            <CodeEditor
                text=Signal::derive(sql)
                on_change=move |value: String| edit(
                    &|s| {
                        if let Some(step) = s.steps.get_mut(index) {
                            step.sql = value.clone();
                        }
                    },
                )
                language=Language::Sql
                label=Signal::derive(move || format!("SQL of {}", name()))
                testid=Signal::derive(move || format!("step-{}-sql", name()))
                mark
                reveal
                tables
            />
            {move || {
                failure()
                    .and_then(|f| f.at)
                    .map(|at| {
                        view! {
                            <button
                                class="error-place"
                                data-testid=move || format!("step-{}-error-at", name())
                                on:click=move |_| reveal.update(|n| *n += 1)
                            >
                                {format!("Error at {at}: show it")}
                            </button>
                        }
                    })
            }}
            <StepDetails name=Signal::derive(name) />
        </article>
    }
}

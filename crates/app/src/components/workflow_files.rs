//! The article's three workflow files, written from the spec: shown, editable, and applied back
//! to the spec only when all three read (with line and column errors otherwise).

use dataflow_engine::workflow::{backfill_yaml, daily_yaml, main_yaml};
use leptos::prelude::*;

use super::CodeEditor;
use crate::editor::Language;
use crate::state::{AppState, Tab};

const FILES: [&str; 3] = ["main.sch.yaml", "daily.sch.yaml", "backfill.sch.yaml"];

/// `main.sch.yaml`, `daily.sch.yaml` and `backfill.sch.yaml`.
#[component]
pub fn WorkflowFiles() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = RwSignal::new(0usize);
    // The files as the spec writes them, and the user's edits (None: not edited).
    // Written only while the Workflow tab is on screen, not on every keystroke elsewhere.
    let written = Memo::new(move |_| {
        if state.tab.get() != Tab::Workflow {
            return [String::new(), String::new(), String::new()];
        }
        state.spec.with(|s| [main_yaml(s), daily_yaml(s), backfill_yaml(s)])
    });
    let edits = RwSignal::new([None::<String>, None, None]);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let text = Signal::derive(move || {
        let i = shown.get();
        edits
            .with(|e| e.get(i).cloned().flatten())
            .unwrap_or_else(|| written.with(|w| w.get(i).cloned().unwrap_or_default()))
    });
    let apply = move |_| {
        let files: Vec<String> = (0..3)
            .map(|i| {
                edits
                    .with(|e| e.get(i).cloned().flatten())
                    .unwrap_or_else(|| written.with(|w| w.get(i).cloned().unwrap_or_default()))
            })
            .collect();
        let mut spec = state.spec.get_untracked();
        match spec.apply_workflow_files(&files[0], &files[1], &files[2]) {
            Ok(()) => {
                state.spec.set(spec);
                edits.set([None, None, None]);
                outcome.set(Some(Ok(())));
            }
            Err(e) => outcome.set(Some(Err(e.to_string()))),
        }
    };
    view! {
        <section class="workflow-files" aria-label="Workflow files" data-testid="workflow-files">
            <h3>"Workflow files"</h3>
            <div class="view-switch" role="tablist">
                {FILES
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| {
                        view! {
                            <button
                                role="tab"
                                aria-pressed=move || (shown.get() == i).to_string()
                                data-testid=format!("workflow-file-{name}")
                                on:click=move |_| shown.set(i)
                            >
                                {name}
                                {move || edits.with(|e| e.get(i).is_some_and(Option::is_some)).then_some(" •")}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <CodeEditor
                text
                on_change=move |value: String| {
                    let i = shown.get_untracked();
                    edits
                        .update(|e| {
                            if let Some(slot) = e.get_mut(i) {
                                *slot = Some(value);
                            }
                        });
                }
                language=Language::Yaml
                label="Workflow file".to_string()
                testid="workflow-yaml".to_string()
            />
            <button
                data-testid="apply-workflow"
                disabled=move || edits.with(|e| e.iter().all(Option::is_none))
                on:click=apply
            >
                "Apply the edited files to the pipeline"
            </button>
            " "
            <button
                disabled=move || edits.with(|e| e.iter().all(Option::is_none))
                on:click=move |_| {
                    edits.set([None, None, None]);
                    outcome.set(None);
                }
            >
                "Discard edits"
            </button>
            {move || {
                outcome
                    .get()
                    .map(|o| match o {
                        Ok(()) => {
                            view! {
                                <p class="finding good" data-testid="workflow-applied">
                                    "Applied: the audits, metadata and schedules now come from these files."
                                </p>
                            }
                                .into_any()
                        }
                        Err(why) => {
                            view! {
                                <p class="finding bad" data-testid="workflow-error">
                                    {why}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </section>
    }
}

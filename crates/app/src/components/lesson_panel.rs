//! The lesson panel: the open lesson's steps, ticked as the app's state shows them done, which
//! follows the user across tabs. Its own component because it lives outside the tabs and does
//! the ticking (and saving) of progress, which the Learn tab only shows.

use dataflow_engine::RunStatus;
use leptos::prelude::*;

use crate::lessons::{lessons, Facts};
use crate::state::AppState;
use crate::workflow_state::WorkflowState;

/// The app's state as the lessons see it.
fn facts(state: AppState, wf: WorkflowState) -> Facts {
    let (ran_top_n, output_rows, ran_steps) = state
        .run
        .last_good
        .with(|r| r.as_ref().map_or((None, None, 0), |r| (Some(r.top_n), Some(r.output.rows.len()), r.steps.len())));
    let sample_expected = dataflow_engine::spec::Mocks::sample().expected;
    Facts {
        tab: state.tab.get().id().to_string(),
        top_n: state.spec.with(|s| s.params.top_n),
        ran_top_n,
        output_rows,
        ran_steps,
        seen: state.lessons.seen.get(),
        unit_test: state.unit_test.with(|t| t.as_ref().and_then(|r| r.as_ref().ok()).map(|d| d.passed())),
        expected_edited: state.spec.with(|s| s.mocks.expected != sample_expected),
        last_wap: wf.last_run.with(|r| {
            r.as_ref().map(|r| match r.status {
                RunStatus::Published => "published",
                RunStatus::Blocked => "blocked",
                RunStatus::Failed => "failed",
            })
        }),
    }
}

/// The open lesson's steps, ticked as the app's state shows them done.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wf = expect_context::<WorkflowState>();
    // Each change of the app's state may finish the current step; progress is saved as it moves.
    Effect::new(move |_| {
        // Without an open lesson there is nothing to tick: no work on every edit.
        if state.lessons.progress.with(|p| p.open.is_none()) {
            return;
        }
        let facts = facts(state, wf);
        let mut progress = state.lessons.progress.get_untracked();
        if progress.advance(&facts) {
            crate::persist::save_lesson_progress(&progress);
            state.lessons.progress.set(progress);
        }
    });
    Effect::new(move |_| crate::persist::save_lesson_progress(&state.lessons.progress.get()));
    move || {
        let progress = state.lessons.progress.get();
        let number = progress.open?;
        let lesson = lessons().into_iter().nth(number.checked_sub(1)?)?;
        let current = progress.current();
        let done = progress.done.get(&number).cloned().unwrap_or_default();
        Some(view! {
            <aside class="lesson-panel" aria-label="Lesson" data-testid="lesson-panel">
                <header>
                    <strong>{format!("Lesson {number}: {}", lesson.title)}</strong>
                    <button
                        aria-label="Leave the lesson"
                        title="Leave (it resumes where you were)"
                        data-testid="lesson-leave"
                        on:click=move |_| state.lessons.leave()
                    >
                        "✕"
                    </button>
                </header>
                <ol>
                    {lesson
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, step)| {
                            let status = if done.contains(&i) {
                                "done"
                            } else if current == Some(i) {
                                "current"
                            } else {
                                "later"
                            };
                            view! {
                                <li class=status data-testid=format!("lesson-step-{}", i + 1) data-status=status>
                                    {if status == "done" { "✓ " } else { "" }}
                                    {step.task}
                                    {(status == "current").then(|| view! { <p class="stats">{step.hint}</p> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {current
                    .is_none()
                    .then(|| {
                        view! {
                            <p class="finding good" data-testid="lesson-finished">
                                "Lesson complete."
                            </p>
                        }
                    })}
            </aside>
        })
    }
}

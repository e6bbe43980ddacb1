//! The Learn tab (every lesson, with its link and progress) and the lesson panel that follows the
//! user across tabs while a lesson is open.

use leptos::prelude::*;

use crate::lessons::{lessons, Facts};
use crate::state::{AppState, Tab};
use crate::workflow_state::WorkflowState;
use dataflow_engine::RunStatus;

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

/// Every lesson: what it teaches, how far the user got, and its own link.
#[component]
pub fn LearnTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A lesson starts where its first steps happen: the pipeline (later steps say which tab).
    let open = move |n: usize| {
        state.lessons.open(n);
        state.tab.set(Tab::Pipeline);
    };
    view! {
        <section class="learn" aria-label="Lessons">
            <h2>"Lessons"</h2>
            <p class="stats">
                "Each lesson checks what you do in the app itself. Leave one at any time: it resumes where you were. Send a lesson's link to a new colleague to start them there."
            </p>
            <ol class="lesson-list">
                {lessons()
                    .into_iter()
                    .enumerate()
                    .map(|(i, lesson)| {
                        let n = i + 1;
                        let total = lesson.steps.len();
                        let done = move || state.lessons.progress.with(|p| p.done.get(&n).map_or(0, |d| d.len()));
                        view! {
                            <li data-testid=format!("lesson-{n}")>
                                <strong>{lesson.title}</strong>
                                <p class="stats">{lesson.goal}</p>
                                <button data-testid=format!("lesson-{n}-start") on:click=move |_| open(n)>
                                    {move || match done() {
                                        0 => "Start".to_string(),
                                        d if d == total => "Open again".into(),
                                        _ => "Resume".into(),
                                    }}
                                </button>
                                " "
                                <span class="stats">{move || format!("{} of {total} done", done())}</span>
                                " "
                                <a href=format!("?lesson={n}") data-testid=format!("lesson-{n}-link")>
                                    "Link to this lesson"
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
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

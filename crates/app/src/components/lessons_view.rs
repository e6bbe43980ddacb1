//! The Learn tab: every lesson, with its link and progress. The open lesson's steps are shown by
//! `LessonPanel`.

use leptos::prelude::*;

use crate::lessons::lessons;
use crate::state::{AppState, Tab};

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

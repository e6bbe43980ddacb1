//! One mock's YAML in an editor, checked as it is typed.

use leptos::prelude::*;

use super::{CodeEditor, MockGrid};
use crate::editor::Language;
use crate::mocks::{check_with_place, MockSlot};
use crate::state::AppState;
use crate::view_model::{ErrorMark, TextPos};

/// A mock's editor and its findings (with YAML line numbers).
#[component]
pub fn MockEditor(
    /// Which mock this edits (`slot` is a word Leptos keeps for itself).
    which: MockSlot,
    /// The file name the article's layout gives it.
    file_name: &'static str,
    /// What the mock is for, in a sentence.
    about: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let slot = which;
    let id = match slot {
        MockSlot::Input => "input",
        MockSlot::Expected => "expected",
    };
    let as_grid = RwSignal::new(false);
    let text = move || state.spec.with(|s| slot.text(s).to_string());
    let checked = Memo::new(move |_| state.spec.with(|s| check_with_place(slot, s)));
    // The first problem, marked in the editor: its column when known, else its whole line.
    let mark = Signal::derive(move || {
        let (line, column, message) = checked.with(|c| c.first.clone())?;
        state.spec.with(|s| match column {
            Some(column) => ErrorMark::at(slot.text(s), TextPos { line, column }, &message),
            None => ErrorMark::line(slot.text(s), line, &message),
        })
    });
    let status = move || match checked.get().outcome {
        Err(message) => view! { <li class="finding bad">{message}</li> }.into_any(),
        Ok((rows, findings)) if findings.is_empty() => {
            view! { <li class="finding good">{format!("{rows} rows, no problems")}</li> }.into_any()
        }
        Ok((_, findings)) => {
            findings.into_iter().map(|f| view! { <li class="finding bad">{f}</li> }).collect_view().into_any()
        }
    };
    view! {
        <section class="mock" aria-label=file_name>
            <h2>
                <code>{format!("src/mocks/{file_name}")}</code>
            </h2>
            <p class="stats">{about}</p>
            <div class="view-switch" role="group" aria-label="Edit as">
                <button
                    aria-pressed=move || (!as_grid.get()).to_string()
                    data-testid=format!("mock-{id}-as-yaml")
                    on:click=move |_| as_grid.set(false)
                >
                    "YAML"
                </button>
                <button
                    aria-pressed=move || as_grid.get().to_string()
                    data-testid=format!("mock-{id}-as-grid")
                    on:click=move |_| as_grid.set(true)
                >
                    "Grid"
                </button>
            </div>
            <div class:hidden=as_grid>
                <CodeEditor
                    text=Signal::derive(text)
                    on_change=move |value: String| state.spec.update(|s| slot.set(s, value))
                    language=Language::Yaml
                    label=format!("YAML of {file_name}")
                    testid=format!("mock-{id}")
                    mark
                />
            </div>
            {move || {
                as_grid
                    .get()
                    .then(|| {
                        view! { <MockGrid which=slot id=if id == "input" { "mock-input" } else { "mock-expected" } /> }
                    })
            }}
            <ul class="findings" data-testid=format!("mock-{id}-findings")>
                {status}
            </ul>
        </section>
    }
}

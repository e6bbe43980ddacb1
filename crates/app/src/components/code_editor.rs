//! A code editor (CodeMirror 6: highlighting, line numbers, error marks) bound to a text signal.

use leptos::html::Div;
use leptos::prelude::*;

use crate::editor::{Editor, ErrorMark, Language, Tables};

/// An editor for SQL or YAML. It shows `text`, reports each edit through `on_change`, and marks
/// `mark`. If the editor script could not load, a plain text area takes its place, with the reason.
#[component]
pub fn CodeEditor(
    /// The text to show; when it changes from outside (a reset, a generated mock), the editor follows.
    #[prop(into)]
    text: Signal<String>,
    /// Gets the whole text after each edit the user makes.
    #[prop(into)]
    on_change: Callback<String>,
    /// SQL or YAML highlighting.
    language: Language,
    /// What assistive technology announces for the editor.
    #[prop(into)]
    label: Signal<String>,
    /// The editor's `data-testid`.
    #[prop(into)]
    testid: Signal<String>,
    /// An error to mark in the text, if any.
    #[prop(optional, into)]
    mark: Signal<Option<ErrorMark>>,
    /// Each change of this number moves the cursor to the mark ("show it").
    #[prop(optional, into)]
    reveal: Signal<usize>,
    /// Tables whose columns an SQL editor offers as you type.
    #[prop(optional, into)]
    tables: Signal<Tables>,
    /// A viewer: the text cannot be edited.
    #[prop(optional)]
    read_only: bool,
) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    let editor = StoredValue::new_local(None::<Editor>);
    let broken = RwSignal::new(None::<String>);
    // Set once the editor exists, so what waits for it (its tables) is given to it then.
    let ready = RwSignal::new(false);
    // A failed call after creation is shown like a failed creation: the text area stays usable.
    let report = move |result: Result<(), String>| {
        if let Err(e) = result {
            broken.set(Some(e));
        }
    };
    Effect::new(move |_| {
        let Some(el) = host.get() else { return };
        // Created after the page's first result (crate::editor): its text shows until then.
        if !crate::editor::may_start() || editor.with_value(Option::is_some) || broken.get_untracked().is_some() {
            return;
        }
        let label = label.get_untracked();
        match Editor::create(&el, &text.get_untracked(), language, &label, move |t| on_change.run(t), read_only) {
            Ok(created) => {
                report(created.mark(mark.get_untracked().as_ref(), false));
                editor.set_value(Some(created));
                ready.set(true);
            }
            Err(e) => broken.set(Some(e)),
        }
    });
    Effect::new(move |_| {
        let text = text.get();
        editor.with_value(|e| e.as_ref().map(|e| report(e.set_text(&text))));
    });
    Effect::new(move |_| {
        let mark = mark.get();
        editor.with_value(|e| e.as_ref().map(|e| report(e.mark(mark.as_ref(), false))));
    });
    Effect::new(move |_| {
        let tables = tables.get();
        if ready.get() && language == Language::Sql && !tables.is_empty() {
            editor.with_value(|e| e.as_ref().map(|e| report(e.set_schema(&tables))));
        }
    });
    Effect::new(move |previous: Option<usize>| {
        let now = reveal.get();
        if previous.is_some_and(|p| p != now) {
            editor.with_value(|e| e.as_ref().map(|e| report(e.mark(mark.get_untracked().as_ref(), true))));
        }
        now
    });
    on_cleanup(move || editor.set_value(None));
    view! {
        <div class="code-editor" node_ref=host data-testid=testid>
            {move || {
                (!ready.get() && broken.get().is_none()).then(|| view! { <pre class="code-text">{text}</pre> })
            }}
            {move || {
                broken
                    .get()
                    .map(|reason| {
                        view! {
                            <p class="finding bad">
                                {format!("The code editor could not load ({reason}); a plain text box stands in.")}
                            </p>
                            <textarea
                                spellcheck="false"
                                rows="10"
                                aria-label=label
                                prop:value=text
                                readonly=read_only
                                on:input=move |e| on_change.run(event_target_value(&e))
                            ></textarea>
                        }
                    })
            }}
        </div>
    }
}

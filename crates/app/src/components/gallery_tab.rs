//! The template gallery: a card per recipe, the options, the project's file tree, every file
//! previewed with highlighting or as a diff against the default template, and "Download zip"
//! (built in wasm by the templates crate, handed to the browser as a Blob).

use dataflow_templates::{render, render_default, Recipe};
use leptos::prelude::*;

use super::file_diff::FileDiff;
use super::gallery_options::GalleryOptions;
use super::gallery_parts::{FileTree, RecipeCards};
use super::CodeEditor;
use crate::gallery::{language, transform_path, OptionEdits};
use crate::state::{AppState, Tab};

/// The Gallery tab.
#[component]
pub fn GalleryTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let recipe = RwSignal::new(Recipe::Pyspark);
    let edits = RwSignal::new(OptionEdits::default());
    let options =
        Memo::new(move |_| state.spec.with(|s| edits.with(|e| e.options(recipe.get(), s).map_err(|e| e.to_string()))));
    let project = Memo::new(move |_| {
        let options = options.get()?;
        state.spec.with(|s| render(s, &options)).map_err(|e| e.to_string())
    });
    let defaults = Memo::new(move |_| options.get().ok().and_then(|o| render_default(&o).ok()));
    let selected = RwSignal::new(None::<String>);
    let as_diff = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let shown_path = move || {
        let project = project.get().ok()?;
        selected.get().filter(|p| project.file(p).is_some()).or_else(|| transform_path(&project))
    };
    let shown_text = Signal::derive(move || {
        let path = shown_path()?;
        project.with(|p| p.as_ref().ok().and_then(|p| p.file(&path).map(|f| f.contents.clone())))
    });
    view! {
        <section class="gallery" aria-label="Template gallery">
            <RecipeCards recipe selected edits problem />
            <GalleryOptions options edits />
            {move || {
                problem
                    .get()
                    .map(|p| {
                        view! {
                            <p class="finding bad" data-testid="gallery-problem">
                                {p}
                            </p>
                        }
                    })
            }}
            // Rendering a project is real work: only while the gallery is on screen.
            <Show when=move || {
                state.tab.get() == Tab::Gallery
            }>
                {move || match project.get() {
                    Err(e) => {
                        view! {
                            <p class="finding bad" data-testid="gallery-error">
                                {e}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        view! {
                            <ul class="findings">
                                {p.notes.iter().map(|n| view! { <li class="finding">{n.clone()}</li> }).collect_view()}
                            </ul>
                            <div class="gallery-body">
                                <FileTree project=p.clone() shown=Signal::derive(shown_path) selected />
                                <div class="file-preview">
                                    <p>
                                        <strong data-testid="preview-path">
                                            {move || shown_path().unwrap_or_default()}
                                        </strong>
                                        " "
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                data-testid="show-diff"
                                                prop:checked=as_diff
                                                on:change=move |e| as_diff.set(event_target_checked(&e))
                                            />
                                            " diff against the default template"
                                        </label>
                                    </p>
                                    <Show
                                        when=move || !as_diff.get()
                                        fallback=move || {
                                            view! {
                                                <FileDiff
                                                    path=Signal::derive(move || shown_path().unwrap_or_default())
                                                    project=Signal::derive(move || project.get().ok())
                                                    defaults=Signal::derive(move || defaults.get())
                                                />
                                            }
                                        }
                                    >
                                        {move || {
                                            let lang = shown_path()
                                                .and_then(|path| {
                                                    project
                                                        .with(|p| {
                                                            p.as_ref()
                                                                .ok()
                                                                .and_then(|p| p.file(&path).map(|f| language(f.language())))
                                                        })
                                                });
                                            lang.map(|lang| {
                                                view! {
                                                    <CodeEditor
                                                        text=Signal::derive(move || {
                                                            shown_text.get().unwrap_or_default()
                                                        })
                                                        on_change=|_: String| {}
                                                        language=lang
                                                        label="Template file".to_string()
                                                        testid="file-preview".to_string()
                                                        read_only=true
                                                    />
                                                }
                                            })
                                        }}
                                    </Show>
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </Show>
        </section>
    }
}

//! The template gallery: a card per recipe, the options, the project's file tree, every file
//! previewed with highlighting or as a diff against the default template, and "Download zip"
//! (built in wasm by the templates crate, handed to the browser as a Blob).

use dataflow_templates::{render, render_default, Recipe};
use leptos::prelude::*;

use super::file_diff::FileDiff;
use super::CodeEditor;
use crate::gallery::{language, project_zip, transform_path, OptionEdits};
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
    let download = move |r: Recipe| {
        let zipped = state.spec.with_untracked(|s| edits.with_untracked(|e| project_zip(s, e, r)));
        match zipped.and_then(|(name, bytes)| crate::browser::download(&name, "application/zip", &bytes)) {
            Ok(()) => {
                problem.set(None);
                state.lessons.saw(format!("download:{}", r.name()));
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    let field = move |label: &'static str,
                      testid: &'static str,
                      get: fn(&dataflow_templates::Options) -> String,
                      set: fn(&mut OptionEdits, String)| {
        view! {
            <label>
                {label}" "
                <input
                    data-testid=testid
                    prop:value=move || options.get().map(|o| get(&o)).unwrap_or_default()
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        edits.update(|x| set(x, v))
                    }
                />
            </label>
        }
    };
    view! {
        <section class="gallery" aria-label="Template gallery">
            <div class="recipe-cards">
                {Recipe::ALL
                    .into_iter()
                    .map(|r| {
                        view! {
                            <div
                                class="recipe-card"
                                class:chosen=move || recipe.get() == r
                                data-testid=format!("recipe-{}", r.name())
                            >
                                <h3>{r.title()}</h3>
                                <code>{format!("dataflow sample workflow {}", r.name())}</code>
                                <p>
                                    <button
                                        data-testid=format!("recipe-{}-open", r.name())
                                        on:click=move |_| {
                                            recipe.set(r);
                                            selected.set(None);
                                        }
                                    >
                                        "Open"
                                    </button>
                                    " "
                                    <button
                                        class="primary"
                                        data-testid=format!("recipe-{}-zip", r.name())
                                        on:click=move |_| download(r)
                                    >
                                        "Download zip"
                                    </button>
                                </p>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="gallery-options">
                {field("Short name", "opt-short-name", |o| o.short_name.clone(), |e, v| e.short_name = Some(v))}
                {field("Workflow id", "opt-workflow-id", |o| o.workflow_id.clone(), |e, v| e.workflow_id = Some(v))}
                {field("Target db", "opt-target-db", |o| o.target_db.clone(), |e, v| e.target_db = Some(v))}
                {field("Top N", "opt-top-n", |o| o.top_n.to_string(), |e, v| e.top_n = Some(v))}
                <button on:click=move |_| edits.set(OptionEdits::default())>"Options from the pipeline"</button>
            </div>
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
                                <ul class="file-tree" data-testid="file-tree">
                                    {p
                                        .tree()
                                        .into_iter()
                                        .map(|entry| {
                                            let indent = format!("padding-left: {}rem", entry.depth as f32 * 1.1);
                                            match entry.file {
                                                None => {
                                                    view! {
                                                        <li style=indent class="dir">
                                                            {format!("{}/", entry.name)}
                                                        </li>
                                                    }
                                                        .into_any()
                                                }
                                                Some(path) => {
                                                    let for_click = path.clone();
                                                    let for_class = path.clone();
                                                    view! {
                                                        <li style=indent>
                                                            <button
                                                                class="file"
                                                                data-testid=format!("file-{path}")
                                                                class:chosen=move || {
                                                                    shown_path().as_deref() == Some(for_class.as_str())
                                                                }
                                                                on:click=move |_| {
                                                                    state.lessons.saw(format!("file:{for_click}"));
                                                                    selected.set(Some(for_click.clone()));
                                                                }
                                                            >
                                                                {entry.name}
                                                            </button>
                                                        </li>
                                                    }
                                                        .into_any()
                                                }
                                            }
                                        })
                                        .collect_view()}
                                </ul>
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

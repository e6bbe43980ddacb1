//! The gallery's parts: the recipe cards (open a recipe, download its zip) and a project's file
//! tree (a click shows the file). They read the gallery's signals and dispatch; the zip is built
//! by `gallery::project_zip`.

use dataflow_templates::{Project, Recipe};
use leptos::prelude::*;

use crate::gallery::{project_zip, OptionEdits};
use crate::state::AppState;

/// A card per recipe: "Open" shows its project, "Download zip" saves it with the user's options.
#[component]
pub fn RecipeCards(
    recipe: RwSignal<Recipe>,
    selected: RwSignal<Option<String>>,
    edits: RwSignal<OptionEdits>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
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
    view! {
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
    }
}

/// A project's folders and files; the file shown is marked.
#[component]
pub fn FileTree(project: Project, shown: Signal<Option<String>>, selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <ul class="file-tree" data-testid="file-tree">
            {project
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
                                        class:chosen=move || { shown.get().as_deref() == Some(for_class.as_str()) }
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
    }
}

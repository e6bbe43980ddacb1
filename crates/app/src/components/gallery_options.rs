//! The gallery's options: short name, workflow id, target db and top N, taken from the pipeline
//! until the user edits one (an edit stays in its field, also when it is refused). Its own component because its fields are rendered alike, by one
//! helper, apart from the recipe cards and the preview.

use dataflow_templates::Options;
use leptos::prelude::*;

use crate::gallery::OptionEdits;

/// A field per option, and a button back to the pipeline's options.
#[component]
pub fn GalleryOptions(options: Memo<Result<Options, String>>, edits: RwSignal<OptionEdits>) -> impl IntoView {
    let field = move |label: &'static str,
                      testid: &'static str,
                      get: fn(&Options) -> String,
                      edited: fn(&OptionEdits) -> Option<String>,
                      set: fn(&mut OptionEdits, String)| {
        // What the user typed stays in its field, also while the options it gives are refused.
        let value = move || edits.with(edited).or_else(|| options.get().ok().map(|o| get(&o))).unwrap_or_default();
        view! {
            <label>
                {label}" "
                <input
                    data-testid=testid
                    prop:value=value
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        edits.update(|x| set(x, v))
                    }
                />
            </label>
        }
    };
    view! {
        <div class="gallery-options">
            {field(
                "Short name",
                "opt-short-name",
                |o| o.short_name.clone(),
                |e| e.short_name.clone(),
                |e, v| e.short_name = Some(v),
            )}
            {field(
                "Workflow id",
                "opt-workflow-id",
                |o| o.workflow_id.clone(),
                |e| e.workflow_id.clone(),
                |e, v| e.workflow_id = Some(v),
            )}
            {field(
                "Target db",
                "opt-target-db",
                |o| o.target_db.clone(),
                |e| e.target_db.clone(),
                |e, v| e.target_db = Some(v),
            )} {field("Top N", "opt-top-n", |o| o.top_n.to_string(), |e| e.top_n.clone(), |e, v| e.top_n = Some(v))}
            <button on:click=move |_| edits.set(OptionEdits::default())>"Options from the pipeline"</button>
        </div>
    }
}

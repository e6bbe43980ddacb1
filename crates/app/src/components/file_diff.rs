//! A gallery file against the same file of the default template, line by line (the diff itself
//! is [`crate::gallery::line_diff`]).

use dataflow_templates::Project;
use leptos::prelude::*;

use crate::gallery::{line_diff, DiffLine};

/// A file of the user's project against the same file of the default template, line by line.
#[component]
pub fn FileDiff(
    /// The file's path in the project.
    #[prop(into)]
    path: Signal<String>,
    /// The user's project.
    #[prop(into)]
    project: Signal<Option<Project>>,
    /// The default template with the same options.
    #[prop(into)]
    defaults: Signal<Option<Project>>,
) -> impl IntoView {
    move || {
        let path = path.get();
        let new = project.with(|p| p.as_ref().and_then(|p| p.file(&path).map(|f| f.contents.clone())))?;
        let old = defaults.with(|p| p.as_ref().and_then(|p| p.file(&path).map(|f| f.contents.clone())));
        let Some(old) = old else {
            return Some(
                view! {
                    <p class="stats" data-testid="diff">
                        "Not in the default template: a new file."
                    </p>
                }
                .into_any(),
            );
        };
        let Some(lines) = line_diff(&old, &new) else {
            return Some(
                view! {
                    <p class="stats" data-testid="diff">
                        "Too large to compare line by line."
                    </p>
                }
                .into_any(),
            );
        };
        let changed = lines.iter().filter(|l| !matches!(l, DiffLine::Same(_))).count();
        Some(
            view! {
                <p class="stats" data-testid="diff-summary">
                    {if changed == 0 {
                        "Same as the default template.".to_string()
                    } else {
                        format!("{changed} line(s) differ from the default template.")
                    }}
                </p>
                <pre class="diff" data-testid="diff">
                    {lines
                        .into_iter()
                        .map(|l| match l {
                            DiffLine::Same(t) => view! { <span class="same">{format!("  {t}\n")}</span> }.into_any(),
                            DiffLine::Added(t) => view! { <ins>{format!("+ {t}\n")}</ins> }.into_any(),
                            DiffLine::Removed(t) => view! { <del>{format!("- {t}\n")}</del> }.into_any(),
                        })
                        .collect_view()}
                </pre>
            }
            .into_any(),
        )
    }
}

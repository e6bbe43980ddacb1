//! The audits the output's profile suggests, each with the fact it comes from and the entry
//! `main.sch.yaml` will hold; "Add to the workflow" appends it to the workflow's audits, where
//! the Workflow tab lists it and the next WAP run runs it.

use leptos::prelude::*;

use crate::profiles::SuggestionLine;
use crate::state::{AppState, Phase};

/// "Suggest audits" and the suggestions.
#[component]
pub fn SuggestedAudits() -> impl IntoView {
    let state = expect_context::<AppState>();
    let profiles = state.profiles;
    let suggest = move |_| profiles.suggest(state.spec.get_untracked());
    view! {
        <div class="suggestions" data-testid="suggestions">
            <button data-testid="suggest-audits" on:click=suggest>
                "Suggest audits"
            </button>
            {move || match profiles.suggestions.get() {
                Phase::Idle => ().into_any(),
                Phase::Working => view! { <p class="stats">"Looking for audits the data satisfies…"</p> }.into_any(),
                Phase::Failed(e) => view! { <p class="banner error">{e}</p> }.into_any(),
                Phase::Ready(lines) if lines.is_empty() => {
                    view! {
                        <p data-testid="no-suggestion">
                            "No audit to suggest: the workflow checks every fact of this profile already."
                        </p>
                    }
                        .into_any()
                }
                Phase::Ready(lines) => {
                    let items = lines.iter().cloned().map(|line| view! { <Suggestion line /> }).collect_view();
                    view! { <ul class="suggestion-list">{items}</ul> }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn Suggestion(line: SuggestionLine) -> impl IntoView {
    let state = expect_context::<AppState>();
    let audit = line.audit.clone();
    let wanted = audit.clone();
    let added = Memo::new(move |_| state.spec.with(|s| s.workflow.audits.contains(&wanted)));
    let add = move |_| {
        if !added.get_untracked() {
            state.spec.update(|s| s.workflow.audits.push(audit.clone()));
        }
    };
    view! {
        <li data-testid="suggestion">
            <p class="stats">{line.because}</p>
            <pre>{line.yaml}</pre>
            <Show
                when=move || added.get()
                fallback=move || {
                    let add = add.clone();
                    view! {
                        <button data-testid="accept-suggestion" on:click=add>
                            "Add to the workflow"
                        </button>
                    }
                }
            >
                <span class="finding good" data-testid="accepted">
                    "In main.sch.yaml's audits"
                </span>
            </Show>
        </li>
    }
}

//! The Changes panel: what the latest run changed against the baseline (the previous run, or the
//! pinned one), per step, and the output's changed rows with old and new values side by side.
//! It reads `ChangesState` and dispatches pin and unpin.

use leptos::prelude::*;

use crate::changes::{ChangedRows, ChangesView, StepChange};
use crate::state::{AppState, Phase};
use crate::view_model::group_digits;

/// What the latest run changed.
#[component]
pub fn ChangesPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let changes = state.changes;
    let pinned = move || changes.pinned.get();
    let since = move || if pinned() { "since the pinned run" } else { "since the previous run" };
    let pin = move |_| changes.pin(state.run.last_good.get_untracked());
    let unpin = move |_| changes.unpin();
    view! {
        <section class="changes" aria-label="Changes" data-testid="changes">
            <header>
                <h2>"Changes " <span class="stats">{since}</span></h2>
                <label title="Comma-separated columns; empty pairs rows by the workflow's primary key">
                    "Pair rows by "
                    <input
                        data-testid="diff-key"
                        placeholder="the primary key"
                        prop:value=move || changes.key.get()
                        on:change=move |e| changes.set_key(event_target_value(&e))
                    />
                </label>
                <Show
                    when=pinned
                    fallback=move || {
                        view! {
                            <button data-testid="pin-baseline" on:click=pin title="Compare the next runs with this one">
                                "Pin this run as the baseline"
                            </button>
                        }
                    }
                >
                    <button data-testid="unpin-baseline" on:click=unpin>
                        "Unpin (compare with the previous run)"
                    </button>
                </Show>
            </header>
            {move || match changes.phase.get() {
                Phase::Idle => {
                    view! {
                        <p class="stats" data-testid="changes-status">
                            "Edit a step or a parameter and run: this panel shows what the run changed."
                        </p>
                    }
                        .into_any()
                }
                Phase::Working => {
                    view! {
                        <p class="stats" data-testid="changes-status">
                            "Comparing with the baseline…"
                        </p>
                    }
                        .into_any()
                }
                Phase::Failed(e) => {
                    view! {
                        <p class="banner error" data-testid="changes-status">
                            {e}
                        </p>
                    }
                        .into_any()
                }
                Phase::Ready(view) => view! { <ChangesBody view /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ChangesBody(view: std::sync::Arc<ChangesView>) -> impl IntoView {
    let nothing = (!view.any_change()).then(|| {
        view! { <p data-testid="changes-status">"Nothing changed: every step gives the same rows."</p> }
    });
    let steps = view.steps.iter().cloned().map(|step| view! { <StepLine step /> }).collect_view();
    let notes = view.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view();
    let rows = view.output.clone().filter(|o| !o.rows.is_empty()).map(|rows| view! { <RowsGrid rows /> });
    view! {
        {nothing}
        <ul class="change-steps">{steps} {notes}</ul>
        <p class="stats" data-testid="changes-compared">
            {view.compared.clone()}
        </p>
        {rows}
    }
}

#[component]
fn StepLine(step: StepChange) -> impl IntoView {
    let class = if step.changed { "changed" } else { "same" };
    let details = step.details.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view();
    view! {
        <li class=class data-testid=format!("change-{}", step.name)>
            <strong>{step.name.clone()}</strong>
            ": "
            <span data-testid="change-headline">{step.headline.clone()}</span>
            <ul>{details}</ul>
        </li>
    }
}

#[component]
fn RowsGrid(rows: ChangedRows) -> impl IntoView {
    let shown = rows.rows.len();
    let caption = if rows.total as usize > shown {
        format!("The output's first {shown} of {} rows added, removed or changed", group_digits(rows.total as usize))
    } else {
        format!("The output's {shown} rows added, removed or changed")
    };
    let headers = rows.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view();
    let body = rows
        .rows
        .into_iter()
        .map(|row| {
            let cells =
                row.into_iter().map(|c| view! { <td class:changed-cell=c.changed>{c.text}</td> }).collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="grid-scroll changes-scroll">
            <table class="changes-grid" data-testid="changes-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

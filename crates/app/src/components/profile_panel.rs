//! The Profile panel: the user picks the source or a step's result and asks for its profile
//! (per column: type, NULLs, distinct values, range, mean, frequent values, a histogram); the
//! output's profile offers suggested audits. It reads `ProfileState` and dispatches.

use std::sync::Arc;

use dataflow_engine::SOURCE_TABLE;
use leptos::prelude::*;

use super::SuggestedAudits;
use crate::profiles::{ColumnLine, CHART};
use crate::state::{AppState, Phase, Profiled};

/// The profile of a table, on demand.
#[component]
pub fn ProfilePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let profiles = state.profiles;
    let tables = move || {
        let steps = state.run.last_good.with(|r| r.as_ref().map(|r| r.steps.iter().map(|s| s.name.clone()).collect()));
        std::iter::once(SOURCE_TABLE.to_string()).chain(steps.unwrap_or_else(Vec::new)).collect::<Vec<_>>()
    };
    let working = move || matches!(profiles.phase.get(), Phase::Working);
    let start = move |_| {
        profiles.profile(state.spec.get_untracked(), state.sources, state.run.last_good.get_untracked());
    };
    view! {
        <section class="profile" aria-label="Profile" data-testid="profile">
            <header>
                <h2>"Profile"</h2>
                <label>
                    "Table "
                    <select
                        data-testid="profile-of"
                        prop:value=move || profiles.table.get()
                        on:change=move |e| profiles.table.set(event_target_value(&e))
                    >
                        {move || {
                            tables()
                                .into_iter()
                                .map(|t| view! { <option value=t.clone()>{t.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <Show
                    when=working
                    fallback=move || {
                        view! {
                            <button data-testid="profile-run" on:click=start>
                                "Profile"
                            </button>
                        }
                    }
                >
                    <button data-testid="profile-cancel" on:click=move |_| profiles.cancel()>
                        "Cancel"
                    </button>
                </Show>
            </header>
            {move || match profiles.phase.get() {
                Phase::Idle => {
                    view! {
                        <p class="stats" data-testid="profile-status">
                            "Per column: type, NULLs, distinct values, range, mean, the most frequent values and a histogram. The output's profile suggests audits."
                        </p>
                    }
                        .into_any()
                }
                Phase::Working => {
                    view! {
                        <p class="stats" data-testid="profile-status">
                            "Profiling…"
                        </p>
                    }
                        .into_any()
                }
                Phase::Failed(e) => {
                    view! {
                        <p class="banner error" data-testid="profile-status">
                            {e}
                        </p>
                    }
                        .into_any()
                }
                Phase::Ready(profiled) => view! { <ProfileBody profiled /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ProfileBody(profiled: Arc<Profiled>) -> impl IntoView {
    let rows = profiled.view.columns.iter().cloned().map(|column| view! { <ColumnRow column /> }).collect_view();
    let output = profiled.is_output();
    view! {
        <p data-testid="profile-headline">{profiled.view.headline.clone()}</p>
        <div class="grid-scroll">
            <table class="profile-grid" data-testid="profile-table">
                <thead>
                    <tr>
                        <th>"column"</th>
                        <th>"type"</th>
                        <th>"NULLs"</th>
                        <th>"distinct"</th>
                        <th>"min … max"</th>
                        <th>"mean"</th>
                        <th>"most frequent"</th>
                        <th>"histogram"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Show
            when=move || output
            fallback=|| view! { <p class="stats">"Profile the last step (the output) for suggested audits."</p> }
        >
            <SuggestedAudits />
        </Show>
    }
}

#[component]
fn ColumnRow(column: ColumnLine) -> impl IntoView {
    let (width, height) = CHART;
    let chart = (!column.bars.is_empty()).then(|| {
        let bars = column
            .bars
            .iter()
            .map(|b| {
                view! {
                    <rect x=b.x y=b.y width=b.width height=b.height>
                        <title>{b.title.clone()}</title>
                    </rect>
                }
            })
            .collect_view();
        view! {
            <svg class="histogram" viewBox=format!("0 0 {width} {height}") width=width height=height role="img">
                {bars}
            </svg>
        }
    });
    let testid = format!("profile-col-{}", column.name);
    view! {
        <tr data-testid=testid>
            <th scope="row">{column.name}</th>
            <td>{column.data_type}</td>
            <td data-testid="profile-nulls">{column.nulls}</td>
            <td data-testid="profile-distinct">{column.distinct}</td>
            <td data-testid="profile-range">{column.range}</td>
            <td>{column.mean}</td>
            <td class="top-values">{column.top}</td>
            <td>{chart}</td>
        </tr>
    }
}

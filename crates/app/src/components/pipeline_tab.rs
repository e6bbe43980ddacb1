//! The Pipeline tab: how the last run went, the params, a card per transform step (and "+ Add a
//! step"), the columns' lineage, the target table's DDL, what the last run changed, the result
//! and a table's profile. Its own component so the page (`App`) only lays out the tabs; it stays
//! mounted while other tabs are shown.

use leptos::prelude::*;

use super::{
    ChangesPanel, LineageGraph, Notices, ParamsPanel, ProfilePanel, ResultTable, RunSummary, StepCard, TargetPanel,
};
use crate::state::AppState;

/// The steps and what they give.
#[component]
pub fn PipelineTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A memo: the step cards are rebuilt only when the number of steps changes, not on every
    // keystroke (rebuilding would take the editor, and the focus, away from the user).
    let step_count = Memo::new(move |_| state.spec.with(|s| s.steps.len()));
    view! {
        <Notices />
        <RunSummary />
        <ParamsPanel />
        <section class="steps" aria-label="Transform steps">
            {move || (0..step_count.get()).map(|index| view! { <StepCard index /> }).collect_view()}
            <button
                class="add-step"
                data-testid="add-step"
                on:click=move |_| {
                    state
                        .spec
                        .update(|s| {
                            s.add_step();
                        });
                }
            >
                "+ Add a step"
            </button>
        </section>
        <LineageGraph />
        <TargetPanel />
        <ChangesPanel />
        <ResultTable />
        <ProfilePanel />
    }
}

//! The WAP template's audits: add, remove, pick the function, blocking or not, and the params,
//! checked as they are edited (problems name the audit and the param).

use dataflow_engine::{check_workflow, AuditSpec};
use leptos::prelude::*;

use super::audit_row::AuditRow;
use crate::state::{AppState, Tab};

/// The audits of the workflow in the spec.
#[component]
pub fn AuditsEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let count = Memo::new(move |_| state.spec.with(|s| s.workflow.audits.len()));
    // Checked only while the Workflow tab is on screen, not on every keystroke elsewhere.
    let problems = Memo::new(move |_| {
        if state.tab.get() != Tab::Workflow {
            return Vec::new();
        }
        let spec = state.spec.get();
        let schema = state.sources.schema(&spec).ok();
        schema
            .map(|schema| {
                check_workflow(&spec, &schema).into_iter().map(|p| (p.audit, p.to_string())).collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <section class="audits" aria-label="Audits" data-testid="audits">
            <h3>"Audits (run on staging; a failing blocking audit stops the publish)"</h3>
            {move || { (0..count.get()).map(|index| view! { <AuditRow index problems /> }).collect_view() }}
            <button
                data-testid="add-audit"
                on:click=move |_| {
                    state
                        .spec
                        .update(|s| {
                            s.workflow
                                .audits
                                .push(AuditSpec::new("row_count_should_be_within", true, &[("min", 1.into())]))
                        })
                }
            >
                "+ Add an audit"
            </button>
            {move || {
                problems
                    .get()
                    .into_iter()
                    .filter(|(a, _)| a.is_none())
                    .map(|(_, m)| view! { <p class="finding bad">{m}</p> })
                    .collect_view()
            }}
        </section>
    }
}

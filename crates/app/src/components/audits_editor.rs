//! The WAP template's audits: add, remove, pick the function, blocking or not, and the params,
//! checked as they are edited (problems name the audit and the param).

use dataflow_engine::{check_workflow, AuditFunction, AuditSpec};
use leptos::prelude::*;

use crate::state::{AppState, Tab};
use crate::workflow_view::{param_text, param_value, set_param};

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
    let edit = move |i: usize, f: Box<dyn FnOnce(&mut AuditSpec)>| {
        state.spec.update(|s| {
            if let Some(a) = s.workflow.audits.get_mut(i) {
                f(a)
            }
        })
    };
    view! {
        <section class="audits" aria-label="Audits" data-testid="audits">
            <h3>"Audits (run on staging; a failing blocking audit stops the publish)"</h3>
            {move || {
                (0..count.get())
                    .map(|i| {
                        let audit = move || state.spec.with(|s| s.workflow.audits.get(i).cloned());
                        let function = move || audit().and_then(|a| AuditFunction::from_name(&a.function));
                        let mine = move || {
                            problems
                                .get()
                                .into_iter()
                                .filter(|(a, _)| *a == Some(i))
                                .map(|(_, m)| m)
                                .collect::<Vec<_>>()
                        };
                        view! {
                            <div class="audit-row" data-testid=format!("audit-spec-{i}")>
                                <select
                                    aria-label="Audit function"
                                    data-testid=format!("audit-spec-{i}-function")
                                    on:change=move |e| {
                                        let f = event_target_value(&e);
                                        edit(
                                            i,
                                            Box::new(move |a| {
                                                a.function = f;
                                                a.params.clear();
                                            }),
                                        )
                                    }
                                >
                                    {AuditFunction::ALL
                                        .into_iter()
                                        .map(|f| {
                                            view! {
                                                <option
                                                    value=f.name()
                                                    selected=move || audit().is_some_and(|a| a.function == f.name())
                                                >
                                                    {f.name()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        data-testid=format!("audit-spec-{i}-blocking")
                                        prop:checked=move || audit().is_some_and(|a| a.blocking)
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            edit(i, Box::new(move |a| a.blocking = on))
                                        }
                                    />
                                    " blocking"
                                </label>
                                <button
                                    aria-label="Remove this audit"
                                    on:click=move |_| {
                                        state
                                            .spec
                                            .update(|s| {
                                                if i < s.workflow.audits.len() {
                                                    s.workflow.audits.remove(i);
                                                }
                                            })
                                    }
                                >
                                    "✕"
                                </button>
                                <p class="stats">{move || function().map(|f| f.description())}</p>
                                {move || {
                                    function()
                                        .map(|f| {
                                            f.params()
                                                .iter()
                                                .map(|p| {
                                                    let name = p.name;
                                                    let kind = p.kind;
                                                    view! {
                                                        <label class="param">
                                                            {format!("{name}{}", if p.required { " *" } else { "" })}
                                                            <input
                                                                data-testid=format!("audit-spec-{i}-{name}")
                                                                placeholder=kind
                                                                prop:value=move || {
                                                                    audit()
                                                                        .and_then(|a| a.params.get(name).map(param_text))
                                                                        .unwrap_or_default()
                                                                }
                                                                on:change=move |e| {
                                                                    let v = param_value(kind, &event_target_value(&e));
                                                                    edit(
                                                                        i,
                                                                        Box::new(move |a| set_param(&mut a.params, name, v)),
                                                                    )
                                                                }
                                                            />
                                                        </label>
                                                    }
                                                })
                                                .collect_view()
                                        })
                                }}
                                <ul class="findings">
                                    {move || {
                                        mine()
                                            .into_iter()
                                            .map(|m| view! { <li class="finding bad">{m}</li> })
                                            .collect_view()
                                    }}
                                </ul>
                            </div>
                        }
                    })
                    .collect_view()
            }}
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

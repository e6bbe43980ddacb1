//! One audit of the workflow: its function, blocking or not, remove, its params, and the
//! problems found with it. Its own component because the audits editor shows one row per audit.

use dataflow_engine::{AuditFunction, AuditSpec};
use leptos::prelude::*;

use crate::state::AppState;
use crate::workflow_view::{param_text, param_value, set_param};

/// The audit at `index`, with the problems (by audit) the editor found.
#[component]
pub fn AuditRow(index: usize, problems: Memo<Vec<(Option<usize>, String)>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let edit = move |f: Box<dyn FnOnce(&mut AuditSpec)>| {
        state.spec.update(|s| {
            if let Some(a) = s.workflow.audits.get_mut(index) {
                f(a)
            }
        })
    };
    let audit = move || state.spec.with(|s| s.workflow.audits.get(index).cloned());
    let function = move || audit().and_then(|a| AuditFunction::from_name(&a.function));
    let mine =
        move || problems.get().into_iter().filter(|(a, _)| *a == Some(index)).map(|(_, m)| m).collect::<Vec<_>>();
    view! {
        <div class="audit-row" data-testid=format!("audit-spec-{index}")>
            <select
                aria-label="Audit function"
                data-testid=format!("audit-spec-{index}-function")
                on:change=move |e| {
                    let f = event_target_value(&e);
                    edit(
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
                            <option value=f.name() selected=move || audit().is_some_and(|a| a.function == f.name())>
                                {f.name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid=format!("audit-spec-{index}-blocking")
                    prop:checked=move || audit().is_some_and(|a| a.blocking)
                    on:change=move |e| {
                        let on = event_target_checked(&e);
                        edit(Box::new(move |a| a.blocking = on))
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
                            if index < s.workflow.audits.len() {
                                s.workflow.audits.remove(index);
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
                                            data-testid=format!("audit-spec-{index}-{name}")
                                            placeholder=kind
                                            prop:value=move || {
                                                audit()
                                                    .and_then(|a| a.params.get(name).map(param_text))
                                                    .unwrap_or_default()
                                            }
                                            on:change=move |e| {
                                                let v = param_value(kind, &event_target_value(&e));
                                                edit(Box::new(move |a| set_param(&mut a.params, name, v)))
                                            }
                                        />
                                    </label>
                                }
                            })
                            .collect_view()
                    })
            }}
            <ul class="findings">
                {move || { mine().into_iter().map(|m| view! { <li class="finding bad">{m}</li> }).collect_view() }}
            </ul>
        </div>
    }
}

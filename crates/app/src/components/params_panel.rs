//! The run parameters as the workflow YAML passes them: `${TARGET_DB}`, `${date}`, `${top_n}` and
//! the user's own, each editable; a change runs again.

use leptos::prelude::*;

use crate::state::AppState;

/// Every parameter the steps and the DDL can use, with a form to add one.
#[component]
pub fn ParamsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let extras = move || state.spec.with(|s| s.params.extra.clone().into_iter().collect::<Vec<_>>());
    let new_name = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let add = move || {
        let name = new_name.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        let before = state.spec.with_untracked(|s| s.params.extra.len());
        state.set_param(&name, &new_value.get_untracked());
        if state.spec.with_untracked(|s| s.params.extra.len()) > before {
            new_name.set(String::new());
            new_value.set(String::new());
        }
    };
    let builtin = move |name: &'static str, about: &'static str| {
        let value =
            Signal::derive(move || state.spec.with(|s| s.params.values().get(name).cloned().unwrap_or_default()));
        view! {
            <tr>
                <ParamCells name=name.to_string() value />
                <td class="stats">{about}</td>
            </tr>
        }
    };
    view! {
        <details class="params" data-testid="params">
            <summary>"Parameters"</summary>
            <table>
                <tbody>
                    {builtin("TARGET_DB", "the target table's database")}
                    {builtin("date", "the run date (the article's CURRENT_DATE), as YYYY-MM-DD")}
                    {builtin("top_n", "how many titles per country to keep")}
                    {move || {
                        extras()
                            .into_iter()
                            .map(|(name, value)| {
                                let for_remove = name.clone();
                                view! {
                                    <tr>
                                        <ParamCells name=name.clone() value=Signal::stored(value) />
                                        <td>
                                            <button
                                                aria-label=format!("Remove {name}")
                                                title="Remove this parameter"
                                                on:click=move |_| state.remove_param(&for_remove)
                                            >
                                                "✕"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }} <tr>
                        <td>
                            <input
                                data-testid="param-new-name"
                                placeholder="NAME"
                                aria-label="New parameter's name"
                                prop:value=new_name
                                on:input=move |e| new_name.set(event_target_value(&e))
                            />
                        </td>
                        <td>
                            <input
                                data-testid="param-new-value"
                                placeholder="value"
                                aria-label="New parameter's value"
                                prop:value=new_value
                                on:input=move |e| new_value.set(event_target_value(&e))
                            />
                        </td>
                        <td>
                            <button data-testid="param-add" on:click=move |_| add()>
                                "Add"
                            </button>
                        </td>
                    </tr>
                </tbody>
            </table>
        </details>
    }
}

/// A parameter's name and the input of its value (two cells of its row): the same for the
/// built-in parameters and the user's own.
#[component]
fn ParamCells(name: String, value: Signal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let for_set = name.clone();
    view! {
        <td>
            <code>{format!("${{{name}}}")}</code>
        </td>
        <td>
            <input
                data-testid=format!("param-{name}")
                aria-label=format!("Value of {name}")
                prop:value=value
                on:change=move |e| state.set_param(&for_set, &event_target_value(&e))
            />
        </td>
    }
}

//! The mock generator's table and its columns: "From" the source table (maybe only the run
//! date's rows) or a step's result, then a checkbox per column of that table, all on at first.
//! Their own components because they are lists of their own, rebuilt as runs finish and the
//! table changes.

use leptos::prelude::*;

use crate::state::AppState;

/// The table to sample: the source or a step's result of the last good run.
#[component]
pub fn GenFrom(
    from: RwSignal<String>,
    run_date_only: RwSignal<bool>,
    unchecked: RwSignal<Vec<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let steps = move || {
        state.run.last_good.with(|r| {
            r.as_ref().map(|r| r.steps.iter().map(|s| s.name.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    view! {
        <p>
            <label>
                "From "
                <select
                    data-testid="gen-from"
                    on:change=move |e| {
                        from.set(event_target_value(&e));
                        unchecked.set(Vec::new());
                    }
                >
                    <option value="source">"the source table"</option>
                    {move || {
                        steps()
                            .into_iter()
                            .map(|s| view! { <option value=s.clone()>{format!("{s}'s result")}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            " "
            <label class:hidden=move || from.get() != "source">
                <input
                    type="checkbox"
                    prop:checked=run_date_only
                    on:change=move |e| run_date_only.set(event_target_checked(&e))
                />
                " only the run date's rows"
            </label>
        </p>
    }
}

/// A checkbox per column; the columns left out are kept in `unchecked`.
#[component]
pub fn GenColumns(columns: Memo<Vec<String>>, unchecked: RwSignal<Vec<String>>) -> impl IntoView {
    view! {
        <fieldset data-testid="gen-columns">
            <legend>"Columns"</legend>
            {move || {
                columns
                    .get()
                    .into_iter()
                    .map(|c| {
                        let name = c.clone();
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked={
                                        let n = c.clone();
                                        move || !unchecked.get().contains(&n)
                                    }
                                    on:change=move |e| {
                                        let on = event_target_checked(&e);
                                        let n = name.clone();
                                        unchecked
                                            .update(|u| {
                                                u.retain(|x| *x != n);
                                                if !on {
                                                    u.push(n)
                                                }
                                            });
                                    }
                                />
                                {c}
                            </label>
                        }
                    })
                    .collect_view()
            }}
        </fieldset>
    }
}

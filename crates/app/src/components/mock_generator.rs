//! "Generate a mock": from the source table or any step's result, with chosen columns and a
//! sampling rule, into the input or the expected mock; or an empty expected mock from the DDL.

use leptos::prelude::*;

use crate::mocks::{GeneratorForm, MockSlot, TableChoice};
use crate::state::AppState;

/// The generator's form.
#[component]
pub fn MockGenerator() -> impl IntoView {
    let state = expect_context::<AppState>();
    // "source" or a step's name.
    let from = RwSignal::new("source".to_string());
    let run_date_only = RwSignal::new(true);
    let unchecked = RwSignal::new(Vec::<String>::new());
    let top_rule = RwSignal::new(true);
    let rows = RwSignal::new(10usize);
    let group_by = RwSignal::new("country_code".to_string());
    let groups = RwSignal::new(2usize);
    let order_by = RwSignal::new("view_hours".to_string());
    let top = RwSignal::new(3usize);
    let ties = RwSignal::new(true);
    let into_expected = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let choice = move || TableChoice::from_option(&from.get());
    let steps = move || {
        state.run.last_good.with(|r| {
            r.as_ref().map(|r| r.steps.iter().map(|s| s.name.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    // The chosen table's columns, again only when the choice changes or a run finishes.
    let columns = Memo::new(move |_| {
        let _ = state.run.last_good.get();
        state
            .schema_of(&choice())
            .map(|schema| schema.fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let columns = move || columns.get();
    let generate = move |_| {
        let form = GeneratorForm {
            from: from.get_untracked(),
            run_date_only: run_date_only.get_untracked(),
            columns: columns(),
            unchecked: unchecked.get_untracked(),
            top_rule: top_rule.get_untracked(),
            rows: rows.get_untracked(),
            group_by: group_by.get_untracked(),
            groups: groups.get_untracked(),
            order_by: order_by.get_untracked(),
            top: top.get_untracked(),
            ties: ties.get_untracked(),
            into: if into_expected.get_untracked() { MockSlot::Expected } else { MockSlot::Input },
        };
        let request = match form.request() {
            Ok(request) => request,
            Err(why) => return outcome.set(Some(Err(why))),
        };
        // Building a synthetic source not built yet takes a while: it gives the page its thread
        // back between parts.
        leptos::task::spawn_local(async move {
            let done = request.into.described();
            outcome.set(Some(state.generate_mock(request).await.map(|()| format!("Wrote {done}."))));
        });
    };
    let number = move |signal: RwSignal<usize>, label: &'static str, testid: &'static str| {
        view! {
            <input
                type="number"
                min="0"
                class="narrow"
                aria-label=label
                data-testid=testid
                prop:value=move || signal.get().to_string()
                on:change=move |e| signal.set(event_target_value(&e).trim().parse().unwrap_or(0))
            />
        }
    };
    let column_select = move |signal: RwSignal<String>, label: &'static str, testid: &'static str| {
        view! {
            <select
                aria-label=label
                data-testid=testid
                prop:value=move || signal.get()
                on:change=move |e| signal.set(event_target_value(&e))
            >
                {move || {
                    columns()
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=c.clone() selected=c == signal.get_untracked()>
                                    {c.clone()}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        }
    };
    view! {
        <details class="generator" data-testid="generator">
            <summary>"Generate a mock from a table"</summary>
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
            <fieldset data-testid="gen-columns">
                <legend>"Columns"</legend>
                {move || {
                    columns()
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
            <fieldset>
                <legend>"Rows"</legend>
                <label class="check">
                    <input
                        type="radio"
                        name="gen-rule"
                        prop:checked=move || !top_rule.get()
                        on:change=move |_| top_rule.set(false)
                        data-testid="gen-rule-first"
                    />
                    " the first "
                    {number(rows, "How many rows", "gen-rows")}
                    " rows"
                </label>
                <br />
                <label class="check">
                    <input
                        type="radio"
                        name="gen-rule"
                        prop:checked=top_rule
                        on:change=move |_| top_rule.set(true)
                        data-testid="gen-rule-top"
                    />
                    " the top "
                    {number(top, "How many rows per group", "gen-top")}
                    " by "
                    {column_select(order_by, "Ordered by", "gen-order-by")}
                    " in each of the first "
                    {number(groups, "How many groups", "gen-groups")}
                    " values of "
                    {column_select(group_by, "Grouped by", "gen-group-by")}
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=ties on:change=move |e| ties.set(event_target_checked(&e)) />
                    " plus ties"
                </label>
            </fieldset>
            <p>
                <label>
                    "Into "
                    <select
                        data-testid="gen-into"
                        on:change=move |e| into_expected.set(event_target_value(&e) == "expected")
                    >
                        <option value="input">"the input mock (some_db.source_table)"</option>
                        <option value="expected">"the expected mock (dataflow_sample_results)"</option>
                    </select>
                </label>
                " "
                <button class="primary" data-testid="gen-run" on:click=generate>
                    "Generate"
                </button>
                " "
                <button
                    data-testid="gen-empty-expected"
                    title="An expected mock with the DDL's columns and no rows"
                    on:click=move |_| {
                        outcome
                            .set(
                                Some(
                                    state
                                        .empty_expected_from_ddl()
                                        .map(|()| "Wrote an empty expected mock from the DDL.".into()),
                                ),
                            )
                    }
                >
                    "Empty expected mock from the DDL"
                </button>
            </p>
            {move || {
                outcome
                    .get()
                    .map(|o| match o {
                        Ok(done) => {
                            view! {
                                <p class="finding good" data-testid="gen-outcome">
                                    {done}
                                </p>
                            }
                                .into_any()
                        }
                        Err(why) => {
                            view! {
                                <p class="finding bad" data-testid="gen-outcome">
                                    {why}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </details>
    }
}

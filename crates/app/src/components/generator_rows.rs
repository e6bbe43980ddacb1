//! The mock generator's "Rows" fieldset: the first N rows, or the top N by a column in each of
//! the first groups of another. Its own component so the generator's form stays readable, with
//! the number and column fields it repeats as components too.

use leptos::prelude::*;

/// A small number field, e.g. how many rows.
#[component]
pub fn NumberInput(signal: RwSignal<usize>, label: &'static str, testid: &'static str) -> impl IntoView {
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
}

/// A choice among the chosen table's columns.
#[component]
pub fn ColumnSelect(
    signal: RwSignal<String>,
    columns: Memo<Vec<String>>,
    label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <select
            aria-label=label
            data-testid=testid
            prop:value=move || signal.get()
            on:change=move |e| signal.set(event_target_value(&e))
        >
            {move || {
                columns
                    .get()
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
}

/// The sampling rule: the first rows, or the top rows per group (plus ties).
#[component]
pub fn GenRows(
    columns: Memo<Vec<String>>,
    top_rule: RwSignal<bool>,
    rows: RwSignal<usize>,
    group_by: RwSignal<String>,
    groups: RwSignal<usize>,
    order_by: RwSignal<String>,
    top: RwSignal<usize>,
    ties: RwSignal<bool>,
) -> impl IntoView {
    view! {
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
                <NumberInput signal=rows label="How many rows" testid="gen-rows" />
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
                <NumberInput signal=top label="How many rows per group" testid="gen-top" />
                " by "
                <ColumnSelect signal=order_by columns label="Ordered by" testid="gen-order-by" />
                " in each of the first "
                <NumberInput signal=groups label="How many groups" testid="gen-groups" />
                " values of "
                <ColumnSelect signal=group_by columns label="Grouped by" testid="gen-group-by" />
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=ties on:change=move |e| ties.set(event_target_checked(&e)) />
                " plus ties"
            </label>
        </fieldset>
    }
}

//! The last step's rows, with a country filter.

use leptos::prelude::*;

use super::Downloads;
use crate::state::AppState;
use crate::view_model::{group_digits, ordered_columns};

/// How many rows the table shows at once.
const SHOWN_ROWS: usize = 100;

/// The pipeline's output: rank, title, country and hours first.
#[component]
pub fn ResultTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let country = RwSignal::new(String::new());
    let last_step = move || {
        state.last_good.with(|r| r.as_ref().and_then(|r| r.steps.last()).map(|s| s.name.clone()).unwrap_or_default())
    };
    let output = move || state.last_good.with(|r| r.as_ref().map(|r| r.output.clone()));
    let countries = move || state.last_good.with(|r| r.as_ref().map(|r| r.countries.clone()).unwrap_or_default());
    // (column order, matching rows) for the chosen country.
    let shown = Memo::new(move |_| {
        let table = output()?;
        let order = ordered_columns(&table.columns);
        let wanted = country.get();
        let filter_col = table.column_index("country_code");
        let matching: Vec<&Vec<String>> = table
            .rows
            .iter()
            .filter(|row| wanted.is_empty() || filter_col.and_then(|i| row.get(i)) == Some(&wanted))
            .collect();
        let total = matching.len();
        let rows: Vec<Vec<String>> = matching
            .into_iter()
            .take(SHOWN_ROWS)
            .map(|row| order.iter().map(|&i| row.get(i).cloned().unwrap_or_default()).collect())
            .collect();
        let headers: Vec<String> = order.iter().filter_map(|&i| table.columns.get(i).cloned()).collect();
        Some((headers, rows, total))
    });
    view! {
        <section class="result" aria-label="Result">
            <header>
                <h2>"Result: the last step's rows"</h2>
                <label>
                    "Country "
                    <select data-testid="country-filter" on:change=move |e| country.set(event_target_value(&e))>
                        <option value="">"All countries"</option>
                        {move || countries().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <span class="stats" data-testid="result-count">
                    {move || shown.get().map(|(_, rows, total)| {
                        format!("showing {} of {} rows", rows.len(), group_digits(total))
                    })}
                </span>
                <Downloads step=Signal::derive(last_step) />
            </header>
            {move || shown.get().map(|(headers, rows, _)| view! {
                <table data-testid="result-table">
                    <thead><tr>{headers.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

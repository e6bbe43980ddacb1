//! The last step's rows: a country filter, sortable columns, pages, downloads and a chart.

use leptos::prelude::*;

use super::{Downloads, ResultChart};
use crate::state::AppState;
use crate::view_model::{group_digits, result_page, ResultQuery, PAGE_ROWS};

/// The pipeline's output: rank, title, country and hours first.
#[component]
pub fn ResultTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(ResultQuery::default());
    let last_step = move || {
        state.last_good.with(|r| r.as_ref().and_then(|r| r.steps.last()).map(|s| s.name.clone()).unwrap_or_default())
    };
    let countries = move || state.last_good.with(|r| r.as_ref().map(|r| r.countries.clone()).unwrap_or_default());
    let page = Memo::new(move |_| {
        let table = state.last_good.with(|r| r.as_ref().map(|r| r.output.clone()))?;
        Some(query.with(|q| result_page(&table, q)))
    });
    let sort_by = move |column: usize| {
        query.update(|q| {
            let ascending = !matches!(q.sort, Some((c, true)) if c == column);
            q.sort = Some((column, ascending));
            q.page = 0;
        })
    };
    let arrow = move |column: usize| match query.with(|q| q.sort) {
        Some((c, true)) if c == column => " ▲",
        Some((c, false)) if c == column => " ▼",
        _ => "",
    };
    let count = move || {
        page.get().map(|p| {
            let last = p.first + p.rows.len();
            format!("rows {}–{} of {}", if last == 0 { 0 } else { p.first + 1 }, last, group_digits(p.total))
        })
    };
    let has_more = move || page.get().is_some_and(|p| p.first + PAGE_ROWS < p.total);
    view! {
        <section class="result" aria-label="Result">
            <header>
                <h2>"Result: the last step's rows"</h2>
                <label>
                    "Country "
                    <select data-testid="country-filter" on:change=move |e| {
                        let value = event_target_value(&e);
                        query.update(|q| { q.country = value; q.page = 0; });
                    }>
                        <option value="">"All countries"</option>
                        {move || countries().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <span class="stats" data-testid="result-count">{count}</span>
                <span class="pager">
                    <button data-testid="page-prev" aria-label="Previous page" disabled=move || query.with(|q| q.page == 0)
                        on:click=move |_| query.update(|q| q.page = q.page.saturating_sub(1))>"‹"</button>
                    <button data-testid="page-next" aria-label="Next page" disabled=move || !has_more()
                        on:click=move |_| query.update(|q| q.page += 1)>"›"</button>
                </span>
                <Downloads step=Signal::derive(last_step) />
            </header>
            <ResultChart country=Signal::derive(move || query.with(|q| q.country.clone())) />
            {move || page.get().map(|p| view! {
                <table data-testid="result-table">
                    <thead><tr>{p.headers.into_iter().enumerate().map(|(i, h)| view! {
                        <th><button class="sort" title="Sort by this column" on:click=move |_| sort_by(i)>
                            {h}{move || arrow(i)}
                        </button></th>
                    }).collect_view()}</tr></thead>
                    <tbody>
                        {p.rows.into_iter().map(|row| view! {
                            <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

//! A table's rows in a grid: sortable columns (numbers as numbers), pages of 100 and a row count.

use std::sync::Arc;

use dataflow_engine::Table;
use leptos::prelude::*;

use crate::view_model::{group_digits, result_page, ResultQuery, PAGE_ROWS};

/// One page of `table` as the query asks (country filter, sort, page). Clicking a column's header
/// sorts by it; a second click reverses the order.
#[component]
pub fn DataGrid(
    /// The rows to show; nothing is drawn while there are none.
    #[prop(into)]
    table: Signal<Option<Arc<Table>>>,
    /// The filter, sort and page: the owner may set the country filter.
    query: RwSignal<ResultQuery>,
    /// Test ids: `{testid}-table`, `{testid}-count`, `{testid}-prev`, `{testid}-next`.
    testid: String,
) -> impl IntoView {
    let page = Memo::new(move |_| {
        let table = table.get()?;
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
    let id = move |part: &str| format!("{testid}-{part}");
    view! {
        <div class="grid-bar">
            <span class="stats" data-testid=id("count")>
                {count}
            </span>
            <span class="pager">
                <button
                    data-testid=id("prev")
                    aria-label="Previous page"
                    disabled=move || query.with(|q| q.page == 0)
                    on:click=move |_| query.update(|q| q.page = q.page.saturating_sub(1))
                >
                    "‹"
                </button>
                <button
                    data-testid=id("next")
                    aria-label="Next page"
                    disabled=move || !has_more()
                    on:click=move |_| query.update(|q| q.page += 1)
                >
                    "›"
                </button>
            </span>
        </div>
        <div class="grid-scroll">
            {move || {
                page.get()
                    .map(|p| {
                        view! {
                            <table data-testid=id("table")>
                                <thead>
                                    <tr>
                                        {p
                                            .headers
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, h)| {
                                                view! {
                                                    <th>
                                                        <button
                                                            class="sort"
                                                            title="Sort by this column"
                                                            on:click=move |_| sort_by(i)
                                                        >
                                                            {h}
                                                            {move || arrow(i)}
                                                        </button>
                                                    </th>
                                                }
                                            })
                                            .collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|row| {
                                            view! {
                                                <tr>
                                                    {row
                                                        .into_iter()
                                                        .map(|cell| view! { <td>{cell}</td> })
                                                        .collect_view()}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                    })
            }}
        </div>
    }
}

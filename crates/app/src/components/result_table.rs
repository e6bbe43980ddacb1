//! The last step's rows: a country filter, the grid, downloads and a chart.

use leptos::prelude::*;

use super::{DataGrid, Downloads, ResultChart};
use crate::state::AppState;
use crate::view_model::ResultQuery;

/// The pipeline's output: rank, title, country and hours first.
#[component]
pub fn ResultTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(ResultQuery::default());
    let last_step = move || {
        state
            .run
            .last_good
            .with(|r| r.as_ref().and_then(|r| r.steps.last()).map(|s| s.name.clone()).unwrap_or_default())
    };
    let countries = move || state.run.last_good.with(|r| r.as_ref().map(|r| r.countries.clone()).unwrap_or_default());
    let output = Signal::derive(move || state.run.last_good.with(|r| r.as_ref().map(|r| r.output.clone())));
    view! {
        <section class="result" aria-label="Result">
            <header>
                <h2>"Result: the last step's rows"</h2>
                <label>
                    "Country "
                    <select
                        data-testid="country-filter"
                        on:change=move |e| {
                            let value = event_target_value(&e);
                            if !value.is_empty() {
                                state.lessons.saw(format!("country:{value}"));
                            }
                            query
                                .update(|q| {
                                    q.country = value;
                                    q.page = 0;
                                });
                        }
                    >
                        <option value="">"All countries"</option>
                        {move || {
                            countries()
                                .into_iter()
                                .map(|c| view! { <option value=c.clone()>{c.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <Downloads step=Signal::derive(last_step) />
            </header>
            <ResultChart country=Signal::derive(move || query.with(|q| q.country.clone())) />
            <DataGrid table=output query testid="result".to_string() />
        </section>
    }
}

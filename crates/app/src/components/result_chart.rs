//! A bar chart of one country's top titles, drawn as SVG.

use leptos::prelude::*;

use crate::state::AppState;
use crate::view_model::top_titles;

/// How many bars the chart draws.
const BARS: usize = 10;
const WIDTH: f64 = 640.0;
const LABEL: f64 = 90.0;
const BAR: f64 = 20.0;

/// The top titles by hours of the chosen country (the first country when none is chosen).
#[component]
pub fn ResultChart(
    /// The country the result table is filtered to ("" for all).
    #[prop(into)]
    country: Signal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = Memo::new(move |_| {
        let chosen = country.get();
        state.run.last_good.with(|r| {
            let r = r.as_ref()?;
            let country = if chosen.is_empty() { r.countries.first()?.clone() } else { chosen };
            let bars = top_titles(&r.output, &country, BARS);
            (!bars.is_empty()).then_some((country, bars))
        })
    });
    move || {
        data.get().map(|(country, bars)| {
            let max = bars.iter().map(|b| b.1).fold(f64::MIN_POSITIVE, f64::max);
            let height = BAR * bars.len() as f64 + 4.0;
            let rows = bars.into_iter().enumerate().map(|(i, (title, hours))| {
                let y = i as f64 * BAR;
                let w = ((WIDTH - LABEL - 70.0) * hours / max).max(1.0);
                view! {
                    <g>
                        <text x=LABEL - 6.0 y=y + 14.0 text-anchor="end">
                            {title}
                        </text>
                        <rect x=LABEL y=y + 3.0 width=w height=BAR - 6.0 rx="2"></rect>
                        <text x=LABEL + w + 4.0 y=y + 14.0>
                            {format!("{hours:.1} h")}
                        </text>
                    </g>
                }
            });
            view! {
                <figure class="chart" data-testid="result-chart">
                    <figcaption>{format!("Top {BARS} titles in {country} by view hours")}</figcaption>
                    <svg
                        viewBox=format!("0 0 {WIDTH} {height}")
                        width=WIDTH
                        height=height
                        role="img"
                        aria-label=format!("Bar chart of the top titles in {country}")
                    >
                        {rows.collect_view()}
                    </svg>
                </figure>
            }
        })
    }
}

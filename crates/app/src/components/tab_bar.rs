//! The row of tabs (Pipeline, Mocks, Workflow, Gallery, Learn): a click shows that tab. Its own
//! component because it is the page's navigation, a list of its own, apart from the panels.

use leptos::prelude::*;

use crate::state::{AppState, Tab};

/// A tab button per tab; the shown one is `aria-selected`.
#[component]
pub fn TabBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <nav class="tabs" role="tablist">
            {Tab::ALL
                .into_iter()
                .map(|tab| {
                    view! {
                        <button
                            role="tab"
                            data-testid=format!("tab-{}", tab.id())
                            aria-selected=move || (state.tab.get() == tab).to_string()
                            on:click=move |_| state.tab.set(tab)
                        >
                            {tab.title()}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

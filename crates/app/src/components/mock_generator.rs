//! "Generate a mock": from the source table or any step's result, with chosen columns and a
//! sampling rule, into the input or the expected mock; or an empty expected mock from the DDL.

use leptos::prelude::*;

use super::generator_rows::GenRows;
use super::generator_table::{GenColumns, GenFrom};
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
    // The chosen table's columns, again only when the choice changes or a run finishes.
    let columns = Memo::new(move |_| {
        let _ = state.run.last_good.get();
        state
            .schema_of(&choice())
            .map(|schema| schema.fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let generate = move |_| {
        let form = GeneratorForm {
            from: from.get_untracked(),
            run_date_only: run_date_only.get_untracked(),
            columns: columns.get(),
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
    view! {
        <details class="generator" data-testid="generator">
            <summary>"Generate a mock from a table"</summary>
            <GenFrom from run_date_only unchecked />
            <GenColumns columns unchecked />
            <GenRows columns top_rule rows group_by groups order_by top ties />
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

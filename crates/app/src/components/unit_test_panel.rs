//! The unit test: run it, see a cell-level diff, or make the expected mock from the output.

use dataflow_engine::mock::TestDiff;
use leptos::prelude::*;

use crate::state::AppState;

/// Buttons for the unit test and its outcome.
#[component]
pub fn UnitTestPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let outcome = move || {
        state.unit_test.get().map(|result| match result {
            Err(failure) => view! {
                <div class="banner error" role="alert" data-testid="unit-test-error">
                    <pre>{failure.message}</pre>
                </div>
            }
            .into_any(),
            Ok(diff) => view! { <DiffView diff /> }.into_any(),
        })
    };
    view! {
        <section class="unit-test" aria-label="Unit test">
            <h2>"Unit test"</h2>
            <p class="stats">
                "Runs the steps on the input mock and compares the last step with the expected output: rows in any order unless the mock says "
                <code>"ordered: true"</code>", doubles within the mock's "<code>"tolerance"</code>
                " (1e-9 relative by default)."
            </p>
            <div class="buttons">
                <button class="primary" data-testid="run-unit-test" on:click=move |_| state.run_unit_test()>
                    {move || if state.testing.get() { "Testing…" } else { "Run unit test" }}
                </button>
                <button
                    data-testid="make-expected"
                    title="Replace the expected mock by the current output on the input mock"
                    on:click=move |_| state.make_expected()
                >
                    "Make expected from current output"
                </button>
            </div>
            {outcome}
        </section>
    }
}

/// A failed test as a table: missing rows, unexpected rows, and changed rows with the changed cells marked.
#[component]
fn DiffView(
    /// The comparison to show.
    diff: TestDiff,
) -> impl IntoView {
    if diff.passed() {
        let text = format!("Passed: all {} expected rows match.", diff.matched_rows);
        return view! {
            <p class="banner pass" role="status" data-testid="unit-test-result">
                {text}
            </p>
        }
        .into_any();
    }
    let summary = format!(
        "Failed: {} rows match, {} missing, {} unexpected, {} changed.{}{}",
        diff.matched_rows,
        diff.missing_rows.len(),
        diff.unexpected_rows.len(),
        diff.changed_rows.len(),
        if diff.missing_columns.is_empty() {
            String::new()
        } else {
            format!(" Missing columns: {}.", diff.missing_columns.join(", "))
        },
        if diff.unexpected_columns.is_empty() {
            String::new()
        } else {
            format!(" Unexpected columns: {}.", diff.unexpected_columns.join(", "))
        },
    );
    let plain = |kind: &'static str, cells: Vec<String>| {
        view! {
            <tr class=kind>
                <td>{kind}</td>
                {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
            </tr>
        }
    };
    let missing = diff.missing_rows.into_iter().map(|r| plain("missing", r.cells)).collect_view();
    let unexpected = diff.unexpected_rows.into_iter().map(|r| plain("unexpected", r.cells)).collect_view();
    let changed = diff
        .changed_rows
        .into_iter()
        .map(|row| {
            let cells = row.actual.iter().enumerate().map(|(i, actual)| {
                match row.changes.iter().find(|c| c.column_index == i) {
                    Some(change) => view! {
                        <td
                            class="changed"
                            data-testid=format!("changed-{}", change.column)
                            title=format!("expected {}", change.expected)
                        >
                            <del>{change.expected.clone()}</del>
                            " → "
                            <ins>{change.actual.clone()}</ins>
                        </td>
                    }
                    .into_any(),
                    None => view! { <td>{actual.clone()}</td> }.into_any(),
                }
            });
            view! {
                <tr class="changed-row">
                    <td>"changed"</td>
                    {cells.collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="banner error" role="status" data-testid="unit-test-result">
            {summary}
        </p>
        <div class="scroll">
            <table class="diff" data-testid="unit-test-diff">
                <thead>
                    <tr>
                        <th>"row"</th>
                        {diff.columns.into_iter().map(|c| view! { <th>{c}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{changed}{missing}{unexpected}</tbody>
            </table>
        </div>
    }
    .into_any()
}

//! A mock as a grid: one input per cell, checked by the column's type as it is typed; add and
//! remove rows. Each edit rewrites the mock's YAML in the standard layout.

use leptos::prelude::*;

use crate::mocks::{edit_mock, grid_view, MockEdit, MockSlot};
use crate::state::AppState;

/// The grid of one mock.
#[component]
pub fn MockGrid(
    /// Which mock this edits.
    which: MockSlot,
    /// The test id prefix (`mock-input`): cells are `{id}-cell-{row}-{column}`.
    id: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let slot = which;
    let grid = Memo::new(move |_| state.spec.with(|s| grid_view(slot.text(s))));
    // The last cell edit that did not fit: (row, column, why).
    let problem = RwSignal::new(None::<(usize, usize, String)>);
    let apply = move |edit: MockEdit| {
        let yaml = state.spec.with_untracked(|s| slot.text(s).to_string());
        edit_mock(&yaml, edit).map(|new| state.spec.update(|s| slot.set(s, new)))
    };
    let set_cell =
        move |row: usize, column: usize, text: String| match apply(Box::new(move |m| m.set_cell(row, column, &text))) {
            Ok(()) => problem.set(None),
            Err(why) => problem.set(Some((row, column, why))),
        };
    move || match grid.get() {
        Err(_) => {
            view! { <p class="stats">"The grid shows the mock once its YAML reads (see the findings)."</p> }.into_any()
        }
        Ok(g) => {
            let more = (g.total > g.rows.len()).then(|| {
                format!("The grid shows the first {} of {} rows; edit the rest as YAML. ", g.rows.len(), g.total)
            });
            view! {
                <div class="grid-scroll mock-grid">
                    <table data-testid=format!("{id}-grid")>
                        <thead>
                            <tr>
                                <th></th>
                                {g.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {g
                                .rows
                                .into_iter()
                                .enumerate()
                                .map(|(r, cells)| {
                                    view! {
                                        <tr>
                                            <td>
                                                <button
                                                    title="Remove this row"
                                                    aria-label=format!("Remove row {}", r + 1)
                                                    on:click=move |_| {
                                                        let _ = apply(
                                                            Box::new(move |m| {
                                                                m.remove_row(r);
                                                                Ok(())
                                                            }),
                                                        );
                                                    }
                                                >
                                                    "✕"
                                                </button>
                                            </td>
                                            {cells
                                                .into_iter()
                                                .enumerate()
                                                .map(|(c, text)| {
                                                    let bad = move || {
                                                        problem
                                                            .with(|p| {
                                                                p.as_ref().is_some_and(|(pr, pc, _)| *pr == r && *pc == c)
                                                            })
                                                    };
                                                    view! {
                                                        <td>
                                                            <input
                                                                class:bad=bad
                                                                prop:value=text
                                                                data-testid=format!("{id}-cell-{r}-{c}")
                                                                aria-label=format!("Row {}, column {}", r + 1, c + 1)
                                                                on:change=move |e| set_cell(r, c, event_target_value(&e))
                                                            />
                                                        </td>
                                                    }
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="stats">
                    {more}
                    <button
                        data-testid=format!("{id}-add-row")
                        on:click=move |_| {
                            let _ = apply(
                                Box::new(|m| {
                                    m.add_row();
                                    Ok(())
                                }),
                            );
                        }
                    >
                        "+ Add a row"
                    </button>
                    " Empty is NULL. Grid edits rewrite the YAML in the standard layout (comments are not kept)."
                </p>
                {move || {
                    problem
                        .get()
                        .map(|(r, c, why)| {
                            view! {
                                <p class="finding bad" data-testid=format!("{id}-grid-problem")>
                                    {format!("Row {}, column {}: {why}", r + 1, c + 1)}
                                </p>
                            }
                        })
                }}
            }.into_any()
        }
    }
}

//! The in-browser catalog: tables with their published partitions, the high-water mark, the
//! metadata, and the history of runs. Readers only ever see published partitions.

use dataflow_engine::{DateState, RunStatus};
use leptos::prelude::*;

use super::catalog_table::CatalogTable;
use crate::view_model::group_digits;
use crate::workflow_state::WorkflowState;

/// Tables, partitions, hwm and the run history.
#[component]
pub fn CatalogPanel() -> impl IntoView {
    let wf = expect_context::<WorkflowState>();
    let tables = move || wf.view.get().tables.into_iter().map(|table| view! { <CatalogTable table /> }).collect_view();
    let history = move || {
        wf.view
            .get()
            .runs
            .into_iter()
            .map(|r| {
                let status = match r.status {
                    RunStatus::Published => "published",
                    RunStatus::Blocked => "blocked",
                    RunStatus::Failed => "failed",
                };
                view! {
                    <tr class=status>
                        <td>{r.run_id}</td>
                        <td>{format!("{:?}", r.kind).to_lowercase()}</td>
                        <td>{r.date.to_string()}</td>
                        <td>{status}</td>
                        <td>{group_digits(r.rows_written)}</td>
                        <td>
                            {format!(
                                "{} passed, {} blocking failed, {} warnings",
                                r.audits.passed,
                                r.audits.blocking_failed,
                                r.audits.warnings,
                            )}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="catalog" aria-label="Catalog" data-testid="catalog">
            <h2>"Catalog"</h2>
            {move || {
                wf.view
                    .with(|v| v.tables.is_empty())
                    .then(|| view! { <p class="stats">"Empty: run main to create the table."</p> })
            }}
            {tables}
            <h3>"Runs"</h3>
            <table class="history" data-testid="run-history">
                <thead>
                    <tr>
                        <th>"run"</th>
                        <th>"kind"</th>
                        <th>"date"</th>
                        <th>"status"</th>
                        <th>"rows written"</th>
                        <th>"audits"</th>
                    </tr>
                </thead>
                <tbody>{history}</tbody>
            </table>
        </section>
    }
}

/// A daily or backfill run: each date's state, then a summary.
#[component]
pub fn ScheduleProgress() -> impl IntoView {
    let wf = expect_context::<WorkflowState>();
    move || {
        let summary = wf.schedule.get()?;
        let state = |s: DateState| match s {
            DateState::Pending => "pending",
            DateState::Published => "published",
            DateState::Blocked => "blocked",
            DateState::Failed => "failed",
            DateState::NotRun => "not run",
        };
        let done = summary.dates.iter().filter(|(_, s)| *s != DateState::Pending).count();
        Some(view! {
            <section class="schedule" data-testid="schedule">
                <h3>{format!("{:?}: {done} of {} dates", summary.kind, summary.dates.len())}</h3>
                <ol class="dates">
                    {summary
                        .dates
                        .iter()
                        .map(|(d, s)| {
                            view! {
                                <li class=state(*s).replace(' ', "-") data-testid=format!("date-{d}")>
                                    {format!("{d} {}", state(*s))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <p data-testid="schedule-summary">
                    {format!(
                        "{} published, {} blocked, {} failed, {} not run.{}",
                        summary.published,
                        summary.blocked,
                        summary.failed,
                        summary.not_run,
                        summary.stopped.map(|s| format!(" Stopped: {s}")).unwrap_or_default(),
                    )}
                </p>
            </section>
        })
    }
}

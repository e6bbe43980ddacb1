//! The Workflow tab: run main as Write-Audit-Publish (or daily, or a backfill) and watch the DAG,
//! what the publish changes, the audits and the catalog; edit the audits and the workflow files.

use dataflow_engine::RunKind;
use leptos::prelude::*;

use super::{AuditsEditor, CatalogPanel, DagView, JobDetails, PublishChanges, ScheduleProgress, WorkflowFiles};
use crate::state::AppState;
use crate::workflow_state::WorkflowState;

/// Run controls, the DAG and the job on screen, the catalog, the audits and the files.
#[component]
pub fn WorkflowTab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wf = expect_context::<WorkflowState>();
    let date = move || state.spec.with(|s| s.params.date);
    let set_backfill = move |start: bool, text: String| match dataflow_engine::RunDate::parse(&text) {
        Ok(d) => state.spec.update(|s| if start { s.workflow.backfill.start = d } else { s.workflow.backfill.end = d }),
        Err(e) => wf.problem.set(Some(e.to_string())),
    };
    let outcome = move || {
        wf.last_run.get().map(|run| {
            let class = match run.status {
                dataflow_engine::RunStatus::Published => "banner pass",
                _ => "banner error",
            };
            view! {
                <p class=class role="status" data-testid="wap-outcome">
                    {format!("{} {}: {}", run.table, run.date, run.message)}
                </p>
            }
        })
    };
    view! {
        <section class="workflow" aria-label="Workflow">
            <div class="run-controls">
                <button
                    class="primary"
                    data-testid="run-main"
                    disabled=move || wf.busy()
                    title="ddl → metadata → write (to staging) → audit → publish → hwm"
                    on:click=move |_| wf.run_main(state, date())
                >
                    {move || format!("Run main for {}", date())}
                </button>
                <label>
                    " Daily: the run date and "
                    <input
                        type="number"
                        min="0"
                        class="narrow"
                        data-testid="lookback"
                        aria-label="Lookback days"
                        prop:value=move || state.spec.with(|s| s.workflow.daily.lookback_days.to_string())
                        on:change=move |e| {
                            let n = event_target_value(&e).trim().parse().unwrap_or(0);
                            state.spec.update(|s| s.workflow.daily.lookback_days = n)
                        }
                    /> " days before "
                </label>
                <button
                    data-testid="run-daily"
                    disabled=move || wf.busy()
                    on:click=move |_| wf.run_schedule(state, RunKind::Daily)
                >
                    "Run daily"
                </button>
                <label>
                    " Backfill from "
                    <input
                        type="date"
                        data-testid="backfill-start"
                        prop:value=move || state.spec.with(|s| s.workflow.backfill.start.to_string())
                        on:change=move |e| set_backfill(true, event_target_value(&e))
                    />
                </label>
                <label>
                    " to "
                    <input
                        type="date"
                        data-testid="backfill-end"
                        prop:value=move || state.spec.with(|s| s.workflow.backfill.end.to_string())
                        on:change=move |e| set_backfill(false, event_target_value(&e))
                    />
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="stop-on-failure"
                        prop:checked=move || state.spec.with(|s| s.workflow.backfill.stop_on_failure)
                        on:change=move |e| {
                            let on = event_target_checked(&e);
                            state.spec.update(|s| s.workflow.backfill.stop_on_failure = on)
                        }
                    />
                    " stop at the first failing date"
                </label>
                <button
                    data-testid="run-backfill"
                    disabled=move || wf.busy()
                    on:click=move |_| wf.run_schedule(state, RunKind::Backfill)
                >
                    "Run backfill"
                </button>
                <button
                    data-testid="cancel-schedule"
                    disabled=move || !wf.busy()
                    title="Stop the run: the date being written fails before anything is published; no later date starts"
                    on:click=move |_| wf.cancel()
                >
                    "Cancel"
                </button>
                <button
                    data-testid="clear-catalog"
                    disabled=move || wf.busy()
                    title="Drop every table and the history"
                    on:click=move |_| wf.clear()
                >
                    "Empty the catalog"
                </button>
            </div>
            {move || {
                wf.problem
                    .get()
                    .map(|p| {
                        view! {
                            <div class="banner error" role="alert" data-testid="wap-problem">
                                <pre>{p}</pre>
                            </div>
                        }
                    })
            }}
            {outcome}
            <DagView />
            <PublishChanges />
            <p class="stats">"Click a job for its log; the audit job shows every audit's result."</p>
            <JobDetails />
            <ScheduleProgress />
            <div class="workflow-columns">
                <AuditsEditor />
                <CatalogPanel />
            </div>
            <WorkflowFiles />
        </section>
    }
}

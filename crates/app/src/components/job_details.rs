//! The selected job's details below the graph: its log and how long it took, and for the audit
//! job every audit's result with a sample of its failing rows. Its own component because it
//! shows one job, not the graph, and changes only when that job or its results do.

use dataflow_engine::JobId;
use leptos::prelude::*;

use super::DataGrid;
use crate::view_model::ResultQuery;
use crate::workflow_state::WorkflowState;

/// The selected job's log (and the audits, for the audit job).
#[component]
pub fn JobDetails() -> impl IntoView {
    let wf = expect_context::<WorkflowState>();
    move || {
        let id = wf.selected.get()?;
        let job = wf.jobs.with(|jobs| jobs.iter().find(|j| j.id == id).cloned());
        let took = wf.durations.with(|d| d.get(id.name()).copied());
        Some(view! {
            <section class="job-details" data-testid="job-details">
                <h3>{format!("Job {}", id.name())} {took.map(|ms| format!(" · {ms:.0} ms"))}</h3>
                <pre data-testid="job-log">
                    {job.map(|j| j.log.join("\n")).unwrap_or_else(|| "Not run yet.".into())}
                </pre>
                {(id == JobId::Audit).then(|| view! { <AuditResults /> })}
            </section>
        })
    }
}

/// Every audit's result: pass or fail, blocking or not, the count and a sample of failing rows.
#[component]
fn AuditResults() -> impl IntoView {
    let wf = expect_context::<WorkflowState>();
    move || {
        wf.audits
            .get()
            .into_iter()
            .map(|a| {
                let verdict = match (a.passed, a.blocking) {
                    (true, _) => "passed",
                    (false, true) => "failed · blocking",
                    (false, false) => "failed · warning",
                };
                let class = if a.passed {
                    "audit good"
                } else if a.blocking {
                    "audit bad"
                } else {
                    "audit warn"
                };
                let sample = (!a.sample.rows.is_empty()).then(|| {
                    let table = std::sync::Arc::new(a.sample.clone());
                    view! {
                        <DataGrid
                            table=Signal::derive(move || Some(table.clone()))
                            query=RwSignal::new(ResultQuery::default())
                            testid=format!("audit-{}-sample", a.index)
                        />
                    }
                });
                view! {
                    <div class=class data-testid=format!("audit-{}", a.index)>
                        <strong>{a.function.clone()}</strong>
                        " "
                        <span class="stats">{verdict}</span>
                        " · "
                        {a.message.clone()}
                        {(!a.passed)
                            .then(|| {
                                view! {
                                    <span class="stats" data-testid=format!("audit-{}-count", a.index)>
                                        {format!(" · {} failing", a.failing_count)}
                                    </span>
                                }
                            })}
                        {sample}
                    </div>
                }
            })
            .collect_view()
    }
}

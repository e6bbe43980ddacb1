//! The workflow's jobs as a graph (SVG), each job's status live; a click selects a job, whose
//! log shows in `JobDetails`.

use dataflow_engine::{JobId, JobStatus};
use leptos::prelude::*;

use crate::workflow_state::WorkflowState;

const NODE_W: i32 = 104;
const NODE_H: i32 = 46;
const GAP: i32 = 26;

fn status_name(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Pending => "pending",
        JobStatus::Passed => "passed",
        JobStatus::Warning => "warning",
        JobStatus::Failed => "failed",
        JobStatus::Skipped => "skipped",
    }
}

/// main's DAG: ddl → metadata → write → audit → publish → hwm.
#[component]
pub fn DagView() -> impl IntoView {
    let wf = expect_context::<WorkflowState>();
    let app = expect_context::<crate::state::AppState>();
    let select = move |id: JobId| {
        wf.selected.set(Some(id));
        app.lessons.saw(format!("job:{}", id.name()));
    };
    let status = move |id: JobId| -> &'static str {
        if wf.running_job.get() == Some(id) {
            return "running";
        }
        wf.jobs.with(|jobs| jobs.iter().find(|j| j.id == id).map_or("pending", |j| status_name(j.status)))
    };
    let width = JobId::ALL.len() as i32 * (NODE_W + GAP) - GAP + 8;
    view! {
        <svg
            class="dag"
            data-testid="dag"
            viewBox=format!("0 0 {width} {}", NODE_H + 8)
            role="img"
            aria-label="The workflow's jobs: ddl, metadata, write, audit, publish, hwm"
        >
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                    <path d="M0,0 L10,5 L0,10 z" class="dag-arrow" />
                </marker>
            </defs>
            {JobId::ALL
                .into_iter()
                .enumerate()
                .map(|(i, id)| {
                    let x = 4 + i as i32 * (NODE_W + GAP);
                    let edge = id
                        .depends_on()
                        .map(|_| {
                            view! {
                                <line
                                    x1=x - GAP
                                    x2=x - 2
                                    y1=4 + NODE_H / 2
                                    y2=4 + NODE_H / 2
                                    class="dag-edge"
                                    marker-end="url(#arrow)"
                                />
                            }
                        });
                    view! {
                        {edge}
                        <g
                            class=move || format!("dag-node {}", status(id))
                            data-testid=format!("job-{}", id.name())
                            data-status=move || status(id)
                            tabindex="0"
                            role="button"
                            on:click=move |_| select(id)
                            on:keydown=move |e| {
                                if e.key() == "Enter" {
                                    select(id)
                                }
                            }
                        >
                            <rect x=x y=4 width=NODE_W height=NODE_H rx=8 />
                            <text x=x + NODE_W / 2 y=4 + 19 text-anchor="middle" class="dag-name">
                                {id.name()}
                            </text>
                            <text x=x + NODE_W / 2 y=4 + 36 text-anchor="middle" class="dag-status">
                                {move || status(id)}
                            </text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

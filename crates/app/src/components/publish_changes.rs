//! What the last date's publish changed, or would have changed had the audits let it: the staged
//! partition against the partition published before, measured before the publish job ran. It
//! reads `WorkflowState`.

use dataflow_engine::JobStatus;
use leptos::prelude::*;

use crate::workflow_state::WorkflowState;

/// The staged partition compared with the published one.
#[component]
pub fn PublishChanges() -> impl IntoView {
    let wf = expect_context::<WorkflowState>();
    move || {
        wf.publish.get().map(|(date, line)| {
            let published = wf.jobs.with(|jobs| {
                jobs.iter().any(|j| j.id == dataflow_engine::JobId::Publish && j.status == JobStatus::Passed)
            });
            let verb = if published {
                "The publish changed"
            } else if wf.busy() {
                "The publish will change"
            } else {
                "The publish would have changed (it did not run)"
            };
            let details = line.details.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view();
            view! {
                <section class="changes publish-changes" data-testid="publish-changes">
                    <p>
                        <strong>{format!("{verb} {}'s {date} partition: ", line.name)}</strong>
                        <span data-testid="publish-headline">{line.headline.clone()}</span>
                    </p>
                    <ul class="change-steps">{details}</ul>
                </section>
            }
        })
    }
}

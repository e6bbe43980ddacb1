//! What the page says about the run: how the latest run ended (or what could not be done), the
//! notices and the summary line. The session's banner is `SessionBanner`.

use leptos::prelude::*;

use crate::state::{AppState, RunError};
use crate::view_model::group_digits;

/// What the user asked for and could not be done, else the latest run's failure or cancel, if
/// any. The last good result stays visible below it.
#[component]
pub fn FailureBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let kept = state.run.last_good.with(Option::is_some);
        if let Some(e) = state.action_error.get() {
            return Some(
                view! {
                    <div class="banner error" role="alert" data-testid="error-banner">
                        <strong>{e.heading()}</strong>
                        <pre>{e.message().to_string()}</pre>
                    </div>
                }
                .into_any(),
            );
        }
        state.run.error.get().map(|e| {
            let f = match e {
                RunError::Failed(f) => f,
                // The user's own doing: a notice, not a failure.
                RunError::Cancelled => {
                    return view! {
                        <div class="banner notice" role="status" data-testid="cancelled-banner">
                            <strong>"Run cancelled."</strong>
                            {if kept { " The results below are from the last run that finished." } else { "" }}
                            " Run starts it again."
                        </div>
                    }
                    .into_any()
                }
            };
            view! {
                <div class="banner error" role="alert" data-testid="error-banner">
                    <strong>{f.step.map(|s| format!("{s} failed")).unwrap_or_else(|| "The run failed".into())}</strong>
                    <pre>{f.message}</pre>
                    <Show when=move || kept>
                        <p>"The results below are from the last run that worked."</p>
                    </Show>
                </div>
            }
            .into_any()
        })
    }
}

/// Notices about the last good run (an empty source, no rows for the run date).
#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    let notices = move || state.run.last_good.with(|r| r.as_ref().map(|r| r.notices.clone()).unwrap_or_default());
    move || {
        notices()
            .into_iter()
            .map(|n| {
                view! {
                    <div class="banner notice" role="status" data-testid="notice">
                        {n}
                    </div>
                }
            })
            .collect_view()
    }
}

/// One line: how much ran, and how long it took.
#[component]
pub fn RunSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || match (state.run.is_running(), state.run.last_good.get()) {
        (true, _) => "Running the pipeline…".to_string(),
        (false, None) => "Not run yet.".to_string(),
        (false, Some(run)) => format!(
            "Ran {} steps on {} source rows in {:.0} ms; the last step returned {} rows.",
            run.steps.len(),
            group_digits(run.source_rows),
            run.total_ms,
            group_digits(run.output.rows.len()),
        ),
    };
    let fingerprint = move || state.run.last_good.with(|r| r.as_ref().map(|r| r.fingerprint.clone()));
    view! {
        <p class="summary" role="status">
            <span data-testid="run-status">{text}</span>
            {move || {
                fingerprint()
                    .map(|f| {
                        view! {
                            " "
                            <span
                                class="fingerprint"
                                title="A hash of the result's rows: the same numbers give the same fingerprint"
                            >
                                "Result fingerprint "
                                <code data-testid="fingerprint">{f}</code>
                            </span>
                        }
                    })
            }}
        </p>
    }
}

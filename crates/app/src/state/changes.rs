//! The Changes panel's state: the baseline a run is compared with (the previous good run, or
//! the one the user pinned) and the comparison, which the engine computes on the page's thread
//! in slices (the step results are in the page already), or in the engine's worker when the
//! steps have many rows, cancelled when a newer run arrives.
//!
//! A pinned baseline keeps the spec it ran from, so a link or the saved work can carry it; a
//! link with a baseline runs it first, pins it, then runs the link's spec ([`Self::first_to_run`]).

use std::sync::Arc;

use dataflow_engine::diff::{diff_runs, Named, Side};
use dataflow_engine::{EngineError, PipelineSpec, RunControl};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_time::Instant;

use super::Phase;
use crate::changes::{ChangesView, SHOWN_ROWS};
use crate::view_model::RunView;
use crate::worker::PAGE_DIFF_MAX_ROWS;

/// The baseline and the comparison (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct ChangesState {
    /// The run the latest one is compared with.
    pub baseline: RwSignal<Option<Arc<RunView>>>,
    /// True when the user pinned the baseline: later runs do not move it.
    pub pinned: RwSignal<bool>,
    /// The comparison; idle with no baseline yet (the first run), or the baseline is the run on screen.
    pub phase: RwSignal<Phase<ChangesView>>,
    /// The spec of the pinned run (what a link carries).
    pub pinned_spec: RwSignal<Option<PipelineSpec>>,
    /// The columns the user pairs rows by, comma-separated (empty: the workflow's primary key).
    pub key: RwSignal<String>,
    /// The spec of the latest good run.
    latest_spec: StoredValue<Option<PipelineSpec>>,
    /// The latest good run, to compare again when the key changes.
    latest: StoredValue<Option<Arc<RunView>>>,
    /// The spec to run once the run in flight is pinned (a link's "after").
    then: StoredValue<Option<PipelineSpec>>,
    /// The comparison in flight, to cancel when a newer run arrives.
    control: StoredValue<Option<Arc<RunControl>>>,
}

impl ChangesState {
    /// No baseline.
    pub fn new() -> Self {
        ChangesState {
            baseline: RwSignal::new(None),
            pinned: RwSignal::new(false),
            phase: RwSignal::new(Phase::Idle),
            pinned_spec: RwSignal::new(None),
            key: RwSignal::new(String::new()),
            latest_spec: StoredValue::new(None),
            latest: StoredValue::new(None),
            then: StoredValue::new(None),
            control: StoredValue::new(None),
        }
    }

    /// Of a spec and its pinned baseline (a link's, or the saved work's), the one to run first:
    /// the baseline, which the next good run pins before `spec` runs. Without a baseline, the
    /// pin is let go and `spec` runs.
    pub fn first_to_run(self, spec: PipelineSpec, baseline: Option<PipelineSpec>) -> PipelineSpec {
        match baseline {
            Some(baseline) => {
                self.then.set_value(Some(spec));
                baseline
            }
            None => {
                self.then.set_value(None);
                self.unpin();
                spec
            }
        }
    }

    /// A run of `spec` finished: `previous` was on screen before it, `latest` is. Unless
    /// pinned, the baseline becomes `previous`; then the engine compares. When a link asked to
    /// pin this run, it is pinned instead, and the spec to run next is returned.
    pub fn after_run(
        self,
        spec: PipelineSpec,
        previous: Option<Arc<RunView>>,
        latest: Arc<RunView>,
    ) -> Option<PipelineSpec> {
        self.latest_spec.set_value(Some(spec.clone()));
        self.latest.set_value(Some(latest.clone()));
        if let Some(next) = self.then.get_value() {
            self.then.set_value(None);
            self.pin(Some(latest));
            return Some(next);
        }
        if !self.pinned.get_untracked() {
            self.baseline.set(previous);
        }
        self.compare(spec, latest);
        None
    }

    /// Pairs rows by the columns in `text` (comma-separated; empty: the workflow's primary key)
    /// and compares the latest run with the baseline again.
    pub fn set_key(self, text: String) {
        self.key.set(text);
        let (spec, latest) = (self.latest_spec.get_value(), self.latest.get_value());
        if let (Some(spec), Some(latest)) = (spec, latest) {
            self.compare(spec, latest);
        }
    }

    /// The user's key, if they gave one.
    fn chosen_key(self) -> Option<Vec<String>> {
        let key: Vec<String> =
            self.key.get_untracked().split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        (!key.is_empty()).then_some(key)
    }

    /// Pins the run on screen as the baseline (the next runs are compared with it).
    pub fn pin(self, current: Option<Arc<RunView>>) {
        self.cancel();
        self.pinned.set(true);
        self.pinned_spec.set(self.latest_spec.get_value());
        self.baseline.set(current);
        self.phase.set(Phase::Idle);
    }

    /// Lets the baseline follow the runs again (from the next run on).
    pub fn unpin(self) {
        self.pinned.set(false);
        self.pinned_spec.set(None);
    }

    fn cancel(self) {
        if let Some(control) = self.control.get_value() {
            control.cancel();
        }
        self.control.set_value(None);
    }

    fn compare(self, spec: PipelineSpec, latest: Arc<RunView>) {
        self.cancel();
        let Some(base) = self.baseline.get_untracked() else {
            self.phase.set(Phase::Idle);
            return;
        };
        let control = Arc::new(crate::browser::pausing_control());
        self.control.set_value(Some(control.clone()));
        self.phase.set(Phase::Working);
        let key = self.chosen_key();
        spawn_local(async move {
            let started = Instant::now();
            let (base, new) = (named(&base), named(&latest));
            let rows: usize =
                base.iter().chain(&new).map(|s| s.side.batches.iter().map(|b| b.num_rows()).sum::<usize>()).sum();
            let elsewhere = if rows > PAGE_DIFF_MAX_ROWS {
                crate::worker::diff(&spec, &base, &new, key.clone(), SHOWN_ROWS, &control).await
            } else {
                None
            };
            let (outcome, place) = match elsewhere {
                Some(outcome) => (outcome, "in the engine's worker"),
                None => (diff_runs(&spec, &base, &new, key.as_deref(), SHOWN_ROWS, &control).await, "on this page"),
            };
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if control.is_cancelled() {
                return;
            }
            self.control.set_value(None);
            self.phase.set(match outcome {
                Ok(diff) => {
                    let mut view = ChangesView::from_diff(&diff);
                    view.compared = format!("Compared {place} in {ms:.0} ms.");
                    Phase::Ready(Arc::new(view))
                }
                Err(EngineError::Cancelled) => Phase::Idle,
                Err(e) => Phase::Failed(e.to_string()),
            });
        });
    }
}

/// A run's steps as the engine's named results.
fn named(run: &RunView) -> Vec<Named<'_>> {
    run.steps
        .iter()
        .map(|s| Named { name: &s.name, side: Side { schema: &s.data.schema, batches: &s.data.batches } })
        .collect()
}

impl Default for ChangesState {
    fn default() -> Self {
        Self::new()
    }
}

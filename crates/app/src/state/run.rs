//! The pipeline's run controller: whether a run is in flight (and its progress and Cancel), and
//! how the latest run ended. Only runs write here: a parameter typo or a refused file is an
//! [`ActionError`](crate::view_model::ActionError), never a run's outcome, so a run that
//! finishes cannot hide one, and no caller compares messages to learn what happened.

use std::sync::Arc;

use dataflow_engine::{EngineError, Progress, RunControl};
use leptos::prelude::*;

use crate::view_model::{group_digits, RunFailure, RunView};

/// Where the controller is.
#[derive(Debug, Clone, Default)]
pub enum RunPhase {
    /// No run in flight.
    #[default]
    Idle,
    /// A run is in flight.
    Running {
        /// Where it is, and for how long it has run in ms (read ten times a second; `None`
        /// before the first reading).
        progress: Option<(Progress, f64)>,
        /// Its controls: Cancel, and where the engine is.
        control: Arc<RunControl>,
        /// Set when the user asked for a run meanwhile: one more follows this one, for the spec
        /// as it is then.
        rerun: bool,
    },
}

impl RunPhase {
    /// Whether a run is in flight.
    pub fn is_running(&self) -> bool {
        matches!(self, RunPhase::Running { .. })
    }

    /// The run in flight's progress line (`None` when idle or not read yet).
    pub fn progress_text(&self) -> Option<String> {
        match self {
            RunPhase::Running { progress: Some((p, elapsed_ms)), .. } => Some(progress_text(p, *elapsed_ms)),
            _ => None,
        }
    }
}

/// Why a run did not give a result: a cancel is the user's own doing, not a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The user cancelled it.
    Cancelled,
    /// It failed: which step, and why.
    Failed(RunFailure),
}

impl From<EngineError> for RunError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Cancelled => RunError::Cancelled,
            other => RunError::Failed(other.into()),
        }
    }
}

impl From<RunFailure> for RunError {
    fn from(f: RunFailure) -> Self {
        RunError::Failed(f)
    }
}

/// The progress line of a run in flight: the step and rows read, or the source being generated
/// (before the first step, `steps` is 0), and the time so far.
pub fn progress_text(p: &Progress, elapsed_ms: f64) -> String {
    let rows = group_digits(usize::try_from(p.rows_read).unwrap_or(usize::MAX));
    let seconds = elapsed_ms / 1000.0;
    if p.steps == 0 {
        format!("generating the source · {rows} rows · {seconds:.1} s")
    } else {
        format!("step {} of {} · {rows} rows read · {seconds:.1} s", p.step, p.steps)
    }
}

/// The pipeline's runs (provided inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct RunController {
    /// Idle, or running (with progress and Cancel).
    pub phase: RwSignal<RunPhase>,
    /// The last run that finished: it stays on screen when a later run fails or is cancelled.
    pub last_good: RwSignal<Option<Arc<RunView>>>,
    /// Why the latest run gave no result, if it did not.
    pub error: RwSignal<Option<RunError>>,
}

impl RunController {
    /// Idle, nothing run yet.
    pub fn new() -> Self {
        RunController {
            phase: RwSignal::new(RunPhase::Idle),
            last_good: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Whether a run is in flight (tracked).
    pub fn is_running(self) -> bool {
        self.phase.with(RunPhase::is_running)
    }

    /// Asks for a run. Idle: the controller is now running under `control()`'s control, and the
    /// caller starts the run (true). Running: one more run is queued after this one (false).
    pub fn request(self, control: impl FnOnce() -> RunControl) -> bool {
        let mut start = false;
        self.phase.update(|phase| match phase {
            RunPhase::Running { rerun, .. } => *rerun = true,
            RunPhase::Idle => {
                *phase = RunPhase::Running { progress: None, control: Arc::new(control()), rerun: false };
                start = true;
            }
        });
        start
    }

    /// The run in flight's control.
    pub fn control(self) -> Option<Arc<RunControl>> {
        self.phase.with_untracked(|phase| match phase {
            RunPhase::Running { control, .. } => Some(control.clone()),
            RunPhase::Idle => None,
        })
    }

    /// Records where the run in flight is.
    pub fn tick(self, progress: Progress, elapsed_ms: f64) {
        self.phase.update(|phase| {
            if let RunPhase::Running { progress: p, .. } = phase {
                *p = Some((progress, elapsed_ms));
            }
        });
    }

    /// Records how the run in flight ended. Returns true when a queued run follows, under a new
    /// `control()` (the caller runs it); else the controller is idle.
    pub fn finish(self, outcome: Result<RunView, RunError>, control: impl FnOnce() -> RunControl) -> bool {
        match outcome {
            Ok(view) => {
                self.last_good.set(Some(Arc::new(view)));
                self.error.set(None);
            }
            Err(e) => self.error.set(Some(e)),
        }
        let rerun = self.phase.with_untracked(|phase| matches!(phase, RunPhase::Running { rerun: true, .. }));
        let next = if rerun {
            RunPhase::Running { progress: None, control: Arc::new(control()), rerun: false }
        } else {
            RunPhase::Idle
        };
        self.phase.set(next);
        rerun
    }

    /// Stops the run in flight at its next check (between batches) and drops a queued one; the
    /// last good result stays.
    pub fn cancel(self) {
        self.phase.update(|phase| {
            if let RunPhase::Running { control, rerun, .. } = phase {
                *rerun = false;
                control.cancel();
            }
        });
    }

    /// Forgets the latest run's error (a new pipeline was put on screen).
    pub fn clear_error(self) {
        self.error.set(None);
    }
}

impl Default for RunController {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> RunView {
        RunView {
            source_rows: 0,
            steps: Vec::new(),
            output: Arc::new(dataflow_engine::Table::default()),
            countries: Vec::new(),
            notices: Vec::new(),
            target: crate::view_model::TargetView::DdlError(String::new()),
            total_ms: 0.0,
            top_n: 0,
            fingerprint: String::new(),
        }
    }

    fn failure(step: &str) -> RunError {
        RunError::Failed(RunFailure { step: Some(step.into()), message: format!("step {step}: boom"), at: None })
    }

    #[test]
    fn progress_reads_as_the_step_or_the_source_being_generated() {
        let generating = Progress { step: 0, steps: 0, rows_read: 1_234_567 };
        assert_eq!(progress_text(&generating, 2_345.0), "generating the source · 1,234,567 rows · 2.3 s");
        let stepping = Progress { step: 2, steps: 3, rows_read: 8_192 };
        assert_eq!(progress_text(&stepping, 40.0), "step 2 of 3 · 8,192 rows read · 0.0 s");
        assert_eq!(RunPhase::Idle.progress_text(), None);
    }

    #[test]
    fn a_cancel_from_the_engine_is_a_variant_not_a_message() {
        assert_eq!(RunError::from(EngineError::Cancelled), RunError::Cancelled);
        let step = EngineError::Step { step: "STEP_2".into(), message: "no such column".into(), at: None };
        match RunError::from(step) {
            RunError::Failed(f) => {
                assert_eq!(f.step.as_deref(), Some("STEP_2"));
                assert_eq!(f.message, "step STEP_2: no such column");
            }
            RunError::Cancelled => panic!("a step failure is not a cancel"),
        }
    }

    #[test]
    fn a_request_while_running_queues_one_more_run() {
        let runs = RunController::new();
        assert!(runs.request(RunControl::default), "idle: the caller starts the run");
        assert!(runs.is_running());
        assert!(!runs.request(RunControl::default), "running: queued, not started twice");
        assert!(!runs.request(RunControl::default));
        let first = runs.control().expect("a control while running");
        // The first run fails; the queued one follows under a fresh control.
        assert!(runs.finish(Err(failure("STEP_1")), RunControl::default));
        assert_eq!(runs.error.get_untracked(), Some(failure("STEP_1")));
        let second = runs.control().expect("the queued run's control");
        assert!(!Arc::ptr_eq(&first, &second));
        // Only one queued run, however many requests came in.
        assert!(!runs.finish(Err(RunError::Cancelled), RunControl::default));
        assert!(!runs.phase.with_untracked(RunPhase::is_running));
        assert_eq!(runs.control().map(|_| ()), None);
    }

    #[test]
    fn cancel_stops_the_run_in_flight_and_drops_the_queued_one() {
        let runs = RunController::new();
        runs.request(RunControl::default);
        runs.request(RunControl::default);
        let control = runs.control().expect("running");
        runs.tick(Progress { step: 1, steps: 3, rows_read: 10 }, 120.0);
        assert_eq!(
            runs.phase.with_untracked(RunPhase::progress_text).as_deref(),
            Some("step 1 of 3 · 10 rows read · 0.1 s")
        );
        runs.cancel();
        assert!(control.is_cancelled());
        assert!(!runs.finish(Err(RunError::Cancelled), RunControl::default), "the queued run was dropped");
        assert_eq!(runs.error.get_untracked(), Some(RunError::Cancelled));
    }

    #[test]
    fn a_failed_run_keeps_the_last_good_result() {
        let runs = RunController::new();
        runs.request(RunControl::default);
        runs.finish(Ok(view()), RunControl::default);
        assert!(runs.last_good.get_untracked().is_some());
        assert_eq!(runs.error.get_untracked(), None);
        runs.request(RunControl::default);
        runs.finish(Err(failure("STEP_3")), RunControl::default);
        assert!(runs.last_good.get_untracked().is_some(), "the last good run stays on screen");
        runs.request(RunControl::default);
        runs.finish(Ok(view()), RunControl::default);
        assert_eq!(runs.error.get_untracked(), None, "a run that finishes clears the last one's failure");
    }
}

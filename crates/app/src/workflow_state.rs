//! The Workflow tab's state: the in-browser catalog, the run on screen (its jobs, live), and a
//! daily or backfill schedule's progress. Runs go one job at a time, yielding to the page
//! between jobs, so the DAG updates live and the page stays responsive.

use std::collections::BTreeMap;
use std::sync::Arc;

use dataflow_engine::catalog::Catalog;
use dataflow_engine::{
    AuditResult, JobId, JobRecord, MainRun, RunControl, RunDate, RunKind, ScheduleRun, ScheduleSummary, SourceData,
    WapRun,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_time::Instant;

use crate::changes::{step_change, StepChange};
use crate::state::AppState;
use crate::workflow_view::CatalogView;

/// Whether the Workflow tab runs something.
#[derive(Debug, Clone, Default)]
pub enum WorkflowPhase {
    /// Nothing runs.
    #[default]
    Idle,
    /// A run of main, or a daily or backfill run, is in flight.
    Running {
        /// Set by Cancel: a schedule stops before its next date.
        cancelled: bool,
        /// The date in flight's run control (while a date runs): Cancel also stops its write job.
        control: Option<Arc<RunControl>>,
    },
}

impl WorkflowPhase {
    /// Whether anything runs.
    pub fn is_running(&self) -> bool {
        matches!(self, WorkflowPhase::Running { .. })
    }

    /// Whether the run in flight was cancelled.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, WorkflowPhase::Running { cancelled: true, .. })
    }
}

/// Signals of the Workflow tab (provided as context).
#[derive(Clone, Copy)]
pub struct WorkflowState {
    /// The catalog; taken out while a run holds it.
    catalog: StoredValue<Option<Catalog>, LocalStorage>,
    /// What the catalog panel shows, refreshed after each job.
    pub view: RwSignal<CatalogView>,
    /// The jobs of the run on screen.
    pub jobs: RwSignal<Vec<JobRecord>>,
    /// The job running now.
    pub running_job: RwSignal<Option<JobId>>,
    /// How long each finished job took, in milliseconds.
    pub durations: RwSignal<BTreeMap<&'static str, f64>>,
    /// The audits' results of the run on screen.
    pub audits: RwSignal<Vec<AuditResult>>,
    /// What the publish job would change (measured before it ran): the staged partition against
    /// the published one, for the date on screen.
    pub publish: RwSignal<Option<(RunDate, StepChange)>>,
    /// The last finished run of main.
    pub last_run: RwSignal<Option<MainRun>>,
    /// The daily or backfill run's progress, if one ran.
    pub schedule: RwSignal<Option<ScheduleSummary>>,
    /// Idle, or running (with Cancel).
    pub phase: RwSignal<WorkflowPhase>,
    /// Why a run could not start.
    pub problem: RwSignal<Option<String>>,
    /// The job whose log is shown.
    pub selected: RwSignal<Option<JobId>>,
}

impl WorkflowState {
    /// An empty catalog.
    pub fn new() -> Self {
        WorkflowState {
            catalog: StoredValue::new_local(Some(Catalog::new())),
            view: RwSignal::new(CatalogView::default()),
            jobs: RwSignal::new(Vec::new()),
            running_job: RwSignal::new(None),
            durations: RwSignal::new(BTreeMap::new()),
            audits: RwSignal::new(Vec::new()),
            publish: RwSignal::new(None),
            last_run: RwSignal::new(None),
            schedule: RwSignal::new(None),
            phase: RwSignal::new(WorkflowPhase::Idle),
            problem: RwSignal::new(None),
            selected: RwSignal::new(None),
        }
    }

    /// True while anything runs (tracked).
    pub fn busy(self) -> bool {
        self.phase.with(WorkflowPhase::is_running)
    }

    /// Gives the date in flight's control to Cancel (`None` once it is done).
    fn set_control(self, control: Option<Arc<RunControl>>) {
        self.phase.update(|phase| {
            if let WorkflowPhase::Running { control: c, .. } = phase {
                *c = control;
            }
        });
    }

    /// The source table; a synthetic one not built yet is generated a part at a time (the page
    /// stays responsive, and Cancel stops it). The page needs its rows even when the worker runs
    /// the write job's pipeline: audits may read `some_db.source_table`.
    async fn source(self, app: AppState) -> Result<Arc<SourceData>, String> {
        let spec = app.spec.get_untracked();
        let control = Arc::new(crate::browser::pausing_control());
        self.set_control(Some(control.clone()));
        let source = app.sources.for_run(&spec, &control).await.map_err(|f| f.message);
        self.set_control(None);
        source
    }

    fn start(self) -> Option<Catalog> {
        if self.phase.with_untracked(WorkflowPhase::is_running) {
            return None;
        }
        let catalog = self.catalog.try_update_value(Option::take).flatten()?;
        self.phase.set(WorkflowPhase::Running { cancelled: false, control: None });
        self.problem.set(None);
        Some(catalog)
    }

    fn finish(self, catalog: Catalog) {
        self.view.set(CatalogView::of(&catalog));
        self.catalog.set_value(Some(catalog));
        self.running_job.set(None);
        self.phase.set(WorkflowPhase::Idle);
    }

    /// Runs one date's jobs one at a time, showing each as it goes.
    async fn step_jobs(self, run: WapRun, catalog: &mut Catalog) -> MainRun {
        // The write job gives the page its thread back every slice, and Cancel stops it (the
        // date then fails before anything is staged or published).
        let control = Arc::new(crate::browser::pausing_control());
        self.set_control(Some(control.clone()));
        let mut run = run.with_control(control.clone());
        self.jobs.set(run.jobs().to_vec());
        self.audits.set(Vec::new());
        self.durations.set(BTreeMap::new());
        self.publish.set(None);
        while let Some(next) = run.next_job_id() {
            if next == JobId::Publish {
                let diff = run.publish_changes(catalog, 0, &control).await;
                let line = diff.map(|d| step_change(run.table(), &d.map_err(|e| e.to_string())));
                self.publish.set(line.map(|l| (run.date(), l)));
            }
            self.running_job.set(Some(next));
            // Let the page paint the running job before the engine takes the thread.
            gloo_timers::future::TimeoutFuture::new(0).await;
            let started = Instant::now();
            // A big pipeline runs in the engine's worker; the write job stages its output.
            let elsewhere = if next == JobId::Write && !run.is_stopped() {
                crate::worker::run(run.spec(), &control).await
            } else {
                None
            };
            match elsewhere {
                Some(outcome) => {
                    // The next job is write (checked above), so this cannot refuse.
                    let _ = run.write_from(catalog, outcome, "the engine's worker").await;
                }
                None => {
                    run.next_job(catalog).await;
                }
            }
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            self.durations.update(|d| {
                d.insert(next.name(), ms);
            });
            self.jobs.set(run.jobs().to_vec());
            self.audits.set(run.audits().to_vec());
            self.view.set(CatalogView::of(catalog));
        }
        self.set_control(None);
        let main = run.into_main_run();
        self.last_run.set(Some(main.clone()));
        main
    }

    /// Runs main (Write-Audit-Publish) for `date`.
    pub fn run_main(self, app: AppState, date: RunDate) {
        let Some(mut catalog) = self.start() else { return };
        self.schedule.set(None);
        spawn_local(async move {
            let spec = app.spec.get_untracked();
            let prepared = self
                .source(app)
                .await
                .and_then(|source| WapRun::new(&spec, &source, date, RunKind::Main).map_err(|e| e.to_string()));
            match prepared {
                Ok(run) => {
                    self.step_jobs(run, &mut catalog).await;
                }
                Err(why) => self.problem.set(Some(why)),
            }
            self.finish(catalog);
        });
    }

    /// Runs daily (the run date and the lookback days before it) or backfill (the spec's range).
    pub fn run_schedule(self, app: AppState, kind: RunKind) {
        let Some(mut catalog) = self.start() else { return };
        spawn_local(async move {
            let spec = app.spec.get_untracked();
            let planned = self.source(app).await.and_then(|source| {
                let schedule = match kind {
                    RunKind::Backfill => {
                        ScheduleRun::backfill(&spec, &source, spec.workflow.backfill.start, spec.workflow.backfill.end)
                    }
                    _ => ScheduleRun::daily(&spec, &source, spec.params.date),
                };
                schedule
                    .map(|s| s.with_stop_on_failure(spec.workflow.backfill.stop_on_failure))
                    .map_err(|e| e.to_string())
            });
            let mut schedule = match planned {
                Ok(schedule) => schedule,
                Err(why) => {
                    self.problem.set(Some(why));
                    return self.finish(catalog);
                }
            };
            self.schedule.set(Some(schedule.summary()));
            loop {
                if self.phase.with_untracked(WorkflowPhase::is_cancelled) {
                    schedule.cancel();
                }
                let Some(next) = schedule.start_next() else { break };
                match next {
                    Ok(run) => {
                        let main = self.step_jobs(run, &mut catalog).await;
                        schedule.finish_date(main);
                    }
                    Err(e) => {
                        self.problem.set(Some(e.to_string()));
                        break;
                    }
                }
                self.schedule.set(Some(schedule.summary()));
            }
            self.schedule.set(Some(schedule.summary()));
            self.finish(catalog);
        });
    }

    /// Stops a run: a daily or backfill run before its next date, and the date in flight if it
    /// is still writing (then that date fails before staging). A publish is never cut in half.
    pub fn cancel(self) {
        self.phase.update(|phase| {
            if let WorkflowPhase::Running { cancelled, control } = phase {
                *cancelled = true;
                if let Some(control) = control {
                    control.cancel();
                }
            }
        });
    }

    /// Empties the catalog (tables, partitions, history).
    pub fn clear(self) {
        if self.phase.with_untracked(WorkflowPhase::is_running) {
            return;
        }
        let catalog = Catalog::new();
        self.view.set(CatalogView::of(&catalog));
        self.catalog.set_value(Some(catalog));
        self.jobs.set(Vec::new());
        self.audits.set(Vec::new());
        self.last_run.set(None);
        self.schedule.set(None);
    }
}

impl Default for WorkflowState {
    fn default() -> Self {
        Self::new()
    }
}

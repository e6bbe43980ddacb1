//! The app's state: the pipeline spec and the tab, with a small state per concern in
//! `state/` (runs, the saved session, lessons, imports). Input mistakes (a parameter typo, a
//! refused file) are [`ActionError`]s, kept apart from the runs' outcomes.

mod changes;
mod imports;
mod lessons;
mod lineage;
mod phase;
mod profiles;
pub mod run;
mod session;
mod tab;

pub use changes::ChangesState;
pub use imports::ImportState;
pub use lessons::LessonState;
pub use lineage::LineageState;
pub use phase::Phase;
pub use profiles::{ProfileState, Profiled};
pub use run::{RunController, RunError, RunPhase};
pub use session::SessionState;
pub use tab::Tab;

use std::sync::Arc;

use dataflow_engine::arrow::array::RecordBatch;
use dataflow_engine::arrow::datatypes::SchemaRef;
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::TestDiff;
use dataflow_engine::permalink::Shared;
use dataflow_engine::{run_pipeline_with, Mock, PipelineSpec, RunControl, SourceSpec, SyntheticSpec, TARGET_TABLE};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_time::Instant;

use crate::mocks::{GenerateRequest, TableChoice};
use crate::source::PageSources;
use crate::view_model::{ActionError, RunFailure, RunView};

/// Signals shared by every component (provided as context): the spec and the tab, and a small
/// state per concern ([`run`], [`session`], [`lessons`], [`imports`]).
#[derive(Clone, Copy)]
pub struct AppState {
    /// Everything the user can change.
    pub spec: RwSignal<PipelineSpec>,
    /// The tab on screen (saved and shared with the spec).
    pub tab: RwSignal<Tab>,
    /// The pipeline's runs: in flight (progress, Cancel), the last good one, the latest error.
    pub run: RunController,
    /// Something the user asked for that could not be done (a typo, a refused file).
    pub action_error: RwSignal<Option<ActionError>>,
    /// The saved session and what the page says about it.
    pub session: SessionState,
    /// What the lessons keep: what the user opened, and their progress.
    pub lessons: LessonState,
    /// The imported file.
    pub imports: ImportState,
    /// The last unit test's outcome.
    pub unit_test: RwSignal<Option<Result<TestDiff, RunFailure>>>,
    /// True while the unit test runs.
    pub testing: RwSignal<bool>,
    /// Where runs' tables come from: the imported file, the synthetic table built last.
    pub sources: PageSources,
    /// The baseline the latest run is compared with, and what changed.
    pub changes: ChangesState,
    /// The table profiled on demand, and the audits its profile suggests.
    pub profiles: ProfileState,
    /// The steps' column lineage and the column whose path is shown.
    pub lineage: LineageState,
}

impl AppState {
    /// The pipeline from the link in the URL, else the saved work, else the sample; not yet run.
    pub fn new() -> Self {
        let (shared, message) = crate::persist::start();
        let changes = ChangesState::new();
        let first = changes.first_to_run(shared.spec, shared.baseline);
        AppState {
            spec: RwSignal::new(first),
            tab: RwSignal::new(Tab::from_id(&shared.view).unwrap_or(Tab::Pipeline)),
            run: RunController::new(),
            action_error: RwSignal::new(None),
            session: SessionState::new(message),
            lessons: LessonState::new(crate::persist::lesson_progress()),
            imports: ImportState::new(),
            unit_test: RwSignal::new(None),
            testing: RwSignal::new(false),
            sources: PageSources::new(),
            changes,
            profiles: ProfileState::new(),
            lineage: LineageState::new(),
        }
    }

    /// What a link or the saved work holds: the spec, the tab and the pinned baseline.
    pub fn shared(self) -> Shared {
        Shared {
            spec: self.spec.get(),
            view: self.tab.get().id().to_string(),
            baseline: self.changes.pinned_spec.get(),
        }
    }

    /// Saves the work (called on every edit).
    pub fn save(self) {
        self.session.save(&self.shared());
    }

    /// Shows the kept work and keeps the one on screen (after a link was opened), and runs.
    pub fn swap_kept(self) {
        let current = untrack(|| self.shared());
        match self.session.swap_kept(&current) {
            Ok(kept) => self.load(kept),
            Err(e) => self.action_error.set(Some(ActionError::Session(e))),
        }
    }

    /// Puts a whole pipeline on screen and runs it (its pinned baseline first, if it has one).
    pub fn load(self, shared: Shared) {
        self.tab.set(Tab::from_id(&shared.view).unwrap_or(Tab::Pipeline));
        self.spec.set(self.changes.first_to_run(shared.spec, shared.baseline));
        self.unit_test.set(None);
        self.run.clear_error();
        self.run();
    }

    /// The link to the current pipeline (the whole URL), also put in the address bar.
    pub fn share(self) -> Result<String, String> {
        let fragment = dataflow_engine::permalink::encode(&self.shared()).map_err(|e| e.to_string())?;
        crate::browser::set_fragment(Some(&fragment));
        Ok(format!("{}#{fragment}", crate::browser::address()))
    }

    /// Runs the current spec. A request during a run is queued, so the result always matches
    /// the spec as it was when the user last asked. A request is the user's next move: what they
    /// asked for before and could not be done is no longer shown.
    pub fn run(self) {
        self.action_error.set(None);
        if !self.run.request(crate::browser::pausing_control) {
            return;
        }
        spawn_local(async move {
            // The engine gives the thread back every slice of work, so the page stays
            // responsive and Cancel works; progress is read ten times a second.
            while let Some(control) = self.run.control() {
                // Let the page paint "Running…" before the engine takes the thread.
                gloo_timers::future::TimeoutFuture::new(0).await;
                let spec = self.spec.get_untracked();
                let started = Instant::now();
                let (ticking, runs) = (control.clone(), self.run);
                let ticker = gloo_timers::callback::Interval::new(100, move || {
                    runs.tick(ticking.progress(), started.elapsed().as_secs_f64() * 1000.0);
                });
                let outcome = self.execute(&spec, &control).await;
                drop(ticker);
                crate::worker::run_ended();
                if outcome.is_ok() {
                    crate::worker::prewarm();
                }
                let previous = self.run.last_good.get_untracked();
                let good = outcome.is_ok();
                let more = self.run.finish(outcome, crate::browser::pausing_control);
                crate::editor::start_after_paint();
                let mut then = None;
                if let Some(latest) = self.run.last_good.get_untracked().filter(|_| good) {
                    self.profiles.after_run();
                    self.lineage.after_run(spec.clone(), self.sources);
                    then = self.changes.after_run(spec, previous, latest);
                }
                // A link's baseline ran and is pinned: now its spec runs.
                if let Some(next) = then {
                    self.spec.set(next);
                    if !more {
                        self.run();
                    }
                }
                if !more {
                    break;
                }
            }
        });
    }

    /// Stops the run in flight at its next check (between batches); the last good result stays.
    pub fn cancel_run(self) {
        self.run.cancel();
    }

    /// One run of `spec` under `control`. Whatever fails once the user cancelled is the cancel.
    async fn execute(self, spec: &PipelineSpec, control: &Arc<RunControl>) -> Result<RunView, RunError> {
        let started = Instant::now();
        let cancelled = |e: RunError| if control.is_cancelled() { RunError::Cancelled } else { e };
        // A big run goes to the engine's worker (the page's thread stays free), others run here.
        let run = match crate::worker::run(spec, control).await {
            Some(outcome) => outcome.map_err(|e| cancelled(e.into()))?,
            None => {
                let source = self.sources.for_run(spec, control).await.map_err(|e| cancelled(e.into()))?;
                run_pipeline_with(spec, &source, control).await.map_err(|e| cancelled(e.into()))?
            }
        };
        // Building the view is a task of its own (the page paints in between).
        crate::browser::next_task().await;
        let mut view = RunView::from_run(&run, started.elapsed().as_secs_f64() * 1000.0)?;
        view.top_n = spec.params.top_n;
        Ok(view)
    }

    /// Sets a run parameter (checked by `Params::set`, as the CLI's `--param`) and runs again;
    /// a bad value is an [`ActionError`] and changes nothing.
    pub fn set_param(self, name: &str, text: &str) {
        let mut params = self.spec.with_untracked(|s| s.params.clone());
        match params.set(name, text) {
            Ok(()) => {
                self.spec.update(|s| s.params = params);
                self.run();
            }
            Err(e) => self.action_error.set(Some(ActionError::Param(e.to_string()))),
        }
    }

    /// Removes a user-defined parameter and runs again (a step that still uses it says so).
    pub fn remove_param(self, name: &str) {
        self.spec.update(|s| {
            s.params.extra.remove(name);
        });
        self.run();
    }

    /// Runs the unit test on the current spec's mocks.
    pub fn run_unit_test(self) {
        // The old outcome goes at once: what shows is always the outcome of this spec.
        self.unit_test.set(None);
        self.testing.set(true);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let spec = self.spec.get_untracked();
            self.unit_test.set(Some(crate::mocks::unit_test(&spec).await));
            self.testing.set(false);
        });
    }

    /// Replaces the expected mock by what the current transform gives on the input mock.
    pub fn make_expected(self) {
        spawn_local(async move {
            let spec = self.spec.get_untracked();
            match crate::mocks::expected_from_current(&spec).await {
                Ok(yaml) => {
                    self.spec.update(|s| s.mocks.expected = yaml);
                    self.unit_test.set(None);
                }
                Err(failure) => self.unit_test.set(Some(Err(failure))),
            }
        });
    }

    /// The spec with the source a mock is generated from: the synthetic table when the source
    /// is the input mock itself.
    fn generating_spec(self) -> PipelineSpec {
        let spec = self.spec.get_untracked();
        let source = match &spec.source {
            SourceSpec::InputMock => self.sources.synthetic(&spec),
            other => other.clone(),
        };
        PipelineSpec { source, ..spec }
    }

    /// The columns of a table a mock can be generated from, without building the table.
    pub fn schema_of(self, from: &TableChoice) -> Result<SchemaRef, RunFailure> {
        match from {
            TableChoice::Source => self.sources.schema(&self.generating_spec()),
            TableChoice::Step(name) => self.step_rows(name).map(|(schema, _)| schema),
        }
    }

    fn step_rows(self, name: &str) -> Result<(SchemaRef, Vec<RecordBatch>), RunFailure> {
        self.run
            .last_good
            .with_untracked(|r| {
                r.as_ref()
                    .and_then(|r| r.steps.iter().find(|s| s.name == name))
                    .map(|s| (s.data.schema.clone(), s.data.batches.clone()))
            })
            .ok_or_else(|| RunFailure::general(format!("{name} has no result yet: run the pipeline first")))
    }

    /// The schema and rows a mock can be generated from (see [`TableChoice`]). A synthetic
    /// source not built yet is generated a part at a time, as for a run.
    pub async fn table_for(
        self,
        from: &TableChoice,
        run_date_only: bool,
    ) -> Result<(SchemaRef, Vec<RecordBatch>), RunFailure> {
        match from {
            TableChoice::Source => {
                let spec = self.generating_spec();
                let data = self.sources.for_run(&spec, &crate::browser::pausing_control()).await?;
                let rows = if run_date_only { data.rows_on(spec.params.date)? } else { data.batches.clone() };
                Ok((data.schema.clone(), rows))
            }
            TableChoice::Step(name) => self.step_rows(name),
        }
    }

    /// Replaces a mock by one generated from a table; the reason on the unit test panel if it fails.
    pub async fn generate_mock(self, request: GenerateRequest) -> Result<(), String> {
        let spec = self.spec.get_untracked();
        let yaml = self
            .table_for(&request.from, request.run_date_only)
            .await
            .and_then(|(schema, rows)| crate::mocks::generate_yaml(&schema, &rows, &request, &spec))
            .map_err(|f| f.message)?;
        self.spec.update(|s| request.into.set(s, yaml));
        self.unit_test.set(None);
        Ok(())
    }

    /// Replaces the expected mock by an empty one with the DDL's columns.
    pub fn empty_expected_from_ddl(self) -> Result<(), String> {
        let table = self.spec.with_untracked(|s| parse_ddl(&s.ddl, &s.params)).map_err(|e| e.to_string())?;
        let mut mock = Mock::empty_from_table(&table);
        mock.table = TARGET_TABLE.into();
        mock.primary_key = self.spec.with_untracked(|s| crate::mocks::kept_key(s, &mock));
        self.spec.update(|s| s.mocks.expected = mock.to_yaml());
        self.unit_test.set(None);
        Ok(())
    }

    /// Reads a picked or dropped file as the source table (see [`ImportState::import`]),
    /// switches the source to it and runs; why not, if it cannot be used.
    pub fn import_file(self, file: web_sys::File) {
        spawn_local(async move {
            let spec = self.spec.get_untracked();
            match self.imports.import(file, &spec).await {
                Ok((file_name, data)) => {
                    self.sources.import(&file_name, Arc::new(data));
                    self.use_source(SourceSpec::Imported { file_name });
                }
                Err(why) => self.action_error.set(Some(ActionError::Import(why))),
            }
        });
    }

    /// Switches the source table and runs; `None` goes back to the synthetic sample.
    pub fn use_source(self, source: SourceSpec) {
        self.spec.update(|s| {
            self.sources.leaving(&s.source);
            s.source = source;
        });
        self.run();
    }

    /// Sets the synthetic source's rows a day (typed in the source bar) and runs. A size over the
    /// synthetic limit is refused before anything is generated, with the most it allows.
    pub fn set_rows_per_day(self, text: &str) {
        let SourceSpec::Synthetic(synthetic) = self.spec.with_untracked(|s| s.source.clone()) else { return };
        let Some(rows_per_day) = text.trim().replace(',', "").parse::<u32>().ok().filter(|r| *r > 0) else {
            let message = format!("rows a day: {text:?} is not a whole number above 0");
            return self.action_error.set(Some(ActionError::Param(message)));
        };
        let sized = SyntheticSpec { rows_per_day, ..synthetic };
        if let Err(e) = sized.generator() {
            let most = dataflow_engine::synthetic::MAX_ROWS / u64::from(synthetic.days.max(1));
            let message = format!("rows a day: {e} (over {} days, at most about {most} rows a day)", synthetic.days);
            return self.action_error.set(Some(ActionError::Param(message)));
        }
        self.spec.update(|s| s.source = SourceSpec::Synthetic(sized));
        self.run();
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

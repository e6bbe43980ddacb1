//! The app's one state: the pipeline spec, and what was derived from it by the last runs.

use std::collections::BTreeSet;
use std::sync::Arc;

use dataflow_engine::arrow::array::RecordBatch;
use dataflow_engine::arrow::datatypes::SchemaRef;
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::import::{check_size, read_source, require_columns};
use dataflow_engine::mock::TestDiff;
use dataflow_engine::permalink::Shared;
use dataflow_engine::{
    run_pipeline_with, Mock, PipelineSpec, Progress as RunProgress, RunControl, SourceData, SourceSpec, SyntheticSpec,
    TARGET_TABLE,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_time::Instant;

use crate::lessons::Progress;
use crate::mocks::{GenerateRequest, TableChoice};
use crate::persist::SessionMessage;
use crate::source::PageSources;
use crate::view_model::{RunFailure, RunView};

/// The page's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Steps, parameters, DDL and the result.
    Pipeline,
    /// The mocks and the unit test.
    Mocks,
    /// Write-Audit-Publish, daily and backfill runs, the catalog.
    Workflow,
    /// The template gallery.
    Gallery,
    /// The onboarding lessons.
    Learn,
}

impl Tab {
    /// Every tab, in the order the page shows them.
    pub const ALL: [Tab; 5] = [Tab::Pipeline, Tab::Mocks, Tab::Workflow, Tab::Gallery, Tab::Learn];

    /// The tab's id in links and test ids.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Pipeline => "pipeline",
            Tab::Mocks => "mocks",
            Tab::Workflow => "workflow",
            Tab::Gallery => "gallery",
            Tab::Learn => "learn",
        }
    }

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Pipeline => "Pipeline",
            Tab::Mocks => "Mocks & unit test",
            Tab::Workflow => "Workflow (WAP)",
            Tab::Gallery => "Template gallery",
            Tab::Learn => "Learn",
        }
    }

    /// The tab with this id, if any.
    pub fn from_id(id: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// Signals shared by every component (provided as context).
#[derive(Clone, Copy)]
pub struct AppState {
    /// Everything the user can change.
    pub spec: RwSignal<PipelineSpec>,
    /// The tab on screen (saved and shared with the spec).
    pub tab: RwSignal<Tab>,
    /// What the page says about a link, the saved work or saving.
    pub session: RwSignal<Option<SessionMessage>>,
    /// What the user opened (`rows:STEP_1`, `plan:STEP_3`, `country:US`), for the lessons.
    pub seen: RwSignal<BTreeSet<String>>,
    /// The lessons' progress (saved).
    pub progress: RwSignal<Progress>,
    /// True while a run is in flight.
    pub running: RwSignal<bool>,
    /// Where the run in flight is (step, rows read) and for how long it has run, in ms.
    pub run_progress: RwSignal<Option<(RunProgress, f64)>>,
    /// The run in flight's controls (Cancel).
    run_control: StoredValue<Option<Arc<RunControl>>>,
    /// The last run that finished: it stays on screen when a later run fails.
    pub last_good: RwSignal<Option<Arc<RunView>>>,
    /// Why the latest run failed, if it did.
    pub failure: RwSignal<Option<RunFailure>>,
    /// The last unit test's outcome.
    pub unit_test: RwSignal<Option<Result<TestDiff, RunFailure>>>,
    /// True while the unit test runs.
    pub testing: RwSignal<bool>,
    /// Where runs' tables come from: the imported file, the synthetic table built last.
    pub sources: PageSources,
    /// The file being read, while it is.
    pub importing: RwSignal<Option<String>>,
    /// Set when the user asked for a run while one was in flight.
    rerun: StoredValue<bool>,
}

impl AppState {
    /// The pipeline from the link in the URL, else the saved work, else the sample; not yet run.
    pub fn new() -> Self {
        let (shared, message) = crate::persist::start();
        AppState {
            spec: RwSignal::new(shared.spec),
            tab: RwSignal::new(Tab::from_id(&shared.view).unwrap_or(Tab::Pipeline)),
            session: RwSignal::new(message),
            seen: RwSignal::new(BTreeSet::new()),
            progress: RwSignal::new(crate::persist::lesson_progress()),
            running: RwSignal::new(false),
            run_progress: RwSignal::new(None),
            run_control: StoredValue::new(None),
            last_good: RwSignal::new(None),
            failure: RwSignal::new(None),
            unit_test: RwSignal::new(None),
            testing: RwSignal::new(false),
            sources: PageSources::new(),
            importing: RwSignal::new(None),
            rerun: StoredValue::new(false),
        }
    }

    /// Notes that the user opened something a lesson asks for.
    pub fn saw(self, what: String) {
        if !self.seen.with_untracked(|s| s.contains(&what)) {
            self.seen.update(|s| {
                s.insert(what);
            });
        }
    }

    /// What a link or the saved work holds: the spec and the tab.
    pub fn shared(self) -> Shared {
        Shared { spec: self.spec.get(), view: self.tab.get().id().to_string() }
    }

    /// Saves the work (called on every edit); says so once if the browser refuses.
    pub fn save(self) {
        let shared = self.shared();
        if let Err(e) = crate::persist::save(&shared) {
            if !matches!(self.session.get_untracked(), Some(SessionMessage::SaveFailed(_))) {
                self.session.set(Some(SessionMessage::SaveFailed(e)));
            }
        }
    }

    /// Shows the kept work and keeps the one on screen (after a link was opened), and runs.
    pub fn swap_kept(self) {
        let current = Shared { spec: self.spec.get_untracked(), view: self.tab.get_untracked().id().to_string() };
        match crate::persist::swap_kept(&current) {
            Ok(kept) => {
                let message = match self.session.get_untracked() {
                    Some(SessionMessage::WorkRestored) => SessionMessage::LinkOpened { kept: true },
                    _ => SessionMessage::WorkRestored,
                };
                self.load(kept);
                self.session.set(Some(message));
            }
            Err(e) => self.failure.set(Some(RunFailure::general(e))),
        }
    }

    /// Puts a whole pipeline on screen and runs it.
    pub fn load(self, shared: Shared) {
        self.tab.set(Tab::from_id(&shared.view).unwrap_or(Tab::Pipeline));
        self.spec.set(shared.spec);
        self.unit_test.set(None);
        self.failure.set(None);
        self.run();
    }

    /// The link to the current pipeline (the whole URL), also put in the address bar.
    pub fn share(self) -> Result<String, String> {
        let fragment = dataflow_engine::permalink::encode(&self.shared()).map_err(|e| e.to_string())?;
        crate::browser::set_fragment(Some(&fragment));
        Ok(format!("{}#{fragment}", crate::browser::address()))
    }

    /// Runs the current spec. A request during a run is queued, so the result always matches
    /// the spec as it was when the user last asked.
    pub fn run(self) {
        if self.running.get_untracked() {
            self.rerun.set_value(true);
            return;
        }
        self.running.set(true);
        spawn_local(async move {
            loop {
                // Let the page paint "Running…" before the engine takes the thread.
                gloo_timers::future::TimeoutFuture::new(0).await;
                let spec = self.spec.get_untracked();
                // A value the user types wrong while this run is in flight is said in `failure`;
                // this run's success must not hide it.
                let failure_before = self.failure.get_untracked();
                // The engine gives the thread back every slice of work, so the page stays
                // responsive and Cancel works; progress is read ten times a second.
                let control = Arc::new(crate::browser::pausing_control());
                self.run_control.set_value(Some(control.clone()));
                let started = Instant::now();
                let (ticking, progress) = (control.clone(), self.run_progress);
                let ticker = gloo_timers::callback::Interval::new(100, move || {
                    progress.set(Some((ticking.progress(), started.elapsed().as_secs_f64() * 1000.0)));
                });
                let outcome = self.execute(&spec, &control).await;
                drop(ticker);
                self.run_control.set_value(None);
                self.run_progress.set(None);
                match outcome {
                    Ok(view) => {
                        self.last_good.set(Some(Arc::new(view)));
                        crate::worker::prewarm();
                        if self.failure.get_untracked() == failure_before {
                            self.failure.set(None);
                        }
                    }
                    Err(failure) => self.failure.set(Some(failure)),
                }
                if !self.rerun.get_value() {
                    break;
                }
                self.rerun.set_value(false);
            }
            self.running.set(false);
        });
    }

    /// Stops the run in flight at its next check (between batches); the last good result stays.
    pub fn cancel_run(self) {
        self.rerun.set_value(false);
        self.run_control.with_value(|c| {
            if let Some(control) = c {
                control.cancel();
            }
        });
    }

    async fn execute(self, spec: &PipelineSpec, control: &Arc<RunControl>) -> Result<RunView, RunFailure> {
        let started = Instant::now();
        // A big run goes to the engine's worker (the page's thread stays free), others run here.
        let run = match crate::worker::run(spec, control).await {
            Some(outcome) => outcome?,
            None => {
                let source = self.sources.for_run(spec, control).await?;
                run_pipeline_with(spec, &source, control).await?
            }
        };
        // Building the view is a task of its own (the page paints in between).
        crate::browser::next_task().await;
        let mut view = RunView::from_run(&run, started.elapsed().as_secs_f64() * 1000.0)?;
        view.top_n = spec.params.top_n;
        Ok(view)
    }

    /// Sets a run parameter (checked by `Params::set`, as the CLI's `--param`) and runs again;
    /// a bad value is shown as the failure and changes nothing.
    pub fn set_param(self, name: &str, text: &str) {
        let mut params = self.spec.with_untracked(|s| s.params.clone());
        match params.set(name, text) {
            Ok(()) => {
                self.spec.update(|s| s.params = params);
                self.run();
            }
            Err(e) => self.failure.set(Some(RunFailure::general(e.to_string()))),
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
        self.last_good
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

    /// Reads a picked or dropped file as the source table, checks that it has the columns the
    /// steps need, switches the source to it and runs. The size is checked before reading.
    pub fn import_file(self, file: web_sys::File) {
        let name = file.name();
        if let Err(e) = check_size(&name, file.size() as u64) {
            self.failure.set(Some(e.into()));
            return;
        }
        self.importing.set(Some(name.clone()));
        spawn_local(async move {
            let result = self.read_import(&name, &file).await;
            self.importing.set(None);
            let source = match result {
                Ok(source) => source,
                Err(failure) => return self.failure.set(Some(failure)),
            };
            if let Err(e) = self.spec.with_untracked(|spec| require_columns(&name, &source.schema, spec)) {
                return self.failure.set(Some(e.into()));
            }
            self.sources.import(&name, Arc::new(source));
            self.use_source(SourceSpec::Imported { file_name: name });
        });
    }

    /// An imported file's rows: parsed in the engine's worker (the page's thread stays free), else
    /// here. The file is read once, unless a worker took its bytes and then failed to start.
    async fn read_import(self, name: &str, file: &web_sys::File) -> Result<SourceData, RunFailure> {
        let mut buffer = crate::browser::read_buffer(file).await.map_err(RunFailure::general)?;
        if let Some(parsed) = crate::worker::import(name, &buffer).await {
            return parsed.map_err(RunFailure::from);
        }
        if buffer.byte_length() == 0 && file.size() > 0.0 {
            buffer = crate::browser::read_buffer(file).await.map_err(RunFailure::general)?;
        }
        Ok(read_source(name, js_sys::Uint8Array::new(&buffer).to_vec())?)
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
            return self.failure.set(Some(RunFailure::general(message)));
        };
        let sized = SyntheticSpec { rows_per_day, ..synthetic };
        if let Err(e) = sized.generator() {
            let most = dataflow_engine::synthetic::MAX_ROWS / u64::from(synthetic.days.max(1));
            let message = format!("rows a day: {e} (over {} days, at most about {most} rows a day)", synthetic.days);
            return self.failure.set(Some(RunFailure::general(message)));
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

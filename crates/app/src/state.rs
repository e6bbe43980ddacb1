//! The app's one state: the pipeline spec, and what was derived from it by the last runs.

use std::sync::Arc;

use dataflow_engine::{run_pipeline, PipelineSpec, SourceData, SourceSpec};
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_time::Instant;

use crate::view_model::{RunFailure, RunView};

/// Signals shared by every component (provided as context).
#[derive(Clone, Copy)]
pub struct AppState {
    /// Everything the user can change.
    pub spec: RwSignal<PipelineSpec>,
    /// True while a run is in flight.
    pub running: RwSignal<bool>,
    /// The last run that finished: it stays on screen when a later run fails.
    pub last_good: RwSignal<Option<Arc<RunView>>>,
    /// Why the latest run failed, if it did.
    pub failure: RwSignal<Option<RunFailure>>,
    /// The source table built for a source spec, reused while the spec's source does not change.
    source_cache: StoredValue<Option<(SourceSpec, Arc<SourceData>)>>,
    /// Set when the user asked for a run while one was in flight.
    rerun: StoredValue<bool>,
}

impl AppState {
    /// The sample pipeline, not yet run.
    pub fn new() -> Self {
        AppState {
            spec: RwSignal::new(PipelineSpec::sample()),
            running: RwSignal::new(false),
            last_good: RwSignal::new(None),
            failure: RwSignal::new(None),
            source_cache: StoredValue::new(None),
            rerun: StoredValue::new(false),
        }
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
                match self.execute(&spec).await {
                    Ok(view) => {
                        self.last_good.set(Some(Arc::new(view)));
                        self.failure.set(None);
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

    async fn execute(self, spec: &PipelineSpec) -> Result<RunView, RunFailure> {
        let started = Instant::now();
        let source = self.source_for(&spec.source)?;
        let run = run_pipeline(spec, &source).await?;
        RunView::from_run(&run, started.elapsed().as_secs_f64() * 1000.0)
    }

    fn source_for(self, source: &SourceSpec) -> Result<Arc<SourceData>, RunFailure> {
        let cached = self
            .source_cache
            .with_value(|c| c.as_ref().filter(|(spec, _)| spec == source).map(|(_, data)| data.clone()));
        if let Some(data) = cached {
            return Ok(data);
        }
        let data = Arc::new(SourceData::build(source)?);
        self.source_cache.set_value(Some((source.clone(), data.clone())));
        Ok(data)
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

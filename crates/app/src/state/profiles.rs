//! The Profile panel's state: which table the user asked to profile (the source, or a step's
//! result in the last good run), the profile the engine computes on the page's thread in slices
//! (on demand, cancellable), and the audits the output's profile suggests.
//!
//! A profile belongs to the run it was made from: a newer run cancels it and clears it, so the
//! panel never shows figures of rows that are no longer on screen.

use std::sync::Arc;

use dataflow_engine::audit::suggest::suggest_audits;
use dataflow_engine::diff::Side;
use dataflow_engine::profile::{profile_table, TableProfile};
use dataflow_engine::{EngineError, PipelineSpec, RunControl, SOURCE_TABLE};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Phase;
use crate::profiles::{suggestion_lines, ProfileView, SuggestionLine};
use crate::source::PageSources;
use crate::view_model::{RunView, StepData};

/// A finished profile.
#[derive(Debug)]
pub struct Profiled {
    /// What the panel shows.
    pub view: ProfileView,
    /// The engine's profile, for suggestions.
    profile: TableProfile,
    /// The rows profiled, when they are the pipeline's output (audits check the output).
    output: Option<Arc<StepData>>,
}

impl Profiled {
    /// Whether the profiled table is the pipeline's output, so its profile can suggest audits.
    pub fn is_output(&self) -> bool {
        self.output.is_some()
    }
}

/// The Profile panel's state (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct ProfileState {
    /// The table to profile: [`SOURCE_TABLE`] or a step's name.
    pub table: RwSignal<String>,
    /// The profile.
    pub phase: RwSignal<Phase<Profiled>>,
    /// The audits the output's profile suggests.
    pub suggestions: RwSignal<Phase<Vec<SuggestionLine>>>,
    /// The work in flight, to cancel.
    control: StoredValue<Option<Arc<RunControl>>>,
}

impl ProfileState {
    /// Nothing profiled; the source is the table offered first.
    pub fn new() -> Self {
        ProfileState {
            table: RwSignal::new(SOURCE_TABLE.to_string()),
            phase: RwSignal::new(Phase::Idle),
            suggestions: RwSignal::new(Phase::Idle),
            control: StoredValue::new(None),
        }
    }

    /// Profiles the chosen table: the source of `spec`, or a step of `run`.
    pub fn profile(self, spec: PipelineSpec, sources: PageSources, run: Option<Arc<RunView>>) {
        let control = self.start();
        self.phase.set(Phase::Working);
        let table = self.table.get_untracked();
        spawn_local(async move {
            let outcome = profile_of(&table, &spec, sources, run.as_deref(), &control).await;
            if control.is_cancelled() {
                return;
            }
            self.control.set_value(None);
            self.phase.set(match outcome {
                Ok(profiled) => Phase::Ready(Arc::new(profiled)),
                Err(e) => Phase::Failed(e),
            });
        });
    }

    /// The audits the output's profile suggests for `spec`'s workflow.
    pub fn suggest(self, spec: PipelineSpec) {
        let Phase::Ready(profiled) = self.phase.get_untracked() else { return };
        let Some(output) = profiled.output.clone() else { return };
        let control = self.start();
        self.suggestions.set(Phase::Working);
        spawn_local(async move {
            let side = Side { schema: &output.schema, batches: &output.batches };
            let outcome = suggest_audits(&spec, side, &profiled.profile, &control).await;
            if control.is_cancelled() {
                return;
            }
            self.control.set_value(None);
            self.suggestions.set(match outcome {
                Ok(suggested) => Phase::Ready(Arc::new(suggestion_lines(&suggested))),
                Err(e) => Phase::Failed(e.to_string()),
            });
        });
    }

    /// Stops the work in flight; what was on screen before it stays.
    pub fn cancel(self) {
        if let Some(control) = self.control.get_value() {
            control.cancel();
        }
        self.control.set_value(None);
        if matches!(self.phase.get_untracked(), Phase::Working) {
            self.phase.set(Phase::Idle);
        }
        if matches!(self.suggestions.get_untracked(), Phase::Working) {
            self.suggestions.set(Phase::Idle);
        }
    }

    /// A newer run is on screen: the profile and the suggestions were of the rows before it.
    pub fn after_run(self) {
        self.cancel();
        self.phase.set(Phase::Idle);
        self.suggestions.set(Phase::Idle);
    }

    /// Cancels what is in flight and gives the control for the next piece of work.
    fn start(self) -> Arc<RunControl> {
        self.cancel();
        let control = Arc::new(crate::browser::pausing_control());
        self.control.set_value(Some(control.clone()));
        control
    }
}

/// The profile of the table named `table`, with the rows kept when they are the output.
async fn profile_of(
    table: &str,
    spec: &PipelineSpec,
    sources: PageSources,
    run: Option<&RunView>,
    control: &Arc<RunControl>,
) -> Result<Profiled, String> {
    let said = |e: EngineError| e.to_string();
    if table == SOURCE_TABLE {
        let source = sources.for_run(spec, control).await.map_err(|e| e.message)?;
        let side = Side { schema: &source.schema, batches: &source.batches };
        let profile = profile_table(side, control).await.map_err(said)?;
        return Ok(Profiled { view: ProfileView::new(SOURCE_TABLE, &profile), profile, output: None });
    }
    let run = run.ok_or("Run the pipeline first: a step's result is profiled from the last run.")?;
    let (index, step) = run
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.name == table)
        .ok_or_else(|| format!("The last run has no step named {table}."))?;
    let side = Side { schema: &step.data.schema, batches: &step.data.batches };
    let profile = profile_table(side, control).await.map_err(said)?;
    let output = (index + 1 == run.steps.len()).then(|| step.data.clone());
    Ok(Profiled { view: ProfileView::new(&step.name, &profile), profile, output })
}

impl Default for ProfileState {
    fn default() -> Self {
        Self::new()
    }
}

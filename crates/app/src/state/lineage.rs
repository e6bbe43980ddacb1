//! The lineage graph's state: the graph of the steps that ran last (planned again by the engine
//! after each good run, no rows read) and the column the user clicked, whose path is highlighted.
//! The chosen column is kept by name, so it stays chosen across runs while it exists.

use std::sync::Arc;

use dataflow_engine::lineage::{column_lineage, ColumnRef};
use dataflow_engine::PipelineSpec;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Phase;
use crate::lineage_view::Graph;
use crate::source::PageSources;

/// The graph and the chosen column (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct LineageState {
    /// The graph of the last good run's steps.
    pub graph: RwSignal<Phase<Graph>>,
    /// The column whose path is shown.
    pub chosen: RwSignal<Option<ColumnRef>>,
    /// Counts the requests: an older answer that arrives late is dropped.
    latest: StoredValue<u64>,
}

impl LineageState {
    /// No graph yet.
    pub fn new() -> Self {
        LineageState { graph: RwSignal::new(Phase::Idle), chosen: RwSignal::new(None), latest: StoredValue::new(0) }
    }

    /// A run of `spec` finished: the graph is of its steps.
    pub fn after_run(self, spec: PipelineSpec, sources: PageSources) {
        let request = self.latest.get_value() + 1;
        self.latest.set_value(request);
        spawn_local(async move {
            // Planned once the run's result has painted: the graph beside the steps follows it
            // by a frame, and the first result does not wait for a second planning of the steps.
            crate::browser::after_next_paint().await;
            let outcome = match sources.schema(&spec) {
                Ok(schema) => column_lineage(&spec, schema).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.message),
            };
            if self.latest.get_value() != request {
                return;
            }
            self.graph.set(match outcome {
                Ok(lineage) => Phase::Ready(Arc::new(Graph::new(&lineage))),
                Err(e) => Phase::Failed(e),
            });
        });
    }

    /// Shows `column`'s path, or none when it is shown already.
    pub fn choose(self, column: ColumnRef) {
        self.chosen.update(|c| *c = if c.as_ref() == Some(&column) { None } else { Some(column) });
    }
}

impl Default for LineageState {
    fn default() -> Self {
        Self::new()
    }
}

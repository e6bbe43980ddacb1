//! The page's answer to "where do a run's tables come from" (`dataflow_engine::Sources`): the
//! engine resolves any source spec (`dataflow_engine::resolve`), the page only holds what a spec
//! cannot: the imported file and the synthetic table built last, in the same `SourceCache` the
//! engine's worker keeps, and the synthetic source to go back to after an import.

use std::sync::Arc;

use dataflow_engine::arrow::datatypes::SchemaRef;
use dataflow_engine::source::schema_of;
use dataflow_engine::{resolve, PipelineSpec, RunControl, SourceCache, SourceData, SourceSpec, SyntheticSpec};
use leptos::prelude::*;

use crate::view_model::RunFailure;

/// The page's sources (part of the app's state; `Copy`, as signals are).
#[derive(Clone, Copy)]
pub struct PageSources {
    cache: StoredValue<Arc<SourceCache>>,
    /// Notified when the imported file changes: the source bar shows its name and rows.
    imported_changed: Trigger,
    /// The synthetic source to go back to after an import.
    last_synthetic: StoredValue<Option<SyntheticSpec>>,
}

impl PageSources {
    /// Nothing imported, nothing built.
    pub fn new() -> Self {
        PageSources {
            cache: StoredValue::new(Arc::new(SourceCache::default())),
            imported_changed: Trigger::new(),
            last_synthetic: StoredValue::new(None),
        }
    }

    /// The imported file, by name (tracked).
    pub fn imported(self) -> Option<(String, Arc<SourceData>)> {
        self.imported_changed.track();
        self.cache.with_value(|c| c.imported_file())
    }

    /// Holds `data` as the file imported as `name`.
    pub fn import(self, name: &str, data: Arc<SourceData>) {
        self.cache.with_value(|c| c.import(name, data));
        self.imported_changed.notify();
    }

    /// Notes the source a spec leaves: a synthetic one is where "back to the sample" goes.
    pub fn leaving(self, source: &SourceSpec) {
        if let SourceSpec::Synthetic(synthetic) = source {
            self.last_synthetic.set_value(Some(*synthetic));
        }
    }

    /// The synthetic source the user had before importing (or the default one for `spec`'s date).
    pub fn synthetic(self, spec: &PipelineSpec) -> SourceSpec {
        let date = spec.params.date;
        SourceSpec::Synthetic(self.last_synthetic.get_value().unwrap_or_else(|| SyntheticSpec::ending_on(date)))
    }

    /// The source table `spec` names; a synthetic table not built yet is generated a part at a
    /// time under `control` (the page stays responsive, Cancel works, progress counts its rows).
    pub async fn for_run(self, spec: &PipelineSpec, control: &RunControl) -> Result<Arc<SourceData>, RunFailure> {
        let cache = self.cache.get_value();
        Ok(resolve(spec, cache.as_ref(), control).await?)
    }

    /// The source table's columns, without generating a synthetic table to learn them.
    pub fn schema(self, spec: &PipelineSpec) -> Result<SchemaRef, RunFailure> {
        Ok(self.cache.with_value(|c| schema_of(spec, c.as_ref()))?)
    }
}

impl Default for PageSources {
    fn default() -> Self {
        Self::new()
    }
}

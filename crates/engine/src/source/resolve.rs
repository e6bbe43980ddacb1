//! Where a run's source table comes from. The spec names it (the synthetic table, the input
//! mock, an imported file), but an imported file's rows live with the host (the page, the
//! engine's worker), not in the spec. So the engine asks and the host answers, as typst's
//! `World` answers for files: [`Sources`] is the question, [`resolve`] the one function that
//! turns any [`SourceSpec`] into [`SourceData`] (no variant fails for lack of data a host could
//! give: a missing import is the host's answer, said as such), and [`SourceCache`] the answer
//! the page and the worker both give (the imported file, and the synthetic table built last,
//! which a run reuses while the spec's source does not change).

use std::sync::{Arc, Mutex, PoisonError};

use datafusion::arrow::datatypes::SchemaRef;

use super::SourceData;
use crate::{EngineError, Mock, PipelineSpec, RunControl, SourceSpec, SyntheticSpec};

/// What the host holds of a run's sources.
pub trait Sources {
    /// The rows of the file the user imported as `file_name`, if the host holds them.
    fn imported(&self, file_name: &str) -> Option<Arc<SourceData>>;

    /// The synthetic table built earlier for `spec`, if the host kept it.
    fn built(&self, _spec: &SyntheticSpec) -> Option<Arc<SourceData>> {
        None
    }

    /// What the host may keep of the synthetic table: the one just built, or `None` just before
    /// one is built (what it held may go then: two big tables need not fit in memory at once).
    fn hold(&self, _built: Option<(&SyntheticSpec, &Arc<SourceData>)>) {}
}

/// A host without imported files or a cache: the CLI, the benchmarks, tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl Sources for NoFiles {
    fn imported(&self, _file_name: &str) -> Option<Arc<SourceData>> {
        None
    }
}

/// Where the spec's source is: at hand, or a synthetic table still to generate.
enum Found {
    Ready(Arc<SourceData>),
    Generate(SyntheticSpec),
}

fn find(spec: &PipelineSpec, sources: &dyn Sources) -> Result<Found, EngineError> {
    match &spec.source {
        SourceSpec::Synthetic(synthetic) => {
            Ok(sources.built(synthetic).map_or(Found::Generate(*synthetic), Found::Ready))
        }
        // Small, and edited often: parsed for every run, never kept.
        SourceSpec::InputMock => Ok(Found::Ready(Arc::new(Mock::parse(&spec.mocks.input)?.to_source()?))),
        SourceSpec::Imported { file_name } => sources.imported(file_name).map(Found::Ready).ok_or_else(|| {
            EngineError::Source(format!("the imported file {file_name} is not loaded: import it again"))
        }),
    }
}

/// The source table `spec` names. A synthetic table the host does not hold is generated a part
/// at a time under `control` (cancel checks, pauses, its rows counted as progress) and offered
/// to the host to keep.
pub async fn resolve(
    spec: &PipelineSpec,
    sources: &dyn Sources,
    control: &RunControl,
) -> Result<Arc<SourceData>, EngineError> {
    match find(spec, sources)? {
        Found::Ready(data) => Ok(data),
        Found::Generate(synthetic) => {
            sources.hold(None);
            let data = Arc::new(SourceData::generate_with(&synthetic, control).await?);
            sources.hold(Some((&synthetic, &data)));
            Ok(data)
        }
    }
}

/// [`resolve`] for a host with no thread to give back (the CLI, the benchmarks, tests): a
/// synthetic table is generated whole, a batch per day.
pub fn resolve_now(spec: &PipelineSpec, sources: &dyn Sources) -> Result<Arc<SourceData>, EngineError> {
    match find(spec, sources)? {
        Found::Ready(data) => Ok(data),
        Found::Generate(synthetic) => {
            sources.hold(None);
            let data = Arc::new(SourceData::synthetic(&synthetic)?);
            sources.hold(Some((&synthetic, &data)));
            Ok(data)
        }
    }
}

/// The source table's columns, without generating a synthetic table to learn them.
pub fn schema_of(spec: &PipelineSpec, sources: &dyn Sources) -> Result<SchemaRef, EngineError> {
    Ok(match find(spec, sources)? {
        Found::Ready(data) => data.schema.clone(),
        Found::Generate(_) => crate::synthetic::source_schema(),
    })
}

/// The host's sources, the same in the page and in the engine's worker: the last imported file
/// (the page imports one at a time) and the synthetic table built last.
#[derive(Debug, Default)]
pub struct SourceCache {
    imported: Mutex<Option<(String, Arc<SourceData>)>>,
    built: Mutex<Option<(SyntheticSpec, Arc<SourceData>)>>,
}

impl SourceCache {
    /// Keeps `data` as the file imported as `file_name`, in place of the one before.
    pub fn import(&self, file_name: &str, data: Arc<SourceData>) {
        *self.imported.lock().unwrap_or_else(PoisonError::into_inner) = Some((file_name.to_string(), data));
    }

    /// The imported file held, by name.
    pub fn imported_file(&self) -> Option<(String, Arc<SourceData>)> {
        self.imported.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Sources for SourceCache {
    fn imported(&self, file_name: &str) -> Option<Arc<SourceData>> {
        let held = self.imported.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().filter(|(name, _)| name == file_name).map(|(_, data)| data.clone())
    }

    fn built(&self, spec: &SyntheticSpec) -> Option<Arc<SourceData>> {
        let held = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().filter(|(built, _)| built == spec).map(|(_, data)| data.clone())
    }

    fn hold(&self, built: Option<(&SyntheticSpec, &Arc<SourceData>)>) {
        *self.built.lock().unwrap_or_else(PoisonError::into_inner) = built.map(|(spec, data)| (*spec, data.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(spec: &mut PipelineSpec) -> SyntheticSpec {
        let synthetic = SyntheticSpec { days: 2, rows_per_day: 500, ..SyntheticSpec::ending_on(spec.params.date) };
        spec.source = SourceSpec::Synthetic(synthetic);
        synthetic
    }

    #[test]
    fn every_source_resolves_when_the_host_has_it() {
        let mut spec = PipelineSpec::sample();
        small(&mut spec);
        let synthetic = resolve_now(&spec, &NoFiles).unwrap();
        assert!(synthetic.row_count() > 0);

        spec.source = SourceSpec::InputMock;
        let mock = resolve_now(&spec, &NoFiles).unwrap();
        assert_eq!(mock.row_count(), Mock::parse(&spec.mocks.input).unwrap().to_source().unwrap().row_count());

        spec.source = SourceSpec::Imported { file_name: "views.csv".into() };
        let missing = resolve_now(&spec, &NoFiles).unwrap_err();
        assert_eq!(missing.to_string(), "source table: the imported file views.csv is not loaded: import it again");
        let cache = SourceCache::default();
        cache.import("views.csv", mock.clone());
        assert!(Arc::ptr_eq(&resolve_now(&spec, &cache).unwrap(), &mock));
        assert_eq!(schema_of(&spec, &cache).unwrap(), mock.schema);
        cache.import("other.csv", synthetic);
        assert!(resolve_now(&spec, &cache).is_err(), "only the last import is held");
    }

    #[test]
    fn the_cache_keeps_the_synthetic_table_built_last_and_its_schema_needs_none() {
        let mut spec = PipelineSpec::sample();
        let first = small(&mut spec);
        let cache = SourceCache::default();
        assert_eq!(schema_of(&spec, &cache).unwrap(), crate::synthetic::source_schema());
        assert!(cache.built(&first).is_none(), "learning the schema builds nothing");
        let built = futures::executor::block_on(resolve(&spec, &cache, &RunControl::default())).unwrap();
        assert!(Arc::ptr_eq(&resolve_now(&spec, &cache).unwrap(), &built));

        let second = SyntheticSpec { seed: first.seed + 1, ..first };
        spec.source = SourceSpec::Synthetic(second);
        let other = resolve_now(&spec, &cache).unwrap();
        assert!(!Arc::ptr_eq(&other, &built));
        assert!(cache.built(&first).is_none(), "one synthetic table is held at a time");
    }
}

//! `dataflow run`: the pipeline on the synthetic source or a file, its last step printed as CSV.

use dataflow_engine::table::DISPLAY_ORDER;
use dataflow_engine::{export, import};
use std::sync::Arc;

use dataflow_engine::{resolve_now, run_pipeline, NoFiles, PipelineRun, PipelineSpec, SourceData};

use crate::cli::RunArgs;
use crate::read_file;

pub fn run(args: &RunArgs) -> Result<String, String> {
    let spec = args.inputs.spec()?;
    let source = source_of(args.inputs.source.as_deref(), &spec)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let run = run_and_tell(&runtime, &spec, &source, "")?;
    let output = run.output().ok_or("the pipeline has no steps")?;
    export::sorted_csv(&output.schema, &output.batches, &DISPLAY_ORDER, args.limit).map_err(|e| e.to_string())
}

/// The source table: the file at `path`, or the spec's own source.
pub(crate) fn source_of(path: Option<&str>, spec: &PipelineSpec) -> Result<Arc<SourceData>, String> {
    match path {
        Some(path) => Ok(Arc::new(read_source_file(path, spec)?)),
        None => resolve_now(spec, &NoFiles).map_err(|e| e.to_string()),
    }
}

/// Runs the pipeline; its notices and the DDL check's findings go to stderr, after `label`.
pub(crate) fn run_and_tell(
    runtime: &tokio::runtime::Runtime,
    spec: &PipelineSpec,
    source: &SourceData,
    label: &str,
) -> Result<PipelineRun, String> {
    let run = runtime.block_on(run_pipeline(spec, source)).map_err(|e| format!("{label}{e}"))?;
    for notice in &run.notices {
        eprintln!("dataflow: {label}{}", notice.0);
    }
    for finding in &run.findings {
        eprintln!("dataflow: {label}DDL check: {finding}");
    }
    Ok(run)
}

/// A CSV, JSON or Parquet file as the source table: its size checked before it is read, its
/// columns checked against those the steps need.
fn read_source_file(path: &str, spec: &PipelineSpec) -> Result<SourceData, String> {
    if path.ends_with(".yaml") || path.ends_with(".yml") {
        let mock = dataflow_engine::Mock::parse(&read_file(path)?).map_err(|e| format!("{path}: {e}"))?;
        return mock.to_source().map_err(|e| format!("{path}: {e}"));
    }
    let len = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?.len();
    import::check_size(path, len).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let source = import::read_source(path, bytes).map_err(|e| e.to_string())?;
    import::require_columns(path, &source.schema, spec).map_err(|e| e.to_string())?;
    Ok(source)
}

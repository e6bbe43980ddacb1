//! `dataflow run`: the pipeline on the synthetic source or a file, its last step printed as CSV.

use dataflow_engine::table::DISPLAY_ORDER;
use dataflow_engine::{export, import};
use std::sync::Arc;

use dataflow_engine::{resolve_now, run_pipeline, NoFiles, PipelineSpec, SourceData, SourceSpec};

use crate::cli::RunArgs;
use crate::read_file;

pub fn run(args: &RunArgs) -> Result<String, String> {
    let mut spec = args.pipeline.spec(args.top_n.as_deref())?;
    if let (SourceSpec::Synthetic(synthetic), Some(seed)) = (&mut spec.source, args.seed) {
        synthetic.seed = seed;
    }
    let source = match &args.source {
        Some(path) => Arc::new(read_source_file(path, &spec)?),
        None => resolve_now(&spec, &NoFiles).map_err(|e| e.to_string())?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let run = runtime.block_on(run_pipeline(&spec, &source)).map_err(|e| e.to_string())?;
    for notice in &run.notices {
        eprintln!("dataflow: {}", notice.0);
    }
    for finding in &run.findings {
        eprintln!("dataflow: DDL check: {finding}");
    }
    let output = run.output().ok_or("the pipeline has no steps")?;
    export::sorted_csv(&output.schema, &output.batches, &DISPLAY_ORDER, args.limit).map_err(|e| e.to_string())
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

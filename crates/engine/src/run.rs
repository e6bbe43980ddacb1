//! Running a pipeline: each step's SQL on DataFusion, one partition, all in memory.
//!
//! Steps run in order. Each step's result is registered under the step's name, so a later step
//! reads an earlier one exactly as the article's `WITH STEP_1 AS (...)` chain does.

use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::MemorySchemaProvider;
use datafusion::common::TableReference;
use datafusion::datasource::MemTable;
use datafusion::execution::context::{SQLOptions, SessionConfig, SessionContext};
use web_time::Instant;

use crate::params::substitute;
use crate::{EngineError, PipelineSpec, SourceData, SOURCE_TABLE};

/// One step's outcome.
#[derive(Debug, Clone)]
pub struct StepResult {
    /// The step's name.
    pub name: String,
    /// The SQL that ran, parameters substituted.
    pub sql: String,
    /// The result's schema.
    pub schema: SchemaRef,
    /// The result's rows.
    pub batches: Vec<RecordBatch>,
    /// How many rows.
    pub row_count: usize,
    /// Planning and execution time, in milliseconds.
    pub elapsed_ms: f64,
}

/// A finding about a run that is worth telling the user, though nothing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice(pub String);

/// A whole run's outcome: every step's result, in order.
#[derive(Debug, Clone)]
pub struct PipelineRun {
    /// How many rows the source table had.
    pub source_rows: usize,
    /// Each step's result, in run order.
    pub steps: Vec<StepResult>,
    /// Things the user should know (an empty source, no rows on the run date).
    pub notices: Vec<Notice>,
}

impl PipelineRun {
    /// The last step's result: what would be written to the target table.
    pub fn output(&self) -> Option<&StepResult> {
        self.steps.last()
    }
}

/// A fresh DataFusion session: one partition, no disk, Spark-like SQL defaults.
pub fn new_context() -> SessionContext {
    let mut config = SessionConfig::new().with_target_partitions(1).with_information_schema(false);
    // Spark sorts NULLs as the smallest value (ASC NULLS FIRST, DESC NULLS LAST).
    config.options_mut().sql_parser.default_null_ordering = "nulls_min".into();
    SessionContext::new_with_config(config)
}

/// Runs every step of `spec` on `source`.
pub async fn run_pipeline(spec: &PipelineSpec, source: &SourceData) -> Result<PipelineRun, EngineError> {
    check_step_names(spec)?;
    let ctx = new_context();
    register_source(&ctx, source)?;
    let values = spec.params.values();
    // Steps may read tables; they may not create, change or drop them.
    let options = SQLOptions::new().with_allow_ddl(false).with_allow_dml(false).with_allow_statements(false);

    let mut steps = Vec::with_capacity(spec.steps.len());
    for step in &spec.steps {
        let step_error = |e: datafusion::error::DataFusionError| EngineError::Step {
            step: step.name.clone(),
            message: e.strip_backtrace(),
        };
        let sql = substitute(&step.name, &step.sql, &values)?;
        if sql.trim().is_empty() {
            return Err(EngineError::Step { step: step.name.clone(), message: "the step has no SQL".into() });
        }
        let started = Instant::now();
        let frame = ctx.sql_with_options(&sql, options).await.map_err(step_error)?;
        let schema: SchemaRef = Arc::new(frame.schema().as_arrow().clone());
        let batches = frame.collect().await.map_err(step_error)?;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        let row_count = batches.iter().map(RecordBatch::num_rows).sum();
        let table = MemTable::try_new(schema.clone(), vec![batches.clone()]).map_err(step_error)?;
        ctx.register_table(TableReference::bare(step.name.to_lowercase()), Arc::new(table)).map_err(step_error)?;
        steps.push(StepResult { name: step.name.clone(), sql, schema, batches, row_count, elapsed_ms });
    }

    let notices = notices(spec, source, &steps);
    Ok(PipelineRun { source_rows: source.row_count(), steps, notices })
}

fn check_step_names(spec: &PipelineSpec) -> Result<(), EngineError> {
    if spec.steps.is_empty() {
        return Err(EngineError::InvalidSpec("the pipeline has no steps".into()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for step in &spec.steps {
        let name = step.name.as_str();
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(EngineError::InvalidSpec(format!(
                "step name {name:?} is not an identifier (letters, digits and _, not starting with a digit)"
            )));
        }
        if !seen.insert(name.to_lowercase()) {
            return Err(EngineError::InvalidSpec(format!("two steps are named {name}")));
        }
    }
    Ok(())
}

fn register_source(ctx: &SessionContext, source: &SourceData) -> Result<(), EngineError> {
    let source_error = |e: datafusion::error::DataFusionError| EngineError::Source(e.strip_backtrace());
    let reference = TableReference::parse_str(SOURCE_TABLE);
    if let Some(schema) = reference.schema() {
        let catalog =
            ctx.catalog("datafusion").ok_or_else(|| EngineError::Source("the default catalog is missing".into()))?;
        catalog.register_schema(schema, Arc::new(MemorySchemaProvider::new())).map_err(source_error)?;
    }
    let table = MemTable::try_new(source.schema.clone(), vec![source.batches.clone()]).map_err(source_error)?;
    ctx.register_table(reference, Arc::new(table)).map_err(source_error)?;
    Ok(())
}

fn notices(spec: &PipelineSpec, source: &SourceData, steps: &[StepResult]) -> Vec<Notice> {
    let mut notices = Vec::new();
    let date = spec.params.date;
    if source.row_count() == 0 {
        notices.push(Notice(format!("The source table {SOURCE_TABLE} is empty, so every step is empty.")));
    } else if let Some((first, last)) = source.date_range {
        if date < first || date > last {
            notices.push(Notice(format!(
                "The source table has no rows for the run date {date}: it covers {first} to {last}."
            )));
        }
    }
    if notices.is_empty() {
        if let Some(out) = steps.last().filter(|s| s.row_count == 0) {
            notices.push(Notice(format!("The last step, {}, returned no rows.", out.name)));
        }
    }
    notices
}

//! Running a pipeline: each step's SQL on DataFusion, one partition, all in memory.
//!
//! Steps run in order. Each step's result is registered under the step's name, so a later step
//! reads an earlier one exactly as the article's `WITH STEP_1 AS (...)` chain does.

use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::MemorySchemaProvider;
use datafusion::common::TableReference;
use datafusion::dataframe::DataFrame;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::execution::context::{SQLOptions, SessionConfig, SessionContext};
use datafusion::execution::SessionStateBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::displayable;
use datafusion::sql::parser::Statement as DfStatement;
use futures::StreamExt;
use web_time::Instant;

mod step_error;

use crate::control::{ControlledBatches, RunControl};
use crate::ddl::{parse_ddl, validate_output, Finding, TableDef};
use crate::guard;
use crate::params::{substitute_mapped, SourceMap};

use crate::spark::QueryError;
use crate::{EngineError, PipelineSpec, SourceData, Step, SOURCE_TABLE};

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
    /// The optimised logical plan, as an indented tree.
    pub logical_plan: String,
    /// The physical plan, as an indented tree.
    pub physical_plan: String,
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
    /// The target table the DDL declares, or why it could not be read.
    pub target: Result<TableDef, EngineError>,
    /// What is wrong with the last step's output for that table (empty when it fits).
    pub findings: Vec<Finding>,
}

impl PipelineRun {
    /// The last step's result: what would be written to the target table.
    pub fn output(&self) -> Option<&StepResult> {
        self.steps.last()
    }
}

/// A fresh DataFusion session: one partition, no disk, Spark-like SQL defaults.
pub fn new_context() -> SessionContext {
    context(SessionConfig::new())
}

fn context(config: SessionConfig) -> SessionContext {
    let mut config = crate::spark::configure(config.with_target_partitions(1).with_information_schema(false));
    // Planning errors carry the place in the SQL, so the editor can mark it.
    config.options_mut().sql_parser.collect_spans = true;
    let builder = SessionStateBuilder::new()
        .with_config(config)
        // Windows over whole in-memory partitions: RANK a partition at a time (crate::windows).
        .with_physical_optimizer_rule(Arc::new(crate::windows::WholePartitionWindows))
        // Partitions read in turn, never by spawned tasks (there is no Tokio in the browser).
        .with_physical_optimizer_rule(Arc::new(crate::chain::ChainPartitions));
    // Spark's functions, dialect checks and arithmetic (crate::spark).
    SessionContext::new_with_state(crate::spark::session_state(builder))
}

/// DataFusion's SQL parser as a step's text meets it (for the fuzzer: no planning, no tables).
#[derive(Debug)]
pub struct ParserState(datafusion::execution::SessionState);

impl ParserState {
    /// A session's parser with the app's settings.
    pub fn new() -> Self {
        ParserState(new_context().state())
    }

    /// Parses `sql` into one statement, as a step's check does; the error's text on failure.
    pub fn parse(&self, sql: &str) -> Result<(), String> {
        match crate::spark::parse_query(&self.0, sql) {
            Ok(_)
            | Err(QueryError::NotQuery(_) | QueryError::Several | QueryError::Spark(_) | QueryError::Guard(_)) => {
                Ok(())
            }
            Err(QueryError::Syntax(e)) => Err(e.strip_backtrace()),
        }
    }
}

impl Default for ParserState {
    fn default() -> Self {
        Self::new()
    }
}

/// Steps may read tables; they may not create, change or drop them.
pub(crate) fn read_only() -> SQLOptions {
    SQLOptions::new().with_allow_ddl(false).with_allow_dml(false).with_allow_statements(false)
}

/// A step's SQL with its parameters substituted.
struct Prepared<'a> {
    step: &'a Step,
    sql: String,
    map: SourceMap,
}

/// A step whose reads were checked: its statement, parsed once.
struct Checked<'a, 'b> {
    step: &'b Prepared<'a>,
    statement: DfStatement,
}

/// Runs every step of `spec` on `source`.
pub async fn run_pipeline(spec: &PipelineSpec, source: &SourceData) -> Result<PipelineRun, EngineError> {
    run_pipeline_with(spec, source, &Arc::new(RunControl::default())).await
}

/// [`run_pipeline`] under `control`: it can be cancelled between batches, reports its progress,
/// pauses for the host between slices of work, and refuses a step result over the row limit.
pub async fn run_pipeline_with(
    spec: &PipelineSpec,
    source: &SourceData,
    control: &Arc<RunControl>,
) -> Result<PipelineRun, EngineError> {
    spec.check_step_names().map_err(EngineError::InvalidSpec)?;
    control.start(spec.steps.len());
    control.check()?;
    let config = SessionConfig::new();
    let ctx = context(match control.batch_size() {
        Some(rows) => config.with_batch_size(rows),
        None => config,
    });
    register_source(&ctx, source, control)?;
    let prepared = prepare(spec)?;
    let checked = check_all(&ctx, &prepared)?;

    let mut steps = Vec::with_capacity(prepared.len());
    for (index, step) in checked.into_iter().enumerate() {
        control.enter_step(index);
        steps.push(run_step(&ctx, step, control).await?);
    }

    let notices = notices(spec, source, &steps);
    let target = parse_ddl(&spec.ddl, &spec.params);
    let findings = match (&target, steps.last()) {
        (Ok(table), Some(out)) => validate_output(table, &out.schema, &out.batches),
        _ => Vec::new(),
    };
    Ok(PipelineRun { source_rows: source.row_count(), steps, notices, target, findings })
}

/// Every step's SQL with the parameters substituted.
fn prepare(spec: &PipelineSpec) -> Result<Vec<Prepared<'_>>, EngineError> {
    let values = spec.params.values();
    spec.steps
        .iter()
        .map(|step| {
            let (sql, map) = substitute_mapped(&step.name, &step.sql, &values)?;
            Ok(Prepared { step, sql, map })
        })
        .collect()
}

/// Every step parsed, and its reads checked.
fn check_all<'a, 'b>(ctx: &SessionContext, prepared: &'b [Prepared<'a>]) -> Result<Vec<Checked<'a, 'b>>, EngineError> {
    prepared.iter().enumerate().map(|(index, step)| check_reads(ctx, prepared, index, step)).collect()
}

/// Every step's logical plan as a run makes it, before analysis and optimisation (closest to the
/// SQL the user wrote), each over empty tables with the columns of the source and of the steps
/// before it. No row is read: this is what column lineage ([`crate::lineage`]) walks.
pub async fn plan_steps(spec: &PipelineSpec, source: SchemaRef) -> Result<Vec<(String, LogicalPlan)>, EngineError> {
    spec.check_step_names().map_err(EngineError::InvalidSpec)?;
    let ctx = new_context();
    let control = Arc::new(RunControl::default());
    register_source(&ctx, &SourceData::new(source, Vec::new()), &control)?;
    let prepared = prepare(spec)?;
    let mut plans = Vec::with_capacity(prepared.len());
    for checked in check_all(&ctx, &prepared)? {
        let step = checked.step;
        let (plan, frame) = plan_step(ctx.clone(), checked).await?;
        // The schema a run registers: analysed and optimised (Spark's rules may change types).
        let schema: SchemaRef = frame.into_optimized_plan().map_err(|e| step.error(&e))?.schema().inner().clone();
        let table = MemTable::try_new(schema, vec![Vec::new()]).map_err(|e| step.error(&e))?;
        ctx.register_table(TableReference::bare(step.step.name.to_lowercase()), Arc::new(table))
            .map_err(|e| step.error(&e))?;
        plans.push((step.step.name.clone(), plan));
    }
    Ok(plans)
}

/// A checked step planned (read-only) as a run plans it: the plan before analysis, and the
/// frame that analyses, optimises and runs it.
async fn plan_step(ctx: SessionContext, checked: Checked<'_, '_>) -> Result<(LogicalPlan, DataFrame), EngineError> {
    let step = checked.step;
    let plan = crate::spark::statement_to_plan(&ctx.state(), checked.statement).await.map_err(|e| step.error(&e))?;
    read_only().verify_plan(&plan).map_err(|e| step.error(&e))?;
    let frame = ctx.execute_logical_plan(plan.clone()).await.map_err(|e| step.error(&e))?;
    Ok((plan, frame))
}

async fn run_step(
    ctx: &SessionContext,
    checked: Checked<'_, '_>,
    control: &Arc<RunControl>,
) -> Result<StepResult, EngineError> {
    let step = checked.step;
    let started = Instant::now();
    let state = ctx.state();
    let (_, frame) = plan_step(ctx.clone(), checked).await?;
    let task_ctx = frame.task_ctx();
    // Analysed and optimised: rules such as Spark's division change the output types.
    let logical = frame.into_optimized_plan().map_err(|e| step.error(&e))?;
    let logical_plan = logical.display_indent().to_string();
    let plan = state.query_planner().create_physical_plan(&logical, &state).await.map_err(|e| step.error(&e))?;
    let schema: SchemaRef = plan.schema();
    let physical_plan = displayable(plan.as_ref()).indent(true).to_string();
    let failed = |e: DataFusionError| if control.is_cancelled() { EngineError::Cancelled } else { step.error(&e) };
    let mut stream = crate::chain::execute(plan, Arc::new(task_ctx)).map_err(failed)?;
    let mut batches = Vec::new();
    let mut row_count = 0_usize;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(failed)?;
        row_count = row_count.saturating_add(batch.num_rows());
        if row_count > control.max_step_rows() {
            return Err(step.fail(format!(
                "the result has more than {} rows, the most a step may return here: filter or aggregate more, or add a LIMIT",
                control.max_step_rows()
            )));
        }
        batches.push(batch);
        control.check()?;
    }
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let table = ControlledBatches::table(schema.clone(), batches.clone(), control).map_err(|e| step.error(&e))?;
    ctx.register_table(TableReference::bare(step.step.name.to_lowercase()), Arc::new(table))
        .map_err(|e| step.error(&e))?;
    Ok(StepResult {
        name: step.step.name.clone(),
        sql: step.sql.clone(),
        schema,
        batches,
        row_count,
        elapsed_ms,
        logical_plan,
        physical_plan,
    })
}

/// A step reads only the source table and the steps before it: never itself or a later one.
fn check_reads<'a, 'b>(
    ctx: &SessionContext,
    all: &[Prepared<'_>],
    index: usize,
    step: &'b Prepared<'a>,
) -> Result<Checked<'a, 'b>, EngineError> {
    if step.sql.trim().is_empty() {
        return Err(step.fail("the step has no SQL".into()));
    }
    let state = ctx.state();
    let statement = crate::spark::parse_query(&state, &step.sql).map_err(|e| match e {
        QueryError::Guard(guard::Refusal::Starts(verb)) | QueryError::NotQuery(verb) => step.fail(not_a_query(&verb)),
        QueryError::Guard(long) => step.fail(format!("{long}: the SQL parser would take very long on it")),
        QueryError::Several => {
            step.fail("a step is one SELECT statement, not several: remove the `;` between them".into())
        }
        QueryError::Syntax(e) => step.error(&e),
        QueryError::Spark(refusal) => step.refused(refusal),
    })?;
    let references = state.resolve_table_references(&statement).map_err(|e| step.error(&e))?;
    let source = TableReference::parse_str(SOURCE_TABLE);
    let position = |name: &str| all.iter().position(|p| p.step.name.eq_ignore_ascii_case(name));
    for reference in references {
        if reference.resolved_eq(&source) || reference.schema().is_some() {
            continue;
        }
        let name = reference.table();
        match position(name) {
            Some(i) if i < index => {}
            Some(i) if i == index => return Err(step.fail(format!("the step reads itself ({})", step.step.name))),
            Some(i) => {
                let later = all.get(i).map_or(name, |p| p.step.name.as_str());
                return Err(step.fail(format!(
                    "the step reads {later}, which runs after it: a step reads only {SOURCE_TABLE} and the steps before it"
                )));
            }
            None => {
                let earlier: Vec<&str> = all.iter().take(index).map(|p| p.step.name.as_str()).collect();
                let choices = if earlier.is_empty() { String::new() } else { format!(", {}", earlier.join(", ")) };
                return Err(
                    step.fail(format!("the step reads an unknown table {name}: it can read {SOURCE_TABLE}{choices}"))
                );
            }
        }
    }
    Ok(Checked { step, statement })
}

fn not_a_query(verb: &str) -> String {
    format!("a step is a SELECT (or WITH … SELECT); {verb} is not allowed: steps read tables, the write job writes")
}

fn register_source(ctx: &SessionContext, source: &SourceData, control: &Arc<RunControl>) -> Result<(), EngineError> {
    let source_error = |e: datafusion::error::DataFusionError| EngineError::Source(e.strip_backtrace());
    let reference = TableReference::parse_str(SOURCE_TABLE);
    if let Some(schema) = reference.schema() {
        let catalog =
            ctx.catalog("datafusion").ok_or_else(|| EngineError::Source("the default catalog is missing".into()))?;
        catalog.register_schema(schema, Arc::new(MemorySchemaProvider::new())).map_err(source_error)?;
    }
    let table = crate::control::SourceTable::new(source, control);
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

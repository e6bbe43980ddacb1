//! What changed between two results of the same step: rows added, removed and changed, paired by a
//! key, and how many cells of each column changed.
//!
//! Why in the engine, on DataFusion: at 10M source rows a step's result has hundreds of thousands
//! of rows on each side, and a hash join on the key compares them in one pass. The tables are
//! served by [`ControlledBatches`], so a diff can be cancelled and gives the page back between
//! slices of work like any step, and it runs wherever the run ran (the engine's worker for big
//! runs). The plans are built from DataFrame expressions, never from SQL text: a column's name
//! needs no quoting and nothing reaches the parser.
//!
//! The rules a user reads in the summary:
//! - Rows are paired by the key when it identifies rows on both sides (no NULL in it, no value
//!   twice). Otherwise, or without a key, they are paired by whole rows (each distinct row counted
//!   on both sides: added and removed, never changed), and [`Pairing::WholeRows`] says why.
//! - The columns both sides have are compared; the others are listed. A shared column whose type
//!   changed is compared as BIGINT (both integers), DOUBLE (both numbers) or text.
//! - Cells are compared with `IS DISTINCT FROM`: NULL equals NULL, doubles compare exactly (the
//!   engine gives the same result for the same input, so a difference is a real one).

use std::ops::Not;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{NullEquality, ScalarValue};
use datafusion::dataframe::DataFrame;
use datafusion::datasource::provider_as_source;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SessionContext;
use datafusion::functions_aggregate::expr_fn::{count, count_distinct, sum};
use datafusion::logical_expr::{binary_expr, cast, ident, lit, when, Expr, JoinType, LogicalPlanBuilder, Operator};
use datafusion::prelude::{abs, coalesce};
use serde::{Deserialize, Serialize};

use crate::control::{ControlledBatches, RunControl};
use crate::spark::type_name;
use crate::table::{group_digits, Table};
use crate::{EngineError, Mock, PipelineRun, PipelineSpec};

/// How the rows of the two sides were paired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pairing {
    /// By these columns' values: a row is added, removed, changed or unchanged.
    Key(Vec<String>),
    /// By all compared columns' values (a row is only added or removed), and why not by a key.
    WholeRows(String),
}

/// One numeric cell's change, for "the largest changes".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericChange {
    /// The row's key values, as text.
    pub key: Vec<String>,
    /// The base's value.
    pub base: f64,
    /// The new value.
    pub new: f64,
}

/// What changed in one column both sides have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnChange {
    /// The column's name.
    pub name: String,
    /// How many paired rows have a different value in it.
    pub changed: u64,
    /// The column's type on each side, when it is not the same.
    pub types: Option<(String, String)>,
    /// The largest numeric changes, largest first (at most [`LARGEST`]).
    pub largest: Vec<NumericChange>,
}

/// How many of the largest numeric changes each column reports.
pub const LARGEST: usize = 3;

/// Two results of a step, compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDiff {
    /// Rows on the base side.
    pub base_rows: u64,
    /// Rows on the new side.
    pub new_rows: u64,
    /// How rows were paired.
    pub pairing: Pairing,
    /// Rows only the new side has.
    pub added: u64,
    /// Rows only the base has.
    pub removed: u64,
    /// Paired rows with a different value in at least one column (0 when paired by whole rows).
    pub changed: u64,
    /// Paired rows equal in every compared column.
    pub unchanged: u64,
    /// With a key of two columns or more: in how many distinct values of a key column the
    /// changed rows are ("in 57 country_code"): the first column (the last one excepted) in which
    /// they take more than one value, else the first.
    pub changed_in: Option<(String, u64)>,
    /// The compared columns that are not the key, in the base's order.
    pub columns: Vec<ColumnChange>,
    /// Columns only the base has.
    pub only_base: Vec<String>,
    /// Columns only the new side has.
    pub only_new: Vec<String>,
    /// The added, removed and changed rows (at most the options' `max_rows`), sorted by the key:
    /// `change`, the key's columns, then each compared column's base value (`base.NAME`) and new
    /// value (`NAME`). Paired by whole rows: `change`, `rows` (how many copies) and the columns.
    pub rows: Table,
}

/// What a diff is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    /// The key's columns (empty: pair by whole rows).
    pub key: Vec<String>,
    /// The most rows [`TableDiff::rows`] keeps.
    pub max_rows: usize,
}

/// One side of a diff: a result's schema and rows.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The result's schema.
    pub schema: &'a SchemaRef,
    /// Its rows.
    pub batches: &'a [RecordBatch],
}

/// A step compared across two runs (or why it could not be).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepDiff {
    /// The step's name (`output` when the two runs' last steps have different names).
    pub step: String,
    /// The comparison, or why it failed.
    pub diff: Result<TableDiff, String>,
}

/// Two runs compared step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDiff {
    /// Each step both runs have, in the new run's order; the last one is the output.
    pub steps: Vec<StepDiff>,
    /// Steps only the base run has.
    pub only_base: Vec<String>,
    /// Steps only the new run has.
    pub only_new: Vec<String>,
}

/// The key a step's result is paired by when the user chose none: the workflow's primary key
/// (its partition column `date` is set by the write, so a result does not have it) or else the
/// expected mock's `primary_key`, as far as both sides have those columns.
pub fn default_key(spec: &PipelineSpec, base: &Schema, new: &Schema) -> Vec<String> {
    let has = |c: &String| base.index_of(c).is_ok() && new.index_of(c).is_ok();
    let from_workflow: Vec<String> = spec.workflow.metadata.primary_key.iter().filter(|c| has(c)).cloned().collect();
    if !from_workflow.is_empty() {
        return from_workflow;
    }
    match Mock::parse(&spec.mocks.expected) {
        Ok(mock) if !mock.primary_key.is_empty() && mock.primary_key.iter().all(has) => mock.primary_key,
        _ => Vec::new(),
    }
}

/// A named step result: what [`diff_runs`] pairs by name.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    /// The step's name.
    pub name: &'a str,
    /// Its result.
    pub side: Side<'a>,
}

/// A run's steps as [`Named`] results, in order.
pub fn named(run: &PipelineRun) -> Vec<Named<'_>> {
    run.steps.iter().map(|s| Named { name: &s.name, side: Side { schema: &s.schema, batches: &s.batches } }).collect()
}

/// Compares each step the two runs share (by name, ignoring case), and their outputs (the last
/// steps) when those have different names. `key` overrides [`default_key`] for every step.
pub async fn diff_runs(
    spec: &PipelineSpec,
    base: &[Named<'_>],
    new: &[Named<'_>],
    key: Option<&[String]>,
    max_rows: usize,
    control: &Arc<RunControl>,
) -> Result<RunDiff, EngineError> {
    let find = |run: &[Named<'_>], name: &str| run.iter().position(|s| s.name.eq_ignore_ascii_case(name));
    let mut pairs = Vec::new();
    for step in new {
        if let Some(old) = find(base, step.name).and_then(|i| base.get(i)) {
            pairs.push((step.name.to_string(), *old, *step));
        }
    }
    if let (Some(old), Some(out)) = (base.last(), new.last()) {
        if !old.name.eq_ignore_ascii_case(out.name) {
            pairs.push(("output".into(), *old, *out));
        }
    }
    let mut steps = Vec::new();
    for (name, old, step) in pairs {
        let key = match key {
            Some(key) => key.to_vec(),
            None => default_key(spec, old.side.schema, step.side.schema),
        };
        let options = DiffOptions { key, max_rows };
        match diff_tables(old.side, step.side, &options, control).await {
            Err(EngineError::Cancelled) => return Err(EngineError::Cancelled),
            diff => steps.push(StepDiff { step: name, diff: diff.map_err(|e| e.to_string()) }),
        }
    }
    let names = |run: &[Named<'_>], other: &[Named<'_>]| {
        run.iter().filter(|s| find(other, s.name).is_none()).map(|s| s.name.to_string()).collect()
    };
    Ok(RunDiff { steps, only_base: names(base, new), only_new: names(new, base) })
}

/// A compared column: its name and the type both sides are compared as.
struct Compared {
    name: String,
    as_type: DataType,
    types: Option<(String, String)>,
}

/// Compares `new` with `base` (see the module's rules).
pub async fn diff_tables(
    base: Side<'_>,
    new: Side<'_>,
    options: &DiffOptions,
    control: &Arc<RunControl>,
) -> Result<TableDiff, EngineError> {
    control.check()?;
    let shared: Vec<Compared> = base
        .schema
        .fields()
        .iter()
        .filter_map(|f| {
            let other = new.schema.field_with_name(f.name()).ok()?;
            // Told only when Spark would tell them apart (not UInt64 from Int64: both BIGINT).
            let (from, to) = (type_name(f.data_type()), type_name(other.data_type()));
            Some(Compared {
                name: f.name().clone(),
                as_type: common_type(f.data_type(), other.data_type()),
                types: (from != to).then_some((from, to)),
            })
        })
        .collect();
    let only = |a: &SchemaRef, b: &SchemaRef| {
        a.fields().iter().filter(|f| b.index_of(f.name()).is_err()).map(|f| f.name().clone()).collect::<Vec<_>>()
    };
    let ctx = crate::run::new_context();
    let base_df = side_frame(&ctx, base, control)?;
    let new_df = side_frame(&ctx, new, control)?;
    let base_rows = rows_of(base.batches);
    let new_rows = rows_of(new.batches);
    let mut diff = TableDiff {
        base_rows,
        new_rows,
        pairing: Pairing::WholeRows(String::new()),
        added: 0,
        removed: 0,
        changed: 0,
        unchanged: 0,
        changed_in: None,
        columns: Vec::new(),
        only_base: only(base.schema, new.schema),
        only_new: only(new.schema, base.schema),
        rows: Table::default(),
    };
    if shared.is_empty() {
        diff.pairing = Pairing::WholeRows("the two results have no column in common".into());
        diff.added = new_rows;
        diff.removed = base_rows;
        return Ok(diff);
    }
    let why_not = match key_problem(&options.key, &shared) {
        Some(why) => Some(why),
        None => {
            let (key, values) = split_key(&options.key, &shared);
            let mut why = None;
            for (label, df) in [("base", &base_df), ("new", &new_df)] {
                if let Some(problem) = not_a_key(df.clone(), &key, control).await? {
                    why = Some(format!("{problem} in the {label} result"));
                    break;
                }
            }
            if why.is_none() {
                by_key(&mut diff, base_df.clone(), new_df.clone(), &key, &values, options.max_rows, control).await?;
                return Ok(diff);
            }
            why
        }
    };
    diff.pairing = Pairing::WholeRows(why_not.unwrap_or_default());
    diff.columns = shared
        .iter()
        .map(|c| ColumnChange { name: c.name.clone(), changed: 0, types: c.types.clone(), largest: Vec::new() })
        .collect();
    by_whole_rows(&mut diff, base_df, new_df, &shared, options.max_rows, control).await?;
    Ok(diff)
}

fn rows_of(batches: &[RecordBatch]) -> u64 {
    batches.iter().map(|b| b.num_rows() as u64).sum()
}

/// The type two sides' values are compared as.
fn common_type(a: &DataType, b: &DataType) -> DataType {
    if a == b {
        a.clone()
    } else if a.is_integer() && b.is_integer() {
        DataType::Int64
    } else if a.is_numeric() && b.is_numeric() {
        DataType::Float64
    } else {
        DataType::Utf8
    }
}

/// Why `key` cannot pair rows before looking at them: none given, or a column one side lacks.
fn key_problem(key: &[String], shared: &[Compared]) -> Option<String> {
    if key.is_empty() {
        return Some("no key was given".into());
    }
    let missing: Vec<&str> = key.iter().filter(|k| !shared.iter().any(|c| &c.name == *k)).map(String::as_str).collect();
    (!missing.is_empty()).then(|| format!("the key column {} is not in both results", missing.join(", ")))
}

/// The key's compared columns (in the key's order) and the others (in the base's order).
fn split_key<'a>(key: &[String], shared: &'a [Compared]) -> (Vec<&'a Compared>, Vec<&'a Compared>) {
    let keys = key.iter().filter_map(|k| shared.iter().find(|c| &c.name == k)).collect();
    let values = shared.iter().filter(|c| !key.contains(&c.name)).collect();
    (keys, values)
}

/// A side as a DataFrame over a controlled scan.
pub(crate) fn side_frame(
    ctx: &SessionContext,
    side: Side<'_>,
    control: &Arc<RunControl>,
) -> Result<DataFrame, EngineError> {
    let table = ControlledBatches::table(side.schema.clone(), side.batches.to_vec(), control).map_err(df_error)?;
    ctx.read_table(Arc::new(table)).map_err(df_error)
}

pub(crate) fn df_error(e: DataFusionError) -> EngineError {
    EngineError::Diff(e.find_root().to_string())
}

/// A column of a side, cast to the type both sides are compared as.
fn value(c: &Compared) -> Expr {
    cast(ident(&c.name), c.as_type.clone())
}

/// Why the key does not identify the rows of `df` (a NULL in it, or a value twice), if it does not.
async fn not_a_key(df: DataFrame, key: &[&Compared], control: &Arc<RunControl>) -> Result<Option<String>, EngineError> {
    let names = key.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
    let any_null = key.iter().map(|c| ident(&c.name).is_null()).reduce(Expr::or).unwrap_or(lit(false));
    let batches = df
        .aggregate(key.iter().map(|c| ident(&c.name)).collect(), vec![count(lit(1)).alias("n")])
        .and_then(|g| g.filter(ident("n").gt(lit(1i64)).or(any_null)))
        .and_then(|g| {
            g.aggregate(
                vec![],
                vec![
                    count(lit(1)).alias("groups"),
                    sum(when(ident("n").gt(lit(1i64)), lit(1i64)).otherwise(lit(0i64))?).alias("repeated"),
                ],
            )
        })
        .map_err(df_error)?;
    let batches = collect(batches, control).await?;
    let groups = scalar(&batches, "groups");
    let repeated = scalar(&batches, "repeated");
    Ok(if groups == 0 {
        None
    } else if repeated == 0 {
        Some(format!("the key ({names}) has NULL values"))
    } else {
        Some(format!(
            "the key ({names}) is not unique: {} values occur more than once",
            group_digits(repeated as usize)
        ))
    })
}

/// Runs `df` to its batches, as a diff's step: cancellable, pausing for the host.
async fn collect(df: DataFrame, control: &Arc<RunControl>) -> Result<Vec<RecordBatch>, EngineError> {
    control.check()?;
    // A scan stopped by a cancel fails; the control says it was the cancel (as a run's does).
    let cancelled = |e| if control.is_cancelled() { EngineError::Cancelled } else { df_error(e) };
    let batches = df.collect().await.map_err(cancelled)?;
    control.check()?;
    Ok(batches)
}

/// Runs `df` and serves its rows as a controlled table again: the later passes read them
/// without running the join (or grouping) again.
/// It stays in `df`'s session: a new one would register Spark's functions again.
async fn materialize(df: DataFrame, control: &Arc<RunControl>) -> Result<DataFrame, EngineError> {
    let planned: SchemaRef = Arc::new(df.schema().as_arrow().clone());
    let state = df.clone().into_parts().0;
    let batches = collect(df, control).await?;
    let schema = batches.first().map(|b| b.schema()).unwrap_or(planned);
    let table = ControlledBatches::table(schema, batches, control).map_err(df_error)?;
    let scan = LogicalPlanBuilder::scan("materialized", provider_as_source(Arc::new(table)), None)
        .and_then(|b| b.build())
        .map_err(df_error)?;
    Ok(DataFrame::new(state, scan))
}

/// The `u64` in the first row of column `name` (0 when it is NULL or absent).
fn scalar(batches: &[RecordBatch], name: &str) -> u64 {
    let Some(column) = batches.iter().find(|b| b.num_rows() > 0).and_then(|b| b.column_by_name(name)) else {
        return 0;
    };
    match ScalarValue::try_from_array(column, 0) {
        Ok(ScalarValue::Int64(Some(n))) => u64::try_from(n).unwrap_or(0),
        Ok(ScalarValue::UInt64(Some(n))) => n,
        _ => 0,
    }
}

// Column names inside the joined table: the user's names never meet there.
fn base_key(i: usize) -> String {
    format!("__bk{i}")
}
fn new_key(i: usize) -> String {
    format!("__nk{i}")
}
fn base_value(i: usize) -> String {
    format!("__bv{i}")
}
fn new_value(i: usize) -> String {
    format!("__nv{i}")
}
const IN_BASE: &str = "__in_base";
const IN_NEW: &str = "__in_new";

/// Pairs the rows by the key (a full outer join) and counts what changed.
async fn by_key(
    diff: &mut TableDiff,
    base: DataFrame,
    new: DataFrame,
    key: &[&Compared],
    values: &[&Compared],
    max_rows: usize,
    control: &Arc<RunControl>,
) -> Result<(), EngineError> {
    diff.pairing = Pairing::Key(key.iter().map(|c| c.name.clone()).collect());
    let project = |df: DataFrame, k: fn(usize) -> String, v: fn(usize) -> String, marker: &str| {
        let mut exprs: Vec<Expr> = key.iter().enumerate().map(|(i, c)| value(c).alias(k(i))).collect();
        exprs.extend(values.iter().enumerate().map(|(i, c)| value(c).alias(v(i))));
        exprs.push(lit(true).alias(marker));
        df.select(exprs)
    };
    let base = project(base, base_key, base_value, IN_BASE).map_err(df_error)?;
    let new = project(new, new_key, new_value, IN_NEW).map_err(df_error)?;
    let (state, base_plan) = base.into_parts();
    let plan = LogicalPlanBuilder::from(base_plan)
        .join_detailed(
            new.into_unoptimized_plan(),
            JoinType::Full,
            ((0..key.len()).map(base_key).collect::<Vec<_>>(), (0..key.len()).map(new_key).collect::<Vec<_>>()),
            None,
            NullEquality::NullEqualsNothing,
        )
        .and_then(|b| b.build())
        .map_err(df_error)?;
    let joined = materialize(DataFrame::new(state, plan), control).await?;

    let paired = ident(IN_BASE).is_not_null().and(ident(IN_NEW).is_not_null());
    let differs = |i: usize| binary_expr(ident(base_value(i)), Operator::IsDistinctFrom, ident(new_value(i)));
    let any_differs = (0..values.len()).map(differs).reduce(Expr::or).unwrap_or(lit(false));
    let changed = paired.clone().and(any_differs);
    let one_if = |e: Expr| when(e, lit(1i64)).otherwise(lit(0i64));
    let mut aggregates = vec![
        count(lit(1)).alias("all"),
        count(ident(IN_BASE)).alias("in_base"),
        count(ident(IN_NEW)).alias("in_new"),
        sum(one_if(changed.clone()).map_err(df_error)?).alias("changed"),
    ];
    for i in 0..values.len() {
        aggregates.push(sum(one_if(paired.clone().and(differs(i))).map_err(df_error)?).alias(format!("c{i}")));
    }
    // Every key column but the last (which tells the rows apart): the first whose changed rows
    // take more than one value names the groups ("in 57 country_code", not "in 1 date").
    for j in 0..key.len().saturating_sub(1) {
        let column = when(changed.clone(), ident(base_key(j))).end().map_err(df_error)?;
        aggregates.push(count_distinct(column).alias(format!("changed_in{j}")));
    }
    let counts = collect(joined.clone().aggregate(vec![], aggregates).map_err(df_error)?, control).await?;
    let all = scalar(&counts, "all");
    let in_base = scalar(&counts, "in_base");
    let in_new = scalar(&counts, "in_new");
    diff.added = all - in_base.min(all);
    diff.removed = all - in_new.min(all);
    diff.changed = scalar(&counts, "changed");
    diff.unchanged = (in_base + in_new).saturating_sub(all).saturating_sub(diff.changed);
    let groups = key.iter().take(key.len().saturating_sub(1)).enumerate();
    let in_groups: Vec<(String, u64)> =
        groups.map(|(j, k)| (k.name.clone(), scalar(&counts, &format!("changed_in{j}")))).collect();
    diff.changed_in = in_groups.iter().find(|(_, n)| *n > 1).or(in_groups.first()).cloned();
    for (i, c) in values.iter().enumerate() {
        let changed = scalar(&counts, &format!("c{i}"));
        let largest = if changed > 0 && c.as_type.is_numeric() {
            largest_changes(joined.clone(), key.len(), i, paired.clone(), control).await?
        } else {
            Vec::new()
        };
        diff.columns.push(ColumnChange { name: c.name.clone(), changed, types: c.types.clone(), largest });
    }

    // The rows: added, removed and changed, sorted by the key.
    let label = when(ident(IN_BASE).is_null(), lit("added"))
        .when(ident(IN_NEW).is_null(), lit("removed"))
        .otherwise(lit("changed"))
        .map_err(df_error)?;
    let mut exprs = vec![label.alias("change")];
    for (i, c) in key.iter().enumerate() {
        exprs.push(coalesce(vec![ident(base_key(i)), ident(new_key(i))]).alias(&c.name));
    }
    for (i, c) in values.iter().enumerate() {
        exprs.push(ident(base_value(i)).alias(format!("base.{}", c.name)));
        exprs.push(ident(new_value(i)).alias(&c.name));
    }
    let order = key.iter().map(|c| ident(&c.name).sort(true, true)).collect();
    diff.rows = listed(joined, paired.not().or(changed), exprs, order, max_rows, control).await?;
    Ok(())
}

/// The rows of `df` that `filter` keeps, as `exprs`, sorted by `order`: the first `max_rows`.
async fn listed(
    df: DataFrame,
    filter: Expr,
    exprs: Vec<Expr>,
    order: Vec<datafusion::logical_expr::SortExpr>,
    max_rows: usize,
    control: &Arc<RunControl>,
) -> Result<Table, EngineError> {
    let rows = df
        .filter(filter)
        .and_then(|df| df.select(exprs))
        .and_then(|df| df.sort(order))
        .and_then(|df| df.limit(0, fetch(max_rows)))
        .map_err(df_error)?;
    collect_table(rows, control).await
}

/// The [`LARGEST`] largest changes of the `i`th value column, by absolute difference.
async fn largest_changes(
    joined: DataFrame,
    keys: usize,
    i: usize,
    paired: Expr,
    control: &Arc<RunControl>,
) -> Result<Vec<NumericChange>, EngineError> {
    let (b, n) = (cast(ident(base_value(i)), DataType::Float64), cast(ident(new_value(i)), DataType::Float64));
    let mut exprs: Vec<Expr> =
        (0..keys).map(|k| cast(ident(base_key(k)), DataType::Utf8).alias(format!("k{k}"))).collect();
    exprs.push(b.clone().alias("b"));
    exprs.push(n.clone().alias("n"));
    exprs.push(abs(n.clone() - b.clone()).alias("d"));
    let mut order = vec![ident("d").sort(false, false)];
    order.extend((0..keys).map(|k| ident(format!("k{k}")).sort(true, true)));
    let differs = binary_expr(ident(base_value(i)), Operator::IsDistinctFrom, ident(new_value(i)));
    let filter = paired.and(b.is_not_null()).and(n.is_not_null()).and(differs);
    // Read back from the text table (`k0…`, `b`, `n`, `d`): a few rows.
    let table = listed(joined, filter, exprs, order, LARGEST, control).await?;
    let changes = table.rows.iter().filter_map(|row| {
        let number = |i: usize| row.get(i).and_then(|v| v.parse::<f64>().ok());
        Some(NumericChange {
            key: row.iter().take(keys).cloned().collect(),
            base: number(keys)?,
            new: number(keys + 1)?,
        })
    });
    Ok(changes.collect())
}

/// Pairs the rows by all compared columns: each distinct row counted on both sides.
async fn by_whole_rows(
    diff: &mut TableDiff,
    base: DataFrame,
    new: DataFrame,
    shared: &[Compared],
    max_rows: usize,
    control: &Arc<RunControl>,
) -> Result<(), EngineError> {
    let project = |df: DataFrame, in_base: i64| {
        let mut exprs: Vec<Expr> = shared.iter().map(|c| value(c).alias(&c.name)).collect();
        exprs.push(lit(in_base).alias(IN_BASE));
        exprs.push(lit(1 - in_base).alias(IN_NEW));
        df.select(exprs)
    };
    let grouped = project(base, 1)
        .and_then(|b| b.union(project(new, 0)?))
        .and_then(|u| {
            u.aggregate(
                shared.iter().map(|c| ident(&c.name)).collect(),
                vec![sum(ident(IN_BASE)).alias(IN_BASE), sum(ident(IN_NEW)).alias(IN_NEW)],
            )
        })
        .map_err(df_error)?;
    let grouped = materialize(grouped, control).await?;
    let (b, n) = (ident(IN_BASE), ident(IN_NEW));
    let surplus = |x: Expr, y: Expr| when(x.clone().gt(y.clone()), x - y).otherwise(lit(0i64));
    let counts = grouped
        .clone()
        .aggregate(
            vec![],
            vec![
                sum(surplus(n.clone(), b.clone()).map_err(df_error)?).alias("added"),
                sum(surplus(b.clone(), n.clone()).map_err(df_error)?).alias("removed"),
            ],
        )
        .map_err(df_error)?;
    let counts = collect(counts, control).await?;
    diff.added = scalar(&counts, "added");
    diff.removed = scalar(&counts, "removed");
    diff.unchanged = diff.base_rows.saturating_sub(diff.removed);
    let label = when(n.clone().gt(b.clone()), lit("added")).otherwise(lit("removed")).map_err(df_error)?;
    let mut exprs = vec![label.alias("change"), abs(n.clone() - b.clone()).alias("rows")];
    exprs.extend(shared.iter().map(|c| ident(&c.name)));
    let order = shared.iter().map(|c| ident(&c.name).sort(true, true)).collect();
    diff.rows = listed(grouped, binary_expr(b, Operator::NotEq, n), exprs, order, max_rows, control).await?;
    Ok(())
}

/// A row limit DataFusion takes (it refuses one past `i64::MAX`).
fn fetch(max_rows: usize) -> Option<usize> {
    (max_rows < i64::MAX as usize).then_some(max_rows)
}

/// A small result as text, in its own order.
pub(crate) async fn collect_table(df: DataFrame, control: &Arc<RunControl>) -> Result<Table, EngineError> {
    let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
    let batches = collect(df, control).await?;
    Table::from_batches(&schema, &batches, &[], None)
}

impl TableDiff {
    /// The summary a user reads first: one line for the rows, one per compared column that
    /// changed, and the columns only one side has.
    pub fn summary(&self) -> Vec<String> {
        let n = |v: u64| group_digits(v as usize);
        let mut lines = Vec::new();
        let paired = match &self.pairing {
            Pairing::Key(key) => format!("paired by {}", key.join(", ")),
            Pairing::WholeRows(why) => format!("paired by whole rows ({why})"),
        };
        let changed_in = match &self.changed_in {
            Some((column, groups)) if self.changed > 0 => format!(" in {} {column}", n(*groups)),
            _ => String::new(),
        };
        lines.push(format!(
            "added {}, removed {}, changed {}{changed_in}, unchanged {} ({} rows → {}; {paired})",
            n(self.added),
            n(self.removed),
            n(self.changed),
            n(self.unchanged),
            n(self.base_rows),
            n(self.new_rows),
        ));
        if matches!(self.pairing, Pairing::Key(_)) {
            for c in &self.columns {
                let mut line = format!("{}: changed {}", c.name, n(c.changed));
                if let Some((from, to)) = &c.types {
                    line.push_str(&format!(" (type {from} → {to})"));
                }
                if !c.largest.is_empty() {
                    let largest: Vec<String> =
                        c.largest.iter().map(|l| format!("{}: {} → {}", l.key.join("/"), l.base, l.new)).collect();
                    line.push_str(&format!("; largest: {}", largest.join(", ")));
                }
                lines.push(line);
            }
        }
        if !self.only_base.is_empty() {
            lines.push(format!("only in the base: {}", self.only_base.join(", ")));
        }
        if !self.only_new.is_empty() {
            lines.push(format!("only in the new result: {}", self.only_new.join(", ")));
        }
        lines
    }

    /// [`TableDiff::rows`] as one batch of text columns (for a CSV file).
    pub fn rows_batch(&self) -> Result<(SchemaRef, RecordBatch), EngineError> {
        let fields: Vec<Field> = self.rows.columns.iter().map(|c| Field::new(c, DataType::Utf8, true)).collect();
        let schema = Arc::new(Schema::new(fields));
        let columns: Vec<ArrayRef> = (0..self.rows.columns.len())
            .map(|i| {
                let cells = self.rows.rows.iter().map(|r| r.get(i).filter(|v| *v != "NULL").map(String::as_str));
                Arc::new(cells.collect::<StringArray>()) as ArrayRef
            })
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| EngineError::Diff(e.to_string()))?;
        Ok((schema, batch))
    }
}

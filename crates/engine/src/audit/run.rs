//! Running planned audits on a staged partition: SQL over `staged` in DataFusion where a query
//! says it best, plain counting where it does not. Every outcome is an [`AuditResult`]; an audit
//! whose query cannot run fails with DataFusion's message.

use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::execution::context::SessionContext;

use super::check::{Audited, Check, PlannedAudit};
use super::{AuditResult, SAMPLE_ROWS, STAGED};
use crate::ddl::{validate_output, TableDef};
use crate::table::Table;
use crate::{RunDate, SOURCE_TABLE};

/// What the audits of one run read.
pub(crate) struct AuditEnv<'a> {
    /// A session with `staged`, `previous`, the source and the published target registered.
    pub(crate) ctx: SessionContext,
    /// The run date.
    pub(crate) date: RunDate,
    /// The staged partition.
    pub(crate) staged_schema: SchemaRef,
    /// Its rows.
    pub(crate) staged: &'a [RecordBatch],
    /// The latest published partition before the run date and its row count, if any.
    pub(crate) previous: Option<(RunDate, usize)>,
    /// The DDL's table.
    pub(crate) table: &'a TableDef,
}

/// A check's failures: how many, the first rows, and what they mean.
struct Outcome {
    failing: u64,
    sample: Table,
    message: String,
}

/// Runs every audit, in order.
pub(crate) async fn run_audits(planned: &[PlannedAudit], env: &AuditEnv<'_>) -> Vec<AuditResult> {
    let mut results = Vec::with_capacity(planned.len());
    for audit in planned {
        let (passed, failing_count, sample, message) = match run_one(&audit.check, env).await {
            Ok(o) => (o.failing == 0, o.failing, if o.failing == 0 { Table::default() } else { o.sample }, o.message),
            Err(e) => (false, 0, Table::default(), format!("could not run: {e}")),
        };
        results.push(AuditResult {
            index: audit.index,
            function: audit.function.name().into(),
            blocking: audit.blocking,
            passed,
            failing_count,
            sample,
            message,
        });
    }
    results
}

fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

fn list(columns: &[String]) -> String {
    columns.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

/// A query's rows: how many, and the first few in sorted order.
async fn failing_rows(ctx: &SessionContext, sql: &str) -> Result<(u64, Table), String> {
    let frame = crate::spark::plan_query(ctx, sql).await?;
    let schema: SchemaRef = Arc::new(frame.schema().as_arrow().clone());
    let batches = crate::chain::collect(frame).await.map_err(|e| e.strip_backtrace())?;
    let count = batches.iter().map(|b| b.num_rows() as u64).sum();
    let order: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let sample = Table::from_batches(&schema, &batches, &order, Some(SAMPLE_ROWS)).map_err(|e| e.to_string())?;
    Ok((count, sample))
}

fn one_row(columns: &[&str], row: Vec<String>) -> Table {
    Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows: vec![row] }
}

fn bounds_text<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "anything".into(),
    }
}

async fn run_one(check: &Check, env: &AuditEnv<'_>) -> Result<Outcome, String> {
    let ctx = &env.ctx;
    let staged_columns: Vec<String> = env.staged_schema.fields().iter().map(|f| f.name().clone()).collect();
    let rows_where = |condition: String| format!("SELECT * FROM {STAGED} WHERE {condition}");
    Ok(match check {
        Check::NotNull { columns } => {
            let condition = columns.iter().map(|c| format!("{} IS NULL", ident(c))).collect::<Vec<_>>().join(" OR ");
            let (failing, sample) = failing_rows(ctx, &rows_where(condition)).await?;
            let named = columns.join(", ");
            let message = if failing == 0 {
                format!("no NULL in {named}")
            } else {
                format!("{failing} row(s) have a NULL in {named}")
            };
            Outcome { failing, sample, message }
        }
        Check::Unique { columns } => {
            let cols = list(columns);
            let sql = format!("SELECT {cols}, COUNT(*) AS row_count FROM {STAGED} GROUP BY {cols} HAVING COUNT(*) > 1");
            let (failing, sample) = failing_rows(ctx, &sql).await?;
            let named = columns.join(", ");
            let message = if failing == 0 {
                format!("every ({named}) occurs once")
            } else {
                format!("{failing} value(s) of ({named}) occur more than once")
            };
            Outcome { failing, sample, message }
        }
        Check::RowCount { min, max } => {
            let rows = env.staged.iter().map(|b| b.num_rows() as u64).sum::<u64>();
            let ok = min.is_none_or(|m| rows >= m) && max.is_none_or(|m| rows <= m);
            let wanted = bounds_text(min, max);
            let message = format!("{rows} row(s); expected {wanted}");
            let sample = one_row(&["row_count", "expected"], vec![rows.to_string(), wanted]);
            Outcome { failing: u64::from(!ok), sample, message }
        }
        Check::AcceptedValues { column, literals } => {
            let c = ident(column);
            let sql = rows_where(format!("{c} IS NOT NULL AND {c} NOT IN ({})", literals.join(", ")));
            let (failing, sample) = failing_rows(ctx, &sql).await?;
            let message = if failing == 0 {
                format!("every {column} is one of {}", literals.join(", "))
            } else {
                format!("{failing} row(s) have a {column} that is not one of {}", literals.join(", "))
            };
            Outcome { failing, sample, message }
        }
        Check::Range { column, min, max } => {
            let c = ident(column);
            let mut outside = Vec::new();
            if let Some(lo) = min {
                outside.push(format!("{c} < {lo}"));
            }
            if let Some(hi) = max {
                outside.push(format!("{c} > {hi}"));
            }
            let (failing, sample) = failing_rows(ctx, &rows_where(outside.join(" OR "))).await?;
            let wanted = bounds_text(min, max);
            let message = if failing == 0 {
                format!("every {column} is {wanted}")
            } else {
                format!("{failing} row(s) have a {column} that is not {wanted}")
            };
            Outcome { failing, sample, message }
        }
        Check::ExistIn { column, to_table, to_column } => {
            let sql = format!(
                "SELECT s.* FROM {STAGED} s LEFT JOIN (SELECT DISTINCT {} AS __key FROM {to_table}) r ON s.{} = r.__key \
                 WHERE s.{} IS NOT NULL AND r.__key IS NULL",
                ident(to_column),
                ident(column),
                ident(column)
            );
            let (failing, sample) = failing_rows(ctx, &sql).await?;
            let message = if failing == 0 {
                format!("every {column} occurs in {to_table}.{to_column}")
            } else {
                format!("{failing} row(s) have a {column} that is not in {to_table}.{to_column}")
            };
            Outcome { failing, sample, message }
        }
        Check::RanksContiguous { rank_column, partition_by } => {
            let r = ident(rank_column);
            let over =
                if partition_by.is_empty() { String::new() } else { format!("PARTITION BY {} ", list(partition_by)) };
            let sql = format!(
                "SELECT {}, expected_rank FROM (SELECT *, RANK() OVER ({over}ORDER BY {r} ASC NULLS LAST) AS expected_rank \
                 FROM {STAGED}) WHERE {r} IS NULL OR {r} <> expected_rank",
                list(&staged_columns)
            );
            let (failing, sample) = failing_rows(ctx, &sql).await?;
            let within = if partition_by.is_empty() {
                String::new()
            } else {
                format!(" within each {}", partition_by.join(", "))
            };
            let message = if failing == 0 {
                format!("every {rank_column} is 1 + the number of rows ranked before it{within}")
            } else {
                format!(
                    "{failing} row(s) have a {rank_column} that is not 1 + the number of rows ranked before it{within}"
                )
            };
            Outcome { failing, sample, message }
        }
        Check::AtMost { group_by, n, rank_column } => {
            let g = list(group_by);
            let sql = match rank_column {
                None => format!("SELECT {g}, COUNT(*) AS row_count FROM {STAGED} GROUP BY {g} HAVING COUNT(*) > {n}"),
                Some(rank) => {
                    let r = ident(rank);
                    let before = format!("SUM(CASE WHEN {r} < last_rank THEN 1 ELSE 0 END)");
                    format!(
                        "SELECT {g}, COUNT(*) AS row_count, {before} AS ranked_before_last FROM \
                         (SELECT {g}, {r}, MAX({r}) OVER (PARTITION BY {g}) AS last_rank FROM {STAGED}) \
                         GROUP BY {g} HAVING {before} >= {n}"
                    )
                }
            };
            let (failing, sample) = failing_rows(ctx, &sql).await?;
            let ties = if rank_column.is_some() { " (ties at the last rank aside)" } else { "" };
            let named = group_by.join(", ");
            let message = if failing == 0 {
                format!("every ({named}) has at most {n} row(s){ties}")
            } else {
                format!("{failing} group(s) of ({named}) have more than {n} row(s){ties}")
            };
            Outcome { failing, sample, message }
        }
        Check::Fresh { table, column, max_age_days } => {
            let name = match table {
                Audited::Staged => STAGED,
                Audited::Source => SOURCE_TABLE,
            };
            let (_, found) = failing_rows(ctx, &format!("SELECT MAX({}) AS newest FROM {name}", ident(column))).await?;
            let newest = found.rows.first().and_then(|r| r.first()).and_then(|c| RunDate::parse(c).ok());
            let oldest_ok = env.date.add_days(-i32::try_from(*max_age_days).unwrap_or(i32::MAX));
            let (ok, message) = match newest {
                None => (false, format!("{name}.{column} has no dates")),
                Some(d) if d < oldest_ok => (
                    false,
                    format!(
                        "the newest {column} in {name} is {d}; for the run date {} it should be {oldest_ok} or later",
                        env.date
                    ),
                ),
                Some(d) => (true, format!("the newest {column} in {name} is {d} (run date {})", env.date)),
            };
            Outcome { failing: u64::from(!ok), sample: found, message }
        }
        Check::RowCountChange { max_percent } => {
            let rows = env.staged.iter().map(RecordBatch::num_rows).sum::<usize>();
            let Some((date, before)) = env.previous else {
                let message = format!("no published partition before {} to compare with", env.date);
                return Ok(Outcome { failing: 0, sample: Table::default(), message });
            };
            let change = if before == 0 {
                if rows == 0 {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                (rows as f64 - before as f64).abs() / before as f64 * 100.0
            };
            let ok = change <= *max_percent;
            let shown = if change.is_finite() { format!("{change:.1}%") } else { "from none".into() };
            let message = format!(
                "{rows} row(s) against {before} on {date}: a change of {shown}, at most {max_percent}% allowed"
            );
            let sample = one_row(
                &["previous_date", "previous_rows", "row_count", "change_percent"],
                vec![date.to_string(), before.to_string(), rows.to_string(), shown],
            );
            Outcome { failing: u64::from(!ok), sample, message }
        }
        Check::Query { sql } => {
            let (failing, sample) = failing_rows(ctx, sql).await?;
            let message = if failing == 0 {
                "the query returned no rows".into()
            } else {
                format!("the query returned {failing} row(s)")
            };
            Outcome { failing, sample, message }
        }
        Check::Schema => {
            let findings = validate_output(env.table, &env.staged_schema, env.staged);
            let rows: Vec<Vec<String>> = findings.iter().take(SAMPLE_ROWS).map(|f| vec![f.to_string()]).collect();
            let message = if findings.is_empty() {
                format!("the columns fit the DDL of {}", env.table.name)
            } else {
                format!("{} finding(s) against the DDL of {}", findings.len(), env.table.name)
            };
            Outcome { failing: findings.len() as u64, sample: Table { columns: vec!["finding".into()], rows }, message }
        }
    })
}

//! Checking every audit before a run: its function is known and its params are all there, of
//! their types, naming columns that exist, with `min` not above `max`; a custom query parses,
//! is one `SELECT` and reads only tables an audit can read.

use std::collections::BTreeMap;

use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::common::TableReference;

use super::params::{shown, Reader};
use super::{AuditFunction, WorkflowProblem, PREVIOUS, STAGED};
use crate::run::new_context;
use crate::workflow::AuditSpec;
use crate::{PipelineSpec, SOURCE_TABLE};

/// Which table an audit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audited {
    /// The staged partition.
    Staged,
    /// The source table.
    Source,
}

/// An audit's params, typed and checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    NotNull { columns: Vec<String> },
    Unique { columns: Vec<String> },
    RowCount { min: Option<u64>, max: Option<u64> },
    AcceptedValues { column: String, literals: Vec<String> },
    Range { column: String, min: Option<f64>, max: Option<f64> },
    ExistIn { column: String, to_table: String, to_column: String },
    RanksContiguous { rank_column: String, partition_by: Vec<String> },
    AtMost { group_by: Vec<String>, n: u64, rank_column: Option<String> },
    Fresh { table: Audited, column: String, max_age_days: u32 },
    RowCountChange { max_percent: f64 },
    Query { sql: String },
    Schema,
}

/// An audit ready to run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannedAudit {
    pub(crate) index: usize,
    pub(crate) function: AuditFunction,
    pub(crate) blocking: bool,
    pub(crate) check: Check,
}

/// The tables an audit may read, by the names it may use for them.
pub(crate) struct AuditTables<'a> {
    /// The staged partition's schema (the DDL's columns and partition column).
    pub(crate) staged: &'a Schema,
    /// The source table's schema.
    pub(crate) source: &'a Schema,
    /// The target table's name (`foo.dataflow_sample_results`).
    pub(crate) target: &'a str,
}

/// Every problem with the spec's audits, checked against the staged partition's schema (the
/// DDL's columns and partition column) and the source table's schema. Empty when all can run.
pub fn check_audits(spec: &PipelineSpec, staged: &Schema, source: &Schema) -> Vec<WorkflowProblem> {
    let target =
        crate::ddl::parse_ddl(&spec.ddl, &spec.params).map(|t| t.name).unwrap_or_else(|_| crate::TARGET_TABLE.into());
    plan_audits(spec, &AuditTables { staged, source, target: &target }).err().unwrap_or_default()
}

/// Types and checks every audit, or gives every problem found.
pub(crate) fn plan_audits(
    spec: &PipelineSpec,
    tables: &AuditTables<'_>,
) -> Result<Vec<PlannedAudit>, Vec<WorkflowProblem>> {
    let values = spec.workflow.values(&spec.params, tables.target);
    let mut planned = Vec::new();
    let mut problems = Vec::new();
    for (index, audit) in spec.workflow.audits.iter().enumerate() {
        match plan_one(index, audit, &values, tables, spec.params.top_n) {
            Ok(check) => planned.push(check),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(planned)
    } else {
        Err(problems)
    }
}

fn plan_one(
    index: usize,
    audit: &AuditSpec,
    values: &BTreeMap<String, String>,
    tables: &AuditTables<'_>,
    top_n: u32,
) -> Result<PlannedAudit, Vec<WorkflowProblem>> {
    let Some(function) = AuditFunction::from_name(&audit.function) else {
        return Err(vec![WorkflowProblem {
            subject: format!("audit {}", index + 1),
            audit: Some(index),
            param: None,
            message: format!(
                "unknown audit function `{}` (known: {})",
                audit.function,
                AuditFunction::names().join(", ")
            ),
        }]);
    };
    let mut r = Reader::new(index, function, &audit.params, values);
    let bare = tables.target.rsplit('.').next().unwrap_or(tables.target);
    let target_names = [tables.target, bare, STAGED];
    let staged = tables.staged;
    let target_only = [(STAGED, &target_names[..])];
    let check = match function {
        AuditFunction::DataShouldBeFresh => {
            let source_names = [SOURCE_TABLE];
            let which = r.table(&[(STAGED, &target_names[..]), (SOURCE_TABLE, &source_names[..])]);
            let (table, schema, label) = match which {
                Some(SOURCE_TABLE) => (Audited::Source, tables.source, SOURCE_TABLE),
                _ => (Audited::Staged, staged, STAGED),
            };
            let column: Option<String> = r.get("column", false, "a column name");
            // By default the table's last DATE column: the target's partition column.
            let last_date = schema.fields().iter().rev().find(|f| f.data_type() == &DataType::Date32);
            let default = last_date.map_or("date", |f| f.name().as_str());
            let column = r.lookup_or_default(column, default, schema, label);
            let max_age_days = r.get::<u32>("max_age_days", false, "a whole number of days").unwrap_or(0);
            if let Some(c) = &column {
                if schema.field_with_name(c).map(|f| f.data_type() != &DataType::Date32).unwrap_or(false) {
                    r.problem(Some("column"), format!("column {c} is not a DATE"));
                }
            }
            column.map(|column| Check::Fresh { table, column, max_age_days })
        }
        other => {
            r.table(&target_only);
            plan_target(&mut r, other, tables, top_n)
        }
    };
    let problems = r.finish();
    match check {
        Some(check) if problems.is_empty() => Ok(PlannedAudit { index, function, blocking: audit.blocking, check }),
        _ if problems.is_empty() => Err(vec![WorkflowProblem {
            subject: format!("audit {} ({})", index + 1, function.name()),
            audit: Some(index),
            param: None,
            message: "cannot be checked".into(),
        }]),
        _ => Err(problems),
    }
}

/// The functions that read the staged partition.
fn plan_target(r: &mut Reader<'_>, function: AuditFunction, tables: &AuditTables<'_>, top_n: u32) -> Option<Check> {
    let staged = tables.staged;
    match function {
        AuditFunction::ColumnsShouldNotHaveNulls => {
            r.columns("columns", true, staged, STAGED).map(|columns| Check::NotNull { columns })
        }
        AuditFunction::ColumnsShouldBeUnique => {
            r.columns("columns", true, staged, STAGED).map(|columns| Check::Unique { columns })
        }
        AuditFunction::RowCountShouldBeWithin => {
            let min = r.get::<u64>("min", false, "a whole number of rows");
            let max = r.get::<u64>("max", false, "a whole number of rows");
            bounds(r, min.map(|m| m as f64), max.map(|m| m as f64)).then_some(Check::RowCount { min, max })
        }
        AuditFunction::ColumnShouldHaveAcceptedValues => {
            let column = r.column("column", true, staged, STAGED);
            let values: Option<Vec<serde_json::Value>> = r.get("values", true, "a list of values");
            let (column, values) = (column?, values?);
            if values.is_empty() {
                r.problem(Some("values"), "the list is empty: no value would be accepted");
                return None;
            }
            let data_type = staged.field_with_name(&column).map(|f| f.data_type().clone()).ok()?;
            let literals: Option<Vec<String>> = values.iter().map(|v| literal(r, &data_type, v)).collect();
            Some(Check::AcceptedValues { column, literals: literals? })
        }
        AuditFunction::ColumnValuesShouldBeWithin => {
            let column = r.column("column", true, staged, STAGED);
            let min = r.get::<f64>("min", false, "a number");
            let max = r.get::<f64>("max", false, "a number");
            let column = column.filter(|c| r.numeric("column", c, staged))?;
            bounds(r, min, max).then_some(Check::Range { column, min, max })
        }
        AuditFunction::ColumnValuesShouldExistIn => {
            let column = r.column("column", true, staged, STAGED);
            let to_table: Option<String> = r.get("to_table", true, "a table name");
            let to_column: Option<String> = r.get("to_column", true, "a column name");
            let bare_target = tables.target.rsplit('.').next().unwrap_or_default();
            let (schema, to_table) = match to_table.as_deref().map(str::trim) {
                Some(t) if t.eq_ignore_ascii_case(SOURCE_TABLE) => (tables.source, SOURCE_TABLE.to_string()),
                Some(t) if t.eq_ignore_ascii_case(tables.target) || t.eq_ignore_ascii_case(bare_target) => {
                    (staged, tables.target.to_string())
                }
                Some(t) => {
                    let message = format!("unknown table {t} (it can be {SOURCE_TABLE} or {})", tables.target);
                    r.problem(Some("to_table"), message);
                    return None;
                }
                None => return None,
            };
            let to_column = r.lookup("to_column", &to_column?, schema, &to_table);
            Some(Check::ExistIn { column: column?, to_table, to_column: to_column? })
        }
        AuditFunction::RanksShouldBeContiguous => {
            let rank_column = r.column("rank_column", true, staged, STAGED);
            let partition_by =
                if r.has("partition_by") { r.columns("partition_by", false, staged, STAGED)? } else { Vec::new() };
            let rank_column = rank_column.filter(|c| r.numeric("rank_column", c, staged))?;
            Some(Check::RanksContiguous { rank_column, partition_by })
        }
        AuditFunction::GroupsShouldHaveAtMost => {
            let group_by = r.columns("group_by", true, staged, STAGED);
            let n = r.get::<u64>("max_rows", false, "a whole number of rows").unwrap_or(u64::from(top_n));
            let rank_column = if r.has("rank_column") {
                Some(r.column("rank_column", false, staged, STAGED).filter(|c| r.numeric("rank_column", c, staged))?)
            } else {
                None
            };
            Some(Check::AtMost { group_by: group_by?, n, rank_column })
        }
        AuditFunction::RowCountChangeShouldBeWithin => {
            let max_percent = r.get::<f64>("max_percent", true, "a number of percent")?;
            if !(max_percent.is_finite() && max_percent >= 0.0) {
                r.problem(Some("max_percent"), format!("{max_percent} is not a percentage of 0 or more"));
                return None;
            }
            Some(Check::RowCountChange { max_percent })
        }
        AuditFunction::QueryShouldReturnNoRows => {
            let sql: String = r.get("sql", true, "a SELECT statement")?;
            check_query(r, &sql, tables).then_some(Check::Query { sql })
        }
        AuditFunction::SchemaShouldMatchDdl => Some(Check::Schema),
        AuditFunction::DataShouldBeFresh => None,
    }
}

/// `min` not above `max`, and at least one of them.
fn bounds(r: &mut Reader<'_>, min: Option<f64>, max: Option<f64>) -> bool {
    match (min, max) {
        (None, None) => {
            r.problem(None, "give min, max or both");
            false
        }
        (Some(lo), Some(hi)) if lo > hi => {
            r.problem(Some("min"), format!("{lo} is more than max {hi}"));
            false
        }
        _ => true,
    }
}

/// A value of `values` as a SQL literal of the column's type.
fn literal(r: &mut Reader<'_>, data_type: &DataType, value: &serde_json::Value) -> Option<String> {
    let text = crate::workflow::value_text(value);
    let lit = match (data_type, value, &text) {
        (t, serde_json::Value::Number(n), _) if t.is_numeric() => Some(n.to_string()),
        (t, serde_json::Value::String(s), _) if t.is_numeric() => {
            s.trim().parse::<f64>().ok().map(|_| s.trim().to_string())
        }
        (DataType::Boolean, serde_json::Value::Bool(b), _) => Some(b.to_string()),
        (DataType::Date32, serde_json::Value::String(s), _) => {
            crate::RunDate::parse(s).ok().map(|d| format!("DATE '{d}'"))
        }
        (DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View, _, Some(t)) => {
            Some(format!("'{}'", t.replace('\'', "''")))
        }
        _ => None,
    };
    if lit.is_none() {
        r.problem(Some("values"), format!("{} is not a value of type {data_type}", shown(value)));
    }
    lit
}

/// A custom query parses, is one `SELECT`, and reads only `staged`, `previous`, the source and the target.
fn check_query(r: &mut Reader<'_>, sql: &str, tables: &AuditTables<'_>) -> bool {
    let ctx = new_context();
    let state = ctx.state();
    let statement = match crate::spark::parse_query(&state, sql) {
        Ok(statement) => statement,
        Err(e) => {
            r.problem(Some("sql"), e.to_string());
            return false;
        }
    };
    let references = match state.resolve_table_references(&statement) {
        Ok(references) => references,
        Err(e) => {
            r.problem(Some("sql"), e.strip_backtrace());
            return false;
        }
    };
    let known = [STAGED, PREVIOUS, SOURCE_TABLE, tables.target];
    for reference in references {
        if !known.iter().any(|k| TableReference::parse_str(k).resolved_eq(&reference)) {
            r.problem(Some("sql"), format!("reads unknown table {reference} (it can read {})", known.join(", ")));
            return false;
        }
    }
    true
}

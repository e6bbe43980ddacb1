//! What the Workflow tab shows, as plain data: the catalog's tables and history, a run's jobs,
//! and audit params as editable text.

use std::collections::BTreeMap;
use std::sync::Arc;

use dataflow_engine::catalog::Catalog;
use dataflow_engine::workflow::TableMetadata;
use dataflow_engine::{RunDate, RunRecord, Table};
use serde_json::Value;

/// One catalog table as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    /// `db.table`.
    pub name: String,
    /// Published partitions: (date, rows), oldest first.
    pub partitions: Vec<(RunDate, usize)>,
    /// The high-water mark.
    pub hwm: Option<RunDate>,
    /// Owner, tags, lifetime, primary key.
    pub metadata: TableMetadata,
    /// The staged partition's date and rows, if one waits (or was blocked).
    pub staged: Option<(RunDate, usize)>,
    /// A hash of every published row: it changes only when a publish changes data.
    pub fingerprint: String,
    /// The newest published partition's rows (the first 100), to look at.
    pub newest: Option<Arc<Table>>,
}

/// The catalog as the panel shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogView {
    /// Every table, by name.
    pub tables: Vec<TableView>,
    /// Every run, newest first.
    pub runs: Vec<RunRecord>,
}

impl CatalogView {
    /// A snapshot of `catalog`.
    pub fn of(catalog: &Catalog) -> CatalogView {
        let tables = catalog
            .tables()
            .map(|t| {
                let dates = t.published_dates();
                let partitions = dates.iter().map(|d| (*d, t.partition_rows(*d).unwrap_or(0))).collect();
                let newest = dates.last().and_then(|d| t.partition_table(*d, Some(100)).ok()).map(Arc::new);
                TableView {
                    name: t.name().to_string(),
                    partitions,
                    hwm: t.hwm(),
                    metadata: t.metadata().clone(),
                    staged: t.staged().map(|s| (s.date, s.batches.iter().map(|b| b.num_rows()).sum())),
                    fingerprint: t.fingerprint().unwrap_or_else(|e| e.to_string()),
                    newest,
                }
            })
            .collect();
        let mut runs = catalog.runs().to_vec();
        runs.reverse();
        CatalogView { tables, runs }
    }
}

/// An audit param's value as a text box shows it: lists joined by commas.
pub fn param_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(param_text).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A param typed in a text box, by what the param holds (`kind` from the audit's docs): lists are
/// comma-separated, numbers stay numbers, anything else (a `${PARAM}`) is text. Empty removes it.
pub fn param_value(kind: &str, text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let scalar = |t: &str| {
        if let Ok(n) = t.parse::<i64>() {
            Value::from(n)
        } else if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            Value::Number(n)
        } else {
            Value::String(t.to_string())
        }
    };
    Some(if kind.starts_with("list") {
        Value::Array(
            text.split(',').map(|t| t.trim()).filter(|t| !t.is_empty()).map(|t| Value::String(t.into())).collect(),
        )
    } else if kind.contains("number") {
        scalar(text)
    } else {
        Value::String(text.to_string())
    })
}

/// Sets or removes one param of a params map.
pub fn set_param(params: &mut BTreeMap<String, Value>, name: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            params.insert(name.to_string(), v);
        }
        None => {
            params.remove(name);
        }
    }
}

//! Generating a mock from a table the app holds (the synthetic source, an imported file, a step's
//! result): some columns, and some rows picked by a sampling rule.

use std::cmp::Ordering;

use datafusion::arrow::array::{RecordBatch, UInt32Array};
use datafusion::arrow::compute::{concat_batches, take_record_batch};
use datafusion::arrow::datatypes::SchemaRef;
use serde::{Deserialize, Serialize};

use super::cells::cells_from_array;
use super::{mock_error, Cell, Mock};
use crate::EngineError;

/// Which rows a generated mock keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Sample {
    /// The first `rows` rows, in the table's order.
    First { rows: usize },
    /// Within each of the first `groups` values of `group_by` (in ascending order), the `top` rows
    /// with the largest `order_by` (nulls last), plus, with `ties`, every further row tied with
    /// the last one kept. "The top 3 titles of 2 countries plus a tie" is
    /// `TopPerGroup { group_by: "country_code", groups: 2, order_by: "view_hours", top: 3, ties: true }`.
    TopPerGroup { group_by: String, groups: usize, order_by: String, top: usize, ties: bool },
}

/// What to put in a generated mock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The columns to keep, in this order; empty keeps every column.
    pub columns: Vec<String>,
    /// Which rows to keep.
    pub sample: Sample,
}

/// A mock of `table` from its rows: the selected columns and the sampled rows.
pub fn generate(
    table: &str,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    selection: &Selection,
) -> Result<Mock, EngineError> {
    let all = concat_batches(schema, batches).map_err(|e| mock_error(None, e.to_string()))?;
    let indices = match &selection.sample {
        Sample::First { rows } => (0..all.num_rows().min(*rows)).collect(),
        Sample::TopPerGroup { group_by, groups, order_by, top, ties } => {
            top_per_group(&all, group_by, *groups, order_by, *top, *ties)?
        }
    };
    let picked = take_rows(&all, &indices)?;
    let projected = project(&picked, &selection.columns)?;
    Mock::from_batches(table, &projected.schema(), &[projected])
}

fn take_rows(all: &RecordBatch, indices: &[usize]) -> Result<RecordBatch, EngineError> {
    let indices = indices
        .iter()
        .map(|&i| u32::try_from(i).map_err(|_| mock_error(None, "the table has too many rows to sample")))
        .collect::<Result<Vec<u32>, _>>()?;
    take_record_batch(all, &UInt32Array::from(indices)).map_err(|e| mock_error(None, e.to_string()))
}

fn project(batch: &RecordBatch, columns: &[String]) -> Result<RecordBatch, EngineError> {
    if columns.is_empty() {
        return Ok(batch.clone());
    }
    let schema = batch.schema();
    let indices = columns
        .iter()
        .map(|name| schema.index_of(name).map_err(|_| unknown_column(&schema, name)))
        .collect::<Result<Vec<_>, _>>()?;
    batch.project(&indices).map_err(|e| mock_error(None, e.to_string()))
}

fn unknown_column(schema: &SchemaRef, name: &str) -> EngineError {
    let known: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    mock_error(None, format!("the table has no column {name} (its columns: {})", known.join(", ")))
}

fn column_cells(all: &RecordBatch, name: &str) -> Result<Vec<Cell>, EngineError> {
    let array = all.column_by_name(name).ok_or_else(|| unknown_column(&all.schema(), name))?;
    cells_from_array(array.as_ref())
}

/// Row indices of the top `top` rows by `order_by` in each of the first `groups` groups.
fn top_per_group(
    all: &RecordBatch,
    group_by: &str,
    groups: usize,
    order_by: &str,
    top: usize,
    ties: bool,
) -> Result<Vec<usize>, EngineError> {
    let group = column_cells(all, group_by)?;
    let order = column_cells(all, order_by)?;
    let mut indices: Vec<usize> = (0..all.num_rows()).collect();
    // Groups ascending; within a group, largest first with nulls last (Spark's DESC); then by index.
    indices.sort_by(|&a, &b| {
        compare_cells(group.get(a), group.get(b)).then_with(|| compare_cells(order.get(b), order.get(a)))
    });
    let mut kept = Vec::new();
    let mut groups_seen = 0;
    let mut current: Option<&Cell> = None;
    let mut in_group = 0;
    let mut last_kept: Option<&Cell> = None;
    for index in indices {
        let g = group.get(index);
        if g != current {
            groups_seen += 1;
            if groups_seen > groups {
                break;
            }
            current = g;
            in_group = 0;
            last_kept = None;
        }
        let value = order.get(index);
        let tied = ties && last_kept.is_some() && last_kept == value;
        if in_group < top || tied {
            kept.push(index);
            in_group += 1;
            last_kept = value;
        }
    }
    kept.sort_unstable();
    Ok(kept)
}

/// A total order on cells: nulls first, then booleans, numbers, text.
pub(crate) fn compare_cells(a: Option<&Cell>, b: Option<&Cell>) -> Ordering {
    fn rank(c: Option<&Cell>) -> u8 {
        match c {
            None | Some(Cell::Null) => 0,
            Some(Cell::Bool(_)) => 1,
            Some(Cell::Int(_) | Cell::Float(_)) => 2,
            Some(Cell::Str(_)) => 3,
        }
    }
    match (a, b) {
        (Some(Cell::Bool(x)), Some(Cell::Bool(y))) => x.cmp(y),
        (Some(Cell::Int(x)), Some(Cell::Int(y))) => x.cmp(y),
        (Some(Cell::Float(x)), Some(Cell::Float(y))) => x.total_cmp(y),
        (Some(Cell::Int(x)), Some(Cell::Float(y))) => (*x as f64).total_cmp(y),
        (Some(Cell::Float(x)), Some(Cell::Int(y))) => x.total_cmp(&(*y as f64)),
        (Some(Cell::Str(x)), Some(Cell::Str(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

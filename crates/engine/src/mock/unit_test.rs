//! The transform's unit test: run the pipeline on the input mock, compare its last step with the
//! expected-output mock, and describe every difference down to the cell.
//!
//! Rows compare in any order unless the expected mock says `ordered: true`. Doubles are equal when
//! `|expected − actual| ≤ tolerance × max(1, |expected|, |actual|)` (relative for large values,
//! absolute below 1), with [`DEFAULT_TOLERANCE`] unless the mock states `tolerance:`. NaN equals NaN.

use std::fmt;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::SchemaRef;
use serde::{Deserialize, Serialize};

use super::cells::cells_from_array;
use super::generate::compare_cells;
use super::matcher::Matcher;
use super::{mock_error, Cell, Mock};
use crate::{run_pipeline, EngineError, PipelineRun, PipelineSpec, SOURCE_TABLE};

/// The default tolerance for doubles: 1e-9, relative (absolute below 1).
pub const DEFAULT_TOLERANCE: f64 = 1e-9;

/// How to compare an output with the expected rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompareOptions {
    /// Compare row by row in order (else rows match in any order).
    pub ordered: bool,
    /// The tolerance for doubles (see the module's documentation).
    pub tolerance: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { ordered: false, tolerance: DEFAULT_TOLERANCE }
    }
}

impl CompareOptions {
    /// The options an expected mock states (`ordered:`, `tolerance:`), defaults otherwise.
    pub fn from_mock(expected: &Mock) -> Self {
        CompareOptions { ordered: expected.ordered, tolerance: expected.tolerance.unwrap_or(DEFAULT_TOLERANCE) }
    }
}

/// A row only one side has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRow {
    /// The row's line in the expected mock (missing rows only).
    pub line: Option<usize>,
    /// The cells of the compared columns, written as in a mock.
    pub cells: Vec<String>,
}

/// One cell that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    /// The column's index in [`TestDiff::columns`].
    pub column_index: usize,
    /// The column's name.
    pub column: String,
    /// The expected value, written as in a mock.
    pub expected: String,
    /// The output's value, written as in a mock.
    pub actual: String,
}

/// An expected row the output has with some cells changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedRow {
    /// The row's key: its primary key (`country_code=US, title_id=2`), else `row N` of the expected mock.
    pub key: String,
    /// The row's line in the expected mock.
    pub line: Option<usize>,
    /// The expected cells of the compared columns.
    pub expected: Vec<String>,
    /// The output's cells of the compared columns.
    pub actual: Vec<String>,
    /// The cells that differ.
    pub changes: Vec<CellChange>,
}

/// The differences between an output and the expected rows: data the app shows as a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestDiff {
    /// The compared columns (the expected mock's, that the output has), in the mock's order.
    pub columns: Vec<String>,
    /// Expected columns the output lacks.
    pub missing_columns: Vec<String>,
    /// Output columns the expected mock does not declare.
    pub unexpected_columns: Vec<String>,
    /// How many rows are equal.
    pub matched_rows: usize,
    /// Expected rows the output lacks.
    pub missing_rows: Vec<DiffRow>,
    /// Output rows that were not expected.
    pub unexpected_rows: Vec<DiffRow>,
    /// Expected rows the output has with changed cells.
    pub changed_rows: Vec<ChangedRow>,
    /// The options the comparison used.
    pub options: CompareOptions,
}

impl TestDiff {
    /// Whether the output is as expected.
    pub fn passed(&self) -> bool {
        self.missing_columns.is_empty()
            && self.unexpected_columns.is_empty()
            && self.missing_rows.is_empty()
            && self.unexpected_rows.is_empty()
            && self.changed_rows.is_empty()
    }
}

/// A unit test's outcome: the run (every step's result) and the diff of its last step.
#[derive(Debug, Clone)]
pub struct UnitTestReport {
    /// The pipeline run on the input mock.
    pub run: PipelineRun,
    /// The last step compared with the expected mock.
    pub diff: TestDiff,
}

/// Runs `spec`'s transform on the input mock (as `some_db.source_table`) and compares the last
/// step with the expected-output mock, with the options the expected mock states.
pub async fn run_unit_test(spec: &PipelineSpec, input: &Mock, expected: &Mock) -> Result<UnitTestReport, EngineError> {
    if !input.table.eq_ignore_ascii_case(SOURCE_TABLE) {
        return Err(mock_error(
            None,
            format!("the input mock is of table {}; the pipeline reads {SOURCE_TABLE}", input.table),
        ));
    }
    let source = input.to_source()?;
    let run = run_pipeline(spec, &source).await?;
    let output = run.output().ok_or_else(|| EngineError::InvalidSpec("the pipeline has no steps".into()))?;
    let diff = compare(expected, &output.schema, &output.batches, &CompareOptions::from_mock(expected))?;
    Ok(UnitTestReport { run, diff })
}

pub(super) fn compare_rows<T>(a: &[T], b: &[T], order: &[usize], value: impl Fn(&T) -> &Cell) -> std::cmp::Ordering {
    order
        .iter()
        .map(|&i| compare_cells(a.get(i).map(&value), b.get(i).map(&value)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// Compares an output (`schema`, `batches`) with the expected mock.
pub fn compare(
    expected: &Mock,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    options: &CompareOptions,
) -> Result<TestDiff, EngineError> {
    let expected_batch = expected.to_batch()?;
    let actual = concat_batches(schema, batches).map_err(|e| mock_error(None, e.to_string()))?;
    let mut diff = TestDiff {
        columns: Vec::new(),
        missing_columns: Vec::new(),
        unexpected_columns: Vec::new(),
        matched_rows: 0,
        missing_rows: Vec::new(),
        unexpected_rows: Vec::new(),
        changed_rows: Vec::new(),
        options: *options,
    };
    let mut expected_columns = Vec::new();
    let mut actual_columns = Vec::new();
    for (index, column) in expected.columns.iter().enumerate() {
        match schema.fields().iter().position(|f| f.name().eq_ignore_ascii_case(&column.name)) {
            Some(found) => {
                diff.columns.push(column.name.clone());
                expected_columns.push(index);
                actual_columns.push(found);
            }
            None => diff.missing_columns.push(column.name.clone()),
        }
    }
    for field in schema.fields() {
        if expected.column_index(field.name()).is_none()
            && !expected.columns.iter().any(|c| c.name.eq_ignore_ascii_case(field.name()))
        {
            diff.unexpected_columns.push(field.name().clone());
        }
    }
    let want = rows_of(&expected_batch, &expected_columns)?;
    let got = rows_of(&actual, &actual_columns)?;
    let key: Option<Vec<usize>> =
        expected.key_indices().and_then(|k| k.iter().map(|i| expected_columns.iter().position(|c| c == i)).collect());
    Matcher { expected, want: &want, got: &got, tolerance: options.tolerance, key, diff: &mut diff }
        .run(options.ordered);
    Ok(diff)
}

/// The batch's rows, as cells of the given columns.
fn rows_of(batch: &RecordBatch, columns: &[usize]) -> Result<Vec<Vec<Cell>>, EngineError> {
    let mut cells = columns
        .iter()
        .map(|&i| {
            let array = batch.columns().get(i).ok_or_else(|| mock_error(None, "a column is missing"))?;
            Ok(cells_from_array(array.as_ref())?.into_iter())
        })
        .collect::<Result<Vec<_>, EngineError>>()?;
    Ok((0..batch.num_rows()).map(|_| cells.iter_mut().map(|c| c.next().unwrap_or(Cell::Null)).collect()).collect())
}

/// Whether two cells are equal, doubles within the tolerance.
pub(crate) fn cells_equal(expected: &Cell, actual: &Cell, tolerance: f64) -> bool {
    let close = |e: f64, a: f64| {
        (e.is_nan() && a.is_nan()) || e == a || (e - a).abs() <= tolerance * 1f64.max(e.abs()).max(a.abs())
    };
    match (expected, actual) {
        (Cell::Float(e), Cell::Float(a)) => close(*e, *a),
        (Cell::Int(e), Cell::Float(a)) => close(*e as f64, *a),
        (Cell::Float(e), Cell::Int(a)) => close(*e, *a as f64),
        (e, a) => e == a,
    }
}

impl fmt::Display for TestDiff {
    /// The diff as text: what the CLI prints and the snapshots keep.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = format!(
            "{}, doubles within {:e}",
            if self.options.ordered { "in order" } else { "in any order" },
            self.options.tolerance
        );
        if self.passed() {
            return writeln!(f, "unit test passed: {} row(s) as expected ({how})", self.matched_rows);
        }
        writeln!(
            f,
            "unit test failed: {} changed, {} missing, {} unexpected row(s); {} row(s) as expected ({how})",
            self.changed_rows.len(),
            self.missing_rows.len(),
            self.unexpected_rows.len(),
            self.matched_rows
        )?;
        for column in &self.missing_columns {
            writeln!(f, "missing column: {column} (expected, not in the output)")?;
        }
        for column in &self.unexpected_columns {
            writeln!(f, "unexpected column: {column} (in the output, not expected)")?;
        }
        writeln!(f, "columns: [{}]", self.columns.join(", "))?;
        if !self.changed_rows.is_empty() {
            writeln!(f, "changed rows:")?;
        }
        for row in &self.changed_rows {
            let line = row.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            writeln!(f, "  {}{line}", row.key)?;
            writeln!(f, "    expected: [{}]", row.expected.join(", "))?;
            writeln!(f, "    actual:   [{}]", row.actual.join(", "))?;
            for change in &row.changes {
                writeln!(f, "    {}: expected {}, actual {}", change.column, change.expected, change.actual)?;
            }
        }
        if !self.missing_rows.is_empty() {
            writeln!(f, "missing rows (expected, not in the output):")?;
        }
        for row in &self.missing_rows {
            let line = row.line.map(|l| format!("line {l}: ")).unwrap_or_default();
            writeln!(f, "  {line}[{}]", row.cells.join(", "))?;
        }
        if !self.unexpected_rows.is_empty() {
            writeln!(f, "unexpected rows (in the output, not expected):")?;
        }
        for row in &self.unexpected_rows {
            writeln!(f, "  [{}]", row.cells.join(", "))?;
        }
        Ok(())
    }
}

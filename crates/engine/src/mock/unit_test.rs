//! The transform's unit test: run the pipeline on the input mock, compare its last step with the
//! expected-output mock, and describe every difference down to the cell.
//!
//! Rows compare in any order unless the expected mock says `ordered: true`. Doubles are equal when
//! `|expected − actual| ≤ tolerance × max(1, |expected|, |actual|)` (relative for large values,
//! absolute below 1), with [`DEFAULT_TOLERANCE`] unless the mock states `tolerance:`. NaN equals NaN.

use std::collections::HashMap;
use std::fmt;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::SchemaRef;
use serde::{Deserialize, Serialize};

use super::cells::cells_from_array;
use super::generate::compare_cells;
use super::{mock_error, Cell, Mock, MockRow};
use crate::{run_pipeline, EngineError, PipelineRun, PipelineSpec, SOURCE_TABLE};

/// The default tolerance for doubles: 1e-9, relative (absolute below 1).
pub const DEFAULT_TOLERANCE: f64 = 1e-9;
/// Beyond this many (leftover expected × leftover actual) row pairs, rows that differ in more than
/// their doubles are not paired up as "changed" but listed as missing and unexpected.
const MAX_PAIRINGS: usize = 250_000;

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

struct Matcher<'a> {
    expected: &'a Mock,
    want: &'a [Vec<Cell>],
    got: &'a [Vec<Cell>],
    tolerance: f64,
    key: Option<Vec<usize>>,
    diff: &'a mut TestDiff,
}

impl Matcher<'_> {
    fn run(mut self, ordered: bool) {
        let pairs = if ordered { self.pair_in_order() } else { self.pair_any_order() };
        let mut used_want = vec![false; self.want.len()];
        let mut used_got = vec![false; self.got.len()];
        for (w, g) in pairs {
            if let Some(u) = used_want.get_mut(w) {
                *u = true;
            }
            if let Some(u) = used_got.get_mut(g) {
                *u = true;
            }
            self.record_pair(w, g);
        }
        for (w, row) in self.want.iter().enumerate().filter(|(w, _)| !used_want.get(*w).copied().unwrap_or(true)) {
            self.diff.missing_rows.push(DiffRow { line: self.line(w), cells: texts(row) });
        }
        let mut unexpected: Vec<&Vec<Cell>> = self
            .got
            .iter()
            .enumerate()
            .filter(|(g, _)| !used_got.get(*g).copied().unwrap_or(true))
            .map(|(_, r)| r)
            .collect();
        let all: Vec<usize> = (0..self.diff.columns.len()).collect();
        unexpected.sort_by(|a, b| compare_rows(a, b, &all, |c| c));
        self.diff.unexpected_rows = unexpected.into_iter().map(|r| DiffRow { line: None, cells: texts(r) }).collect();
    }

    fn line(&self, want: usize) -> Option<usize> {
        self.expected.rows.get(want).and_then(MockRow::line)
    }

    fn equal(&self, w: usize, g: usize) -> bool {
        match (self.want.get(w), self.got.get(g)) {
            (Some(a), Some(b)) => a.iter().zip(b).all(|(x, y)| cells_equal(x, y, self.tolerance)),
            _ => false,
        }
    }

    /// Row i with row i.
    fn pair_in_order(&self) -> Vec<(usize, usize)> {
        (0..self.want.len().min(self.got.len())).map(|i| (i, i)).collect()
    }

    /// Equal rows first; then rows with the same key (or differing only in doubles) as changed;
    /// then the most alike of the rest, if at least half their cells are equal.
    fn pair_any_order(&self) -> Vec<(usize, usize)> {
        let bucket_of = |row: &[Cell]| -> String {
            match &self.key {
                Some(key) => key
                    .iter()
                    .map(|&i| row.get(i).map(ToString::to_string).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\u{1f}"),
                None => row
                    .iter()
                    .map(|c| if matches!(c, Cell::Float(_)) { String::new() } else { c.to_string() })
                    .collect::<Vec<_>>()
                    .join("\u{1f}"),
            }
        };
        let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
        for (g, row) in self.got.iter().enumerate() {
            buckets.entry(bucket_of(row)).or_default().push(g);
        }
        let mut pairs = Vec::new();
        let mut used_got = vec![false; self.got.len()];
        let mut leftover_want = Vec::new();
        for (w, row) in self.want.iter().enumerate() {
            let bucket = buckets.get(&bucket_of(row)).map(Vec::as_slice).unwrap_or_default();
            let free = |g: &&usize| !used_got.get(**g).copied().unwrap_or(true);
            let found = bucket.iter().filter(free).find(|&&g| self.equal(w, g)).or_else(|| bucket.iter().find(free));
            match found {
                Some(&g) => {
                    if let Some(u) = used_got.get_mut(g) {
                        *u = true;
                    }
                    pairs.push((w, g));
                }
                None => leftover_want.push(w),
            }
        }
        let leftover_got: Vec<usize> =
            (0..self.got.len()).filter(|g| !used_got.get(*g).copied().unwrap_or(true)).collect();
        pairs.extend(self.pair_alike(&leftover_want, leftover_got));
        pairs.sort_unstable();
        pairs
    }

    fn pair_alike(&self, want: &[usize], mut got: Vec<usize>) -> Vec<(usize, usize)> {
        if want.len().saturating_mul(got.len()) > MAX_PAIRINGS || self.key.is_some() {
            return Vec::new();
        }
        let width = self.diff.columns.len();
        let mut pairs = Vec::new();
        for &w in want {
            let alike = |g: usize| match (self.want.get(w), self.got.get(g)) {
                (Some(a), Some(b)) => a.iter().zip(b).filter(|(x, y)| cells_equal(x, y, self.tolerance)).count(),
                _ => 0,
            };
            let best =
                got.iter().enumerate().map(|(i, &g)| (alike(g), i)).max_by_key(|&(n, i)| (n, std::cmp::Reverse(i)));
            if let Some((n, i)) = best.filter(|&(n, _)| n > 0 && n * 2 >= width) {
                let _ = n;
                pairs.push((w, got.remove(i)));
            }
        }
        pairs
    }

    fn record_pair(&mut self, w: usize, g: usize) {
        let (Some(want), Some(got)) = (self.want.get(w), self.got.get(g)) else { return };
        let changes: Vec<CellChange> = want
            .iter()
            .zip(got)
            .enumerate()
            .filter(|(_, (e, a))| !cells_equal(e, a, self.tolerance))
            .map(|(i, (e, a))| CellChange {
                column_index: i,
                column: self.diff.columns.get(i).cloned().unwrap_or_default(),
                expected: e.to_string(),
                actual: a.to_string(),
            })
            .collect();
        if changes.is_empty() {
            self.diff.matched_rows += 1;
            return;
        }
        let key = match (&self.key, self.expected.rows.get(w)) {
            (Some(_), Some(row)) => self.expected.key_text(row, &self.expected.key_indices().unwrap_or_default()),
            _ => format!("row {}", w + 1),
        };
        self.diff.changed_rows.push(ChangedRow {
            key,
            line: self.line(w),
            expected: texts(want),
            actual: texts(got),
            changes,
        });
    }
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(ToString::to_string).collect()
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

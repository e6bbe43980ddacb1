//! Mocks: small YAML tables that stand in for a source table or state a target table's expected
//! rows, so that a transform can be unit-tested without a warehouse (the article's `dataflow mock`).
//!
//! One file per table (`src/mocks/some_db.source_table.yaml`):
//!
//! ```yaml
//! # dataflow mock: one table, its columns and rows (docs/mocks.md)
//! table: some_db.source_table
//! columns:
//!   - {name: title_id, type: INT}
//!   - {name: country_code, type: STRING}
//!   - {name: view_hours, type: DOUBLE}
//!   - {name: playback_date, type: DATE}
//! primary_key: [title_id, country_code]
//! rows:
//!   - [1, US, 2.5, 2022-01-01]
//!   - [2, "NO", null, 2022-01-01]
//! ```
//!
//! Types are Spark SQL names (those the DDL accepts). A row is a flow sequence, one per line, its
//! cells in column order. `null` is a null; a string that could read as something else is quoted.
//! Parsing never fails on content: problems with the rows are findings (see [`MockFinding`]);
//! only YAML that cannot be read, is too big or uses aliases is an [`EngineError::Mock`].

mod cells;
mod convert;
mod edit;
mod expected;
mod generate;
mod matcher;
pub(crate) mod parse;
mod unit_test;
mod validate;
pub(crate) mod write;

use crate::EngineError;

pub use cells::MockType;
pub use expected::{expected_from_output, make_expected, DEFAULT_TARGET_KEY};
pub use generate::{generate, Sample, Selection};
pub use parse::MAX_MOCK_BYTES;
pub use unit_test::{
    compare, run_unit_test, CellChange, ChangedRow, CompareOptions, DiffRow, TestDiff, UnitTestReport,
    DEFAULT_TOLERANCE,
};
pub use validate::{FindingKind, MockFinding};

/// One value in a mock, as YAML gives it (before the column's type is applied).
#[derive(Debug, Clone)]
pub enum Cell {
    /// `null` (or `~`, or nothing).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number. Wide enough for every `BIGINT` and every unsigned 64-bit value.
    Int(i128),
    /// A number with a fraction or an exponent, or `.nan`, `.inf`, `-.inf`.
    Float(f64),
    /// Text (a `DATE` is text `YYYY-MM-DD`).
    Str(String),
}

/// Cells are equal when they are the same value; floats compare bit for bit (so `-0.0` differs
/// from `0.0` and a NaN equals itself): equality here means "round-trips without loss".
impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Bool(a), Cell::Bool(b)) => a == b,
            (Cell::Int(a), Cell::Int(b)) => a == b,
            (Cell::Float(a), Cell::Float(b)) => a.to_bits() == b.to_bits(),
            (Cell::Str(a), Cell::Str(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Cell {}

impl std::fmt::Display for Cell {
    /// The cell as a mock writes it (`null`, `2.5`, `US`, `"NO"`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&write::cell(self))
    }
}

/// Where something is in the mock's YAML: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// One declared column of a mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockColumn {
    /// The column's name, as written.
    pub name: String,
    /// Its Spark SQL type, as written (`INT`, `STRING`…).
    pub sql_type: String,
    /// Where it is declared, if the mock was read from YAML.
    pub at: Option<Position>,
}

/// One cell with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockCell {
    /// The value.
    pub value: Cell,
    /// Where it is, if the mock was read from YAML.
    pub at: Option<Position>,
}

/// One row of a mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockRow {
    /// The cells, in column order (a ragged row has more or fewer: a finding).
    pub cells: Vec<MockCell>,
    /// Where the row starts, if the mock was read from YAML.
    pub at: Option<Position>,
}

impl MockRow {
    /// A row of values, without positions.
    pub fn new(values: impl IntoIterator<Item = Cell>) -> Self {
        MockRow { cells: values.into_iter().map(|value| MockCell { value, at: None }).collect(), at: None }
    }

    /// The row's line, if known.
    pub fn line(&self) -> Option<usize> {
        self.at.map(|p| p.line)
    }
}

/// A mock table: its name, its columns and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Mock {
    /// `db.table` (`some_db.source_table`) or the target table's name.
    pub table: String,
    /// The declared columns, in order.
    pub columns: Vec<MockColumn>,
    /// Columns that identify a row: duplicates are findings, and a unit test matches rows by them.
    pub primary_key: Vec<String>,
    /// For an expected output: compare rows in order (default: in any order).
    pub ordered: bool,
    /// For an expected output: the tolerance for doubles (default [`DEFAULT_TOLERANCE`]).
    pub tolerance: Option<f64>,
    /// The rows.
    pub rows: Vec<MockRow>,
    /// Where the columns start, if read from YAML.
    pub columns_at: Option<Position>,
    /// Where the primary key is, if read from YAML.
    pub primary_key_at: Option<Position>,
}

impl Mock {
    /// An empty mock of `table` with `columns` given as `(name, Spark SQL type)`.
    pub fn new(table: impl Into<String>, columns: &[(&str, &str)]) -> Self {
        Mock {
            table: table.into(),
            columns: columns
                .iter()
                .map(|(name, sql_type)| MockColumn { name: (*name).into(), sql_type: (*sql_type).into(), at: None })
                .collect(),
            primary_key: Vec::new(),
            ordered: false,
            tolerance: None,
            rows: Vec::new(),
            columns_at: None,
            primary_key_at: None,
        }
    }

    /// Reads a mock from YAML. Fails only on YAML that cannot be read (with its line and column),
    /// on input over [`MAX_MOCK_BYTES`], and on anchors or aliases; see [`Mock::findings`].
    pub fn parse(yaml: &str) -> Result<Mock, EngineError> {
        parse::parse(yaml)
    }

    /// The mock as YAML: diff-friendly, one row per line.
    pub fn to_yaml(&self) -> String {
        write::mock(self)
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// The index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// A mock-related error with where it is.
pub(crate) fn mock_error(at: Option<Position>, message: impl Into<String>) -> EngineError {
    EngineError::Mock { line: at.map(|p| p.line), column: at.map(|p| p.column), message: message.into() }
}

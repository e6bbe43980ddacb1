//! Validating a mock: on its own (its declared columns and rows), against a DDL (`TableDef`) or
//! against an Arrow schema. Findings are data, each with the YAML line it is about.

use std::collections::{BTreeMap, HashMap};

use datafusion::arrow::datatypes::{DataType, Schema};
use serde::{Deserialize, Serialize};

use super::{Cell, Mock, MockType, Position};
use crate::ddl::TableDef;

/// One thing wrong with a mock, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MockFinding {
    /// Where in the YAML (1-based), if the mock was read from YAML.
    pub at: Option<Position>,
    /// What is wrong.
    pub kind: FindingKind,
}

/// What is wrong with a mock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingKind {
    /// Two columns have the same name.
    DuplicateColumn { column: String, first_line: Option<usize> },
    /// A column's type is not one mocks hold.
    UnknownType { column: String, sql_type: String },
    /// `primary_key` names a column the mock does not declare.
    UnknownKeyColumn { column: String },
    /// A row has more or fewer cells than there are columns.
    RaggedRow { row: usize, expected: usize, found: usize },
    /// A cell that does not fit its column's type.
    WrongType { row: usize, column: String, sql_type: String, value: String, reason: String },
    /// A null in a `NOT NULL` column.
    NullInNotNull { row: usize, column: String },
    /// Two rows with the same primary-key values.
    DuplicateKey { row: usize, key: String, first_row: usize, first_line: Option<usize> },
    /// The mock's table is not the table it is checked against.
    OtherTable { mock: String, expected: String },
    /// A mock column the DDL or schema does not have.
    UnknownColumn { column: String },
    /// A DDL or schema column the mock does not have.
    MissingColumn { column: String },
    /// The mock declares a column with another type than the DDL or schema.
    ColumnType { column: String, mock_type: String, expected_type: String },
}

impl std::fmt::Display for MockFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(at) = self.at {
            write!(f, "line {}: ", at.line)?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = |l: &Option<usize>| l.map(|l| format!(" (line {l})")).unwrap_or_default();
        match self {
            FindingKind::DuplicateColumn { column, first_line } => {
                let first = first_line.map(|l| format!(" (first on line {l})")).unwrap_or_default();
                write!(f, "column {column} is declared twice{first}")
            }
            FindingKind::UnknownType { column, sql_type } => write!(
                f,
                "column {column}: type {sql_type} is not one mocks hold (TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, BOOLEAN, DATE)"
            ),
            FindingKind::UnknownKeyColumn { column } => {
                write!(f, "primary_key names column {column}, which the mock does not declare")
            }
            FindingKind::RaggedRow { row, expected, found } => {
                write!(f, "row {row} has {found} value(s) but there are {expected} columns")
            }
            FindingKind::WrongType { row, column, sql_type, value, reason } => {
                write!(f, "row {row}, column {column}: {value} does not fit {sql_type}: {reason}")
            }
            FindingKind::NullInNotNull { row, column } => write!(f, "row {row}, column {column}: null in a NOT NULL column"),
            FindingKind::DuplicateKey { row, key, first_row, first_line } => {
                write!(f, "row {row} repeats the primary key ({key}) of row {first_row}{}", line(first_line))
            }
            FindingKind::OtherTable { mock, expected } => write!(f, "the mock is of table {mock}, not {expected}"),
            FindingKind::UnknownColumn { column } => write!(f, "column {column} is in the mock but not in the table"),
            FindingKind::MissingColumn { column } => write!(f, "column {column} is in the table but not in the mock"),
            FindingKind::ColumnType { column, mock_type, expected_type } => {
                write!(f, "column {column} is {mock_type} in the mock but {expected_type} in the table")
            }
        }
    }
}

/// A column a mock is checked against.
struct Expected<'a> {
    name: &'a str,
    sql_type: String,
    data_type: &'a DataType,
    nullable: bool,
    /// Partition columns may be left out of a mock: the write sets them.
    optional: bool,
}

impl Mock {
    /// What is wrong with the mock on its own: duplicate columns, unknown types, ragged rows,
    /// cells that do not fit their column's type, duplicate primary keys.
    pub fn findings(&self) -> Vec<MockFinding> {
        let mut findings = self.column_findings();
        findings.extend(self.row_findings());
        findings.extend(self.key_findings());
        findings
    }

    /// The mock checked against a DDL: its own findings, then the table's name, unknown and missing
    /// columns, column types and nulls in `NOT NULL` columns. Partition columns may be left out.
    pub fn validate_against_table(&self, table: &TableDef) -> Vec<MockFinding> {
        let mut findings = self.findings();
        let short = |name: &str| name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
        if short(&self.table) != short(&table.name) {
            findings.push(MockFinding {
                at: None,
                kind: FindingKind::OtherTable { mock: self.table.clone(), expected: table.name.clone() },
            });
        }
        let data = table.columns.iter().map(|c| (c, false));
        let partitions = table.partition_columns.iter().map(|c| (c, true));
        let expected = data
            .chain(partitions)
            .map(|(c, optional)| Expected {
                name: &c.name,
                sql_type: c.sql_type.clone(),
                data_type: &c.data_type,
                nullable: c.nullable,
                optional,
            })
            .collect::<Vec<_>>();
        findings.extend(self.expected_findings(&expected));
        findings
    }

    /// The mock checked against an Arrow schema (a source table's, a step's result's).
    pub fn validate_against_schema(&self, schema: &Schema) -> Vec<MockFinding> {
        let mut findings = self.findings();
        let expected = schema
            .fields()
            .iter()
            .map(|f| Expected {
                name: f.name(),
                sql_type: MockType::from_arrow(f.data_type())
                    .map_or_else(|| f.data_type().to_string(), |t| t.sql_name().to_string()),
                data_type: f.data_type(),
                nullable: f.is_nullable(),
                optional: false,
            })
            .collect::<Vec<_>>();
        findings.extend(self.expected_findings(&expected));
        findings
    }

    fn column_findings(&self) -> Vec<MockFinding> {
        let mut findings = Vec::new();
        let mut seen: HashMap<String, Option<usize>> = HashMap::new();
        for column in &self.columns {
            let first_line = column.at.map(|p| p.line);
            if let Some(first_line) = seen.insert(column.name.to_lowercase(), first_line) {
                findings.push(MockFinding {
                    at: column.at,
                    kind: FindingKind::DuplicateColumn { column: column.name.clone(), first_line },
                });
            }
            if MockType::from_sql(&column.sql_type).is_none() {
                findings.push(MockFinding {
                    at: column.at,
                    kind: FindingKind::UnknownType { column: column.name.clone(), sql_type: column.sql_type.clone() },
                });
            }
        }
        for key in &self.primary_key {
            if self.column_index(key).is_none() {
                findings.push(MockFinding {
                    at: self.primary_key_at.or(self.columns_at),
                    kind: FindingKind::UnknownKeyColumn { column: key.clone() },
                });
            }
        }
        findings
    }

    fn row_findings(&self) -> Vec<MockFinding> {
        let types: Vec<Option<MockType>> = self.columns.iter().map(|c| MockType::from_sql(&c.sql_type)).collect();
        let mut findings = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            let number = index + 1;
            if row.cells.len() != self.columns.len() {
                findings.push(MockFinding {
                    at: row.at,
                    kind: FindingKind::RaggedRow { row: number, expected: self.columns.len(), found: row.cells.len() },
                });
            }
            for ((cell, column), mock_type) in row.cells.iter().zip(&self.columns).zip(&types) {
                let Some(mock_type) = mock_type else { continue };
                if let Err(reason) = mock_type.check(&cell.value) {
                    findings.push(MockFinding {
                        at: cell.at.or(row.at),
                        kind: FindingKind::WrongType {
                            row: number,
                            column: column.name.clone(),
                            sql_type: column.sql_type.clone(),
                            value: cell.value.to_string(),
                            reason,
                        },
                    });
                }
            }
        }
        findings
    }

    fn key_findings(&self) -> Vec<MockFinding> {
        let Some(indices) = self.key_indices() else { return Vec::new() };
        let mut first: BTreeMap<String, (usize, Option<usize>)> = BTreeMap::new();
        let mut findings = Vec::new();
        for (index, row) in self.rows.iter().enumerate() {
            let key = self.key_text(row, &indices);
            match first.get(&key) {
                Some(&(first_row, first_line)) => findings.push(MockFinding {
                    at: row.at,
                    kind: FindingKind::DuplicateKey { row: index + 1, key, first_row, first_line },
                }),
                None => {
                    first.insert(key, (index + 1, row.line()));
                }
            }
        }
        findings
    }

    /// The primary-key columns' indices, if there is a key and every key column exists.
    pub(crate) fn key_indices(&self) -> Option<Vec<usize>> {
        if self.primary_key.is_empty() {
            return None;
        }
        self.primary_key.iter().map(|k| self.column_index(k)).collect()
    }

    /// `country_code=US, title_id=2` for a row's key.
    pub(crate) fn key_text(&self, row: &super::MockRow, indices: &[usize]) -> String {
        indices
            .iter()
            .map(|&i| {
                let name = self.columns.get(i).map(|c| c.name.as_str()).unwrap_or_default();
                let value = row.cells.get(i).map_or_else(|| "(missing)".to_string(), |c| c.value.to_string());
                format!("{name}={value}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn expected_findings(&self, expected: &[Expected<'_>]) -> Vec<MockFinding> {
        let mut findings = Vec::new();
        for column in &self.columns {
            if !expected.iter().any(|e| e.name.eq_ignore_ascii_case(&column.name)) {
                findings.push(MockFinding {
                    at: column.at,
                    kind: FindingKind::UnknownColumn { column: column.name.clone() },
                });
            }
        }
        for want in expected {
            let found = self.columns.iter().position(|c| c.name.eq_ignore_ascii_case(want.name));
            match found {
                None if !want.optional => findings.push(MockFinding {
                    at: self.columns_at,
                    kind: FindingKind::MissingColumn { column: want.name.to_string() },
                }),
                None => {}
                Some(index) => findings.extend(self.column_against(index, want)),
            }
        }
        findings
    }

    /// One mock column against the column it should be: its type, then its cells.
    fn column_against(&self, index: usize, want: &Expected<'_>) -> Vec<MockFinding> {
        let mut findings = Vec::new();
        let Some(column) = self.columns.get(index) else { return findings };
        let mock_type = MockType::from_sql(&column.sql_type);
        let want_type = MockType::from_arrow(want.data_type);
        let same = mock_type.map(MockType::arrow_type).as_ref() == Some(want.data_type);
        if !same && mock_type.is_some() {
            findings.push(MockFinding {
                at: column.at,
                kind: FindingKind::ColumnType {
                    column: column.name.clone(),
                    mock_type: column.sql_type.clone(),
                    expected_type: want.sql_type.clone(),
                },
            });
        }
        for (row_index, row) in self.rows.iter().enumerate() {
            let Some(cell) = row.cells.get(index) else { continue };
            let at = cell.at.or(row.at);
            if !want.nullable && cell.value == Cell::Null {
                findings.push(MockFinding {
                    at,
                    kind: FindingKind::NullInNotNull { row: row_index + 1, column: column.name.clone() },
                });
            }
            if same {
                continue;
            }
            if let Some(Err(reason)) = want_type.map(|t| t.check(&cell.value)) {
                findings.push(MockFinding {
                    at,
                    kind: FindingKind::WrongType {
                        row: row_index + 1,
                        column: column.name.clone(),
                        sql_type: want.sql_type.clone(),
                        value: cell.value.to_string(),
                        reason,
                    },
                });
            }
        }
        findings
    }
}

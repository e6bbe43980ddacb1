//! Reading a mock's YAML with serde-saphyr: positions for every column, row and cell, a size
//! limit checked before parsing, and no anchors or aliases (so no "billion laughs").

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::{Budget, NonFiniteFloatPolicy, Options, Spanned};

use super::{mock_error, Cell, Mock, MockCell, MockColumn, MockRow, Position};
use crate::EngineError;

/// The largest mock read, in bytes (10 MiB): bigger input is refused before it is parsed.
pub const MAX_MOCK_BYTES: usize = 10 * 1024 * 1024;
/// The most YAML events (values, rows, columns…) one mock may have.
const MAX_EVENTS: usize = 4_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMock {
    table: String,
    columns: Spanned<Vec<Spanned<RawColumn>>>,
    #[serde(default)]
    primary_key: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    ordered: Option<bool>,
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default)]
    rows: Option<Vec<Spanned<Vec<Spanned<Cell>>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    name: String,
    #[serde(rename = "type")]
    sql_type: String,
}

pub(crate) fn parse(yaml: &str) -> Result<Mock, EngineError> {
    if yaml.len() > MAX_MOCK_BYTES {
        return Err(mock_error(
            None,
            format!(
                "the mock is {} bytes; the limit is {} bytes ({} MiB): mock a few rows, not a whole table",
                yaml.len(),
                MAX_MOCK_BYTES,
                MAX_MOCK_BYTES / (1024 * 1024)
            ),
        ));
    }
    if yaml.trim().is_empty() {
        return Err(mock_error(None, "the mock is empty (it needs table, columns and rows)"));
    }
    let raw: RawMock = serde_saphyr::from_str_with_options(yaml, options()).map_err(yaml_error)?;
    if let Some(tolerance) = raw.tolerance.filter(|t| !(t.is_finite() && *t >= 0.0)) {
        return Err(mock_error(None, format!("tolerance must be a number of at least 0, got {tolerance}")));
    }
    Ok(Mock {
        table: raw.table,
        columns_at: Some(position(&raw.columns.referenced)),
        columns: raw
            .columns
            .value
            .into_iter()
            .map(|c| MockColumn { at: Some(position(&c.referenced)), name: c.value.name, sql_type: c.value.sql_type })
            .collect(),
        primary_key_at: raw.primary_key.as_ref().map(|k| position(&k.referenced)),
        primary_key: raw.primary_key.map(|k| k.value).unwrap_or_default(),
        ordered: raw.ordered.unwrap_or(false),
        tolerance: raw.tolerance,
        rows: raw.rows.unwrap_or_default().into_iter().map(row).collect(),
    })
}

fn row(raw: Spanned<Vec<Spanned<Cell>>>) -> MockRow {
    MockRow {
        at: Some(position(&raw.referenced)),
        cells: raw.value.into_iter().map(|c| MockCell { at: Some(position(&c.referenced)), value: c.value }).collect(),
    }
}

pub(crate) fn position(location: &serde_saphyr::Location) -> Position {
    let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Position { line: to_usize(location.line()), column: to_usize(location.column()) }
}

/// Strict and bounded: YAML 1.2 booleans only (`NO`, Norway's code, stays text), `.nan` and
/// `.inf` pass through as doubles, duplicate keys are errors, and aliases are refused.
pub(crate) fn options() -> Options {
    let mut options = Options::default();
    options.strict_booleans = true;
    options.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    options.with_snippet = false;
    options.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    let mut budget = Budget::default();
    budget.max_aliases = 0;
    budget.max_anchors = 0;
    budget.max_events = MAX_EVENTS;
    budget.max_nodes = MAX_EVENTS;
    budget.max_documents = 1;
    options.budget = Some(budget);
    options
}

fn yaml_error(error: serde_saphyr::Error) -> EngineError {
    let at = error.location().filter(|l| l.line() > 0).map(|l| position(&l));
    let text = error.to_string();
    let message = if is_alias_refusal(&text) {
        "YAML anchors and aliases (&name, *name) are not allowed in mocks: write each value out".to_string()
    } else {
        without_position(&text)
    };
    mock_error(at, message)
}

pub(crate) fn is_alias_refusal(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("alias") || lower.contains("anchor")
}

/// serde-saphyr's message without its own ` at line L, column C`, which the error carries apart.
pub(crate) fn without_position(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    match first_line.find(" at line ") {
        Some(cut) => first_line.get(..cut).unwrap_or(first_line).to_string(),
        None => first_line.to_string(),
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a single value (a number, text, true/false, a date or null), not a list or a mapping")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
        Ok(Cell::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        Ok(Cell::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Cell, E> {
        Ok(Cell::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Cell, E> {
        i128::try_from(v).map(Cell::Int).map_err(|_| E::custom("number out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        Ok(Cell::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Cell, E> {
        Ok(Cell::Str(v))
    }
}

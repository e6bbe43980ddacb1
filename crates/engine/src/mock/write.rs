//! Writing a mock as YAML: a fixed layout, one row per line, so that a diff shows changed rows.
//!
//! Text is written plain when it cannot read as anything else (`US`, `some_db.source_table`,
//! `2022-01-01`) and double-quoted otherwise, with every character outside YAML's printable set
//! escaped. Doubles use the shortest form that reads back as the same double.

use std::fmt::Write;

use super::{Cell, Mock};

/// The first line of every written mock.
pub(crate) const HEADER: &str = "# dataflow mock: one table, its columns and rows (docs/mocks.md)";

pub(crate) fn mock(mock: &Mock) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    let _ = writeln!(out, "table: {}", text(&mock.table));
    if mock.columns.is_empty() {
        out.push_str("columns: []\n");
    } else {
        out.push_str("columns:\n");
    }
    for column in &mock.columns {
        let _ = writeln!(out, "  - {{name: {}, type: {}}}", text(&column.name), text(&column.sql_type));
    }
    if !mock.primary_key.is_empty() {
        let key: Vec<String> = mock.primary_key.iter().map(|k| text(k)).collect();
        let _ = writeln!(out, "primary_key: [{}]", key.join(", "));
    }
    if mock.ordered {
        out.push_str("ordered: true\n");
    }
    if let Some(tolerance) = mock.tolerance {
        let _ = writeln!(out, "tolerance: {}", float(tolerance));
    }
    if mock.rows.is_empty() {
        out.push_str("rows: []\n");
        return out;
    }
    out.push_str("rows:\n");
    for row in &mock.rows {
        let cells: Vec<String> = row.cells.iter().map(|c| cell(&c.value)).collect();
        let _ = writeln!(out, "  - [{}]", cells.join(", "));
    }
    out
}

/// One cell as YAML.
pub(crate) fn cell(cell: &Cell) -> String {
    match cell {
        Cell::Null => "null".into(),
        Cell::Bool(b) => b.to_string(),
        Cell::Int(v) => v.to_string(),
        Cell::Float(v) => float(*v),
        Cell::Str(s) => text(s),
    }
}

/// A double in the shortest form that reads back as the same bits (`2.5`, `1e-7`, `-0.0`, `.nan`).
fn float(v: f64) -> String {
    if v.is_nan() {
        ".nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { ".inf" } else { "-.inf" }.into()
    } else {
        // `{:?}` is Rust's shortest round-trip form and always has a `.` or an exponent.
        format!("{v:?}")
    }
}

/// Text, plain when that cannot read as anything else, else double-quoted.
pub(crate) fn text(s: &str) -> String {
    if is_plain(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Words YAML (1.1 or 1.2) could read as a null, a boolean or a special float.
const RESERVED: [&str; 14] =
    ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity", "nil", "none"];

fn is_plain(s: &str) -> bool {
    if super::cells::is_iso_date(s) {
        return true;
    }
    let mut chars = s.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let ends_well = s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
    starts_with_letter
        && ends_well
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ' '))
        && !s.contains("  ")
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// YAML 1.2's printable characters, less the line breaks and BOM a reader would change.
fn is_printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x10000..=0x10FFFF)
        && !matches!(c, '\u{2028}' | '\u{2029}')
}

//! YAML helpers for the workflow files: scalars written plain where the article writes them
//! plain (`${TARGET_TABLE}`, `$S3{./ddl/x.sql}`), JSON values as block YAML, reading options
//! shared with mocks (no aliases, strict booleans) and errors with the file, line and column.

use std::fmt::Write;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::mock::parse::{is_alias_refusal, options, position, without_position};
use crate::mock::write::text;
use crate::EngineError;

/// A workflow error in `file` at a serde-saphyr location (unknown locations are left out).
pub(crate) fn error_at(file: &str, at: Option<&serde_saphyr::Location>, message: impl Into<String>) -> EngineError {
    let at = at.filter(|l| l.line() > 0).map(position);
    EngineError::Workflow {
        file: Some(file.into()),
        line: at.map(|p| p.line),
        column: at.map(|p| p.column),
        message: message.into(),
    }
}

/// Reads `text` as `T` with the mocks' strict options; errors name `file` and the place.
pub(crate) fn read<'de, T: Deserialize<'de>>(file: &str, text: &'de str) -> Result<T, EngineError> {
    if text.trim().is_empty() {
        return Err(error_at(file, None, "the file is empty"));
    }
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| {
        let message = e.to_string();
        let message = if is_alias_refusal(&message) {
            "YAML anchors and aliases (&name, *name) are not allowed: write each value out".to_string()
        } else {
            without_position(&message)
        };
        error_at(file, e.location().as_ref(), message)
    })
}

/// A scalar as YAML: plain when it reads back as the same text, else double-quoted.
/// `${NAME}`, `$S3{./path}`, `a/b` and `0 6 * * *` stay plain, as the article writes them.
pub(crate) fn scalar(s: &str) -> String {
    let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '$');
    let chars_ok = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ' ' | '$' | '/' | '{' | '}' | '*'));
    let reads_as_other = serde_json::from_str::<Value>(s).is_ok_and(|v| !v.is_string())
        || s.parse::<f64>().is_ok()
        || text(s) != s && !s.contains(['$', '/', '{', '}', '*', ' ']);
    if first_ok && chars_ok && !s.ends_with(' ') && !s.contains("  ") && !reads_as_other {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Always double-quoted (the mocks' escaping).
fn quoted(s: &str) -> String {
    let written = text(s);
    if written.starts_with('"') {
        written
    } else {
        format!("\"{written}\"")
    }
}

/// `value` under `key` at `indent` spaces, as block YAML.
pub(crate) fn write_value(out: &mut String, indent: usize, key: &str, value: &Value) {
    let pad = " ".repeat(indent);
    match value {
        Value::Array(items) if items.is_empty() => {
            let _ = writeln!(out, "{pad}{}: []", scalar(key));
        }
        Value::Object(map) if map.is_empty() => {
            let _ = writeln!(out, "{pad}{}: {{}}", scalar(key));
        }
        Value::Array(items) => {
            let _ = writeln!(out, "{pad}{}:", scalar(key));
            for item in items {
                write_item(out, indent + 2, item);
            }
        }
        Value::Object(map) => {
            let _ = writeln!(out, "{pad}{}:", scalar(key));
            for (k, v) in map {
                write_value(out, indent + 2, k, v);
            }
        }
        scalar_value => {
            let _ = writeln!(out, "{pad}{}: {}", scalar(key), inline(scalar_value));
        }
    }
}

/// A list item at `indent` spaces.
fn write_item(out: &mut String, indent: usize, value: &Value) {
    let pad = " ".repeat(indent);
    match value {
        Value::Array(items) if !items.is_empty() => {
            let _ = writeln!(out, "{pad}-");
            for item in items {
                write_item(out, indent + 2, item);
            }
        }
        Value::Object(map) if !map.is_empty() => {
            let _ = writeln!(out, "{pad}-");
            for (k, v) in map {
                write_value(out, indent + 2, k, v);
            }
        }
        other => {
            let _ = writeln!(out, "{pad}- {}", inline(other));
        }
    }
}

/// A scalar value, or an empty list or mapping, on one line.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A YAML value as text: strings as they are, numbers and booleans as written.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A YAML mapping of text keys to text values, in the file's order.
#[derive(Debug, Default)]
pub(crate) struct OrderedMap(pub(crate) Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = OrderedMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of column names to column types (`country_code: pk`)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedMap, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    entries.push((key, value));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_stay_plain_as_the_article_writes_them() {
        for plain in ["${TARGET_TABLE}", "$S3{./ddl/x.sql}", "${CATALOG}/${TARGET_DB}/${T}", "0 6 * * *", "UTC", "pk"] {
            assert_eq!(scalar(plain), plain);
        }
        for quoted in ["", "123", "1.5", "true", "null", "NO", "a: b", "#x", " x", "x ", "-x", "{a}", "a\nb", "it's"] {
            assert!(scalar(quoted).starts_with('"'), "{quoted}: {}", scalar(quoted));
        }
    }
}

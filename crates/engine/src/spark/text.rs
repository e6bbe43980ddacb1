//! Spark's regex functions, which read Java regexes and replace every match: `regexp_extract`,
//! `regexp_extract_all`, `regexp_substr`, `regexp_replace` and `split`. DataFusion's
//! `regexp_replace` replaces the first match only (unless given the `g` flag) and writes groups
//! as `\1`; Spark replaces all and writes `$1`. DataFusion has no `regexp_substr` (Spark's is the
//! first match, NULL when there is none or it is empty) nor `regexp_extract_all`.
//!
//! Rust's `regex` reads the Java regexes people write in ETL (classes, groups, quantifiers,
//! anchors, `(?i)`); look-around and back-references, which it lacks, are an error naming the
//! regex.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int64Array, ListBuilder, StringArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use regex::Regex;

use super::types::{is_text, type_name, wrong_num_args};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Extract,
    ExtractAll,
    Substr,
    Replace,
    Split,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkRegex {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

/// `regexp_extract`, `regexp_extract_all`, `regexp_substr`, `regexp_replace` and `split`, to
/// register over DataFusion's.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [
        ("regexp_extract", Kind::Extract),
        ("regexp_extract_all", Kind::ExtractAll),
        ("regexp_substr", Kind::Substr),
        ("regexp_replace", Kind::Replace),
        ("split", Kind::Split),
    ]
    .into_iter()
    .map(|(name, kind)| {
        Arc::new(ScalarUDF::new_from_impl(SparkRegex {
            name,
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        }))
    })
    .collect()
}

impl ScalarUDFImpl for SparkRegex {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name;
        let (min, max, usage) = match self.kind {
            Kind::Extract | Kind::ExtractAll => (2, 3, "(str, regexp[, idx])"),
            Kind::Substr => (2, 2, "(str, regexp)"),
            Kind::Replace => (3, 4, "(str, regexp, rep[, position])"),
            Kind::Split => (2, 3, "(str, regex[, limit])"),
        };
        if types.len() < min || types.len() > max {
            return wrong_num_args(name, usage, types.len());
        }
        let text_args = if self.kind == Kind::Replace { 3 } else { 2 };
        types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i < text_args {
                    if is_text(t) {
                        Ok(DataType::Utf8)
                    } else {
                        plan_err!(
                            "[DATATYPE_MISMATCH] `{name}` argument {} must be a STRING, not {}",
                            i + 1,
                            type_name(t)
                        )
                    }
                } else if t.is_integer() || matches!(t, DataType::Null) {
                    Ok(DataType::Int64)
                } else {
                    plan_err!("[DATATYPE_MISMATCH] `{name}` argument {} must be an INT, not {}", i + 1, type_name(t))
                }
            })
            .collect()
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::Split | Kind::ExtractAll => DataType::new_list(DataType::Utf8, true),
            _ => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let text = |i: usize| -> Result<StringArray> {
            match arrays.get(i) {
                Some(array) => Ok(cast(array, &DataType::Utf8)?
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .cloned()
                    .unwrap_or_else(|| StringArray::new_null(rows))),
                None => Ok(StringArray::new_null(rows)),
            }
        };
        let number = |i: usize, default: i64| -> Result<Vec<Option<i64>>> {
            match arrays.get(i) {
                Some(array) => {
                    let array = cast(array, &DataType::Int64)?;
                    let array = array
                        .as_any()
                        .downcast_ref::<Int64Array>()
                        .cloned()
                        .unwrap_or_else(|| Int64Array::new_null(rows));
                    Ok((0..rows).map(|r| array.is_valid(r).then(|| array.value(r))).collect())
                }
                None => Ok(vec![Some(default); rows]),
            }
        };
        let strings = text(0)?;
        let regexes = Regexes::new(text(1)?, self.name);
        let out: ArrayRef = match self.kind {
            Kind::Extract => {
                let groups = number(2, 1)?;
                let mut out = StringBuilder::new();
                for r in 0..rows {
                    match (value(&strings, r), regexes.get(r)?, groups.get(r).copied().flatten()) {
                        (Some(s), Some(regex), Some(group)) => {
                            let wanted = group_index(&regex, group, self.name)?;
                            let found = regex.captures(s).and_then(|c| c.get(wanted)).map_or("", |m| m.as_str());
                            out.append_value(found);
                        }
                        _ => out.append_null(),
                    }
                }
                Arc::new(out.finish())
            }
            Kind::ExtractAll => {
                let groups = number(2, 1)?;
                let mut out = ListBuilder::new(StringBuilder::new());
                for r in 0..rows {
                    let (Some(s), Some(regex), Some(group)) =
                        (value(&strings, r), regexes.get(r)?, groups.get(r).copied().flatten())
                    else {
                        out.append_null();
                        continue;
                    };
                    let wanted = group_index(&regex, group, self.name)?;
                    for captures in regex.captures_iter(s) {
                        out.values().append_value(captures.get(wanted).map_or("", |m| m.as_str()));
                    }
                    out.append(true);
                }
                Arc::new(out.finish())
            }
            Kind::Substr => {
                let mut out = StringBuilder::new();
                for r in 0..rows {
                    let found = match (value(&strings, r), regexes.get(r)?) {
                        (Some(s), Some(regex)) => regex.find(s).map(|m| m.as_str()).filter(|m| !m.is_empty()),
                        _ => None,
                    };
                    out.append_option(found);
                }
                Arc::new(out.finish())
            }
            Kind::Replace => {
                let replacements = text(2)?;
                let positions = number(3, 1)?;
                let mut out = StringBuilder::new();
                for r in 0..rows {
                    let (Some(s), Some(regex), Some(rep), Some(position)) = (
                        value(&strings, r),
                        regexes.get(r)?,
                        value(&replacements, r),
                        positions.get(r).copied().flatten(),
                    ) else {
                        out.append_null();
                        continue;
                    };
                    if position < 1 {
                        return exec_err!("[INVALID_PARAMETER_VALUE] `regexp_replace`: the position must be 1 or more, not {position}");
                    }
                    let skip = s
                        .char_indices()
                        .nth(usize::try_from(position - 1).unwrap_or(usize::MAX))
                        .map_or(s.len(), |(b, _)| b);
                    let (head, tail) = s.split_at(skip);
                    out.append_value(format!("{head}{}", regex.replace_all(tail, java_replacement(rep).as_str())));
                }
                Arc::new(out.finish())
            }
            Kind::Split => {
                let limits = number(2, -1)?;
                let mut out = ListBuilder::new(StringBuilder::new());
                for r in 0..rows {
                    let (Some(s), Some(regex), Some(limit)) =
                        (value(&strings, r), regexes.get(r)?, limits.get(r).copied().flatten())
                    else {
                        out.append_null();
                        continue;
                    };
                    let parts: Vec<&str> = match usize::try_from(limit) {
                        Ok(limit) if limit > 0 => regex.splitn(s, limit).collect(),
                        _ => regex.split(s).collect(),
                    };
                    for part in parts {
                        out.values().append_value(part);
                    }
                    out.append(true);
                }
                Arc::new(out.finish())
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// A group's index checked against the regex's groups (0 is the whole match), as Spark checks it.
fn group_index(regex: &Regex, group: i64, name: &str) -> Result<usize> {
    let last = regex.captures_len() - 1;
    match usize::try_from(group).ok().filter(|g| *g <= last) {
        Some(wanted) => Ok(wanted),
        None => exec_err!(
            "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] `{name}`: the regex has {last} group(s), so the index must be 0 to {last}, not {group}"
        ),
    }
}

fn value(array: &StringArray, row: usize) -> Option<&str> {
    (row < array.len() && array.is_valid(row)).then(|| array.value(row))
}

/// Each row's regex, compiled once per distinct text in a row (a constant is compiled once).
struct Regexes<'a> {
    texts: StringArray,
    name: &'a str,
    last: std::cell::RefCell<Option<(String, Regex)>>,
}

impl<'a> Regexes<'a> {
    fn new(texts: StringArray, name: &'a str) -> Self {
        Regexes { texts, name, last: std::cell::RefCell::new(None) }
    }

    fn get(&self, row: usize) -> Result<Option<Regex>> {
        let Some(text) = value(&self.texts, row) else { return Ok(None) };
        if let Some((seen, regex)) = self.last.borrow().as_ref() {
            if seen == text {
                return Ok(Some(regex.clone()));
            }
        }
        let regex = Regex::new(text).map_err(|e| {
            let reason = e.to_string();
            let reason = reason.lines().last().unwrap_or_default().trim().trim_start_matches("error: ");
            DataFusionError::Execution(format!(
                "[INVALID_PARAMETER_VALUE.PATTERN] `{}`: the regex '{text}' cannot be read here: {reason}",
                self.name
            ))
        })?;
        *self.last.borrow_mut() = Some((text.to_string(), regex.clone()));
        Ok(Some(regex))
    }
}

/// A Java replacement string (`$1`, `\$` for a dollar) in the `regex` crate's form (`${1}`, `$$`).
fn java_replacement(rep: &str) -> String {
    let mut out = String::with_capacity(rep.len() + 4);
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(d) => out.push(d),
                None => {}
            },
            '$' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    out.push_str("$$");
                } else {
                    out.push_str(&format!("${{{digits}}}"));
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_replacements_read_as_spark_does() {
        assert_eq!(java_replacement("$1-$2"), "${1}-${2}");
        assert_eq!(java_replacement("N"), "N");
        assert_eq!(java_replacement(r"\$5"), "$$5");
        assert_eq!(java_replacement("$1a"), "${1}a");
    }
}

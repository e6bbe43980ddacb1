//! Spark's `format_number(x, d)` and `format_number(x, 'pattern')`, which Spark computes with
//! Java's `DecimalFormat` (US locale): grouping commas, `d` decimal places rounded half to even
//! (`format_number(2.5, 0)` is `2`, not `3`), or the places of a `DecimalFormat` pattern such as
//! `#,##0.0`. Neither DataFusion nor `datafusion-spark` has it.
//!
//! A number is rounded on its exact decimal value: a DECIMAL's or an integer's digits; a DOUBLE's
//! shortest decimal text (as Java's `DecimalFormat` starts from it), or, when that has more places
//! than are kept, the double's exact binary value, which is on the same side of a tie as Java's
//! reading of it (`format_number(2.675D, 2)` is `2.67`: the double is below 2.675).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int64Type};
use datafusion::common::{exec_err, plan_err, DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::{is_text, type_name, wrong_num_args};

/// Spark's pattern for `format_number(x, d)`, and for `format_number(x, '')`.
const DEFAULT_PATTERN: &str = "#,###,###,###,###,###,##0";

#[derive(Debug, PartialEq, Eq, Hash)]
struct FormatNumber {
    signature: Signature,
}

/// `format_number`, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::new_from_impl(FormatNumber { signature: Signature::user_defined(Volatility::Immutable) }))]
}

impl ScalarUDFImpl for FormatNumber {
    fn name(&self) -> &str {
        "format_number"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let [x, d] = types else {
            return wrong_num_args("format_number", "(x, d)", types.len());
        };
        let x = match x {
            DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) => {
                DataType::Decimal128(*p, *s)
            }
            DataType::Decimal256(_, s) => DataType::Decimal128(38, (*s).min(38)),
            t if t.is_integer() || matches!(t, DataType::Null) => DataType::Int64,
            t if t.is_floating() => DataType::Float64,
            t => {
                return plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `format_number`'s first argument must be a number, not {}",
                type_name(t)
            )
            }
        };
        let d = match d {
            t if t.is_integer() || matches!(t, DataType::Null) => DataType::Int64,
            t if is_text(t) => DataType::Utf8,
            t => {
                return plan_err!(
                    "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `format_number`'s second argument must be an INT (decimal places) or a STRING (a pattern), not {}",
                    type_name(t)
                )
            }
        };
        Ok(vec![x, d])
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (Some(x), Some(d)) = (arrays.first(), arrays.get(1)) else {
            return exec_err!("`format_number` takes (x, d)");
        };
        let formats = formats(d, rows)?;
        let numbers = numbers(x, rows)?;
        let mut out = StringBuilder::new();
        for (number, format) in numbers.iter().zip(&formats) {
            match (number, format) {
                (Some(number), Some(format)) => out.append_value(format.apply(number)),
                _ => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

/// A number to format.
#[derive(Debug, Clone, PartialEq)]
enum Number {
    /// An integer's or a DECIMAL's exact digits.
    Digits {
        negative: bool,
        whole: String,
        fraction: String,
    },
    Double(f64),
}

/// Each row's number (`None` for NULL).
fn numbers(array: &ArrayRef, rows: usize) -> Result<Vec<Option<Number>>> {
    let digits = |negative: bool, whole: String, fraction: String| Number::Digits { negative, whole, fraction };
    Ok(match array.data_type() {
        DataType::Float64 => {
            let Some(a) = array.as_primitive_opt::<Float64Type>() else { return exec_err!("not a DOUBLE") };
            a.iter().map(|v| v.map(Number::Double)).collect()
        }
        DataType::Decimal128(_, scale) => {
            let Some(a) = array.as_primitive_opt::<Decimal128Type>() else { return exec_err!("not a DECIMAL") };
            let scale = *scale;
            a.iter()
                .map(|v| {
                    v.map(|v| {
                        let text = v.unsigned_abs().to_string();
                        let (whole, fraction) = split_scaled(&text, scale);
                        digits(v < 0, whole, fraction)
                    })
                })
                .collect()
        }
        DataType::Null => vec![None; rows],
        _ => {
            let ints = cast(array, &DataType::Int64)?;
            let Some(a) = ints.as_primitive_opt::<Int64Type>() else { return exec_err!("not a BIGINT") };
            a.iter().map(|v| v.map(|v| digits(v < 0, v.unsigned_abs().to_string(), String::new()))).collect()
        }
    })
}

/// An unscaled decimal's digits as whole and fraction digits.
fn split_scaled(text: &str, scale: i8) -> (String, String) {
    if scale <= 0 {
        return (format!("{text}{}", "0".repeat(usize::from(scale.unsigned_abs()))), String::new());
    }
    let scale = usize::from(scale.unsigned_abs());
    let padded = format!("{text:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    (whole.to_string(), fraction.to_string())
}

/// The whole and fraction digits of a decimal text (`12.5`).
fn split_text(text: &str) -> (String, String) {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    (whole.to_string(), fraction.trim_end_matches('0').to_string())
}

/// A double's digits to round to `places`: its shortest decimal text, or, when that has more
/// places, its exact value (every double has one, of at most 1074 places), which is on the same
/// side of a tie as the value Java reads from its text.
fn double_digits(x: f64, places: usize) -> (String, String) {
    let (whole, fraction) = split_text(&format!("{}", x.abs()));
    if fraction.len() <= places {
        return (whole, fraction);
    }
    split_text(&format!("{:.1074}", x.abs()))
}

/// What a `DecimalFormat` pattern keeps: digits per group (0: no grouping) and the integer and
/// fraction digits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Format {
    prefix: String,
    suffix: String,
    grouping: usize,
    min_whole: usize,
    min_fraction: usize,
    max_fraction: usize,
}

/// Each row's format, from a number of places (NULL when negative, as Spark) or a pattern.
fn formats(array: &ArrayRef, rows: usize) -> Result<Vec<Option<Format>>> {
    if is_text(array.data_type()) {
        let texts = cast(array, &DataType::Utf8)?;
        let Some(texts) = texts.as_any().downcast_ref::<StringArray>() else { return exec_err!("not a STRING") };
        let mut last: Option<(String, Format)> = None;
        let mut out = Vec::with_capacity(rows);
        for text in texts.iter() {
            let Some(text) = text else {
                out.push(None);
                continue;
            };
            let format = match &last {
                Some((seen, format)) if seen == text => format.clone(),
                _ => {
                    let format = Format::parse(if text.is_empty() { DEFAULT_PATTERN } else { text }).map_err(|e| {
                        DataFusionError::Execution(format!(
                            "[INVALID_PARAMETER_VALUE] `format_number`: the pattern '{text}' {e}"
                        ))
                    })?;
                    last = Some((text.to_string(), format.clone()));
                    format
                }
            };
            out.push(Some(format));
        }
        return Ok(out);
    }
    let places = cast(array, &DataType::Int64)?;
    let Some(places) = places.as_primitive_opt::<Int64Type>() else { return exec_err!("not an INT") };
    Ok(places
        .iter()
        .map(|d| {
            let d = usize::try_from(d?).ok()?;
            Some(Format::places(d))
        })
        .collect())
}

impl Format {
    /// `format_number(x, d)`'s format: grouped by thousands, exactly `d` decimals.
    fn places(d: usize) -> Format {
        Format {
            prefix: String::new(),
            suffix: String::new(),
            grouping: 3,
            min_whole: 1,
            min_fraction: d,
            max_fraction: d,
        }
    }

    /// Reads a `DecimalFormat` pattern of `#`, `0`, `,` and `.`, with literal text before and
    /// after; other `DecimalFormat` features (`%`, exponents, `;` patterns, quotes) are refused.
    fn parse(pattern: &str) -> Result<Format, String> {
        let number = |c: char| matches!(c, '#' | '0' | ',' | '.');
        let start = pattern.find(number).ok_or("has no digits (# or 0)")?;
        let end = pattern.rfind(number).map_or(start, |i| i + 1);
        let (prefix, body, suffix) = (
            pattern.get(..start).unwrap_or(""),
            pattern.get(start..end).unwrap_or(""),
            pattern.get(end..).unwrap_or(""),
        );
        if let Some(c) = prefix.chars().chain(suffix.chars()).find(|c| matches!(c, '%' | '‰' | '¤' | '\'' | ';' | '-'))
        {
            return Err(format!("has '{c}', which format_number does not take here"));
        }
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        if let Some(c) = whole.chars().chain(fraction.chars()).find(|c| !matches!(c, '#' | '0' | ',')) {
            return Err(format!("has '{c}' among its digits"));
        }
        if fraction.contains(',') {
            return Err("has a grouping comma after the decimal point".into());
        }
        if whole.trim_start_matches(['#', ',']).contains('#') {
            return Err("has '#' after a '0' before the decimal point".into());
        }
        if fraction.trim_start_matches('0').contains('0') {
            return Err("has '0' after a '#' after the decimal point".into());
        }
        let grouping = whole.rfind(',').map_or(0, |i| whole.len() - i - 1);
        let min_fraction = fraction.chars().filter(|c| *c == '0').count();
        Ok(Format {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
            grouping,
            min_whole: whole.chars().filter(|c| *c == '0').count(),
            min_fraction,
            max_fraction: fraction.len(),
        })
    }

    /// `number` written in this format.
    fn apply(&self, number: &Number) -> String {
        let (negative, whole, fraction) = match number {
            Number::Double(x) if x.is_nan() => return format!("{}NaN{}", self.prefix, self.suffix),
            Number::Double(x) if x.is_infinite() => {
                let sign = if x.is_sign_negative() { "-" } else { "" };
                return format!("{sign}{}∞{}", self.prefix, self.suffix);
            }
            Number::Double(x) => {
                let (whole, fraction) = double_digits(*x, self.max_fraction);
                (x.is_sign_negative(), whole, fraction)
            }
            Number::Digits { negative, whole, fraction } => (*negative, whole.clone(), fraction.clone()),
        };
        let (whole, mut fraction) = round_half_even(&whole, &fraction, self.max_fraction);
        while fraction.len() > self.min_fraction && fraction.ends_with('0') {
            fraction.pop();
        }
        while fraction.len() < self.min_fraction {
            fraction.push('0');
        }
        let mut whole = whole.trim_start_matches('0').to_string();
        if whole.len() < self.min_whole {
            whole = format!("{whole:0>width$}", width = self.min_whole);
        }
        if whole.is_empty() && fraction.is_empty() {
            whole.push('0');
        }
        let whole = group(&whole, self.grouping);
        let sign = if negative { "-" } else { "" };
        let point = if fraction.is_empty() { "" } else { "." };
        format!("{sign}{}{whole}{point}{fraction}{}", self.prefix, self.suffix)
    }
}

/// `whole.fraction` rounded to `places` decimal places, half to even.
fn round_half_even(whole: &str, fraction: &str, places: usize) -> (String, String) {
    let (kept, dropped) = fraction.split_at(places.min(fraction.len()));
    let mut digits: Vec<u8> = whole.bytes().chain(kept.bytes()).collect();
    let first = dropped.bytes().next().unwrap_or(b'0');
    let beyond = dropped.bytes().skip(1).any(|b| b != b'0');
    let odd = digits.last().is_some_and(|d| (d - b'0') % 2 == 1);
    let up = first > b'5' || (first == b'5' && (beyond || odd));
    if up {
        let mut carry = true;
        for d in digits.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            digits.insert(0, b'1');
        }
    }
    let split = digits.len() - kept.len();
    let (w, f) = digits.split_at(split);
    (String::from_utf8_lossy(w).into_owned(), String::from_utf8_lossy(f).into_owned())
}

/// Digits with a comma every `size` digits from the right (none when `size` is 0).
fn group(digits: &str, size: usize) -> String {
    if size == 0 {
        return digits.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / size);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(size) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(d: usize) -> Format {
        Format::places(d)
    }

    fn decimal(text: &str) -> Number {
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        Number::Digits { negative, whole: whole.into(), fraction: fraction.into() }
    }

    #[test]
    fn formats_places_as_spark_does() {
        assert_eq!(places(2).apply(&decimal("1234567.891")), "1,234,567.89");
        assert_eq!(places(0).apply(&decimal("0.5")), "0");
        assert_eq!(places(0).apply(&decimal("2.5")), "2");
        assert_eq!(places(0).apply(&decimal("3.5")), "4");
        assert_eq!(places(2).apply(&decimal("999.995")), "1,000.00");
        assert_eq!(places(3).apply(&decimal("-1234")), "-1,234.000");
        assert_eq!(places(4).apply(&Number::Double(0.1)), "0.1000");
        assert_eq!(places(2).apply(&Number::Double(1234.5)), "1,234.50");
        // 2.675 is stored just below 2.675, 0.125 exactly: Java's DecimalFormat gives these.
        assert_eq!(places(2).apply(&Number::Double(2.675)), "2.67");
        assert_eq!(places(2).apply(&Number::Double(0.125)), "0.12");
        assert_eq!(places(0).apply(&Number::Double(1e20)), "100,000,000,000,000,000,000");
    }

    #[test]
    fn formats_patterns_as_decimal_format_does() {
        let pattern = |p: &str, n: &str| Format::parse(p).unwrap().apply(&decimal(n));
        assert_eq!(pattern("#,##0.0", "12.5"), "12.5");
        assert_eq!(pattern("#,##0.0", "1234.56"), "1,234.6");
        assert_eq!(pattern("0.00", "3.14159"), "3.14");
        assert_eq!(pattern("#,###", "1234567.5"), "1,234,568");
        assert_eq!(pattern("#,###", "0.3"), "0");
        assert_eq!(pattern("#.##", "0.5"), ".5");
        assert_eq!(pattern("0.0#", "2"), "2.0");
        assert_eq!(pattern("$#,##0.00", "1234.5"), "$1,234.50");
        assert!(Format::parse("0.00%").is_err());
        assert!(Format::parse("abc").is_err());
    }
}

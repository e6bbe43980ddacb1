//! `CAST(text AS DATE)` as Spark reads the text: `yyyy`, `yyyy-[m]m` or `yyyy-[m]m-[d]d`, the
//! last optionally followed by `T` or a space and anything (a time), surrounding whitespace left
//! out. Arrow's cast reads only `yyyy-mm-dd` (so `CAST('2022' AS DATE)`, the first of 2022 in
//! Spark, fails), and takes some text Spark refuses. Text Spark does not read is an error
//! (`CAST_INVALID_INPUT`, ANSI mode), or NULL with `TRY_CAST`.
//!
//! The `ansi` analyzer rule puts these functions in place of every cast of text to a date,
//! including those DataFusion's type coercion adds (`date_column = '2022-01-31'`).

use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, Date32Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::{arguments, is_text, type_name, wrong_num_args};

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The cast of text to a date, as `CAST` (`strict`: malformed text is an error) or `TRY_CAST`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TextToDate {
    strict: bool,
    signature: Signature,
}

/// The strict cast (`CAST(text AS DATE)`).
pub fn text_to_date() -> Arc<ScalarUDF> {
    udf(true)
}

/// The cast that gives NULL for malformed text (`TRY_CAST(text AS DATE)`).
pub fn try_text_to_date() -> Arc<ScalarUDF> {
    udf(false)
}

fn udf(strict: bool) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(TextToDate { strict, signature: Signature::user_defined(Volatility::Immutable) }))
}

impl ScalarUDFImpl for TextToDate {
    fn name(&self) -> &str {
        if self.strict {
            "__spark_cast_text_to_date"
        } else {
            "__spark_try_cast_text_to_date"
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        match types {
            [t] if is_text(t) => Ok(vec![DataType::Utf8]),
            [t] => plan_err!("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] cannot cast {} to DATE here", type_name(t)),
            _ => wrong_num_args("CAST(… AS DATE)", &arguments(1, 1), types.len()),
        }
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some(array) = arrays.first() else { return exec_err!("a cast to DATE takes 1 argument") };
        // `coerce_types` makes the argument `Utf8`, so arrow's cast (a large function, compiled on
        // its first call in the page) is only for an argument that reached here otherwise. The
        // sample's `DATE '${date}'` is folded here as the page's first run plans.
        let cast_texts;
        let texts = match array.as_any().downcast_ref::<StringArray>() {
            Some(texts) => texts,
            None => {
                cast_texts = cast(array, &DataType::Utf8)?;
                let Some(texts) = cast_texts.as_any().downcast_ref::<StringArray>() else {
                    return exec_err!("a cast to DATE got {}", cast_texts.data_type());
                };
                texts
            }
        };
        let mut out = Vec::with_capacity(texts.len());
        for text in texts.iter() {
            let Some(text) = text else {
                out.push(None);
                continue;
            };
            match read_date(text) {
                Some(date) => out.push(Some(unix_days(date))),
                None if self.strict => {
                    return exec_err!(
                        "[CAST_INVALID_INPUT] The value '{text}' of the type \"STRING\" cannot be cast to \"DATE\" because it is malformed. Use try_cast to get NULL instead"
                    )
                }
                None => out.push(None),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(Date32Array::from(out))))
    }
}

/// Days since 1970-01-01, as a DATE is stored.
fn unix_days(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date) - UNIX_EPOCH_DAYS_FROM_CE
}

/// Spark's `DateTimeUtils.stringToDate`: `[+-]yyyy[y…]`, `-[m]m`, `-[d]d`, then after the day
/// a `T` or a space may start anything; `None` for anything else, or a day the month lacks.
pub(super) fn read_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'-') => (-1, text.get(1..)?),
        Some(b'+') => (1, text.get(1..)?),
        _ => (1, text),
    };
    let mut segments = [1i64, 1, 1];
    let mut segment = 0;
    let (mut value, mut digits) = (0i64, 0);
    let valid = |segment: usize, digits: usize| {
        if segment == 0 {
            (4..=7).contains(&digits)
        } else {
            (1..=2).contains(&digits)
        }
    };
    let mut bytes = rest.bytes().peekable();
    while let Some(&b) = bytes.peek() {
        if b == b' ' || b == b'T' {
            break;
        }
        bytes.next();
        if segment < 2 && b == b'-' {
            if !valid(segment, digits) {
                return None;
            }
            *segments.get_mut(segment)? = value;
            (value, digits) = (0, 0);
            segment += 1;
        } else if b.is_ascii_digit() {
            value = value * 10 + i64::from(b - b'0');
            digits += 1;
        } else {
            return None;
        }
    }
    if !valid(segment, digits) {
        return None;
    }
    // `yyyy` and `yyyy-[m]m` must be the whole text; only a full date may have a time after it.
    if segment < 2 && bytes.peek().is_some() {
        return None;
    }
    *segments.get_mut(segment)? = value;
    let [year, month, day] = segments;
    NaiveDate::from_ymd_opt(i32::try_from(sign * year).ok()?, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        read_date(text).map(|d| d.to_string())
    }

    #[test]
    fn reads_text_as_spark_casts_it() {
        assert_eq!(date("2022-01-31").as_deref(), Some("2022-01-31"));
        assert_eq!(date("2022-01-31T10:00:00").as_deref(), Some("2022-01-31"));
        assert_eq!(date(" 2022-1-5 anything").as_deref(), Some("2022-01-05"));
        assert_eq!(date("2022").as_deref(), Some("2022-01-01"));
        assert_eq!(date("2022-02").as_deref(), Some("2022-02-01"));
        assert_eq!(date("  2022-02-03 \n").as_deref(), Some("2022-02-03"));
    }

    #[test]
    fn refuses_what_spark_refuses() {
        for text in
            ["", "22-01-31", "2022-02-30", "2022-1-32", "2022-01-31x", "2022 10:00", "2022-01 x", "20220131", "abc"]
        {
            assert_eq!(date(text), None, "{text}");
        }
    }

    #[test]
    fn counts_days_from_1970() {
        assert_eq!(read_date("1970-01-02").map(unix_days), Some(1));
    }
}

//! Spark's datetime functions that take Java patterns or count days as Spark does, which neither
//! DataFusion nor `datafusion-spark` has: `date_format`, `to_date`, `to_timestamp`,
//! `from_unixtime`, `unix_timestamp`, `try_to_date` and `try_to_timestamp` (NULL where `to_date`
//! and `to_timestamp` fail), and the date parts (`year`, `month`, `dayofmonth`, `day`,
//! `dayofweek`, `dayofyear`, `weekofyear`, `quarter`).
//!
//! A timestamp is Spark's `TIMESTAMP` in the session's zone, UTC: an Arrow
//! `Timestamp(Microsecond, None)`. Text that does not match its pattern is an error, as in
//! Spark's ANSI mode (`CANNOT_PARSE_TIMESTAMP`).

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDateTime};
use datafusion::arrow::array::{
    Array, ArrayRef, Date32Array, Int32Array, Int64Array, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::pattern::Pattern;
use super::types::{check_arity, is_text, type_name};

/// Spark's default pattern for `from_unixtime` and `unix_timestamp`.
const DEFAULT_PATTERN: &str = "yyyy-MM-dd HH:mm:ss";
const MICROS: DataType = DataType::Timestamp(TimeUnit::Microsecond, None);

/// What a function of this module does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    DateFormat,
    /// `to_date`; `try_to_date` when not `strict`.
    ToDate {
        strict: bool,
    },
    /// `to_timestamp`; `try_to_timestamp` when not `strict`.
    ToTimestamp {
        strict: bool,
    },
    FromUnixtime,
    UnixTimestamp,
    Part(Part),
}

/// A date part, as Spark numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Year,
    Month,
    Day,
    /// 1 = Sunday … 7 = Saturday.
    DayOfWeek,
    DayOfYear,
    /// ISO 8601 week (weeks start on Monday; week 1 has the year's first Thursday).
    WeekOfYear,
    Quarter,
}

/// One of this module's functions, by its Spark name.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkDatetime {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

/// Every function of this module, to register over DataFusion's.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    let part = |name, part| (name, Kind::Part(part));
    [
        ("date_format", Kind::DateFormat),
        ("to_date", Kind::ToDate { strict: true }),
        ("to_timestamp", Kind::ToTimestamp { strict: true }),
        ("try_to_date", Kind::ToDate { strict: false }),
        ("try_to_timestamp", Kind::ToTimestamp { strict: false }),
        ("from_unixtime", Kind::FromUnixtime),
        ("unix_timestamp", Kind::UnixTimestamp),
        part("year", Part::Year),
        part("month", Part::Month),
        part("dayofmonth", Part::Day),
        part("day", Part::Day),
        part("dayofweek", Part::DayOfWeek),
        part("dayofyear", Part::DayOfYear),
        part("weekofyear", Part::WeekOfYear),
        part("quarter", Part::Quarter),
    ]
    .into_iter()
    .map(|(name, kind)| {
        Arc::new(ScalarUDF::new_from_impl(SparkDatetime {
            name,
            kind,
            signature: Signature::user_defined(if kind == Kind::UnixTimestamp {
                Volatility::Stable
            } else {
                Volatility::Immutable
            }),
        }))
    })
    .collect()
}

fn is_datetime(t: &DataType) -> bool {
    matches!(t, DataType::Date32 | DataType::Date64 | DataType::Timestamp(..))
}

impl ScalarUDFImpl for SparkDatetime {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name;
        let arity = |min: usize, max: usize| check_arity(name, types, min, max);
        let pattern = |t: &DataType| {
            if is_text(t) {
                Ok(DataType::Utf8)
            } else {
                plan_err!("[DATATYPE_MISMATCH] `{name}`'s pattern must be a STRING, not {}", type_name(t))
            }
        };
        let datetime = |t: &DataType| -> Result<DataType> {
            if is_text(t) || is_datetime(t) {
                Ok(if matches!(t, DataType::Date32) { DataType::Date32 } else { MICROS })
            } else {
                plan_err!("[DATATYPE_MISMATCH] `{name}` takes a DATE, TIMESTAMP or STRING, not {}", type_name(t))
            }
        };
        let mut out = Vec::with_capacity(types.len());
        let null = DataType::Null;
        let (first, second) = (types.first().unwrap_or(&null), types.get(1).unwrap_or(&null));
        match self.kind {
            Kind::DateFormat => {
                arity(2, 2)?;
                out.extend([datetime(first)?, pattern(second)?]);
            }
            Kind::ToDate { .. } | Kind::ToTimestamp { .. } => {
                arity(1, 2)?;
                out.push(if is_text(first) {
                    DataType::Utf8
                } else if is_datetime(first) {
                    datetime(first)?
                } else {
                    return plan_err!(
                        "[DATATYPE_MISMATCH] `{name}` takes a STRING, DATE or TIMESTAMP, not {}",
                        type_name(first)
                    );
                });
                if let Some(p) = types.get(1) {
                    out.push(pattern(p)?);
                }
            }
            Kind::FromUnixtime => {
                arity(1, 2)?;
                let seconds = first;
                if !(seconds.is_integer() || seconds.is_floating() || matches!(seconds, DataType::Null)) {
                    return plan_err!(
                        "[DATATYPE_MISMATCH] `{name}` takes seconds as a BIGINT, not {}",
                        type_name(seconds)
                    );
                }
                out.push(DataType::Int64);
                if let Some(p) = types.get(1) {
                    out.push(pattern(p)?);
                }
            }
            Kind::UnixTimestamp => {
                arity(0, 2)?;
                if let Some(first) = types.first() {
                    out.push(if is_text(first) { DataType::Utf8 } else { datetime(first)? });
                }
                if let Some(p) = types.get(1) {
                    out.push(pattern(p)?);
                }
            }
            Kind::Part(_) => {
                arity(1, 1)?;
                if !(is_text(first) || is_datetime(first)) {
                    return plan_err!(
                        "[DATATYPE_MISMATCH] `{name}` takes a DATE, TIMESTAMP or STRING, not {}",
                        type_name(first)
                    );
                }
                out.push(DataType::Date32);
            }
        }
        Ok(out)
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::DateFormat | Kind::FromUnixtime => DataType::Utf8,
            Kind::ToDate { .. } => DataType::Date32,
            Kind::ToTimestamp { .. } => MICROS,
            Kind::UnixTimestamp => DataType::Int64,
            Kind::Part(_) => DataType::Int32,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let out: ArrayRef = match self.kind {
            Kind::DateFormat => {
                let values = micros(arrays.first(), rows, true)?;
                let patterns = patterns(arrays.get(1), rows, None)?;
                Arc::new(StringArray::from_iter((0..rows).map(|i| {
                    let value = values.get(i).copied().flatten()?;
                    Some(patterns.get(i)?.as_ref()?.format(value))
                })))
            }
            Kind::FromUnixtime => {
                let seconds = cast(first(&arrays)?, &DataType::Int64)?;
                let seconds = downcast::<Int64Array>(&seconds)?;
                let patterns = patterns(arrays.get(1), rows, Some(DEFAULT_PATTERN))?;
                Arc::new(StringArray::from_iter((0..rows).map(|i| {
                    let value =
                        DateTime::from_timestamp(seconds.is_valid(i).then(|| seconds.value(i))?, 0)?.naive_utc();
                    Some(patterns.get(i)?.as_ref()?.format(value))
                })))
            }
            Kind::ToDate { .. } | Kind::ToTimestamp { .. } | Kind::UnixTimestamp => {
                let strict = !matches!(self.kind, Kind::ToDate { strict: false } | Kind::ToTimestamp { strict: false });
                let values = match (arrays.first(), arrays.get(1)) {
                    (None, _) => {
                        let now = chrono::Utc::now().timestamp();
                        return Ok(ColumnarValue::Scalar(datafusion::scalar::ScalarValue::Int64(Some(now))));
                    }
                    // to_date(text) is CAST(text AS DATE): `2022` and `2022-02` are dates too.
                    (Some(text), None) if is_text(text.data_type()) && matches!(self.kind, Kind::ToDate { .. }) => {
                        let texts = cast(text, &DataType::Utf8)?;
                        let texts = downcast::<StringArray>(&texts)?;
                        let mut out = Vec::with_capacity(rows);
                        for i in 0..rows {
                            let Some(value) = texts.is_valid(i).then(|| texts.value(i)) else {
                                out.push(None);
                                continue;
                            };
                            match super::date_cast::read_date(value) {
                                Some(date) => out.push(date.and_hms_opt(0, 0, 0)),
                                None if !strict => out.push(None),
                                None => {
                                    return exec_err!(
                                        "[CAST_INVALID_INPUT] The value '{value}' of the type \"STRING\" cannot be cast to \"DATE\" because it is malformed. Use `try_to_date` to get NULL instead"
                                    )
                                }
                            }
                        }
                        out
                    }
                    (Some(text), pattern) if is_text(text.data_type()) => {
                        parse_all(text, pattern, rows, self.name, self.kind == Kind::UnixTimestamp, strict)?
                    }
                    (Some(value), _) => micros(Some(value), rows, strict)?,
                };
                match self.kind {
                    Kind::ToDate { .. } => Arc::new(Date32Array::from_iter(
                        values.iter().map(|v| v.map(|t| t.date().num_days_from_ce() - 719_163)),
                    )),
                    Kind::ToTimestamp { .. } => Arc::new(TimestampMicrosecondArray::from_iter(
                        values.iter().map(|v| v.map(|t| t.and_utc().timestamp_micros())),
                    )),
                    _ => Arc::new(Int64Array::from_iter(values.iter().map(|v| v.map(|t| t.and_utc().timestamp())))),
                }
            }
            Kind::Part(part) => {
                let dates = cast(first(&arrays)?, &DataType::Date32)?;
                let dates = downcast::<Date32Array>(&dates)?;
                Arc::new(Int32Array::from_iter((0..rows).map(|i| {
                    let date = dates.is_valid(i).then(|| dates.value_as_date(i)).flatten()?;
                    let value = match part {
                        Part::Year => date.year(),
                        Part::Month => i32::try_from(date.month()).ok()?,
                        Part::Day => i32::try_from(date.day()).ok()?,
                        Part::DayOfWeek => i32::try_from(date.weekday().num_days_from_sunday() + 1).ok()?,
                        Part::DayOfYear => i32::try_from(date.ordinal()).ok()?,
                        Part::WeekOfYear => i32::try_from(date.iso_week().week()).ok()?,
                        Part::Quarter => i32::try_from(date.month0() / 3 + 1).ok()?,
                    };
                    Some(value)
                })))
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

fn first(arrays: &[ArrayRef]) -> Result<&ArrayRef> {
    match arrays.first() {
        Some(array) => Ok(array),
        None => exec_err!("a datetime function was called without its argument"),
    }
}

fn downcast<T: 'static>(array: &ArrayRef) -> Result<&T> {
    match array.as_any().downcast_ref::<T>() {
        Some(array) => Ok(array),
        None => exec_err!("unexpected argument type {}", array.data_type()),
    }
}

/// Each row's value as a date and time (dates at midnight). Text that is no date or timestamp is
/// an error, as Spark's ANSI cast (`CAST_INVALID_INPUT`), or NULL when not `strict`.
fn micros(array: Option<&ArrayRef>, rows: usize, strict: bool) -> Result<Vec<Option<NaiveDateTime>>> {
    let Some(array) = array else { return Ok(vec![None; rows]) };
    let options = datafusion::arrow::compute::CastOptions { safe: !strict, ..Default::default() };
    let array = datafusion::arrow::compute::cast_with_options(array, &MICROS, &options).map_err(|e| {
        datafusion::error::DataFusionError::Execution(format!(
            "[CAST_INVALID_INPUT] {e}. Use `try_to_timestamp` (or `try_cast`) to get NULL instead"
        ))
    })?;
    let array = downcast::<TimestampMicrosecondArray>(&array)?;
    Ok((0..rows).map(|i| array.is_valid(i).then(|| array.value_as_datetime(i)).flatten()).collect())
}

/// Each row's pattern, read (a pattern column is read row by row; a constant once).
fn patterns(array: Option<&ArrayRef>, rows: usize, default: Option<&str>) -> Result<Vec<Option<Pattern>>> {
    let Some(array) = array else {
        let pattern = default.map(Pattern::parse).transpose().map_err(datafusion::error::DataFusionError::Execution)?;
        return Ok(vec![pattern; rows]);
    };
    let texts = cast(array, &DataType::Utf8)?;
    let texts = downcast::<StringArray>(&texts)?;
    let mut last: Option<(String, Pattern)> = None;
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        if !texts.is_valid(i) {
            out.push(None);
            continue;
        }
        let text = texts.value(i);
        let pattern = match &last {
            Some((seen, pattern)) if seen == text => pattern.clone(),
            _ => {
                let pattern = Pattern::parse(text).map_err(|e| {
                    datafusion::error::DataFusionError::Execution(format!("[INVALID_DATETIME_PATTERN] {e}"))
                })?;
                last = Some((text.to_string(), pattern.clone()));
                pattern
            }
        };
        out.push(Some(pattern));
    }
    Ok(out)
}

/// Text read with its pattern (or, without one, as Spark casts text to a timestamp).
fn parse_all(
    text: &ArrayRef,
    pattern: Option<&ArrayRef>,
    rows: usize,
    name: &str,
    default_pattern: bool,
    strict: bool,
) -> Result<Vec<Option<NaiveDateTime>>> {
    let Some(pattern) = pattern.or(None) else {
        if default_pattern {
            let patterns = patterns(None, rows, Some(DEFAULT_PATTERN))?;
            return read_rows(text, &patterns, rows, name, strict);
        }
        return micros(Some(text), rows, strict);
    };
    let patterns = patterns(Some(pattern), rows, None)?;
    read_rows(text, &patterns, rows, name, strict)
}

fn read_rows(
    text: &ArrayRef,
    patterns: &[Option<Pattern>],
    rows: usize,
    name: &str,
    strict: bool,
) -> Result<Vec<Option<NaiveDateTime>>> {
    let texts = cast(text, &DataType::Utf8)?;
    let texts = downcast::<StringArray>(&texts)?;
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let (Some(Some(pattern)), true) = (patterns.get(i), texts.is_valid(i)) else {
            out.push(None);
            continue;
        };
        let value = texts.value(i);
        match pattern.read(value) {
            Some(parsed) => out.push(Some(parsed)),
            None if !strict => out.push(None),
            None => {
                return exec_err!(
                    "[CANNOT_PARSE_TIMESTAMP] `{name}`: the text '{value}' does not match its pattern. Use `try_{name}` to get NULL instead"
                )
            }
        }
    }
    Ok(out)
}

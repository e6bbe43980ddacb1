//! Spark's calendar arithmetic, which counts months as Spark (and Java's `java.time`) count them:
//! `months_between`, and `timestampdiff`/`timestampadd` (with their `datediff(unit, …)` and
//! `dateadd(unit, …)` spellings), which `rewrite::unit_call` turns into `__spark_timestampdiff`
//! and `__spark_timestampadd`. DataFusion has none of them, and its interval arithmetic gives
//! other answers at a month's end (Spark's `months_between` of two last days is whole; a month
//! after January 31st is February's last day).
//!
//! Dates count as midnight timestamps, and the session's zone is UTC (as the corpus records
//! Spark's answers), so a timestamp's wall clock is its UTC time.

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int64Array, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::{is_text, type_name, wrong_num_args};

const MICROS: DataType = DataType::Timestamp(TimeUnit::Microsecond, None);
/// Spark's month for `months_between`'s fraction: 31 days, in seconds.
const MONTH_SECONDS: f64 = 31.0 * 86_400.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    MonthsBetween,
    Diff,
    Add,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Calendar {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

/// `months_between`, `__spark_timestampdiff` and `__spark_timestampadd`, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [
        ("months_between", Kind::MonthsBetween),
        ("__spark_timestampdiff", Kind::Diff),
        ("__spark_timestampadd", Kind::Add),
    ]
    .into_iter()
    .map(|(name, kind)| {
        Arc::new(ScalarUDF::new_from_impl(Calendar {
            name,
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        }))
    })
    .collect()
}

/// A unit of `timestampdiff` and `timestampadd`, as Spark's parser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Unit {
    fn of(text: &str) -> Option<Unit> {
        Some(match text.to_uppercase().as_str() {
            "MICROSECOND" => Unit::Microsecond,
            "MILLISECOND" => Unit::Millisecond,
            "SECOND" => Unit::Second,
            "MINUTE" => Unit::Minute,
            "HOUR" => Unit::Hour,
            "DAY" | "DAYOFYEAR" => Unit::Day,
            "WEEK" => Unit::Week,
            "MONTH" => Unit::Month,
            "QUARTER" => Unit::Quarter,
            "YEAR" => Unit::Year,
            _ => return None,
        })
    }

    /// Microseconds in one unit of a fixed length; `None` for the units counted in months.
    fn micros(self) -> Option<i64> {
        Some(match self {
            Unit::Microsecond => 1,
            Unit::Millisecond => 1_000,
            Unit::Second => 1_000_000,
            Unit::Minute => 60_000_000,
            Unit::Hour => 3_600_000_000,
            Unit::Day => 86_400_000_000,
            Unit::Week => 7 * 86_400_000_000,
            Unit::Month | Unit::Quarter | Unit::Year => return None,
        })
    }

    /// Months in one unit counted in months.
    fn months(self) -> i64 {
        match self {
            Unit::Quarter => 3,
            Unit::Year => 12,
            _ => 1,
        }
    }
}

fn datetime_or_text(t: &DataType) -> bool {
    is_text(t) || matches!(t, DataType::Date32 | DataType::Date64 | DataType::Timestamp(..))
}

impl ScalarUDFImpl for Calendar {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let name = match self.kind {
            Kind::MonthsBetween => "months_between",
            Kind::Diff => "timestampdiff",
            Kind::Add => "timestampadd",
        };
        let timestamp = |i: usize, t: &DataType| {
            if datetime_or_text(t) {
                Ok(MICROS)
            } else {
                plan_err!(
                    "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `{name}` argument {} must be a TIMESTAMP or DATE, not {}",
                    i + 1,
                    type_name(t)
                )
            }
        };
        match (self.kind, types) {
            (Kind::MonthsBetween, [a, b]) => Ok(vec![timestamp(0, a)?, timestamp(1, b)?]),
            (Kind::MonthsBetween, [a, b, round]) => {
                if !matches!(round, DataType::Boolean | DataType::Null) {
                    return plan_err!(
                        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `months_between`'s roundOff must be a BOOLEAN, not {}",
                        type_name(round)
                    );
                }
                Ok(vec![timestamp(0, a)?, timestamp(1, b)?, DataType::Boolean])
            }
            (Kind::MonthsBetween, _) => wrong_num_args(name, "(timestamp1, timestamp2[, roundOff])", types.len()),
            (Kind::Diff, [unit, a, b]) if is_text(unit) => Ok(vec![DataType::Utf8, timestamp(1, a)?, timestamp(2, b)?]),
            (Kind::Add, [unit, n, t]) if is_text(unit) => {
                if !(n.is_integer() || matches!(n, DataType::Null)) {
                    return plan_err!(
                        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `timestampadd`'s quantity must be an INT or BIGINT, not {}",
                        type_name(n)
                    );
                }
                Ok(vec![DataType::Utf8, DataType::Int64, timestamp(2, t)?])
            }
            _ => wrong_num_args(name, "(unit, …, …), with a unit such as DAY or HOUR", types.len()),
        }
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::MonthsBetween => DataType::Float64,
            Kind::Diff => DataType::Int64,
            Kind::Add => MICROS,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let out: ArrayRef = match self.kind {
            Kind::MonthsBetween => {
                let (a, b) = (datetimes(arrays.first(), rows)?, datetimes(arrays.get(1), rows)?);
                let round = match arrays.get(2) {
                    Some(r) => cast(r, &DataType::Boolean)?.as_boolean().iter().collect::<Vec<_>>(),
                    None => vec![Some(true); rows],
                };
                Arc::new(Float64Array::from_iter(
                    a.iter().zip(&b).zip(&round).map(|((a, b), round)| Some(months_between((*a)?, (*b)?, (*round)?))),
                ))
            }
            Kind::Diff => {
                let units = units(arrays.first(), rows, "timestampdiff")?;
                let (a, b) = (datetimes(arrays.get(1), rows)?, datetimes(arrays.get(2), rows)?);
                let mut out = Vec::with_capacity(rows);
                for ((unit, a), b) in units.iter().zip(&a).zip(&b) {
                    out.push(match (unit, a, b) {
                        (Some(unit), Some(a), Some(b)) => Some(diff(*unit, *a, *b)?),
                        _ => None,
                    });
                }
                Arc::new(Int64Array::from(out))
            }
            Kind::Add => {
                let units = units(arrays.first(), rows, "timestampadd")?;
                let amounts = match arrays.get(1) {
                    Some(n) => cast(n, &DataType::Int64)?.as_primitive::<Int64Type>().iter().collect::<Vec<_>>(),
                    None => vec![None; rows],
                };
                let times = datetimes(arrays.get(2), rows)?;
                let mut out = Vec::with_capacity(rows);
                for ((unit, n), t) in units.iter().zip(&amounts).zip(&times) {
                    out.push(match (unit, n, t) {
                        (Some(unit), Some(n), Some(t)) => Some(add(*unit, *n, *t)?.and_utc().timestamp_micros()),
                        _ => None,
                    });
                }
                Arc::new(TimestampMicrosecondArray::from(out))
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// Each row's value as a date and time (dates at midnight: `coerce_types` made them timestamps).
fn datetimes(array: Option<&ArrayRef>, rows: usize) -> Result<Vec<Option<NaiveDateTime>>> {
    let Some(array) = array else { return Ok(vec![None; rows]) };
    let array = cast(array, &MICROS)?;
    let Some(array) = array.as_primitive_opt::<TimestampMicrosecondType>() else {
        return exec_err!("a calendar function got {} for a timestamp", array.data_type());
    };
    Ok((0..rows).map(|i| array.is_valid(i).then(|| array.value_as_datetime(i)).flatten()).collect())
}

/// Each row's unit; a unit Spark does not have is an error naming it.
fn units(array: Option<&ArrayRef>, rows: usize, name: &str) -> Result<Vec<Option<Unit>>> {
    let Some(array) = array else { return Ok(vec![None; rows]) };
    let texts = cast(array, &DataType::Utf8)?;
    let Some(texts) = texts.as_any().downcast_ref::<StringArray>() else {
        return exec_err!("`{name}`'s unit is not text");
    };
    texts
        .iter()
        .map(|text| match text {
            None => Ok(None),
            Some(text) => match Unit::of(text) {
                Some(unit) => Ok(Some(unit)),
                None => exec_err!(
                    "[INVALID_PARAMETER_VALUE.DATETIME_UNIT] The value of parameter(s) `unit` in `{name}` is invalid: expects one of the units without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, but got '{text}'"
                ),
            },
        })
        .collect()
}

fn is_last_day(date: NaiveDate) -> bool {
    date.succ_opt().is_none_or(|next| next.month() != date.month())
}

/// Spark's `DateTimeUtils.monthsBetween`: whole months when both days of the month are the same
/// or both are the last of their months; otherwise the months plus the difference of the days
/// and times over a 31-day month, rounded to 8 decimal places when `round` (Java's `Math.round`).
fn months_between(a: NaiveDateTime, b: NaiveDateTime, round: bool) -> f64 {
    let (da, db) = (a.date(), b.date());
    let months = (da.year() * 12 + da.month() as i32) - (db.year() * 12 + db.month() as i32);
    let months = f64::from(months);
    if da.day() == db.day() || (is_last_day(da) && is_last_day(db)) {
        return months;
    }
    let seconds_in_day = |t: NaiveDateTime| i64::from(t.time().num_seconds_from_midnight());
    let days = i64::from(da.day()) - i64::from(db.day());
    let seconds = days * 86_400 + seconds_in_day(a) - seconds_in_day(b);
    let diff = months + seconds as f64 / MONTH_SECONDS;
    if round {
        (diff * 1e8 + 0.5).floor() / 1e8
    } else {
        diff
    }
}

/// Java's `LocalDateTime.until(end, unit)`, Spark's `timestampdiff`: whole units, truncated
/// toward zero; months counted on the calendar (a month from the 31st ends on the 30th only if
/// the time of day has come).
fn diff(unit: Unit, start: NaiveDateTime, end: NaiveDateTime) -> Result<i64> {
    if let Some(per) = unit.micros() {
        let micros = (end - start).num_microseconds();
        let Some(micros) = micros else { return exec_err!("[ARITHMETIC_OVERFLOW] `timestampdiff` overflows") };
        return Ok(micros / per);
    }
    // The end date, a day back (or on) when its time of day has not reached the start's.
    let mut end_date = end.date();
    if end_date > start.date() && end.time() < start.time() {
        end_date = end_date.pred_opt().unwrap_or(end_date);
    } else if end_date < start.date() && end.time() > start.time() {
        end_date = end_date.succ_opt().unwrap_or(end_date);
    }
    let packed = |d: NaiveDate| (i64::from(d.year()) * 12 + i64::from(d.month0())) * 32 + i64::from(d.day());
    let months = (packed(end_date) - packed(start.date())) / 32;
    Ok(months / unit.months())
}

/// Spark's `timestampadd`: fixed units as microseconds, months on the calendar (the day of the
/// month kept, or the month's last day when it has fewer).
fn add(unit: Unit, n: i64, t: NaiveDateTime) -> Result<NaiveDateTime> {
    let overflow =
        || exec_err!("[DATETIME_OVERFLOW] Datetime operation overflow: add {n} {unit:?} to TIMESTAMP '{t}'.");
    let added = match unit.micros() {
        Some(per) => n.checked_mul(per).and_then(|m| t.checked_add_signed(TimeDelta::microseconds(m))),
        None => {
            let months = n.checked_mul(unit.months()).and_then(|m| i32::try_from(m).ok());
            months.and_then(|m| {
                let count = Months::new(m.unsigned_abs());
                if m < 0 {
                    t.checked_sub_months(count)
                } else {
                    t.checked_add_months(count)
                }
            })
        }
    };
    match added {
        Some(added) => Ok(added),
        None => overflow(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn months_between_as_spark() {
        assert_eq!(months_between(at("2022-03-31 00:00:00"), at("2022-01-31 00:00:00"), true), 2.0);
        assert_eq!(months_between(at("2022-03-15 00:00:00"), at("2022-01-01 00:00:00"), true), 2.4516129);
        assert_eq!(months_between(at("2022-01-01 00:00:00"), at("2022-03-15 00:00:00"), false), -2.4516129032258065);
        // Both the last day of their month: whole months.
        assert_eq!(months_between(at("2022-02-28 10:00:00"), at("2022-01-31 00:00:00"), true), 1.0);
    }

    #[test]
    fn timestampdiff_as_spark() {
        let hours = diff(Unit::Hour, at("2022-01-01 00:00:00"), at("2022-01-02 06:30:00")).unwrap();
        assert_eq!(hours, 30);
        assert_eq!(diff(Unit::Day, at("2022-01-01 00:00:00"), at("2022-03-01 00:00:00")).unwrap(), 59);
        assert_eq!(diff(Unit::Hour, at("2022-01-02 06:30:00"), at("2022-01-01 00:00:00")).unwrap(), -30);
        assert_eq!(diff(Unit::Month, at("2022-01-31 00:00:00"), at("2022-02-28 00:00:00")).unwrap(), 0);
        assert_eq!(diff(Unit::Month, at("2022-01-31 10:00:00"), at("2022-03-31 09:00:00")).unwrap(), 1);
        assert_eq!(diff(Unit::Month, at("2022-03-31 09:00:00"), at("2022-01-31 10:00:00")).unwrap(), -1);
        assert_eq!(diff(Unit::Year, at("2020-02-29 00:00:00"), at("2021-02-28 00:00:00")).unwrap(), 0);
        assert_eq!(diff(Unit::Quarter, at("2022-01-01 00:00:00"), at("2022-12-31 00:00:00")).unwrap(), 3);
    }

    #[test]
    fn timestampadd_as_spark() {
        assert_eq!(add(Unit::Minute, 90, at("2022-01-01 23:00:00")).unwrap(), at("2022-01-02 00:30:00"));
        assert_eq!(add(Unit::Day, 3, at("2022-01-30 00:00:00")).unwrap(), at("2022-02-02 00:00:00"));
        assert_eq!(add(Unit::Month, 1, at("2022-01-31 08:00:00")).unwrap(), at("2022-02-28 08:00:00"));
        assert_eq!(add(Unit::Year, -1, at("2020-02-29 00:00:00")).unwrap(), at("2019-02-28 00:00:00"));
    }
}

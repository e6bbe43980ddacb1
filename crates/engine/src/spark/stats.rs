//! Spark's statistical aggregates that DataFusion lacks or answers differently, computed over the
//! group's values: `check` rewrites `percentile_approx(x, p)` as
//! `__spark_percentile_approx(collect_list(x), p)` (the FILTER, DISTINCT and OVER go with
//! `collect_list`), and this module's functions compute the answer from the list.
//!
//! - `percentile(x, p)`: the exact percentile, interpolated between the two nearest values (a
//!   DOUBLE); `p` may be an array of percentages.
//! - `percentile_approx(x, p[, accuracy])`, `approx_percentile`, `percentile_disc(p) WITHIN GROUP
//!   (ORDER BY x)`: a value of the data, the smallest whose rank is at least `p` of the count (Spark
//!   does not interpolate). Spark's answer is an estimate within `1/accuracy`; on the data a
//!   playground holds it is this exact value.
//! - `mode(x)`: the most frequent value (the smallest of equally frequent ones).
//! - `skewness(x)`, `kurtosis(x)` (excess): population moments, as Spark's; NULL for no rows or
//!   for values that are all equal.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::{arguments, type_name, wrong_num_args};

/// Which statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stat {
    Percentile,
    PercentileApprox,
    Mode,
    Skewness,
    Kurtosis,
}

impl Stat {
    /// The helper function's name (`check` calls it).
    pub fn function(self) -> &'static str {
        match self {
            Stat::Percentile => "__spark_percentile",
            Stat::PercentileApprox => "__spark_percentile_approx",
            Stat::Mode => "__spark_mode",
            Stat::Skewness => "__spark_skewness",
            Stat::Kurtosis => "__spark_kurtosis",
        }
    }

    /// The Spark aggregate of that name, and how many arguments it takes besides the values.
    pub fn of(name: &str) -> Option<(Stat, std::ops::RangeInclusive<usize>)> {
        Some(match name {
            "percentile" => (Stat::Percentile, 1..=1),
            "percentile_approx" | "approx_percentile" => (Stat::PercentileApprox, 1..=2),
            "mode" => (Stat::Mode, 0..=0),
            "skewness" => (Stat::Skewness, 0..=0),
            "kurtosis" => (Stat::Kurtosis, 0..=0),
            _ => return None,
        })
    }

    fn takes_percentage(self) -> bool {
        matches!(self, Stat::Percentile | Stat::PercentileApprox)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Statistic {
    stat: Stat,
    signature: Signature,
}

/// The helpers, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [Stat::Percentile, Stat::PercentileApprox, Stat::Mode, Stat::Skewness, Stat::Kurtosis]
        .into_iter()
        .map(|stat| {
            Arc::new(ScalarUDF::new_from_impl(Statistic {
                stat,
                signature: Signature::user_defined(Volatility::Immutable),
            }))
        })
        .collect()
}

fn list_of(t: DataType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(t, true)))
}

fn element(t: &DataType) -> Option<&DataType> {
    match t {
        DataType::List(f) | DataType::LargeList(f) => Some(f.data_type()),
        _ => None,
    }
}

impl ScalarUDFImpl for Statistic {
    fn name(&self) -> &str {
        self.stat.function()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let Some(values) = types.first() else { return wrong_num_args(self.name(), &arguments(1, 1), 0) };
        let Some(item) = element(values) else { return plan_err!("the values are a list") };
        let numeric = item.is_numeric() || matches!(item, DataType::Null);
        if self.stat != Stat::Mode && !numeric {
            return plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `{}` takes numbers, not {}",
                &self.stat.function()[8..],
                type_name(item)
            );
        }
        let mut out = vec![list_of(item.clone())];
        for t in types.iter().skip(1) {
            out.push(match t {
                DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => list_of(DataType::Float64),
                t if t.is_numeric() => DataType::Float64,
                other => {
                    return plan_err!(
                        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] a percentage is a number between 0 and 1 or an array of them, not {}",
                        type_name(other)
                    )
                }
            });
        }
        Ok(out)
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        let item = types.first().and_then(element).cloned().unwrap_or(DataType::Null);
        let one = match self.stat {
            Stat::PercentileApprox | Stat::Mode => item,
            Stat::Percentile | Stat::Skewness | Stat::Kurtosis => DataType::Float64,
        };
        Ok(match types.get(1) {
            Some(DataType::List(_)) => list_of(one),
            _ => one,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some(lists) = arrays.first() else { return exec_err!("no values") };
        let lists = lists.as_list::<i32>();
        let out_type = args.return_field.data_type();
        let null = ScalarValue::try_from(out_type)?;
        let mut out = Vec::with_capacity(lists.len());
        for row in 0..lists.len() {
            if lists.is_null(row) {
                out.push(null.clone());
                continue;
            }
            let values = lists.value(row);
            let value = match (self.stat.takes_percentage(), arrays.get(1)) {
                (true, Some(p)) if p.is_null(row) => null.clone(),
                (true, Some(p)) => match p.data_type() {
                    DataType::List(_) => {
                        let ps = p.as_list::<i32>().value(row);
                        let ps = ps.as_primitive::<Float64Type>();
                        let item = element(out_type).cloned().unwrap_or(DataType::Null);
                        let each = ps
                            .iter()
                            .map(|p| match p {
                                Some(p) => self.one(&values, Some(p), &item),
                                None => ScalarValue::try_from(&item),
                            })
                            .collect::<Result<Vec<_>>>()?;
                        ScalarValue::List(ScalarValue::new_list(&each, &item, true))
                    }
                    _ => self.one(&values, Some(p.as_primitive::<Float64Type>().value(row)), out_type)?,
                },
                _ => self.one(&values, None, out_type)?,
            };
            out.push(value);
        }
        if out.is_empty() {
            return Ok(ColumnarValue::Array(datafusion::arrow::array::new_empty_array(out_type)));
        }
        Ok(ColumnarValue::Array(ScalarValue::iter_to_array(out)?))
    }
}

impl Statistic {
    /// The statistic of one group's `values` (NULLs left out), as a value of `out_type`.
    fn one(&self, values: &ArrayRef, p: Option<f64>, out_type: &DataType) -> Result<ScalarValue> {
        if let Some(p) = p {
            if !(0.0..=1.0).contains(&p) {
                return exec_err!(
                    "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] the percentage {p} is not between 0.0 and 1.0"
                );
            }
        }
        let null = ScalarValue::try_from(out_type)?;
        match self.stat {
            Stat::PercentileApprox | Stat::Mode => {
                let mut items: Vec<ScalarValue> = (0..values.len())
                    .filter(|&i| values.is_valid(i))
                    .map(|i| ScalarValue::try_from_array(values, i))
                    .collect::<Result<_>>()?;
                items.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
                if items.is_empty() {
                    return Ok(null);
                }
                if self.stat == Stat::Mode {
                    // Runs of equal values, sorted: the longest, the first (smallest) of a tie.
                    let mut best = (0, 0);
                    let mut start = 0;
                    for i in 1..=items.len() {
                        if i == items.len() || items.get(i) != items.get(start) {
                            if i - start > best.1 {
                                best = (start, i - start);
                            }
                            start = i;
                        }
                    }
                    return Ok(items.swap_remove(best.0));
                }
                let n = items.len();
                let rank = (p.unwrap_or(0.5) * n as f64).ceil() as usize;
                Ok(items.swap_remove(rank.clamp(1, n) - 1))
            }
            Stat::Percentile | Stat::Skewness | Stat::Kurtosis => {
                let numbers = cast(values, &DataType::Float64)?;
                let mut xs: Vec<f64> = numbers.as_primitive::<Float64Type>().iter().flatten().collect();
                if xs.is_empty() {
                    return Ok(null);
                }
                let n = xs.len() as f64;
                if self.stat == Stat::Percentile {
                    xs.sort_by(f64::total_cmp);
                    let position = p.unwrap_or(0.5) * (n - 1.0);
                    let (low, high) = (position.floor(), position.ceil());
                    let at = |i: f64| xs.get(i as usize).copied().unwrap_or(f64::NAN);
                    let value = if low == high { at(low) } else { at(low) + (position - low) * (at(high) - at(low)) };
                    return Ok(ScalarValue::Float64(Some(value)));
                }
                let mean = xs.iter().sum::<f64>() / n;
                let moment = |k: i32| xs.iter().map(|x| (x - mean).powi(k)).sum::<f64>();
                let m2 = moment(2);
                if m2 == 0.0 {
                    return Ok(null);
                }
                let value = if self.stat == Stat::Skewness {
                    n.sqrt() * moment(3) / (m2 * m2 * m2).sqrt()
                } else {
                    n * moment(4) / (m2 * m2) - 3.0
                };
                Ok(ScalarValue::Float64(Some(value)))
            }
        }
    }
}

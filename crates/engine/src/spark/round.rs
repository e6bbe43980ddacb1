//! Spark's `bround(x, d)`: rounds half to even ("banker's rounding"), at `d` decimal places, on
//! the number's decimal value: a `DOUBLE` as its shortest decimal text (Spark rounds
//! `BigDecimal(x.toString)`), so `bround(2.675, 2)` is `2.68` as written, not `2.67` as stored.
//! `round` of a `DOUBLE` is the same with half up (`round(1.005D, 2)` is `1.01`); `implicit`
//! puts it in place of `datafusion-spark`'s, which rounds the stored binary value.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::{type_name, wrong_num_args};

#[derive(Debug, PartialEq, Eq, Hash)]
struct BRound {
    half_even: bool,
    signature: Signature,
}

/// `bround`, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::new_from_impl(BRound {
        half_even: true,
        signature: Signature::user_defined(Volatility::Immutable),
    }))]
}

/// `round` of a `DOUBLE`, half up on its shortest decimal text.
pub fn round_double() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(BRound {
        half_even: false,
        signature: Signature::user_defined(Volatility::Immutable),
    }))
}

impl ScalarUDFImpl for BRound {
    fn name(&self) -> &str {
        if self.half_even {
            "bround"
        } else {
            "round"
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let value = match types.first() {
            Some(t) if t.is_integer() => DataType::Int64,
            Some(t) if t.is_numeric() || matches!(t, DataType::Null) => DataType::Float64,
            Some(t) => return plan_err!("[DATATYPE_MISMATCH] `{}` takes a number, not {}", self.name(), type_name(t)),
            None => return wrong_num_args(self.name(), "(expr[, d])", 0),
        };
        match types.get(1) {
            None if types.len() == 1 => Ok(vec![value]),
            Some(t) if types.len() == 2 && (t.is_integer() || matches!(t, DataType::Null)) => {
                Ok(vec![value, DataType::Int64])
            }
            Some(t) if types.len() == 2 => {
                plan_err!("[DATATYPE_MISMATCH] `{}`'s d must be an INT, not {}", self.name(), type_name(t))
            }
            _ => wrong_num_args(self.name(), "(expr[, d])", types.len()),
        }
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        Ok(types.first().cloned().unwrap_or(DataType::Float64))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some(values) = arrays.first() else { return plan_err!("`bround` takes (expr[, d])") };
        let places: Vec<Option<i64>> = match arrays.get(1) {
            Some(d) => {
                let d = cast(d, &DataType::Int64)?;
                let d = d.as_primitive::<Int64Type>();
                (0..rows).map(|i| d.is_valid(i).then(|| d.value(i))).collect()
            }
            None => vec![Some(0); rows],
        };
        let out: ArrayRef = match values.data_type() {
            DataType::Int64 => {
                let v = values.as_primitive::<Int64Type>();
                Arc::new(Int64Array::from_iter((0..rows).map(|i| {
                    let (value, places) = (v.is_valid(i).then(|| v.value(i))?, places.get(i).copied().flatten()?);
                    Some(
                        round_digits(i128::from(value), 0, places, self.half_even)
                            .and_then(|(q, _)| i64::try_from(q).ok())
                            .unwrap_or(value),
                    )
                })))
            }
            _ => {
                let v = cast(values, &DataType::Float64)?;
                let v = v.as_primitive::<Float64Type>();
                Arc::new(Float64Array::from_iter((0..rows).map(|i| {
                    let (value, places) = (v.is_valid(i).then(|| v.value(i))?, places.get(i).copied().flatten()?);
                    Some(round_text(value, places, self.half_even))
                })))
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// `x` rounded half to even at `places` decimal places, on its shortest decimal text.
#[cfg(test)]
fn bround(x: f64, places: i64) -> f64 {
    round_text(x, places, true)
}

/// `x` rounded at `places` decimal places (half to even, or half up), on its shortest decimal text.
fn round_text(x: f64, places: i64, half_even: bool) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = format!("{:e}", x);
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let Ok(digits) = format!("{whole}{fraction}").parse::<i128>() else { return x };
    // x = digits × 10^-(scale)
    let scale = i64::try_from(fraction.len()).unwrap_or(0) - exponent;
    match round_digits(digits, scale, places, half_even) {
        Some((q, s)) => format!("{q}e{}", -s).parse().unwrap_or(x),
        None => x,
    }
}

/// `digits × 10^-scale` rounded half to even (or half up) at `places`: the new digits and scale.
fn round_digits(digits: i128, scale: i64, places: i64, half_even: bool) -> Option<(i128, i64)> {
    if scale <= places {
        return Some((digits, scale));
    }
    let drop = u32::try_from(scale - places).ok()?;
    let Some(divisor) = 10i128.checked_pow(drop) else { return Some((0, places)) };
    let (q, r) = (digits / divisor, digits % divisor);
    let twice = r.abs().checked_mul(2)?;
    let up = twice > divisor || (twice == divisor && (!half_even || q % 2 != 0));
    let q = if up { q + digits.signum() } else { q };
    Some((q, places))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_to_even_as_spark_does() {
        assert_eq!(bround(2.5, 0), 2.0);
        assert_eq!(bround(3.5, 0), 4.0);
        assert_eq!(bround(-2.5, 0), -2.0);
        assert_eq!(bround(0.125, 2), 0.12);
        assert_eq!(bround(2.675, 2), 2.68);
        assert_eq!(bround(1234.5, -1), 1230.0);
        assert_eq!(bround(1.0, 3), 1.0);
        assert_eq!(round_digits(25, 0, -1, true), Some((2, -1)));
        assert_eq!(round_text(1.005, 2, false), 1.01);
        assert_eq!(round_text(-2.5, 0, false), -3.0);
    }
}

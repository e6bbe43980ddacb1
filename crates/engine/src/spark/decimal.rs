//! Spark's decimal division: `a / b` of decimals (an integer counts as the decimal of its digits:
//! an INT column as `DECIMAL(10,0)`, the literal `4` as `DECIMAL(1,0)`) has the scale
//! `max(6, s1 + p2 + 1)` and the precision `p1 - s1 + s2 + scale`, capped at 38 digits by giving
//! up scale down to 6; the quotient is rounded half up. So `1.0 / 3` is `0.333333` and `10.0 / 4`
//! is `2.500000`; DataFusion gives 5 and 5 decimals, truncated. A quotient too large for its
//! type is `ARITHMETIC_OVERFLOW`; a zero divisor is `DIVIDE_BY_ZERO` (`ansi` checks it first).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Decimal128Array};
use datafusion::arrow::datatypes::{i256, DataType, Decimal128Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::wrapped::pass_through_aggregate;

/// The decimal type Spark gives a division's operand: its own, or an integer's digits.
pub fn operand_type(expr: &Expr, t: &DataType) -> Option<(u8, i8)> {
    let literal_digits = |v: &ScalarValue| -> Option<u8> {
        let text = match v {
            ScalarValue::Int8(Some(n)) => n.unsigned_abs().to_string(),
            ScalarValue::Int16(Some(n)) => n.unsigned_abs().to_string(),
            ScalarValue::Int32(Some(n)) => n.unsigned_abs().to_string(),
            ScalarValue::Int64(Some(n)) => n.unsigned_abs().to_string(),
            _ => return None,
        };
        u8::try_from(text.len()).ok()
    };
    match expr {
        Expr::Literal(v, _) if literal_digits(v).is_some() => literal_digits(v).map(|p| (p, 0)),
        Expr::Cast(cast) => match cast.expr.as_ref() {
            Expr::Literal(v, _) if literal_digits(v).is_some() => literal_digits(v).map(|p| (p, 0)),
            _ => integer_type(t),
        },
        _ => integer_type(t),
    }
}

fn integer_type(t: &DataType) -> Option<(u8, i8)> {
    match t {
        DataType::Decimal128(p, s) => Some((*p, *s)),
        DataType::Int8 | DataType::UInt8 => Some((3, 0)),
        DataType::Int16 | DataType::UInt16 => Some((5, 0)),
        DataType::Int32 | DataType::UInt32 => Some((10, 0)),
        DataType::Int64 | DataType::UInt64 => Some((20, 0)),
        _ => None,
    }
}

/// Spark's type of `DECIMAL(p1,s1) / DECIMAL(p2,s2)`.
pub fn quotient_type(p1: u8, s1: i8, p2: u8, s2: i8) -> (u8, i8) {
    let (p1, s1, p2, s2) = (i32::from(p1), i32::from(s1), i32::from(p2), i32::from(s2));
    let scale = 6.max(s1 + p2 + 1);
    let precision = p1 - s1 + s2 + scale;
    let (precision, scale) = if precision > 38 {
        let whole = precision - scale;
        (38, (38 - whole).max(scale.min(6)))
    } else {
        (precision, scale)
    };
    (u8::try_from(precision).unwrap_or(38), i8::try_from(scale).unwrap_or(6))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Divide {
    signature: Signature,
}

/// The division, for `ansi` to call in place of DataFusion's decimal `/`.
pub fn divide() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(Divide { signature: Signature::user_defined(Volatility::Immutable) }))
}

impl ScalarUDFImpl for Divide {
    fn name(&self) -> &str {
        "spark/"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        match types {
            [l @ DataType::Decimal128(..), r @ DataType::Decimal128(..)] => Ok(vec![l.clone(), r.clone()]),
            _ => plan_err!("a decimal division takes two DECIMALs"),
        }
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        match types {
            [DataType::Decimal128(p1, s1), DataType::Decimal128(p2, s2)] => {
                let (p, s) = quotient_type(*p1, *s1, *p2, *s2);
                Ok(DataType::Decimal128(p, s))
            }
            _ => plan_err!("a decimal division takes two DECIMALs"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [left, right] = arrays.as_slice() else { return exec_err!("a decimal division takes 2 arguments") };
        let (DataType::Decimal128(_, s1), DataType::Decimal128(_, s2), DataType::Decimal128(p, s)) =
            (left.data_type(), right.data_type(), args.return_field.data_type())
        else {
            return exec_err!("a decimal division takes two DECIMALs");
        };
        let (a, b) = (left.as_primitive::<Decimal128Type>(), right.as_primitive::<Decimal128Type>());
        // a × 10^-s1 / (b × 10^-s2) = (a × 10^(s - s1 + s2) / b) × 10^-s
        let shift = i32::from(*s) - i32::from(*s1) + i32::from(*s2);
        let limit = ten_to(u32::from(*p)).unwrap_or(i256::MAX);
        let mut out = Vec::with_capacity(a.len());
        for i in 0..a.len() {
            if a.is_null(i) || b.is_null(i) {
                out.push(None);
                continue;
            }
            let (x, y) = (i256::from_i128(a.value(i)), i256::from_i128(b.value(i)));
            if y == i256::ZERO {
                return exec_err!("[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to get NULL instead");
            }
            let quotient = shifted_quotient(x, y, shift);
            match quotient.filter(|q| q.wrapping_abs() < limit).and_then(|q| q.to_i128()) {
                Some(q) => out.push(Some(q)),
                None => {
                    return exec_err!(
                        "[ARITHMETIC_OVERFLOW] the quotient does not fit DECIMAL({p},{s}). Use `try_divide` to get NULL instead"
                    )
                }
            }
        }
        let array = Decimal128Array::from(out).with_precision_and_scale(*p, *s)?;
        Ok(ColumnarValue::Array(Arc::new(array)))
    }
}

fn ten_to(k: u32) -> Option<i256> {
    let mut v = i256::ONE;
    for _ in 0..k {
        v = v.checked_mul(i256::from_i128(10))?;
    }
    Some(v)
}

/// `x × 10^shift / y`, rounded half up (away from zero at a half).
pub(super) fn shifted_quotient(x: i256, y: i256, shift: i32) -> Option<i256> {
    let (numerator, denominator) = if shift >= 0 {
        (x.checked_mul(ten_to(shift.unsigned_abs())?)?, y)
    } else {
        (x, y.checked_mul(ten_to(shift.unsigned_abs())?)?)
    };
    let q = numerator.checked_div(denominator)?;
    let r = numerator.checked_rem(denominator)?;
    let twice = r.wrapping_abs().checked_mul(i256::from_i128(2))?;
    if twice >= denominator.wrapping_abs() {
        let negative = (numerator < i256::ZERO) != (denominator < i256::ZERO);
        return q.checked_add(if negative { i256::MINUS_ONE } else { i256::ONE });
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_rounding_are_sparks() {
        assert_eq!(quotient_type(2, 1, 1, 0), (7, 6), "1.0 / 3");
        assert_eq!(quotient_type(10, 2, 10, 0), (21, 13));
        assert_eq!(quotient_type(38, 10, 38, 10), (38, 6), "capped");
        let q = |x: i128, y: i128, shift| shifted_quotient(i256::from_i128(x), i256::from_i128(y), shift);
        assert_eq!(q(10, 3, 6), Some(i256::from_i128(3_333_333)));
        assert_eq!(q(20, 3, 6), Some(i256::from_i128(6_666_667)));
        assert_eq!(q(-20, 3, 6), Some(i256::from_i128(-6_666_667)));
    }
}

/// `avg` as DataFusion's, with Spark's rounding of a decimal average: the sum divided by the count
/// at the result's scale (`DECIMAL(p+4, s+4)`), half up; DataFusion truncates (`2.216666` where
/// Spark has `2.216667`). A decimal average is computed group by group (DataFusion's groups
/// accumulator would truncate); every other average is DataFusion's own.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkAvg {
    inner: Arc<datafusion::logical_expr::AggregateUDF>,
}

/// `avg` (and `mean`), to register over `datafusion-spark`'s.
pub fn avg() -> Arc<datafusion::logical_expr::AggregateUDF> {
    Arc::new(datafusion::logical_expr::AggregateUDF::new_from_impl(SparkAvg {
        inner: datafusion::functions_aggregate::average::avg_udaf(),
    }))
}

fn decimal_result(args: &datafusion::logical_expr::function::AccumulatorArgs) -> Option<(u8, i8)> {
    match args.return_field.data_type() {
        DataType::Decimal128(p, s) => Some((*p, *s)),
        _ => None,
    }
}

impl datafusion::logical_expr::AggregateUDFImpl for SparkAvg {
    pass_through_aggregate!();

    fn accumulator(
        &self,
        args: datafusion::logical_expr::function::AccumulatorArgs,
    ) -> Result<Box<dyn datafusion::logical_expr::Accumulator>> {
        let result = decimal_result(&args);
        Ok(RoundedAvg::over(self.inner.accumulator(args)?, result))
    }

    fn create_sliding_accumulator(
        &self,
        args: datafusion::logical_expr::function::AccumulatorArgs,
    ) -> Result<Box<dyn datafusion::logical_expr::Accumulator>> {
        let result = decimal_result(&args);
        Ok(RoundedAvg::over(self.inner.create_sliding_accumulator(args)?, result))
    }

    fn groups_accumulator_supported(&self, args: datafusion::logical_expr::function::AccumulatorArgs) -> bool {
        decimal_result(&args).is_none() && self.inner.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(
        &self,
        args: datafusion::logical_expr::function::AccumulatorArgs,
    ) -> Result<Box<dyn datafusion::logical_expr::GroupsAccumulator>> {
        self.inner.create_groups_accumulator(args)
    }
}

/// DataFusion's decimal average, evaluated from its state (count, sum) with Spark's rounding.
#[derive(Debug)]
struct RoundedAvg {
    inner: Box<dyn datafusion::logical_expr::Accumulator>,
    p: u8,
    s: i8,
}

impl RoundedAvg {
    /// DataFusion's accumulator `inner`, rounded as Spark rounds when the result is a DECIMAL(p, s).
    fn over(
        inner: Box<dyn datafusion::logical_expr::Accumulator>,
        result: Option<(u8, i8)>,
    ) -> Box<dyn datafusion::logical_expr::Accumulator> {
        match result {
            Some((p, s)) => Box::new(RoundedAvg { inner, p, s }),
            None => inner,
        }
    }
}

impl datafusion::logical_expr::Accumulator for RoundedAvg {
    fn update_batch(&mut self, values: &[datafusion::arrow::array::ArrayRef]) -> Result<()> {
        self.inner.update_batch(values)
    }

    fn merge_batch(&mut self, states: &[datafusion::arrow::array::ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn retract_batch(&mut self, values: &[datafusion::arrow::array::ArrayRef]) -> Result<()> {
        self.inner.retract_batch(values)
    }

    fn supports_retract_batch(&self) -> bool {
        self.inner.supports_retract_batch()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn size(&self) -> usize {
        self.inner.size()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let null = ScalarValue::Decimal128(None, self.p, self.s);
        let state = self.inner.state()?;
        let (Some(ScalarValue::UInt64(Some(count))), Some(ScalarValue::Decimal128(Some(sum), _, sum_scale))) =
            (state.first(), state.get(1))
        else {
            return Ok(null);
        };
        if *count == 0 {
            return Ok(null);
        }
        let shift = i32::from(self.s) - i32::from(*sum_scale);
        let quotient = shifted_quotient(i256::from_i128(*sum), i256::from_i128(i128::from(*count)), shift);
        match quotient.and_then(|q| q.to_i128()) {
            Some(q) => Ok(ScalarValue::Decimal128(Some(q), self.p, self.s)),
            None => exec_err!("[ARITHMETIC_OVERFLOW] the average does not fit DECIMAL({},{})", self.p, self.s),
        }
    }
}

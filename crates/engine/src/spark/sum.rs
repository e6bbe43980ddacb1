//! `sum` of integers as Spark 4 (ANSI mode) adds them: a BIGINT sum past 2^63 is an error,
//! `ARITHMETIC_OVERFLOW`, where DataFusion's wraps around to a negative number. Every other sum
//! (doubles, decimals, `DISTINCT`) is DataFusion's own; `try_sum` gives NULL instead.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{exec_err, Result, ScalarValue};
use datafusion::logical_expr::function::AccumulatorArgs;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, EmitTo, GroupsAccumulator};

use super::wrapped::pass_through_aggregate;

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkSum {
    inner: Arc<AggregateUDF>,
}

/// `sum`, to register over DataFusion's.
pub fn sum() -> Arc<AggregateUDF> {
    Arc::new(AggregateUDF::new_from_impl(SparkSum { inner: datafusion::functions_aggregate::sum::sum_udaf() }))
}

/// A sum of integers (DataFusion sums them as a BIGINT), not `DISTINCT`.
fn checked(args: &AccumulatorArgs) -> bool {
    !args.is_distinct && args.return_field.data_type() == &DataType::Int64
}

fn overflow<T>() -> Result<T> {
    exec_err!("[ARITHMETIC_OVERFLOW] BIGINT overflow in `sum`. Use `try_sum` to get NULL instead")
}

impl AggregateUDFImpl for SparkSum {
    pass_through_aggregate!();

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if checked(&args) {
            return Ok(Box::new(CheckedSum::default()));
        }
        self.inner.accumulator(args)
    }

    fn create_sliding_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if checked(&args) {
            return Ok(Box::new(CheckedSum::default()));
        }
        self.inner.create_sliding_accumulator(args)
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        checked(&args) || self.inner.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        if checked(&args) {
            return Ok(Box::new(CheckedGroups::default()));
        }
        self.inner.create_groups_accumulator(args)
    }
}

fn int64s(values: &ArrayRef) -> Result<ArrayRef> {
    Ok(cast(values, &DataType::Int64)?)
}

/// One group's sum.
#[derive(Debug, Default)]
struct CheckedSum {
    sum: Option<i64>,
}

impl CheckedSum {
    fn add(&mut self, values: &[ArrayRef], sign: i64) -> Result<()> {
        let Some(values) = values.first() else { return Ok(()) };
        let values = int64s(values)?;
        for v in values.as_primitive::<Int64Type>().iter().flatten() {
            let next =
                if sign > 0 { self.sum.unwrap_or(0).checked_add(v) } else { self.sum.unwrap_or(0).checked_sub(v) };
            self.sum = Some(next.map_or_else(overflow, Ok)?);
        }
        Ok(())
    }
}

impl Accumulator for CheckedSum {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(values, 1)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.add(states, 1)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(values, -1)
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Int64(self.sum)])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(self.sum))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

/// Every group's sum (NULL for a group with no values).
#[derive(Debug, Default)]
struct CheckedGroups {
    sums: Vec<i64>,
    seen: Vec<bool>,
}

impl GroupsAccumulator for CheckedGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.sums.resize(total_num_groups, 0);
        self.seen.resize(total_num_groups, false);
        let Some(values) = values.first() else { return Ok(()) };
        let values = int64s(values)?;
        let values = values.as_primitive::<Int64Type>();
        for (row, &group) in group_indices.iter().enumerate() {
            if values.is_null(row) || opt_filter.is_some_and(|f| !f.is_valid(row) || !f.value(row)) {
                continue;
            }
            let (Some(sum), Some(seen)) = (self.sums.get_mut(group), self.seen.get_mut(group)) else { continue };
            *sum = sum.checked_add(values.value(row)).map_or_else(overflow, Ok)?;
            *seen = true;
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let sums = emit_to.take_needed(&mut self.sums);
        let seen = emit_to.take_needed(&mut self.seen);
        Ok(Arc::new(sums.into_iter().zip(seen).map(|(s, seen)| seen.then_some(s)).collect::<Int64Array>()))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        Ok(vec![self.evaluate(emit_to)?])
    }

    fn merge_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], total_num_groups: usize) -> Result<()> {
        self.update_batch(values, group_indices, None, total_num_groups)
    }

    fn convert_to_state(&self, values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<ArrayRef>> {
        let Some(values) = values.first() else { return exec_err!("`sum` takes 1 argument") };
        let values = int64s(values)?;
        let values = values.as_primitive::<Int64Type>();
        let kept = (0..values.len())
            .map(|row| {
                let filtered = opt_filter.is_some_and(|f| !f.is_valid(row) || !f.value(row));
                (values.is_valid(row) && !filtered).then(|| values.value(row))
            })
            .collect::<Int64Array>();
        Ok(vec![Arc::new(kept)])
    }

    fn size(&self) -> usize {
        self.sums.capacity() * std::mem::size_of::<i64>() + self.seen.capacity()
    }
}

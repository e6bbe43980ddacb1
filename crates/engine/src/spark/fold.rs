//! Spark's `aggregate(array, start, (acc, x) -> merge[, acc -> finish])` (also `reduce`): folds
//! each array from `start`, left to right, then applies `finish`. DataFusion has no fold among
//! its higher-order functions. The merge's result must have the start value's type, as Spark
//! requires (`aggregate(a, 0D, …)` for doubles). A NULL array gives NULL; an empty one `start`
//! (after `finish`).
//!
//! The fold is evaluated for all rows at once, element by element: at step `k` the merge lambda
//! runs over the rows whose array has more than `k` elements, with their accumulators and their
//! `k`-th elements.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, UInt32Array};
use datafusion::arrow::compute::{interleave, nullif, take, take_arrays};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDF,
    HigherOrderUDFImpl, LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::types::{type_name, wrong_num_args};

/// `aggregate`'s parameters, as Spark's docs write them.
const USAGE: &str = "(array, start, (acc, x) -> merge[, acc -> finish])";

#[derive(Debug, PartialEq, Eq, Hash)]
struct Fold {
    signature: HigherOrderSignature,
    aliases: Vec<String>,
}

/// `aggregate` (and `reduce`), to register.
pub fn function() -> Arc<HigherOrderUDF> {
    Arc::new(HigherOrderUDF::new_from_impl(Fold {
        signature: HigherOrderSignature::user_defined(Volatility::Immutable),
        aliases: vec!["reduce".to_string()],
    }))
}

fn element(list: &DataType) -> Result<&FieldRef> {
    match list {
        DataType::List(f) | DataType::LargeList(f) => Ok(f),
        other => {
            plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `aggregate` takes an array, not {}", type_name(other))
        }
    }
}

impl HigherOrderUDFImpl for Fold {
    fn name(&self) -> &str {
        "aggregate"
    }

    fn aliases(&self) -> &[String] {
        &self.aliases
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(types.to_vec())
    }

    fn lambda_parameters(
        &self,
        _step: usize,
        fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>],
    ) -> Result<LambdaParametersProgress> {
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Value(start))) = (fields.first(), fields.get(1))
        else {
            return wrong_num_args("aggregate", USAGE, fields.len());
        };
        // The accumulator may become NULL on the way (a merge of a NULL), whatever the start is.
        let acc: FieldRef = Arc::new(start.as_ref().clone().with_nullable(true));
        let merge = vec![Arc::clone(&acc), Arc::clone(element(list.data_type())?)];
        Ok(LambdaParametersProgress::Complete(match fields.len() {
            3 => vec![merge],
            4 => vec![merge, vec![acc]],
            _ => return wrong_num_args("aggregate", USAGE, fields.len()),
        }))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Value(start)), Some(ValueOrLambda::Lambda(merge))) =
            (args.arg_fields.first(), args.arg_fields.get(1), args.arg_fields.get(2))
        else {
            return wrong_num_args("aggregate", USAGE, args.arg_fields.len());
        };
        if merge.data_type() != start.data_type() {
            return plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `aggregate`'s merge gives {}, but its start value is {}: write the start value as a {} (as Spark requires)",
                type_name(merge.data_type()),
                type_name(start.data_type()),
                type_name(merge.data_type())
            );
        }
        let out = match args.arg_fields.get(3) {
            Some(ValueOrLambda::Lambda(finish)) => finish.data_type().clone(),
            _ => start.data_type().clone(),
        };
        Ok(Arc::new(Field::new("", out, list.is_nullable() || start.is_nullable())))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Value(start)), Some(ValueOrLambda::Lambda(merge))) =
            (args.args.first(), args.args.get(1), args.args.get(2))
        else {
            return exec_err!("`aggregate` takes (array, start, (acc, x) -> merge[, acc -> finish])");
        };
        let list = list.to_array(rows)?;
        let (offsets, values): (Vec<(usize, usize)>, ArrayRef) = match list.data_type() {
            DataType::List(_) => {
                let l = list.as_list::<i32>();
                (spans(l.value_offsets().iter().map(|&o| o as usize)), Arc::clone(l.values()))
            }
            DataType::LargeList(_) => {
                let l = list.as_list::<i64>();
                (spans(l.value_offsets().iter().map(|&o| o as usize)), Arc::clone(l.values()))
            }
            other => return exec_err!("`aggregate` takes an array, not {other}"),
        };
        let mut acc = start.to_array(rows)?;
        let longest = (0..rows).filter(|&r| list.is_valid(r)).map(|r| offsets.get(r).map_or(0, |o| o.1)).max();
        for k in 0..longest.unwrap_or(0) {
            let active: Vec<u32> = (0..rows)
                .filter(|&r| list.is_valid(r) && offsets.get(r).is_some_and(|o| o.1 > k))
                .map(|r| r as u32)
                .collect();
            let active = UInt32Array::from(active);
            let elements = UInt32Array::from(
                active
                    .values()
                    .iter()
                    .map(|&r| offsets.get(r as usize).map_or(0, |o| (o.0 + k) as u32))
                    .collect::<Vec<_>>(),
            );
            let acc_now = take(&acc, &active, None)?;
            let x = take(&values, &elements, None)?;
            let merged = merge
                .evaluate(&[&|| Ok(Arc::clone(&acc_now)), &|| Ok(Arc::clone(&x))], |captured| {
                    Ok(take_arrays(captured, &active, None)?)
                })?
                .into_array(active.len())?;
            // Each active row takes its merged value; the others keep theirs.
            let mut position = 0;
            let picks: Vec<(usize, usize)> = (0..rows)
                .map(|r| {
                    if active.values().get(position) == Some(&(r as u32)) {
                        position += 1;
                        (1, position - 1)
                    } else {
                        (0, r)
                    }
                })
                .collect();
            acc = interleave(&[acc.as_ref(), merged.as_ref()], &picks)?;
        }
        let out = match args.args.get(3) {
            Some(ValueOrLambda::Lambda(finish)) => {
                let acc_now = Arc::clone(&acc);
                finish.evaluate(&[&|| Ok(Arc::clone(&acc_now))], |captured| Ok(captured.to_vec()))?.into_array(rows)?
            }
            _ => acc,
        };
        // A NULL array folds to NULL.
        let is_null = datafusion::arrow::compute::is_null(&list)?;
        Ok(ColumnarValue::Array(nullif(&out, &is_null)?))
    }
}

/// Each row's (start, length) from a list's offsets.
fn spans(offsets: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let offsets: Vec<usize> = offsets.collect();
    offsets
        .windows(2)
        .map(|w| match w {
            [a, b] => (*a, b.saturating_sub(*a)),
            _ => (0, 0),
        })
        .collect()
}

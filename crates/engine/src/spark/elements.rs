//! An element of an array or a map, as Spark 4 (ANSI mode) reads it; DataFusion counts array
//! subscripts from 1, answers NULL past the end, and gives a map's value as a one-element list.
//!
//! - `a[i]` counts from 0 (`split(s, ',')[0]` is the first part); past the end is an error,
//!   `INVALID_ARRAY_INDEX`. `m[k]` is the value of key `k`, NULL if `m` has none.
//! - `element_at(a, i)` counts from 1, from the end when `i` is negative; past the end is an error
//!   (`INVALID_ARRAY_INDEX_IN_ELEMENT_AT`), `i = 0` too (`INVALID_INDEX_OF_ZERO`).
//!   `element_at(m, k)` is `m[k]`.
//! - `try_element_at` gives NULL where `element_at` fails; `get(a, i)` counts from 0 and gives NULL
//!   past the end.
//!
//! [`Subscript`], an expression planner, plans `x[i]` as this module's function.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawFieldAccessExpr};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, GetFieldAccess, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    Volatility,
};

use super::types::{arguments, type_name, wrong_num_args};

/// How an element is counted and what past the end gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Access {
    /// `a[i]`: from 0, an error past the end.
    Subscript,
    /// `element_at`: from 1 (negative from the end), an error past the end.
    ElementAt,
    /// `try_element_at`: as `element_at`, NULL where it fails.
    TryElementAt,
    /// `get`: from 0, NULL past the end.
    Get,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Element {
    access: Access,
    signature: Signature,
}

fn udf(access: Access) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(Element { access, signature: Signature::user_defined(Volatility::Immutable) }))
}

/// `element_at`, `try_element_at`, `get` and the subscript, to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [Access::Subscript, Access::ElementAt, Access::TryElementAt, Access::Get].into_iter().map(udf).collect()
}

impl ScalarUDFImpl for Element {
    fn name(&self) -> &str {
        match self.access {
            Access::Subscript => "subscript",
            Access::ElementAt => "element_at",
            Access::TryElementAt => "try_element_at",
            Access::Get => "get",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        let [container, key] = types else {
            return wrong_num_args(name, &arguments(2, 2), types.len());
        };
        match container {
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) | DataType::Null
                if key.is_integer() || matches!(key, DataType::Null) =>
            {
                Ok(vec![container.clone(), DataType::Int32])
            }
            DataType::Map(entries, _) if !matches!(self.access, Access::Get) => {
                let DataType::Struct(fields) = entries.data_type() else { return plan_err!("a map without entries") };
                let Some(key_type) = fields.first().map(|f| f.data_type().clone()) else {
                    return plan_err!("a map without keys");
                };
                Ok(vec![container.clone(), key_type])
            }
            _ => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `{name}` takes an array and an INT index{}, not {} and {}",
                if matches!(self.access, Access::Get) { "" } else { ", or a map and a key" },
                type_name(container),
                type_name(key)
            ),
        }
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        match types.first() {
            Some(DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _)) => {
                Ok(f.data_type().clone())
            }
            Some(DataType::Map(entries, _)) => match entries.data_type() {
                DataType::Struct(fields) => Ok(fields.get(1).map_or(DataType::Null, |f| f.data_type().clone())),
                _ => plan_err!("a map without entries"),
            },
            _ => Ok(DataType::Null),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [container, key] = arrays.as_slice() else { return exec_err!("`{}` takes 2 arguments", self.name()) };
        let null = ScalarValue::try_from(args.return_field.data_type())?;
        let mut out = Vec::with_capacity(rows);
        for row in 0..rows {
            let value = if container.is_null(row) || key.is_null(row) {
                None
            } else if let DataType::Map(..) = container.data_type() {
                map_value(container, key, row)?
            } else {
                self.list_element(container, key, row)?
            };
            out.push(value.unwrap_or_else(|| null.clone()));
        }
        if out.is_empty() {
            return Ok(ColumnarValue::Array(datafusion::arrow::array::new_empty_array(args.return_field.data_type())));
        }
        Ok(ColumnarValue::Array(ScalarValue::iter_to_array(out)?))
    }
}

impl Element {
    fn list_element(&self, container: &ArrayRef, key: &ArrayRef, row: usize) -> Result<Option<ScalarValue>> {
        let values = match container.data_type() {
            DataType::List(_) => container.as_list::<i32>().value(row),
            DataType::LargeList(_) => container.as_list::<i64>().value(row),
            DataType::FixedSizeList(..) => container.as_fixed_size_list().value(row),
            _ => return Ok(None),
        };
        let index = i64::from(key.as_primitive::<datafusion::arrow::datatypes::Int32Type>().value(row));
        let length = values.len() as i64;
        let position = match self.access {
            Access::Subscript | Access::Get => index,
            Access::ElementAt | Access::TryElementAt if index == 0 => {
                if self.access == Access::TryElementAt {
                    return Ok(None);
                }
                return exec_err!("[INVALID_INDEX_OF_ZERO] The index 0 is invalid: an index counts from 1 (the first element) or from -1 (the last)");
            }
            Access::ElementAt | Access::TryElementAt if index < 0 => length + index,
            Access::ElementAt | Access::TryElementAt => index - 1,
        };
        if position < 0 || position >= length {
            return match self.access {
                Access::Subscript => exec_err!(
                    "[INVALID_ARRAY_INDEX] The index {index} is out of bounds. The array has {length} elements. Use `get(array, index)` to get NULL instead"
                ),
                Access::ElementAt => exec_err!(
                    "[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index {index} is out of bounds. The array has {length} elements. Use `try_element_at` to get NULL instead"
                ),
                Access::TryElementAt | Access::Get => Ok(None),
            };
        }
        Ok(Some(ScalarValue::try_from_array(&values, position as usize)?))
    }
}

/// The value of `key`'s row in `map`'s row, if the map has that key.
fn map_value(map: &ArrayRef, key: &ArrayRef, row: usize) -> Result<Option<ScalarValue>> {
    let entries = map.as_map().value(row);
    let wanted = ScalarValue::try_from_array(key, row)?;
    let (keys, values) = (entries.column(0), entries.column(1));
    for i in 0..entries.len() {
        if ScalarValue::try_from_array(keys, i)? == wanted {
            return Ok(Some(ScalarValue::try_from_array(values, i)?));
        }
    }
    Ok(None)
}

/// Plans `x[i]` as Spark reads it (see the module docs); a struct's field is left to DataFusion.
#[derive(Debug, Default)]
pub struct Subscript;

impl ExprPlanner for Subscript {
    fn plan_field_access(
        &self,
        expr: RawFieldAccessExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawFieldAccessExpr>> {
        let RawFieldAccessExpr { expr, field_access } = expr;
        let container = expr.get_type(schema)?;
        match field_access {
            GetFieldAccess::ListIndex { key } if !matches!(container, DataType::Struct(_)) => {
                Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(
                    udf(Access::Subscript),
                    vec![expr, *key],
                ))))
            }
            field_access => Ok(PlannerResult::Original(RawFieldAccessExpr { expr, field_access })),
        }
    }
}

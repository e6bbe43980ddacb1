//! Spark's generators, `explode`, `explode_outer`, `posexplode` and `posexplode_outer`, as
//! DataFusion's `unnest`, which drops a row whose array is NULL or empty, as `explode` does.
//!
//! - `explode_outer(a)` keeps such a row, with NULL: it is `explode` of [`OUTER`]`(a)`, which
//!   makes a NULL or empty array `[NULL]`.
//! - `posexplode(a) AS (pos, col)` is two items, `explode(`[`POSITIONS`]`(a)) AS pos, explode(a)
//!   AS col`: DataFusion unnests the two side by side, so each element comes with its position
//!   (from 0, an `INT`).
//!
//! `check` rewrites the SELECT list and `LATERAL VIEW`s with [`items`]; the two helper
//! functions have names no one types (`__spark_…`, quoted) and are accepted by `check`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::sql::sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident};

use super::types::{arguments, type_name, wrong_num_args, wrong_num_args_message};

/// A NULL or empty array as `[NULL]`, others as they are.
pub const OUTER: &str = "__spark_outer";
/// An array's positions, `[0, 1, …]` (NULL for a NULL array).
pub const POSITIONS: &str = "__spark_positions";

/// The generators this module expands, by name: whether it keeps empty rows (`_outer`) and
/// whether it gives positions (`pos…`).
pub fn generator(name: &str) -> Option<(bool, bool)> {
    match name {
        "explode" => Some((false, false)),
        "explode_outer" => Some((true, false)),
        "posexplode" => Some((false, true)),
        "posexplode_outer" => Some((true, true)),
        _ => None,
    }
}

/// The generator call `function` (named `name`, with `outer` as for `LATERAL VIEW OUTER`) as
/// SELECT items with their names: `aliases`, or Spark's default names (`pos`, `col`). An
/// error names what is wrong in Spark's terms.
pub fn items(function: &Function, name: &str, outer: bool, aliases: &[Ident]) -> Result<Vec<(Expr, Ident)>, String> {
    let Some((outer_name, positions)) = generator(name) else { return Err(format!("`{name}` is not a generator")) };
    let outer = outer || outer_name;
    let array = match &function.args {
        FunctionArguments::List(list) => match list.args.as_slice() {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))] => e.clone(),
            args => return Err(wrong_num_args_message(name, &arguments(1, 1), args.len())),
        },
        _ => return Err(wrong_num_args_message(name, &arguments(1, 1), 0)),
    };
    let defaults: &[&str] = if positions { &["pos", "col"] } else { &["col"] };
    if !aliases.is_empty() && aliases.len() != defaults.len() {
        return Err(format!(
            "`{name}` gives {} column(s), so it takes {} name(s), not {} (a map's key and value are not exploded here yet)",
            defaults.len(),
            defaults.len(),
            aliases.len()
        ));
    }
    let names: Vec<Ident> =
        if aliases.is_empty() { defaults.iter().map(|d| Ident::new(*d)).collect() } else { aliases.to_vec() };
    let unnest = |e: Expr| {
        let e = if outer { call(OUTER, vec![e]) } else { e };
        // `check` renames `explode` to `unnest` when it visits the call.
        call("explode", vec![e])
    };
    let mut out = Vec::new();
    if positions {
        out.push(unnest(call(POSITIONS, vec![array.clone()])));
    }
    out.push(unnest(array));
    Ok(out.into_iter().zip(names).collect())
}

/// A call of `name`; this module's helpers by their quoted names (`check` lets those through).
fn call(name: &str, args: Vec<Expr>) -> Expr {
    if name.starts_with("__") {
        super::rewrite::helper_call(name, args)
    } else {
        super::rewrite::call(name, args)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Helper {
    positions: bool,
    signature: Signature,
}

/// [`OUTER`] and [`POSITIONS`], to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [false, true]
        .into_iter()
        .map(|positions| {
            Arc::new(ScalarUDF::new_from_impl(Helper {
                positions,
                signature: Signature::user_defined(Volatility::Immutable),
            }))
        })
        .collect()
}

fn element_type(list: &DataType) -> Option<DataType> {
    match list {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Some(f.data_type().clone()),
        DataType::Null => Some(DataType::Null),
        _ => None,
    }
}

impl ScalarUDFImpl for Helper {
    fn name(&self) -> &str {
        if self.positions {
            POSITIONS
        } else {
            OUTER
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        match types {
            [one] => match element_type(one) {
                Some(element) => Ok(vec![DataType::List(Arc::new(Field::new_list_field(element, true)))]),
                None => plan_err!(
                    "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] a generator takes an array, not {} (a map is not exploded here yet)",
                    type_name(one)
                ),
            },
            _ => wrong_num_args(self.name(), &arguments(1, 1), types.len()),
        }
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        if self.positions {
            return Ok(DataType::List(Arc::new(Field::new_list_field(DataType::Int32, true))));
        }
        Ok(types.first().cloned().unwrap_or(DataType::Null))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [list] = arrays.as_slice() else { return exec_err!("`{}` takes 1 argument", self.name()) };
        let DataType::List(field) = list.data_type() else { return exec_err!("`{}` takes a list", self.name()) };
        let lists = list.as_list::<i32>();
        let element = field.data_type();
        let mut out = Vec::with_capacity(list.len());
        for row in 0..list.len() {
            let value: ArrayRef = if self.positions {
                if lists.is_null(row) {
                    out.push(ScalarValue::try_from(args.return_field.data_type())?);
                    continue;
                }
                let n = i32::try_from(lists.value(row).len()).unwrap_or(i32::MAX);
                Arc::new(datafusion::arrow::array::Int32Array::from_iter_values(0..n))
            } else if lists.is_null(row) || lists.value(row).is_empty() {
                ScalarValue::try_from(element)?.to_array_of_size(1)?
            } else {
                lists.value(row)
            };
            let values =
                (0..value.len()).map(|i| ScalarValue::try_from_array(&value, i)).collect::<Result<Vec<_>>>()?;
            let element = if self.positions { &DataType::Int32 } else { element };
            out.push(ScalarValue::List(ScalarValue::new_list(&values, element, true)));
        }
        if out.is_empty() {
            return Ok(ColumnarValue::Array(datafusion::arrow::array::new_empty_array(args.return_field.data_type())));
        }
        Ok(ColumnarValue::Array(ScalarValue::iter_to_array(out)?))
    }
}

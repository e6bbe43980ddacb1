//! Spark's square root and logarithms at the edges of their domains: `sqrt(-1)` is `NaN`
//! (DataFusion fails: "cannot take square root of a negative number"), and a logarithm of zero or
//! of a negative number is `NULL` (DataFusion gives `-inf` or `NaN`). Both are DOUBLEs.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::types::{arguments, type_name, wrong_num_args};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Sqrt,
    Ln,
    Log10,
    Log2,
    Log1p,
    /// `log(x)` is `ln(x)`; `log(base, x)`.
    Log,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Math {
    kind: Kind,
    signature: Signature,
}

/// `sqrt`, `ln`, `log10`, `log2`, `log1p` and `log`, to register over DataFusion's.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [Kind::Sqrt, Kind::Ln, Kind::Log10, Kind::Log2, Kind::Log1p, Kind::Log]
        .into_iter()
        .map(|kind| {
            Arc::new(ScalarUDF::new_from_impl(Math { kind, signature: Signature::user_defined(Volatility::Immutable) }))
        })
        .collect()
}

/// One argument's answer (`log` with one argument is `ln`).
fn one(kind: Kind, x: f64) -> Option<f64> {
    match kind {
        Kind::Sqrt => Some(x.sqrt()),
        Kind::Ln | Kind::Log => (x > 0.0).then(|| x.ln()),
        Kind::Log10 => (x > 0.0).then(|| x.log10()),
        Kind::Log2 => (x > 0.0).then(|| x.log2()),
        Kind::Log1p => (x > -1.0).then(|| x.ln_1p()),
    }
}

impl ScalarUDFImpl for Math {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Sqrt => "sqrt",
            Kind::Ln => "ln",
            Kind::Log10 => "log10",
            Kind::Log2 => "log2",
            Kind::Log1p => "log1p",
            Kind::Log => "log",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let most = if self.kind == Kind::Log { 2 } else { 1 };
        if types.is_empty() || types.len() > most {
            return wrong_num_args(self.name(), &arguments(1, most), types.len());
        }
        types
            .iter()
            .map(|t| {
                if t.is_numeric() || matches!(t, DataType::Null) {
                    Ok(DataType::Float64)
                } else {
                    plan_err!(
                        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `{}` takes a number, not {}",
                        self.name(),
                        type_name(t)
                    )
                }
            })
            .collect()
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let arrays = arrays.iter().map(|a| cast(a, &DataType::Float64)).collect::<Result<Vec<_>, _>>()?;
        let out: Float64Array = match arrays.as_slice() {
            [x] => x.as_primitive::<Float64Type>().iter().map(|x| x.and_then(|x| one(self.kind, x))).collect(),
            [base, x] => {
                let (base, x) = (base.as_primitive::<Float64Type>(), x.as_primitive::<Float64Type>());
                (0..x.len())
                    .map(|i| {
                        let (b, v) = (base.is_valid(i).then(|| base.value(i))?, x.is_valid(i).then(|| x.value(i))?);
                        (b > 0.0 && v > 0.0).then(|| v.ln() / b.ln())
                    })
                    .collect()
            }
            _ => return exec_err!("`{}` takes 1 or 2 arguments", self.name()),
        };
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

//! `datafusion-spark` functions whose signatures take an `INT` where a step passes DataFusion's
//! integer literal, a `BIGINT` (`date_add(d, 1)`): Spark casts such arguments implicitly, and so
//! does this wrapper (an integer or a number's text to `INT`, a date's text to `DATE`), then hands
//! the call to the function itself.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::types::{arguments, is_text, type_name, wrong_num_args};

#[derive(Debug, PartialEq, Eq, Hash)]
struct Coerced {
    inner: Arc<ScalarUDF>,
    /// The type each argument is cast to.
    targets: Vec<DataType>,
    signature: Signature,
}

/// The wrapped functions, to register over `datafusion-spark`'s.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    use datafusion_spark::function::{datetime, string};
    let date_int = || vec![DataType::Date32, DataType::Int32];
    [
        (datetime::date_add(), date_int()),
        (datetime::date_sub(), date_int()),
        (datetime::add_months(), date_int()),
        (string::space(), vec![DataType::Int32]),
    ]
    .into_iter()
    .map(|(inner, targets)| {
        Arc::new(ScalarUDF::new_from_impl(Coerced {
            inner,
            targets,
            signature: Signature::user_defined(Volatility::Immutable),
        }))
    })
    .collect()
}

fn castable(from: &DataType, to: &DataType) -> bool {
    let text = is_text(from);
    match to {
        DataType::Int32 => from.is_integer() || text,
        DataType::Date32 => text || matches!(from, DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)),
        _ => from == to,
    }
}

impl ScalarUDFImpl for Coerced {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        if types.len() != self.targets.len() {
            return wrong_num_args(name, &arguments(self.targets.len(), self.targets.len()), types.len());
        }
        types
            .iter()
            .zip(&self.targets)
            .enumerate()
            .map(|(i, (from, to))| {
                if castable(from, to) {
                    Ok(to.clone())
                } else {
                    plan_err!(
                        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] `{name}` argument {} must be {}, not {}",
                        i + 1,
                        type_name(to),
                        type_name(from)
                    )
                }
            })
            .collect()
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        self.inner.simplify(args, info)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.inner.invoke_with_args(args)
    }
}

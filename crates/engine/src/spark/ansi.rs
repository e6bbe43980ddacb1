//! Spark 4's arithmetic (ANSI mode, its default), where DataFusion answers something else:
//!
//! - `INT / INT` is a `DOUBLE` (`7 / 2` is `3.5`; DataFusion truncates to `3`), and a division by
//!   zero is an error (`DIVIDE_BY_ZERO`), not `inf` or `NULL`.
//! - `+`, `-` and `*` of integers that overflow are an error (`ARITHMETIC_OVERFLOW`); DataFusion
//!   wraps around (`2147483647 + 1` is `-2147483648`).
//! - A number is not cast to a `DATE` (`CAST(20220101 AS DATE)` is refused; DataFusion reads it
//!   as days since 1970).
//! - `try_add`, `try_subtract`, `try_multiply` and `try_divide` give `NULL` where the operator fails.
//! - Text is cast to a `DATE` as Spark reads it (`date_cast`): `CAST('2022' AS DATE)` is
//!   2022-01-01, and text Spark does not read is an error (`CAST_INVALID_INPUT`).
//!
//! [`SparkArithmetic`], an analyzer rule that runs after type coercion, puts Spark's operators in
//! place of DataFusion's, keeping each expression's name.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Datum};
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::compute::{cast, is_not_null, nullif};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::error::ArrowError;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{exec_err, plan_err, DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::utils::merge_schema;
use datafusion::logical_expr::{
    BinaryExpr, Cast, ColumnarValue, Expr, ExprSchemable, LogicalPlan, Operator, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, TryCast, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

use super::types::{arguments, type_name, wrong_num_args};

/// An arithmetic operator as Spark evaluates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    Add,
    Subtract,
    Multiply,
    Divide,
    /// `a DIV b`: the quotient as a BIGINT, truncated toward zero.
    IntDivide,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Subtract => "-",
            Op::Multiply => "*",
            Op::Divide => "/",
            Op::IntDivide => "DIV",
        }
    }

    fn try_name(self) -> &'static str {
        match self {
            Op::Add => "try_add",
            Op::Subtract => "try_subtract",
            Op::Multiply => "try_multiply",
            Op::Divide | Op::IntDivide => "try_divide",
        }
    }
}

/// `a OP b` as Spark computes it: `strict` fails where `try_…` gives `NULL`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Arithmetic {
    name: String,
    op: Op,
    strict: bool,
    signature: Signature,
}

impl Arithmetic {
    fn udf(op: Op, strict: bool) -> Arc<ScalarUDF> {
        let name = match (op, strict) {
            (Op::IntDivide, _) => "div".to_string(),
            (_, true) => format!("spark{}", op.symbol()),
            (_, false) => op.try_name().to_string(),
        };
        Arc::new(ScalarUDF::new_from_impl(Arithmetic {
            name,
            op,
            strict,
            signature: Signature::user_defined(Volatility::Immutable),
        }))
    }
}

/// `try_add`, `try_subtract`, `try_multiply`, `try_divide` and `div` (what `a DIV b` becomes), to register.
pub fn functions() -> Vec<Arc<ScalarUDF>> {
    [Op::Add, Op::Subtract, Op::Multiply, Op::Divide]
        .into_iter()
        .map(|op| Arithmetic::udf(op, false))
        .chain([Arithmetic::udf(Op::IntDivide, true)])
        .collect()
}

fn numeric_or_null(t: &DataType) -> bool {
    t.is_numeric() || matches!(t, DataType::Null)
}

impl ScalarUDFImpl for Arithmetic {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let [left, right] = types else {
            return wrong_num_args(&self.name, &arguments(2, 2), types.len());
        };
        if !numeric_or_null(left) || !numeric_or_null(right) {
            return plan_err!(
                "[DATATYPE_MISMATCH] `{}` takes numbers, not {} and {}",
                self.name,
                type_name(left),
                type_name(right)
            );
        }
        if self.op == Op::IntDivide {
            let int = |t: &DataType| {
                if t.is_integer() || matches!(t, DataType::Null) {
                    DataType::Int64
                } else {
                    DataType::Float64
                }
            };
            let (l, r) = (int(left), int(right));
            return Ok(if l == r { vec![l, r] } else { vec![DataType::Float64, DataType::Float64] });
        }
        if self.op == Op::Divide && !left.is_decimal() && !right.is_decimal() {
            return Ok(vec![DataType::Float64, DataType::Float64]);
        }
        let common =
            datafusion::logical_expr::type_coercion::binary::BinaryTypeCoercer::new(left, &Operator::Plus, right)
                .get_result_type()
                .unwrap_or(DataType::Float64);
        let common = if matches!(common, DataType::Null) { DataType::Int32 } else { common };
        // Decimals keep their own types (DataFusion computes the result's precision).
        if common.is_decimal() {
            return Ok(vec![left.clone(), right.clone()]);
        }
        Ok(vec![common.clone(), common])
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        let [left, right] = types else { return plan_err!("`{}` takes 2 arguments", self.name) };
        if self.op == Op::IntDivide {
            return Ok(DataType::Int64);
        }
        if left.is_decimal() || right.is_decimal() {
            let op = match self.op {
                Op::Add => Operator::Plus,
                Op::Subtract => Operator::Minus,
                Op::Multiply => Operator::Multiply,
                Op::Divide | Op::IntDivide => Operator::Divide,
            };
            return datafusion::logical_expr::type_coercion::binary::BinaryTypeCoercer::new(left, &op, right)
                .get_result_type();
        }
        Ok(left.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [left, right] = arrays.as_slice() else { return exec_err!("`{}` takes 2 arguments", self.name) };
        let right =
            if matches!(self.op, Op::Divide | Op::IntDivide) { self.divisor(left, right)? } else { right.clone() };
        match apply(self.op, left, &right) {
            // DIV of non-integers: the quotient truncated toward zero (a cast to BIGINT does that).
            Ok(out) => Ok(ColumnarValue::Array(cast(&out, args.return_field.data_type())?)),
            Err(ArrowError::ArithmeticOverflow(_) | ArrowError::DivideByZero) if !self.strict => {
                // Row by row, so only the rows that overflow are NULL.
                let values = (0..rows)
                    .map(|r| match apply(self.op, &left.slice(r, 1), &right.slice(r, 1)) {
                        Ok(one) => ScalarValue::try_from_array(&one, 0),
                        Err(_) => ScalarValue::try_from(args.return_field.data_type()),
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(ColumnarValue::Array(ScalarValue::iter_to_array(values)?))
            }
            Err(ArrowError::ArithmeticOverflow(_)) => {
                let kind = type_name(left.data_type());
                exec_err!(
                    "[ARITHMETIC_OVERFLOW] {kind} overflow in `{}`. Use `{}` to get NULL instead",
                    self.op.symbol(),
                    self.op.try_name()
                )
            }
            Err(ArrowError::DivideByZero) => {
                exec_err!("[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to get NULL instead")
            }
            Err(e) => Err(DataFusionError::from(e)),
        }
    }
}

impl Arithmetic {
    /// The divisor, with a zero that would divide a value as an error (strict) or a NULL (try).
    fn divisor(&self, left: &ArrayRef, right: &ArrayRef) -> Result<ArrayRef> {
        let zero = ScalarValue::new_zero(right.data_type())?.to_scalar()?;
        let is_zero = datafusion::arrow::compute::kernels::cmp::eq(right, &zero)?;
        let divides = datafusion::arrow::compute::and(&is_zero, &is_not_null(left)?)?;
        if divides.true_count() == 0 {
            return Ok(right.clone());
        }
        if self.strict {
            return exec_err!("[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to get NULL instead");
        }
        Ok(nullif(right, &is_zero)?)
    }
}

fn apply(op: Op, left: &dyn Datum, right: &dyn Datum) -> Result<ArrayRef, ArrowError> {
    match op {
        Op::Add => numeric::add(left, right),
        Op::Subtract => numeric::sub(left, right),
        Op::Multiply => numeric::mul(left, right),
        Op::Divide | Op::IntDivide => numeric::div(left, right),
    }
}

/// Rewrites every expression of every node of `plan` (subqueries too) bottom-up with `rewrite`,
/// which sees the node's input schema; each expression keeps its name, and each node's schema is
/// computed again (the analyzer rules of this layer that change types use it).
pub(super) fn rewrite_expressions(
    plan: LogicalPlan,
    rewrite: fn(Expr, &datafusion::common::DFSchema) -> Result<Transformed<Expr>>,
) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|plan| {
        let schema = merge_schema(&plan.inputs());
        let names = NamePreserver::new(&plan);
        plan.map_expressions(|expr| {
            let name = names.save(&expr);
            expr.transform_up(|e| rewrite(e, &schema)).map(|t| t.update_data(|e| name.restore(e)))
        })?
        .map_data(LogicalPlan::recompute_schema)
    })
    .map(|t| t.data)
}

/// Puts Spark's arithmetic in place of DataFusion's (see the module docs).
#[derive(Debug, Default)]
pub struct SparkArithmetic;

impl AnalyzerRule for SparkArithmetic {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        rewrite_expressions(plan, rewrite)
    }

    fn name(&self) -> &str {
        "spark_arithmetic"
    }
}

fn rewrite(e: Expr, schema: &datafusion::common::DFSchema) -> Result<Transformed<Expr>> {
    match e {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let spark = match op {
                Operator::Plus => Op::Add,
                Operator::Minus => Op::Subtract,
                Operator::Multiply => Op::Multiply,
                Operator::Divide => Op::Divide,
                _ => return Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr { left, op, right }))),
            };
            let (lt, rt) = (left.get_type(schema)?, right.get_type(schema)?);
            if spark == Op::Divide && (lt.is_decimal() || rt.is_decimal()) {
                if let (Some((p1, s1)), Some((p2, s2))) =
                    (super::decimal::operand_type(&left, &lt), super::decimal::operand_type(&right, &rt))
                {
                    let operand = |e: Box<Expr>, p, s| -> Expr {
                        let inner = match *e {
                            Expr::Cast(Cast { expr, .. }) if matches!(*expr, Expr::Literal(..)) => *expr,
                            other => other,
                        };
                        Expr::Cast(Cast::new(Box::new(inner), DataType::Decimal128(p, s)))
                    };
                    let args = vec![operand(left, p1, s1), operand(right, p2, s2)];
                    return Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(
                        super::decimal::divide(),
                        args,
                    ))));
                }
            }
            let ints = lt.is_integer() && rt.is_integer();
            let replace = match spark {
                Op::Divide => numeric_or_null(&lt) && numeric_or_null(&rt) && !lt.is_decimal() && !rt.is_decimal(),
                _ => ints,
            };
            if !replace {
                return Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr { left, op, right })));
            }
            let args = if spark == Op::Divide {
                vec![left.cast_to(&DataType::Float64, schema)?, right.cast_to(&DataType::Float64, schema)?]
            } else {
                vec![*left, *right]
            };
            Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(Arithmetic::udf(spark, true), args))))
        }
        Expr::Cast(Cast { ref expr, ref field }) => {
            let from = expr.get_type(schema)?;
            refuse_cast(&from, field.data_type())?;
            // Text is read as a date as Spark reads it (`2022`, `2022-02`, `2022-01-31T10:00`).
            if is_text_to_date(&from, field.data_type()) {
                let Expr::Cast(Cast { expr, .. }) = e else { return Ok(Transformed::no(e)) };
                return Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(
                    super::date_cast::text_to_date(),
                    vec![*expr],
                ))));
            }
            // A DOUBLE or a TIMESTAMP as text is written as Spark writes it (`100.0`, `1.0E-7`,
            // `2022-01-01 10:15:30`).
            if matches!(from, DataType::Float64 | DataType::Float32 | DataType::Timestamp(..))
                && matches!(field.data_type(), DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
            {
                let Expr::Cast(Cast { expr, .. }) = e else { return Ok(Transformed::no(e)) };
                return Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(
                    super::types::to_text(),
                    vec![*expr],
                ))));
            }
            Ok(Transformed::no(e))
        }
        Expr::TryCast(TryCast { ref expr, ref field }) => {
            let from = expr.get_type(schema)?;
            refuse_cast(&from, field.data_type())?;
            if is_text_to_date(&from, field.data_type()) {
                let Expr::TryCast(TryCast { expr, .. }) = e else { return Ok(Transformed::no(e)) };
                return Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(
                    super::date_cast::try_text_to_date(),
                    vec![*expr],
                ))));
            }
            Ok(Transformed::no(e))
        }
        other => Ok(Transformed::no(other)),
    }
}

/// A cast of text to a DATE, which `date_cast` makes as Spark does.
fn is_text_to_date(from: &DataType, to: &DataType) -> bool {
    matches!(from, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) && matches!(to, DataType::Date32)
}

/// Casts Spark's ANSI mode does not make.
fn refuse_cast(from: &DataType, to: &DataType) -> Result<()> {
    let numeric = from.is_numeric();
    let datetime = matches!(to, DataType::Date32 | DataType::Date64);
    let from_datetime = matches!(from, DataType::Date32 | DataType::Date64);
    if (numeric && datetime) || (from_datetime && to.is_numeric()) {
        return plan_err!(
            "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] cannot cast {} to {}: Spark does not cast between numbers and dates (for a number like 20220101, use to_date(CAST(n AS STRING), 'yyyyMMdd'))",
            type_name(from),
            type_name(to)
        );
    }
    Ok(())
}

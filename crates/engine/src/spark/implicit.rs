//! Spark 4's implicit casts (ANSI mode) where DataFusion's type coercion refuses or picks
//! another type, applied before DataFusion's coercion so that it sees Spark's types
//! ([`SparkOperators`] as operators are planned, [`SparkImplicitCasts`] after planning):
//!
//! - text in arithmetic is a number: `'1' + 1` is a BIGINT, `'1' + 1.5` and `'2' * 2.5D` are
//!   DOUBLEs (DataFusion refuses "Cannot coerce arithmetic expression Utf8 + Int64");
//! - a FLOAT with an integer or a decimal is a DOUBLE (DataFusion keeps a FLOAT);
//! - `round` of a DOUBLE rounds its decimal text (`round`);
//! - `sequence` of INTs is an array of INTs;
//! - `reverse` and `concat` of arrays are the arrays reversed and joined (DataFusion's text
//!   functions would cast the arrays to text).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

use super::types::is_text;

/// `reverse` and `concat` of arrays, before type coercion (see the module docs).
#[derive(Debug, Default)]
pub struct SparkImplicitCasts;

impl AnalyzerRule for SparkImplicitCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        super::ansi::rewrite_expressions(plan, rewrite)
    }

    fn name(&self) -> &str {
        "spark_implicit_casts"
    }
}

/// Casts the operands of arithmetic as Spark does, as the SQL planner plans the operator (its own
/// check of the operand types comes right after, so an analyzer rule would be too late).
#[derive(Debug, Default)]
pub struct SparkOperators;

impl ExprPlanner for SparkOperators {
    fn plan_binary_op(&self, expr: RawBinaryExpr, schema: &DFSchema) -> Result<PlannerResult<RawBinaryExpr>> {
        use datafusion::sql::sqlparser::ast::BinaryOperator as Op;
        let RawBinaryExpr { op, left, right } = expr;
        if !matches!(op, Op::Plus | Op::Minus | Op::Multiply | Op::Divide | Op::Modulo) {
            return Ok(PlannerResult::Original(RawBinaryExpr { op, left, right }));
        }
        let (lt, rt) = (left.get_type(schema)?, right.get_type(schema)?);
        let Some((to_left, to_right)) = casts(&lt, &rt) else {
            return Ok(PlannerResult::Original(RawBinaryExpr { op, left, right }));
        };
        let side = |e: Expr, from: &DataType, to: Option<DataType>| match to {
            // Text is read as a number with Spark's message for what is not one.
            Some(t) if is_text(from) => Expr::ScalarFunction(ScalarFunction::new_udf(text_number(t), vec![e])),
            Some(t) => Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(e), t)),
            None => e,
        };
        Ok(PlannerResult::Original(RawBinaryExpr {
            op,
            left: side(left, &lt, to_left),
            right: side(right, &rt, to_right),
        }))
    }
}

fn is_list(t: &DataType) -> bool {
    matches!(t, DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..))
}

fn rewrite(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    match e {
        // round of a DOUBLE rounds its decimal text, as Spark's (`round`).
        Expr::ScalarFunction(ScalarFunction { func, args })
            if func.name() == "round"
                && matches!(
                    args.first().map(|a| a.get_type(schema)).transpose()?,
                    Some(DataType::Float64 | DataType::Float32)
                ) =>
        {
            Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(super::round::round_double(), args))))
        }
        // format_string('%.2f', 3.14159): Java's formatter takes no DECIMAL for %f (Spark fails).
        Expr::ScalarFunction(ScalarFunction { ref func, ref args }) if func.name() == "format_string" => {
            if let Some(Expr::Literal(datafusion::common::ScalarValue::Utf8(Some(format)), _)) = args.first() {
                for (i, (conversion, arg)) in conversions(format).into_iter().zip(args.iter().skip(1)).enumerate() {
                    if matches!(conversion, 'f' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A')
                        && arg.get_type(schema)?.is_decimal()
                    {
                        return datafusion::common::plan_err!(
                            "[FORMAT] `%{conversion}` in printf/format_string does not take a DECIMAL (argument {}) in Spark: cast it to DOUBLE (CAST(x AS DOUBLE), or write 3.14D)",
                            i + 2
                        );
                    }
                }
            }
            Ok(Transformed::no(e))
        }
        // sequence(1, 3) of INTs is an array of INTs (DataFusion's generate_series gives BIGINTs).
        Expr::ScalarFunction(ScalarFunction { ref func, ref args })
            if func.name() == "generate_series"
                && !args.is_empty()
                && args.iter().all(|a| matches!(a.get_type(schema), Ok(DataType::Int32))) =>
        {
            let ints =
                DataType::List(Arc::new(datafusion::arrow::datatypes::Field::new_list_field(DataType::Int32, true)));
            Ok(Transformed::yes(Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(e), ints))))
        }
        Expr::ScalarFunction(ScalarFunction { func, args }) if matches!(func.name(), "reverse" | "concat") => {
            let types = args.iter().map(|a| a.get_type(schema)).collect::<Result<Vec<_>>>()?;
            if types.is_empty() || !types.iter().all(is_list) {
                return Ok(Transformed::no(Expr::ScalarFunction(ScalarFunction { func, args })));
            }
            let array = if func.name() == "reverse" {
                datafusion::functions_nested::reverse::array_reverse_udf()
            } else {
                datafusion::functions_nested::concat::array_concat_udf()
            };
            Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(&array), args))))
        }
        other => Ok(Transformed::no(other)),
    }
}

/// The casts of `left OP right` for Spark's types, if it needs any.
fn casts(left: &DataType, right: &DataType) -> Option<(Option<DataType>, Option<DataType>)> {
    let text_to = |other: &DataType| {
        if other.is_integer() {
            DataType::Int64
        } else {
            DataType::Float64
        }
    };
    match (is_text(left), is_text(right)) {
        (true, true) => return Some((Some(DataType::Float64), Some(DataType::Float64))),
        (true, false) if right.is_numeric() => return Some((Some(text_to(right)), None)),
        (false, true) if left.is_numeric() => return Some((None, Some(text_to(left)))),
        _ => {}
    }
    let float = |t: &DataType| matches!(t, DataType::Float32);
    let widens = |t: &DataType| t.is_integer() || t.is_decimal();
    if (float(left) && widens(right)) || (float(right) && widens(left)) {
        return Some((Some(DataType::Float64), Some(DataType::Float64)));
    }
    None
}

/// The conversion letters of a Java format string, in the order they take arguments.
fn conversions(format: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        // Flags, width, precision (and an argument index such as `1$`) come before the letter.
        for d in chars.by_ref() {
            if d.is_ascii_alphabetic() || d == '%' {
                if !matches!(d, '%' | 'n') {
                    out.push(d);
                }
                break;
            }
        }
    }
    out
}

/// Text read as a number (a BIGINT or a DOUBLE), as Spark's ANSI cast reads it: what is not a
/// number is `CAST_INVALID_INPUT`, naming the value.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TextNumber {
    to: DataType,
    signature: datafusion::logical_expr::Signature,
}

fn text_number(to: DataType) -> Arc<datafusion::logical_expr::ScalarUDF> {
    Arc::new(datafusion::logical_expr::ScalarUDF::new_from_impl(TextNumber {
        to,
        signature: datafusion::logical_expr::Signature::user_defined(datafusion::logical_expr::Volatility::Immutable),
    }))
}

impl datafusion::logical_expr::ScalarUDFImpl for TextNumber {
    fn name(&self) -> &str {
        "cast"
    }

    fn signature(&self) -> &datafusion::logical_expr::Signature {
        &self.signature
    }

    fn coerce_types(&self, _types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(vec![DataType::Utf8])
    }

    fn return_type(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(self.to.clone())
    }

    fn invoke_with_args(
        &self,
        args: datafusion::logical_expr::ScalarFunctionArgs,
    ) -> Result<datafusion::logical_expr::ColumnarValue> {
        use datafusion::arrow::array::{Array, AsArray};
        let arrays = datafusion::logical_expr::ColumnarValue::values_to_arrays(&args.args)?;
        let Some(text) = arrays.first() else { return datafusion::common::exec_err!("cast takes 1 argument") };
        let trimmed: datafusion::arrow::array::StringArray =
            text.as_string::<i32>().iter().map(|v| v.map(str::trim)).collect();
        let options = datafusion::arrow::compute::CastOptions { safe: true, ..Default::default() };
        let out = datafusion::arrow::compute::cast_with_options(&trimmed, &self.to, &options)?;
        if let Some(bad) = (0..trimmed.len()).find(|&i| trimmed.is_valid(i) && out.is_null(i)) {
            let kind = if self.to == DataType::Int64 { "BIGINT" } else { "DOUBLE" };
            return datafusion::common::exec_err!(
                "[CAST_INVALID_INPUT] The value '{}' of the type \"STRING\" cannot be cast to \"{kind}\" because it is malformed (Spark reads text in arithmetic as a number). Use `try_cast` to get NULL instead",
                trimmed.value(bad)
            );
        }
        Ok(datafusion::logical_expr::ColumnarValue::Array(out))
    }
}

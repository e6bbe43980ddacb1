//! Spark reads a whole number that fits in 32 bits as an `INT` (`typeof(100)` is `int`), a larger
//! one as a `BIGINT`; DataFusion's SQL planner makes every whole number an `Int64`. The type
//! decides what a user sees: `id * 2147483647` overflows in Spark (`ARITHMETIC_OVERFLOW`, INT
//! times INT) and not in BIGINT, `coalesce(1, 2.5)` is a `DECIMAL(11,1)` and not a
//! `DECIMAL(21,1)`, and `try_add(2147483647, 1)` is NULL.
//!
//! [`SparkIntegers`] runs first among the analyzer rules, before type coercion, so the types
//! that coercion and the rest of the plan see are Spark's. Names are kept (an unaliased `id + 1`
//! is still called what DataFusion called it), and literals keep their type where DataFusion
//! needs an `Int64` constant: `LIMIT`/`OFFSET` and the direct arguments of aggregate and window
//! functions (`lag(x, 1)`, `ntile(4)`), where Spark's INT and BIGINT give the same answer.

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

/// Whole-number literals that fit in 32 bits become `INT`s (see the module docs).
#[derive(Debug, Default)]
pub struct SparkIntegers;

impl AnalyzerRule for SparkIntegers {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|plan| {
            if matches!(plan, LogicalPlan::Limit(_)) {
                return plan.recompute_schema().map(Transformed::yes);
            }
            let names = NamePreserver::new(&plan);
            plan.map_expressions(|expr| {
                let name = names.save(&expr);
                narrow(expr).map(|t| t.update_data(|e| name.restore(e)))
            })?
            .map_data(LogicalPlan::recompute_schema)
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_integers"
    }
}

/// `expr` with its INT-sized `Int64` literals as `Int32`s, except the direct arguments of
/// aggregate and window functions.
fn narrow(expr: Expr) -> Result<Transformed<Expr>> {
    expr.transform_down(|e| match e {
        // A lambda's variables were typed from the array as planned: it keeps its literals.
        Expr::HigherOrderFunction(_) => Ok(Transformed::new(e, false, TreeNodeRecursion::Jump)),
        Expr::AggregateFunction(_) | Expr::WindowFunction(_) => {
            // Their arguments' own subexpressions (`sum(x * 2)`) still narrow.
            let (e, changed) = narrow_nested_args(e)?;
            Ok(Transformed::new(e, changed, TreeNodeRecursion::Jump))
        }
        Expr::Literal(ScalarValue::Int64(Some(v)), metadata) => match i32::try_from(v) {
            Ok(small) => Ok(Transformed::yes(Expr::Literal(ScalarValue::Int32(Some(small)), metadata))),
            Err(_) => Ok(Transformed::no(Expr::Literal(ScalarValue::Int64(Some(v)), metadata))),
        },
        other => Ok(Transformed::no(other)),
    })
}

/// An aggregate or window call whose non-literal arguments are narrowed.
fn narrow_nested_args(e: Expr) -> Result<(Expr, bool)> {
    let mut changed = false;
    let e = e
        .map_children(|child| {
            if matches!(child, Expr::Literal(..)) {
                return Ok(Transformed::no(child));
            }
            let t = narrow(child)?;
            changed |= t.transformed;
            Ok(t)
        })?
        .data;
    Ok((e, changed))
}

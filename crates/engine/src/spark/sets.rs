//! `INTERSECT ALL` and `EXCEPT ALL` as Spark answers them: a row that is `m` times on the left and
//! `n` times on the right is `min(m, n)` times in `INTERSECT ALL` and `max(m - n, 0)` times in
//! `EXCEPT ALL`. DataFusion plans them as a semi (anti) join of the whole rows, which keeps all `m`
//! copies (none).
//!
//! `check` marks the right side of such an operation (`… AS __spark_all`); [`SparkSetsAll`] then
//! numbers the copies of each row on both sides (`row_number()` over the whole row) and joins on
//! the row and its number, so the `k`-th copy on the left meets the `k`-th on the right.

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, NullEquality, Result};
use datafusion::logical_expr::{Expr, ExprFunctionExt, JoinType, LogicalPlan, LogicalPlanBuilder};
use datafusion::optimizer::AnalyzerRule;

/// The alias `check` gives the right side of `INTERSECT ALL` and `EXCEPT ALL`.
pub const MARK: &str = "__spark_all";

const NUMBER: &str = "__spark_copy";

/// See the module docs.
#[derive(Debug, Default)]
pub struct SparkSetsAll;

impl AnalyzerRule for SparkSetsAll {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|plan| {
            let LogicalPlan::Join(join) = &plan else { return Ok(Transformed::no(plan)) };
            let mark = |p: &LogicalPlan| matches!(p, LogicalPlan::SubqueryAlias(a) if a.alias.table() == MARK);
            let marked = match join.right.as_ref() {
                LogicalPlan::Projection(p) => mark(&p.input),
                other => mark(other),
            };
            if !marked || !matches!(join.join_type, JoinType::LeftSemi | JoinType::LeftAnti) {
                return Ok(Transformed::no(plan));
            }
            let (left, right) = (numbered(join.left.as_ref().clone())?, numbered(join.right.as_ref().clone())?);
            let keys = |p: &LogicalPlan| -> Vec<Column> { p.schema().columns() };
            let (left_keys, right_keys) = (keys(&left), keys(&right));
            let shown: Vec<Expr> = join.left.schema().columns().into_iter().map(Expr::Column).collect();
            LogicalPlanBuilder::from(left)
                .join_detailed(right, join.join_type, (left_keys, right_keys), None, NullEquality::NullEqualsNull)?
                .project(shown)?
                .build()
                .map(Transformed::yes)
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_sets_all"
    }
}

/// `plan` with each row's copy number among equal rows (1, 2, …).
fn numbered(plan: LogicalPlan) -> Result<LogicalPlan> {
    let row: Vec<Expr> = plan.schema().columns().into_iter().map(Expr::Column).collect();
    let number = datafusion::functions_window::expr_fn::row_number().partition_by(row).build()?.alias(NUMBER);
    let builder = LogicalPlanBuilder::from(plan).window(vec![number])?;
    builder.build()
}

//! Where Spark SQL and DataFusion read the same SQL differently, the playground gives Spark's
//! answer (the README's "Spark semantics" table lists every place and its test).
//!
//! - `"text"` is a string in Spark and an identifier in DataFusion: [`spark_strings`] rewrites it
//!   before parsing (steps and DDL).
//! - `INT / INT` is a `DOUBLE` in Spark and an integer division in DataFusion:
//!   [`SparkDivision`], an analyzer rule, casts both sides of an integer division to `DOUBLE`.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::Result;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::utils::merge_schema;
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, LogicalPlan, Operator};
use datafusion::optimizer::AnalyzerRule;

/// Spark SQL reads `"text"` as a string literal (the article's DDL does); sqlparser's Hive dialect
/// reads it as an identifier. Rewrites double-quoted strings as single-quoted ones, leaving
/// single-quoted strings, backquoted identifiers and comments as they are.
pub fn spark_strings(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '`' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                out.push('\'');
                while let Some(d) = chars.next() {
                    match d {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            out.push('"');
                        }
                        '"' => break,
                        '\'' => out.push_str("''"),
                        _ => out.push(d),
                    }
                }
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Spark divides integers as `DOUBLE`s (`7 / 2` is `3.5`); DataFusion truncates (`3`). This rule
/// runs after type coercion and casts both sides of every division of two integers to `DOUBLE`,
/// keeping each expression's name, so `SUM(a) / COUNT(*)` means what it means on Spark.
#[derive(Debug, Default)]
pub struct SparkDivision;

impl AnalyzerRule for SparkDivision {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|plan| {
            let schema = merge_schema(&plan.inputs());
            let names = NamePreserver::new(&plan);
            plan.map_expressions(|expr| {
                let name = names.save(&expr);
                expr.transform_up(|e| match e {
                    Expr::BinaryExpr(BinaryExpr { left, op: Operator::Divide, right })
                        if left.get_type(&schema)?.is_integer() && right.get_type(&schema)?.is_integer() =>
                    {
                        let left = Box::new((*left).cast_to(&DataType::Float64, &schema)?);
                        let right = Box::new((*right).cast_to(&DataType::Float64, &schema)?);
                        Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr { left, op: Operator::Divide, right })))
                    }
                    other => Ok(Transformed::no(other)),
                })
                .map(|t| t.update_data(|e| name.restore(e)))
            })?
            .map_data(LogicalPlan::recompute_schema)
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_division"
    }
}

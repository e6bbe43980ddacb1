//! Spark SQL that needs the tables' columns to be read, planned here with the session at hand
//! ([`statement_to_plan`] is how every step and audit is planned):
//!
//! - A lateral column alias: `SELECT x * 60 AS minutes, IF(minutes > 120, …)` reuses an earlier
//!   item's alias, when no column has that name (a column wins, as in Spark). DataFusion answers
//!   "No field named minutes"; the alias is then replaced by its expression and the query planned
//!   again.
//! - `PIVOT (agg(v) FOR c IN (x AS a, y AS b))`: one row per value of the other columns, one
//!   column per listed value, `agg(CASE WHEN c = x THEN v END) AS a`, … (NULL where no row has
//!   `c = x`, as Spark's, even for `count`); the other columns are
//!   those of the pivoted table that neither the aggregate nor `FOR` uses, so the table is
//!   planned first to learn them.

use datafusion::common::DataFusionError;
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::{
    Expr, ExprWithAlias, Query, Select, SelectItem, SetExpr, Statement, TableFactor, VisitMut, VisitorMut,
};
use std::ops::ControlFlow;

use super::dialect::parse_printed;

/// Plans a checked statement ([`super::parse_query`]) as Spark would read it (see the module docs).
pub async fn statement_to_plan(state: &SessionState, statement: DfStatement) -> Result<LogicalPlan, DataFusionError> {
    let mut statement = statement;
    if let DfStatement::Statement(inner) = &mut statement {
        pivots(state, inner).await?;
    }
    // Each retry inlines one more alias; a SELECT has few.
    for _ in 0..16 {
        match state.statement_to_plan(statement.clone()).await {
            Ok(plan) => return Ok(plan),
            Err(e) => {
                let Some(missing) = missing_field(&e) else { return Err(e) };
                let DfStatement::Statement(inner) = &mut statement else { return Err(e) };
                let mut inline = InlineAlias { name: missing, changed: false };
                let _ = inner.visit(&mut inline);
                if !inline.changed {
                    return Err(e);
                }
            }
        }
    }
    state.statement_to_plan(statement).await
}

/// The unqualified name in "No field named x." (DataFusion's message for an unknown column).
fn missing_field(e: &DataFusionError) -> Option<String> {
    let text = e.to_string();
    let rest = text.split("No field named ").nth(1)?;
    let name: String = rest.chars().take_while(|c| !matches!(c, '.' | ' ' | '\n')).collect();
    let name = name.trim_matches('"').to_string();
    (!name.is_empty()).then_some(name)
}

/// Replaces `name` in a SELECT's items after the one aliased `name` by that item's expression.
struct InlineAlias {
    name: String,
    changed: bool,
}

impl VisitorMut for InlineAlias {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let SetExpr::Select(select) = query.body.as_mut() {
            self.changed |= inline(select, &self.name);
        }
        ControlFlow::Continue(())
    }
}

fn inline(select: &mut Select, name: &str) -> bool {
    let Some(at) = select.projection.iter().position(
        |item| matches!(item, SelectItem::ExprWithAlias { alias, .. } if alias.value.eq_ignore_ascii_case(name)),
    ) else {
        return false;
    };
    let Some(SelectItem::ExprWithAlias { expr: value, .. }) = select.projection.get(at).cloned() else { return false };
    struct Replace<'a> {
        name: &'a str,
        value: Expr,
        changed: bool,
    }
    impl VisitorMut for Replace<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
            if matches!(expr, Expr::Identifier(i) if i.value.eq_ignore_ascii_case(self.name)) {
                *expr = Expr::Nested(Box::new(self.value.clone()));
                self.changed = true;
            }
            ControlFlow::Continue(())
        }
        // A subquery has names of its own.
        fn pre_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
            ControlFlow::Break(())
        }
    }
    let mut replace = Replace { name, value, changed: false };
    for item in select.projection.iter_mut().skip(at + 1) {
        let expr = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => continue,
        };
        let _ = expr.visit(&mut replace);
    }
    replace.changed
}

/// Rewrites every `PIVOT` in `statement` as a grouped query (see the module docs).
async fn pivots(state: &SessionState, statement: &mut Statement) -> Result<(), DataFusionError> {
    struct Find(Vec<TableFactor>);
    impl VisitorMut for Find {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            if let TableFactor::Pivot { table, .. } = factor {
                self.0.push((**table).clone());
            }
            ControlFlow::Continue(())
        }
    }
    let mut found = Find(Vec::new());
    let _ = statement.visit(&mut found);
    let mut columns = Vec::new();
    for table in found.0 {
        let sql = format!("SELECT * FROM {table}");
        let parsed = parse_printed(&sql).map_err(crate::guard::ParseFailure::into_datafusion)?;
        let Some(query) = parsed.into_iter().next() else { continue };
        let plan = state.statement_to_plan(DfStatement::Statement(Box::new(query))).await?;
        columns.push(plan.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<String>>());
    }
    struct Rewrite {
        columns: std::vec::IntoIter<Vec<String>>,
        error: Option<String>,
    }
    impl VisitorMut for Rewrite {
        type Break = ();
        fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            if !matches!(factor, TableFactor::Pivot { .. }) {
                return ControlFlow::Continue(());
            }
            let Some(columns) = self.columns.next() else { return ControlFlow::Break(()) };
            match pivot_as_query(factor, &columns) {
                Ok(derived) => *factor = derived,
                Err(message) => {
                    self.error = Some(message);
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut rewrite = Rewrite { columns: columns.into_iter(), error: None };
    let _ = statement.visit(&mut rewrite);
    match rewrite.error {
        Some(message) => Err(DataFusionError::Plan(message)),
        None => Ok(()),
    }
}

/// `t PIVOT (…)` as `(SELECT others, agg(CASE WHEN c = x THEN v END) AS a, … FROM t GROUP BY others)`.
fn pivot_as_query(factor: &TableFactor, columns: &[String]) -> Result<TableFactor, String> {
    let TableFactor::Pivot { table, aggregate_functions, value_column, value_source, default_on_null, alias } = factor
    else {
        return Err("not a PIVOT".into());
    };
    if default_on_null.is_some() {
        return Err("PIVOT … DEFAULT ON NULL is not Spark SQL".into());
    }
    let values = match value_source {
        datafusion::sql::sqlparser::ast::PivotValueSource::List(values) => values.clone(),
        _ => return Err("PIVOT takes a list of values: IN (x AS a, y AS b)".into()),
    };
    let pivoted = match value_column.as_slice() {
        [one] => one.clone(),
        _ => {
            return Err(
                "PIVOT over several columns (FOR (a, b) IN …) is Spark SQL the playground does not run yet".into()
            )
        }
    };
    // The names the aggregates and the FOR column use leave the implicit grouping.
    let mut used = Vec::new();
    collect_names(&pivoted, &mut used);
    for f in aggregate_functions {
        collect_names(&f.expr, &mut used);
    }
    let others: Vec<&String> = columns.iter().filter(|c| !used.iter().any(|u| u.eq_ignore_ascii_case(c))).collect();
    let mut items: Vec<String> = others.iter().map(|c| format!("`{}`", c.replace('`', "``"))).collect();
    let several = aggregate_functions.len() > 1;
    for ExprWithAlias { expr: value, alias: value_alias } in &values {
        let value_name = value_alias.as_ref().map_or_else(|| plain(&value.to_string()), |a| a.value.clone());
        for ExprWithAlias { expr: agg, alias: agg_alias } in aggregate_functions {
            let Expr::Function(call) = agg else { return Err(format!("PIVOT takes aggregate functions, not {agg}")) };
            let mut call = call.clone();
            let datafusion::sql::sqlparser::ast::FunctionArguments::List(list) = &mut call.args else {
                return Err(format!("PIVOT takes aggregate functions, not {agg}"));
            };
            for arg in &mut list.args {
                if let datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(
                    datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(e),
                ) = arg
                {
                    *e = Expr::Case {
                        case_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
                        end_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
                        operand: None,
                        conditions: vec![datafusion::sql::sqlparser::ast::CaseWhen {
                            condition: Expr::BinaryOp {
                                left: Box::new(pivoted.clone()),
                                op: datafusion::sql::sqlparser::ast::BinaryOperator::Eq,
                                right: Box::new(value.clone()),
                            },
                            result: e.clone(),
                        }],
                        else_result: None,
                    };
                }
            }
            let name = match (several || agg_alias.is_some(), agg_alias) {
                (true, Some(a)) => format!("{value_name}_{}", a.value),
                (true, None) => format!("{value_name}_{}", plain(&agg.to_string())),
                (false, _) => value_name.clone(),
            };
            // A combination with no rows is NULL (Spark aggregates each one that exists), even for count.
            let present = format!("count(CASE WHEN {pivoted} = {value} THEN 1 END) > 0");
            items.push(format!("CASE WHEN {present} THEN {call} END AS `{}`", name.replace('`', "``")));
        }
    }
    let group = if others.is_empty() {
        String::new()
    } else {
        format!(
            " GROUP BY {}",
            others.iter().map(|c| format!("`{}`", c.replace('`', "``"))).collect::<Vec<_>>().join(", ")
        )
    };
    let alias_text = alias.as_ref().map_or_else(|| "AS __spark_pivot".to_string(), |a| format!("AS {a}"));
    let sql = format!("SELECT * FROM (SELECT {} FROM {table}{group}) {alias_text}", items.join(", "));
    let parsed = parse_printed(&sql).map_err(|e| e.to_string())?;
    let Some(Statement::Query(query)) = parsed.into_iter().next() else { return Err("PIVOT".into()) };
    let SetExpr::Select(select) = *query.body else { return Err("PIVOT".into()) };
    select.from.into_iter().next().map(|t| t.relation).ok_or_else(|| "PIVOT".to_string())
}

/// A value's text as a column name: a string without its quotes.
fn plain(text: &str) -> String {
    text.trim_matches('\'').to_string()
}

fn collect_names(expr: &Expr, out: &mut Vec<String>) {
    struct Names<'a>(&'a mut Vec<String>);
    impl datafusion::sql::sqlparser::ast::Visitor for Names<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
            match expr {
                Expr::Identifier(i) => self.0.push(i.value.clone()),
                Expr::CompoundIdentifier(parts) => {
                    if let Some(last) = parts.last() {
                        self.0.push(last.value.clone());
                    }
                }
                _ => {}
            }
            ControlFlow::Continue(())
        }
    }
    let _ = datafusion::sql::sqlparser::ast::Visit::visit(expr, &mut Names(out));
}

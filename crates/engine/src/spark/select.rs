//! The rules of a SELECT and of set operations, as Spark has them (part of [`super::check`]):
//! clauses Spark does not have (`QUALIFY`, `DISTINCT ON`, `TOP`, `* EXCLUDE`), Spark's
//! generators (`explode(…)` in the SELECT list, `LATERAL VIEW [OUTER]`) turned into what
//! DataFusion plans, a VALUES row's whole numbers typed as Spark's INT, `MINUS` as `EXCEPT`, and
//! `INTERSECT`/`EXCEPT ALL` marked for [`super::sets`].

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Distinct, Expr, FunctionArguments, GroupByExpr, GroupByWithModifier, Ident, Select, SelectItem,
    SetExpr, SetOperator, SetQuantifier, Spanned, Statement, TableFactor, Value, ValueWithSpan, VisitMut, VisitorMut,
};

use super::check::{refuse, Refusal};
use super::dialect::parse_printed;
use super::generators;
use super::rewrite::{call, object_name};

pub(super) fn check_set(body: &mut SetExpr, renames: &mut Vec<RenameQualifier>) -> ControlFlow<Refusal> {
    match body {
        SetExpr::Select(select) => check_select(select, renames),
        // VALUES rows: a whole number is an INT (the planner types the rows before `literals`).
        SetExpr::Values(values) => {
            for row in &mut values.rows {
                for e in row.iter_mut() {
                    if let Expr::Value(ValueWithSpan { value: Value::Number(n, false), .. }) = e {
                        if n.parse::<i32>().is_ok() {
                            *e = Expr::Cast {
                                kind: CastKind::Cast,
                                expr: Box::new(e.clone()),
                                data_type: DataType::Int(None),
                                array: false,
                                format: None,
                            };
                        }
                    }
                }
            }
            ControlFlow::Continue(())
        }
        SetExpr::SetOperation { left, right, set_quantifier, op } => {
            // MINUS is Spark's other name for EXCEPT.
            if *op == SetOperator::Minus {
                *op = SetOperator::Except;
            }
            // INTERSECT ALL and EXCEPT ALL count copies (`sets`): the right side is marked.
            if matches!(op, SetOperator::Intersect | SetOperator::Except) && *set_quantifier == SetQuantifier::All {
                let marked = format!("SELECT * FROM ({right}) AS {}", super::sets::MARK);
                if let Ok(Some(Statement::Query(query))) = parse_printed(&marked).map(|mut s| s.pop()) {
                    **right = SetExpr::Query(query);
                }
            }
            if matches!(
                set_quantifier,
                SetQuantifier::ByName | SetQuantifier::AllByName | SetQuantifier::DistinctByName
            ) {
                return refuse(
                    "UNION … BY NAME is not Spark SQL: list the columns in the same order on both sides",
                    left.span().start,
                );
            }
            check_set(left, renames)?;
            check_set(right, renames)
        }
        _ => ControlFlow::Continue(()),
    }
}

fn check_select(select: &mut Select, renames: &mut Vec<RenameQualifier>) -> ControlFlow<Refusal> {
    let start = select.select_token.0.span.start;
    if let Some(qualify) = &select.qualify {
        return refuse(
            "QUALIFY is not Spark SQL: filter the window function's result in an outer query, as in \
             SELECT * FROM (SELECT …, RANK() OVER (…) AS r FROM t) WHERE r <= 10",
            qualify.span().start,
        );
    }
    if let Some(Distinct::On(_)) = &select.distinct {
        return refuse(
            "DISTINCT ON is not Spark SQL: keep one row per key with ROW_NUMBER() OVER (PARTITION BY …)",
            start,
        );
    }
    if select.top.is_some() {
        return refuse("TOP is not Spark SQL: use LIMIT n", start);
    }
    if select.exclude.is_some() {
        return refuse("SELECT * EXCLUDE is not Spark SQL: list the columns you want", start);
    }
    for item in &select.projection {
        let options = match item {
            SelectItem::Wildcard(options) | SelectItem::QualifiedWildcard(_, options) => options,
            _ => continue,
        };
        let clause = if options.opt_exclude.is_some() {
            Some("EXCLUDE")
        } else if options.opt_replace.is_some() {
            Some("REPLACE")
        } else if options.opt_rename.is_some() {
            Some("RENAME")
        } else if options.opt_ilike.is_some() {
            Some("ILIKE")
        } else {
            None
        };
        if let Some(clause) = clause {
            return refuse(format!("SELECT * {clause} is not Spark SQL: list the columns you want"), item.span().start);
        }
    }
    extra_generators(select);
    if let Some(rename) = lateral_views(select)? {
        renames.push(rename);
    }
    generator_items(select)?;
    distinct_cast_names(select);
    // GROUP BY a, b GROUPING SETS (…) is the grouping sets alone; WITH ROLLUP and WITH CUBE are
    // ROLLUP (a, b) and CUBE (a, b).
    if let GroupByExpr::Expressions(exprs, modifiers) = &mut select.group_by {
        match modifiers.as_slice() {
            [GroupByWithModifier::GroupingSets(sets)] => *exprs = vec![sets.clone()],
            [GroupByWithModifier::Rollup] => {
                *exprs = vec![Expr::Rollup(exprs.iter().map(|e| vec![e.clone()]).collect())]
            }
            [GroupByWithModifier::Cube] => *exprs = vec![Expr::Cube(exprs.iter().map(|e| vec![e.clone()]).collect())],
            _ => {}
        }
        modifiers.clear();
    }
    let unsupported = [
        (!select.cluster_by.is_empty(), "CLUSTER BY"),
        (!select.distribute_by.is_empty(), "DISTRIBUTE BY"),
        (!select.sort_by.is_empty(), "SORT BY"),
    ];
    if let Some((_, clause)) = unsupported.iter().find(|(present, _)| *present) {
        return refuse(
            format!("{clause} is Spark SQL about how Spark spreads rows over its executors; the playground runs on one partition and does not run it: leave it out here"),
            start,
        );
    }
    if select.prewhere.is_some() || !select.connect_by.is_empty() || select.into.is_some() {
        return refuse("this SELECT has a clause that is not Spark SQL (PREWHERE, CONNECT BY or INTO)", start);
    }
    ControlFlow::Continue(())
}

/// DataFusion names `sum(CAST(x AS DECIMAL(10,2)))` as it names `sum(x)` (a cast is transparent in
/// names), and refuses a SELECT with both ("duplicate field name"); Spark runs it. Where a call's
/// argument is a cast of an expression another call also takes, the cast's expression becomes
/// `coalesce(x)`: the same value, under a name of its own.
fn distinct_cast_names(select: &mut Select) {
    struct Args(Vec<(String, bool)>);
    impl VisitorMut for Args {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
            if let Expr::Function(f) = expr {
                if let FunctionArguments::List(list) = &f.args {
                    for arg in &list.args {
                        let text = arg.to_string();
                        match arg {
                            datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(
                                datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(Expr::Cast { expr, .. }),
                            ) => self.0.push((expr.to_string(), true)),
                            _ => self.0.push((text, false)),
                        }
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    struct Rename(Vec<String>);
    impl VisitorMut for Rename {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
            let Expr::Function(f) = expr else { return ControlFlow::Continue(()) };
            let FunctionArguments::List(list) = &mut f.args else { return ControlFlow::Continue(()) };
            for arg in &mut list.args {
                if let datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(
                    datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(Expr::Cast { expr: inner, .. }),
                ) = arg
                {
                    if self.0.contains(&inner.to_string()) {
                        **inner = call("coalesce", vec![(**inner).clone()]);
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut args = Args(Vec::new());
    let _ = select.projection.visit(&mut args);
    let shared: Vec<String> = args
        .0
        .iter()
        .filter(|(text, cast)| *cast && args.0.iter().filter(|(t, _)| t == text).count() > 1)
        .map(|(text, _)| text.clone())
        .collect();
    if !shared.is_empty() {
        let _ = select.projection.visit(&mut Rename(shared));
    }
}

/// `SELECT explode(a) AS x, explode(b) AS y FROM t`: Spark gives every combination of the two
/// generators' rows, as `LATERAL VIEW` does; every generator after the first becomes one
/// (`FROM t LATERAL VIEW explode(b) … AS y`, and the item is `y`). A SELECT without FROM reads one
/// row. Left as it is (and refused by `generator_items`) after several tables or a join.
fn extra_generators(select: &mut Select) {
    let generators: Vec<usize> = select
        .projection
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            let expr = match item {
                SelectItem::UnnamedExpr(e)
                | SelectItem::ExprWithAlias { expr: e, .. }
                | SelectItem::ExprWithAliases { expr: e, .. } => e,
                _ => return false,
            };
            // Not the positions `posexplode` became: they go with its elements.
            matches!(expr, Expr::Function(f) if generators::generator(&f.name.to_string().to_lowercase()).is_some()
                && !f.args.to_string().contains(generators::POSITIONS))
        })
        .map(|(i, _)| i)
        .collect();
    if generators.len() < 2 || select.from.len() > 1 || select.from.iter().any(|t| !t.joins.is_empty()) {
        return;
    }
    if select.from.is_empty() {
        let Ok(Some(Statement::Query(query))) =
            parse_printed("SELECT 1 FROM (SELECT 1 AS __spark_one) AS __spark_one").map(|mut s| s.pop())
        else {
            return;
        };
        let SetExpr::Select(one) = *query.body else { return };
        select.from = one.from;
    }
    // From the last, so an inserted item does not move the ones still to do.
    for (k, &i) in generators.iter().enumerate().skip(1).rev() {
        let Some(item) = select.projection.get_mut(i) else { continue };
        let (expr, aliases) = match item {
            SelectItem::UnnamedExpr(e) => (e.clone(), vec![]),
            SelectItem::ExprWithAlias { expr, alias } => (expr.clone(), vec![alias.clone()]),
            SelectItem::ExprWithAliases { expr, aliases } => (expr.clone(), aliases.clone()),
            _ => continue,
        };
        let Expr::Function(f) = &expr else { continue };
        let name = f.name.to_string().to_lowercase();
        let Some((outer, positions)) = generators::generator(&name) else { continue };
        let names = if aliases.is_empty() {
            if positions {
                vec![Ident::new("pos"), Ident::new("col")]
            } else {
                vec![Ident::new("col")]
            }
        } else {
            aliases
        };
        let base = if positions { "posexplode" } else { "explode" };
        let mut generator = f.clone();
        generator.name = object_name(base);
        select.lateral_views.push(datafusion::sql::sqlparser::ast::LateralView {
            lateral_view: Expr::Function(generator),
            lateral_view_name: object_name(&format!("__spark_g{k}")),
            lateral_col_alias: names.clone(),
            outer,
        });
        // The item becomes the view's columns, in its place.
        *item = SelectItem::UnnamedExpr(Expr::Identifier(names.first().cloned().unwrap_or_else(|| Ident::new("col"))));
        if let Some(second) = names.get(1) {
            select.projection.insert(i + 1, SelectItem::UnnamedExpr(Expr::Identifier(second.clone())));
        }
    }
}

/// A generator in the SELECT list (`explode_outer(a) AS x`, `posexplode(a) AS (p, x)`) becomes
/// its items (`generators`), named as Spark names them (`col`, `pos`) unless aliased.
fn generator_items(select: &mut Select) -> ControlFlow<Refusal> {
    let mut seen = false;
    let mut projection = Vec::with_capacity(select.projection.len());
    for item in std::mem::take(&mut select.projection) {
        let (expr, aliases) = match &item {
            SelectItem::UnnamedExpr(expr) => (expr, vec![]),
            SelectItem::ExprWithAlias { expr, alias } => (expr, vec![alias.clone()]),
            SelectItem::ExprWithAliases { expr, aliases } => (expr, aliases.clone()),
            _ => {
                projection.push(item);
                continue;
            }
        };
        let Expr::Function(function) = expr else {
            projection.push(item);
            continue;
        };
        let name = function.name.to_string().to_lowercase();
        if generators::generator(&name).is_none() {
            projection.push(item);
            continue;
        }
        let location = function.name.span().start;
        // The positions `posexplode` became (`generators`) go with the elements' generator.
        let positions = function.args.to_string().contains(generators::POSITIONS);
        if seen && !positions {
            return refuse(
                "two generators in one SELECT: Spark gives every combination of their rows; the playground runs one \
                 generator per SELECT: put the second in a LATERAL VIEW",
                location,
            );
        }
        seen |= !positions;
        match generators::items(function, &name, false, &aliases) {
            Ok(items) => {
                projection.extend(items.into_iter().map(|(expr, alias)| SelectItem::ExprWithAlias { expr, alias }))
            }
            Err(message) => return refuse(message, location),
        }
    }
    select.projection = projection;
    ControlFlow::Continue(())
}

/// `FROM t LATERAL VIEW explode(e) v AS x` becomes `FROM (SELECT *, explode(e) AS x FROM t) AS t`
/// (and `v.x` is `t.x`): each row of `t` once per element of `e`, none for a NULL or empty array
/// unless `OUTER`, as in Spark (`posexplode` gives two columns: `generators`). One table before
/// the views.
fn lateral_views(select: &mut Select) -> ControlFlow<Refusal, Option<RenameQualifier>> {
    let Some(first) = select.lateral_views.first() else { return ControlFlow::Continue(None) };
    let location = first.lateral_view.span().start;
    let not_yet = |what: &str| {
        refuse(
            format!("{what} is Spark SQL the playground does not run yet (docs/spark-sql.md lists what it runs)"),
            location,
        )
    };
    let [from] = select.from.as_slice() else { return not_yet("LATERAL VIEW after several tables") };
    if !from.joins.is_empty() {
        return not_yet("LATERAL VIEW after a join");
    }
    let alias = match &from.relation {
        TableFactor::Table { alias: Some(alias), .. } | TableFactor::Derived { alias: Some(alias), .. } => {
            alias.name.clone()
        }
        TableFactor::Table { name, alias: None, .. } => match name.0.last().and_then(|p| p.as_ident()) {
            Some(ident) => ident.clone(),
            None => return not_yet("this LATERAL VIEW"),
        },
        _ => return not_yet("LATERAL VIEW after a subquery without an alias"),
    };
    let mut sql = from.to_string();
    let mut renamed = Vec::new();
    for view in &select.lateral_views {
        let Expr::Function(generator) = &view.lateral_view else { return not_yet("this LATERAL VIEW") };
        let name = generator.name.to_string().to_lowercase();
        if generators::generator(&name).is_none() {
            return not_yet(&format!("LATERAL VIEW {name}"));
        }
        let items = match generators::items(generator, &name, view.outer, &view.lateral_col_alias) {
            Ok(items) => items,
            Err(message) => return refuse(message, location),
        };
        let items: Vec<String> = items.iter().map(|(e, name)| format!("{e} AS {name}")).collect();
        sql = format!("(SELECT *, {} FROM {sql}) AS {alias}", items.join(", "));
        if let Some(view_name) = view.lateral_view_name.0.last().and_then(|p| p.as_ident()) {
            renamed.push(view_name.value.clone());
        }
    }
    // Read back what sqlparser printed (strings as printed, so no escapes).
    let parsed = parse_printed(&format!("SELECT 1 FROM {sql}"));
    let Some(Statement::Query(query)) = parsed.ok().and_then(|mut s| s.pop()) else {
        return not_yet("this LATERAL VIEW");
    };
    let SetExpr::Select(inner) = *query.body else { return not_yet("this LATERAL VIEW") };
    select.from = inner.from;
    select.lateral_views.clear();
    ControlFlow::Continue(Some(RenameQualifier { from: renamed, to: alias }))
}

pub(super) struct RenameQualifier {
    from: Vec<String>,
    to: Ident,
}

impl VisitorMut for RenameQualifier {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::CompoundIdentifier(parts) = expr {
            if let [qualifier, _] = parts.as_mut_slice() {
                if self.from.iter().any(|f| f.eq_ignore_ascii_case(&qualifier.value)) {
                    *qualifier = self.to.clone();
                }
            }
        }
        ControlFlow::Continue(())
    }
}

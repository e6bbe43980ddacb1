//! What Spark refuses, refused before planning, with a message in Spark's terms at its place in
//! the text; and the few Spark functions that are DataFusion functions under another name or shape,
//! rewritten in the statement.
//!
//! Every function a query calls must be one of Spark's built-in functions ([`SPARK_FUNCTIONS`],
//! from `SHOW FUNCTIONS`): a DataFusion-only function (`arrow_typeof`, `strpos`) is refused as
//! Spark refuses it, and a Spark function the playground does not have yet says so by name,
//! never with DataFusion's list of its own function names. Clauses Spark does not have
//! (`QUALIFY`, `SELECT * EXCLUDE`, `DISTINCT ON`, `TOP`, `FETCH FIRST`, `UNNEST`) are refused.

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Distinct, DuplicateTreatment, ExactNumberInfo, Expr, Function,
    FunctionArguments, GroupByExpr, GroupByWithModifier, Ident, LimitClause, Query, Select, SelectItem, SetExpr,
    SetOperator, SetQuantifier, Spanned, Statement, TableFactor, UnaryOperator, Value, ValueWithSpan, VisitMut,
    VisitorMut, WindowType,
};

use super::dialect::parse_printed;
use super::generators;
use super::rewrite::{self, call, object_name, rewrite, single_arg};
use datafusion::sql::sqlparser::tokenizer::Location;

/// Apache Spark's built-in function names (lower case), from `functions.txt`.
pub static SPARK_FUNCTIONS: LazyLock<BTreeSet<&'static str>> =
    LazyLock::new(|| include_str!("functions.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect());

/// Apache Spark's SQL keywords (upper case), from `keywords.txt`: for the editors' highlighting.
pub static SPARK_KEYWORDS: LazyLock<BTreeSet<&'static str>> =
    LazyLock::new(|| include_str!("keywords.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect());

/// Why a statement is not run, and where (1-based line and column, when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The message, in Spark's terms.
    pub message: String,
    /// Line and column in the text that was parsed.
    pub at: Option<(u64, u64)>,
}

fn at(location: Location) -> Option<(u64, u64)> {
    (location.line > 0).then_some((location.line, location.column))
}

fn refuse<T>(message: impl Into<String>, location: Location) -> ControlFlow<Refusal, T> {
    ControlFlow::Break(Refusal { message: message.into(), at: at(location) })
}

/// Checks `statement` against what Spark runs and rewrites Spark's aliases (see the module docs).
/// `runs(name)` says whether the session has a function of that name.
pub fn check(statement: &mut impl VisitMut, runs: &dyn Fn(&str) -> bool) -> Result<(), Refusal> {
    match statement.visit(&mut Checker { runs }) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(refusal) => Err(refusal),
    }
}

struct Checker<'a> {
    runs: &'a dyn Fn(&str) -> bool,
}

impl VisitorMut for Checker<'_> {
    type Break = Refusal;

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<Refusal> {
        if let Some(fetch) = &query.fetch {
            let location = fetch.quantity.as_ref().map_or(query.span().start, |q| q.span().start);
            return refuse("FETCH FIRST is not Spark SQL: use LIMIT n", location);
        }
        match &query.limit_clause {
            Some(LimitClause::OffsetCommaLimit { offset, .. }) => {
                return refuse(
                    "LIMIT offset, count is not Spark SQL: use LIMIT count OFFSET offset",
                    offset.span().start,
                );
            }
            Some(LimitClause::LimitOffset { limit_by, .. }) if !limit_by.is_empty() => {
                return refuse("LIMIT … BY is not Spark SQL", query.span().start);
            }
            _ => {}
        }
        let mut renames = Vec::new();
        check_set(&mut query.body, &mut renames)?;
        // `v.x` names a lateral view's column, now a column of the table (ORDER BY too).
        for rename in renames {
            let _ = query.visit(&mut { rename });
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<Refusal> {
        if let TableFactor::UNNEST { .. } = factor {
            return refuse(
                "UNNEST is not Spark SQL: use explode(…) in the SELECT list, or LATERAL VIEW explode(…)",
                factor.span().start,
            );
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<Refusal> {
        // `1e-7` is a DOUBLE in Spark; other numbers with a point are DECIMALs (`configure`).
        if let Expr::Value(ValueWithSpan { value: Value::Number(number, long), span }) = expr {
            // `10L` is a BIGINT (other whole numbers that fit are INTs: `literals`).
            if *long {
                let number = Value::Number(number.clone(), false);
                *expr = Expr::Cast {
                    kind: CastKind::Cast,
                    expr: Box::new(Expr::Value(ValueWithSpan { value: number, span: *span })),
                    data_type: DataType::BigInt(None),
                    array: false,
                    format: None,
                };
                return ControlFlow::Continue(());
            }
            if number.contains(['e', 'E']) {
                let text = Value::SingleQuotedString(number.clone());
                *expr = Expr::Cast {
                    kind: CastKind::Cast,
                    expr: Box::new(Expr::Value(ValueWithSpan { value: text, span: *span })),
                    data_type: DataType::Double(ExactNumberInfo::None),
                    array: false,
                    format: None,
                };
            }
            return ControlFlow::Continue(());
        }
        // Text in arithmetic is read as a number: a literal that is not one fails in Spark.
        if let Expr::BinaryOp { left, op, right } = expr {
            let arithmetic = matches!(
                op,
                BinaryOperator::Plus
                    | BinaryOperator::Minus
                    | BinaryOperator::Multiply
                    | BinaryOperator::Divide
                    | BinaryOperator::Modulo
            );
            for side in [left, right] {
                if let Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(text), span }) = side.as_ref() {
                    if arithmetic && text.trim().parse::<f64>().is_err() {
                        return refuse(
                            format!("[CAST_INVALID_INPUT] The value '{text}' of the type \"STRING\" cannot be cast to a number because it is malformed: Spark reads text in arithmetic as a number"),
                            span.start,
                        );
                    }
                }
            }
        }
        if rewrite::expression(expr) {
            return ControlFlow::Continue(());
        }
        // `a DIV b` is Spark's `div(a, b)` (DataFusion's planner has no DIV).
        if let Expr::BinaryOp { left, op: BinaryOperator::MyIntegerDivide, right } = expr {
            *expr = call("div", vec![(**left).clone(), (**right).clone()]);
            return ControlFlow::Continue(());
        }
        // isnull(x) and isnotnull(x) are `x IS NULL` and `x IS NOT NULL`.
        if let Expr::Function(f) = expr {
            let name = f.name.to_string().to_lowercase();
            if let ("isnull" | "isnotnull", Some(arg)) = (name.as_str(), single_arg(f)) {
                *expr = if name == "isnull" { Expr::IsNull(Box::new(arg)) } else { Expr::IsNotNull(Box::new(arg)) };
                return ControlFlow::Continue(());
            }
        }
        // `a RLIKE p` (and REGEXP) is `regexp_like(a, p)`: a match anywhere in `a`.
        if let Expr::RLike { negated, expr: text, pattern, .. } = expr {
            let like = call("regexp_like", vec![(**text).clone(), (**pattern).clone()]);
            *expr = if *negated { Expr::UnaryOp { op: UnaryOperator::Not, expr: Box::new(like) } } else { like };
            return ControlFlow::Continue(());
        }
        let Expr::Function(function) = expr else { return ControlFlow::Continue(()) };
        let location = function.name.span().start;
        let [part] = function.name.0.as_slice() else {
            return refuse(
                format!("`{}` is not a Spark SQL built-in function: functions are called by name alone", function.name),
                location,
            );
        };
        let Some(ident) = part.as_ident() else { return ControlFlow::Continue(()) };
        // The helpers the rewrites call (`__spark_…`, and DataFusion's own as "name": `rewrite`).
        if (ident.quote_style == Some('`') && ident.value.starts_with("__spark_")) || ident.quote_style == Some('"') {
            return ControlFlow::Continue(());
        }
        let name = ident.value.to_lowercase();
        if let Some(replacement) = rewrite::unit_call(function, &name) {
            *expr = replacement;
            return ControlFlow::Continue(());
        }
        if name != "explode" && generators::generator(&name).is_some() {
            return refuse(
                format!("`{name}` must be a whole item of the SELECT list, or a LATERAL VIEW: Spark does not nest a generator in an expression"),
                location,
            );
        }
        if !SPARK_FUNCTIONS.contains(name.as_str()) {
            return refuse(
                format!("[UNRESOLVED_ROUTINE] `{name}` is not a Spark SQL function{}", suggestion(&name)),
                location,
            );
        }
        window_rules(function, &name, location)?;
        if name == "array_contains" && function.args.to_string().trim_end_matches(')').ends_with(", NULL") {
            return refuse(
                "[DATATYPE_MISMATCH.NULL_TYPE] `array_contains` cannot look for NULL: test the array with exists(…) or size(…) instead",
                location,
            );
        }
        if let Some(replacement) = rewrite::function_expression(function, &name) {
            *expr = replacement;
            return ControlFlow::Continue(());
        }
        rewrite(function, &name);
        if name == "explode" {
            function.name = object_name("unnest");
        }
        let now = match function.name.0.last().and_then(|p| p.as_ident()) {
            Some(ident) if ident.quote_style.is_some() => ident.value.clone(),
            _ => function.name.to_string().to_lowercase(),
        };
        if !(self.runs)(&now) {
            return refuse(
                format!("`{name}` is Spark SQL the playground does not run yet (docs/spark-sql.md lists what it runs)"),
                location,
            );
        }
        ControlFlow::Continue(())
    }
}

fn check_set(body: &mut SetExpr, renames: &mut Vec<RenameQualifier>) -> ControlFlow<Refusal> {
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

struct RenameQualifier {
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

/// The closest Spark function name, if one is a likely misspelling.
fn suggestion(name: &str) -> String {
    let best = SPARK_FUNCTIONS
        .iter()
        .map(|candidate| (distance(name, candidate), *candidate))
        .filter(|(d, candidate)| *d <= if candidate.len() < 5 { 1 } else { 2 })
        .min();
    best.map(|(_, c)| format!(": did you mean `{c}`?")).unwrap_or_default()
}

/// Edit distance with transpositions (`yaer` is one edit from `year`); names are short.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let value = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a.get(i - 1) != b.get(j - 1));
                let get = |i, j| d.get(at(i, j)).copied().unwrap_or(usize::MAX - 1);
                let mut best = (get(i - 1, j) + 1).min(get(i, j - 1) + 1).min(get(i - 1, j - 1) + cost);
                if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                    best = best.min(get(i - 2, j - 2) + 1);
                }
                best
            };
            if let Some(cell) = d.get_mut(at(i, j)) {
                *cell = value;
            }
        }
    }
    d.last().copied().unwrap_or(0)
}

/// What Spark refuses in a window function call.
fn window_rules(function: &Function, name: &str, location: Location) -> ControlFlow<Refusal> {
    let Some(WindowType::WindowSpec(spec)) = &function.over else { return ControlFlow::Continue(()) };
    let ranking =
        matches!(name, "rank" | "dense_rank" | "percent_rank" | "cume_dist" | "ntile" | "row_number" | "lag" | "lead");
    if ranking && spec.order_by.is_empty() {
        return refuse(
            format!("{name}() needs ORDER BY in its OVER (…): Spark requires the window to be ordered"),
            location,
        );
    }
    if matches!(name, "lag" | "lead" | "row_number" | "rank" | "dense_rank") && spec.window_frame.is_some() {
        return refuse(format!("{name}() takes no frame (ROWS/RANGE BETWEEN …) in Spark"), location);
    }
    if let FunctionArguments::List(list) = &function.args {
        if list.duplicate_treatment == Some(DuplicateTreatment::Distinct) {
            return refuse(
                format!("{name}(DISTINCT …) OVER (…) is not Spark SQL: Spark has no DISTINCT in window functions"),
                location,
            );
        }
    }
    ControlFlow::Continue(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn checked(sql: &str) -> Result<String, Refusal> {
        let limit = crate::guard::DEFAULT_RECURSION_LIMIT;
        let parsed =
            crate::guard::parse(&super::super::dialect::SparkDialect::TEXT, sql, crate::guard::QUERY_START, limit);
        let mut statement = parsed.unwrap().remove(0);
        check(&mut statement, &|name| !matches!(name, "xpath")).map(|()| statement.to_string())
    }

    #[test]
    fn spark_functions_pass_and_others_are_refused_by_name() {
        assert!(SPARK_FUNCTIONS.len() > 400);
        assert_eq!(checked("SELECT year(d), upper(s) FROM t").unwrap(), "SELECT year(d), upper(s) FROM t");
        let typo = checked("SELECT\n  yaer(d) FROM t").unwrap_err();
        assert_eq!(typo.message, "[UNRESOLVED_ROUTINE] `yaer` is not a Spark SQL function: did you mean `year`?");
        assert_eq!(typo.at, Some((2, 3)));
        let datafusion_only = checked("SELECT arrow_typeof(1)").unwrap_err();
        assert!(datafusion_only.message.contains("`arrow_typeof` is not a Spark SQL function"), "{datafusion_only:?}");
        let missing = checked("SELECT xpath(s, 'a') FROM t").unwrap_err();
        assert!(missing.message.starts_with("`xpath` is Spark SQL the playground does not run yet"));
    }

    #[test]
    fn clauses_spark_does_not_have_are_refused() {
        let qualify = checked("SELECT a FROM t QUALIFY rank() OVER (ORDER BY a) = 1").unwrap_err();
        assert!(qualify.message.starts_with("QUALIFY is not Spark SQL"));
        assert_eq!(qualify.at, Some((1, 25)));
        assert!(checked("SELECT DISTINCT ON (a) a FROM t").unwrap_err().message.starts_with("DISTINCT ON"));
        assert!(checked("SELECT a FROM t FETCH FIRST 3 ROWS ONLY").unwrap_err().message.starts_with("FETCH FIRST"));
        assert!(checked("SELECT * FROM t UNION SELECT * FROM t QUALIFY a = 1").is_err(), "in a set operation too");
    }

    #[test]
    fn lateral_view_explode_becomes_unnest() {
        assert_eq!(
            checked(
                r"SELECT p.id, v.tag FROM plays p LATERAL VIEW explode(split(p.tags, '\\,')) v AS tag WHERE tag <> ''"
            )
            .unwrap(),
            r"SELECT p.id, p.tag FROM (SELECT *, unnest(split(p.tags, '\,')) AS tag FROM plays p) AS p WHERE tag <> ''"
        );
        assert_eq!(checked("SELECT explode(a) FROM t").unwrap(), "SELECT unnest(a) AS col FROM t");
        assert_eq!(
            checked("SELECT * FROM t LATERAL VIEW OUTER posexplode(a) v AS p, x").unwrap(),
            "SELECT * FROM (SELECT *, unnest(`__spark_outer`(`__spark_positions`(a))) AS p, unnest(`__spark_outer`(a)) AS x FROM t) AS t"
        );
        assert_eq!(
            checked("SELECT explode(a) AS x, explode(b) AS y FROM t").unwrap(),
            "SELECT unnest(a) AS x, y FROM (SELECT *, unnest(b) AS y FROM t) AS t",
            "every combination, as a LATERAL VIEW"
        );
        let join = checked("SELECT explode(a), explode(b) FROM t JOIN u ON t.k = u.k").unwrap_err();
        assert!(join.message.starts_with("two generators"), "{join:?}");
    }

    #[test]
    fn spark_aliases_become_datafusion_functions() {
        assert_eq!(checked("SELECT count_if(a > 1) FROM t").unwrap(), "SELECT count(*) FILTER (WHERE a > 1) FROM t");
        assert_eq!(
            checked("SELECT max_by(x, y) FROM t").unwrap(),
            "SELECT first_value(x ORDER BY y DESC NULLS LAST) FILTER (WHERE y IS NOT NULL) FROM t"
        );
        assert_eq!(
            checked("SELECT approx_count_distinct(x) FROM t").unwrap(),
            "SELECT `__spark_hll`(CASE WHEN x IS NOT NULL THEN xxhash64(x) END, 9) FROM t"
        );
    }
}

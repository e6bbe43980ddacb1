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
    BinaryOperator, CastKind, DataType, DuplicateTreatment, ExactNumberInfo, Expr, Function, FunctionArguments,
    LimitClause, Query, Spanned, TableFactor, UnaryOperator, Value, ValueWithSpan, VisitMut, VisitorMut, WindowType,
};

use super::generators;
use super::rewrite::{self, call, object_name, rewrite, single_arg};
use super::select::check_set;
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

pub(super) fn refuse<T>(message: impl Into<String>, location: Location) -> ControlFlow<Refusal, T> {
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

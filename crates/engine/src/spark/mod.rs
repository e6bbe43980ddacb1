//! Spark SQL as Apache Spark 4 runs it (ANSI mode, its default), on DataFusion: a step that
//! runs here runs on Spark with the same rows, and what Spark refuses is refused here, with a
//! message in Spark's terms at its place in the step. `docs/spark-sql.md` lists, per function
//! and clause, what is as Spark, refused or different, from the corpus in `tests/spark/corpus`.
//!
//! The layers, libraries first:
//! - DataFusion's own Spark settings ([`configure`]): decimal literals (`0.1 + 0.2` is `0.3`),
//!   NULLs sorted first ascending, the Spark dialect name.
//! - `datafusion-spark`: Spark's functions over DataFusion's (round half-up, `pmod`, `concat`
//!   with NULL, `date_add`, `sha2`, `size`, `if`, …), registered by [`session_state`].
//! - Ours, for what neither has: the dialect ([`dialect`]: backslash escapes, `"text"` strings,
//!   `DIV`), Java datetime patterns ([`pattern`], [`datetime`]), months counted as Spark counts
//!   them ([`calendar`]), the regex functions ([`text`]), Spark's `hash` ([`hash`]) and
//!   `format_number` ([`number_format`]), ANSI arithmetic and casts ([`ansi`], [`date_cast`]),
//!   and the check of every function and clause against Spark's ([`check`]), which also
//!   rewrites the few Spark functions DataFusion has under another name (`count_if`, `max_by`,
//!   `approx_count_distinct`).
//!
//! [`parse_query`] is the one way a query's text reaches the parser: guard, parse in the Spark
//! dialect, one statement that is a query, Spark's refusals.

pub mod ansi;
mod calendar;
mod check;
mod coerce;
mod date_cast;
mod datetime;
mod decimal;
pub mod dialect;
mod elements;
mod fold;
mod generators;
mod hash;
mod hll;
mod implicit;
mod literals;
mod math;
mod number_format;
mod pattern;
mod planning;
mod ranks;
mod rewrite;
mod round;
mod select;
mod sets;
mod stats;
mod sum;
mod text;
mod types;
mod wrapped;

pub use check::{Refusal, SPARK_FUNCTIONS, SPARK_KEYWORDS};
pub use dialect::SparkDialect;
pub use planning::statement_to_plan;
pub use types::type_name;

use std::sync::Arc;

use datafusion::common::config::Dialect as DialectName;
use datafusion::error::DataFusionError;
use datafusion::execution::context::{SessionConfig, SessionState};
use datafusion::execution::SessionStateBuilder;
use datafusion::sql::parser::Statement as DfStatement;
use datafusion::sql::sqlparser::ast::Statement;
use datafusion_spark::SessionStateBuilderSpark;

use crate::guard;

/// DataFusion's settings for Spark SQL.
pub fn configure(mut config: SessionConfig) -> SessionConfig {
    let options = config.options_mut();
    let parser = &mut options.sql_parser;
    parser.dialect = DialectName::Spark;
    // Spark reads 0.1 as DECIMAL(1,1), so 0.1 + 0.2 is exactly 0.3 (`1e-7` stays a DOUBLE: check).
    parser.parse_float_as_decimal = true;
    // Spark sorts NULLs as the smallest value (ASC NULLS FIRST, DESC NULLS LAST).
    parser.default_null_ordering = "nulls_min".into();
    // datafusion-spark's functions fail as Spark's ANSI mode does (its default since Spark 4).
    options.execution.enable_ansi_mode = true;
    config
}

/// A session with Spark's functions and rules over DataFusion's defaults.
pub fn session_state(builder: SessionStateBuilder) -> SessionState {
    let mut builder = builder.with_default_features().with_spark_features();
    let ours = datetime::functions()
        .into_iter()
        .chain(text::functions())
        .chain(ansi::functions())
        .chain(types::functions())
        .chain(coerce::functions())
        .chain(round::functions())
        .chain(elements::functions())
        .chain(generators::functions())
        .chain(stats::functions())
        .chain(math::functions())
        .chain(calendar::functions())
        .chain(hash::functions())
        .chain(number_format::functions());
    builder.scalar_functions().get_or_insert_with(Vec::new).extend(ours);
    // `a[i]` counts from 0, as Spark's (before DataFusion's planners, which count from 1).
    builder.expr_planners().get_or_insert_with(Vec::new).insert(0, Arc::new(elements::Subscript));
    builder.expr_planners().get_or_insert_with(Vec::new).insert(0, Arc::new(implicit::SparkOperators));
    // DataFusion's avg over datafusion-spark's: the same answers and types as Spark's (a DOUBLE,
    // or DECIMAL(p+4, s+4) of a decimal, rounded half up as Spark's: `decimal`), and it slides
    // over a window frame (a moving average).
    builder.aggregate_functions().get_or_insert_with(Vec::new).extend([decimal::avg(), sum::sum(), hll::aggregate()]);
    builder.higher_order_functions().get_or_insert_with(Vec::new).push(fold::function());
    // rank, dense_rank, row_number and ntile typed INT, as Spark's (registered after DataFusion's,
    // whose names they take over).
    builder.window_functions().get_or_insert_with(Vec::new).extend(ranks::functions());
    // Spark's INT literals before type coercion, so coercion sees Spark's types; Spark's
    // operators after it (DataFusion's rules in between), as Spark's operators see the types.
    let mut rules: Vec<Arc<dyn datafusion::optimizer::AnalyzerRule + Send + Sync>> =
        vec![Arc::new(sets::SparkSetsAll), Arc::new(literals::SparkIntegers), Arc::new(implicit::SparkImplicitCasts)];
    rules.extend(datafusion::optimizer::Analyzer::new().rules);
    rules.push(Arc::new(ansi::SparkArithmetic));
    builder.with_analyzer_rules(rules).build()
}

/// Why a query's text was not planned.
#[derive(Debug)]
pub enum QueryError {
    /// Refused before parsing (`guard`).
    Guard(guard::Refusal),
    /// The text does not parse: a `DataFusionError::SQL`, whose message has the place.
    Syntax(DataFusionError),
    /// More than one statement.
    Several,
    /// One statement, but not a query: its first word.
    NotQuery(String),
    /// Spark SQL would refuse it, or the playground does not run it yet.
    Spark(Refusal),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Guard(guard::Refusal::Starts(_)) | QueryError::NotQuery(_) => write!(f, "must be one SELECT"),
            QueryError::Guard(long) => write!(f, "{long}: the SQL parser would take very long on it"),
            QueryError::Syntax(e) => write!(f, "{}", e.strip_backtrace()),
            QueryError::Several => write!(f, "must be one SELECT"),
            QueryError::Spark(refusal) => write!(f, "{}", refusal.message),
        }
    }
}

/// Plans a query's text as a step's is ([`parse_query`]), reading tables only.
pub async fn plan_query(
    ctx: &datafusion::execution::context::SessionContext,
    sql: &str,
) -> Result<datafusion::dataframe::DataFrame, String> {
    let state = ctx.state();
    let statement = parse_query(&state, sql).map_err(|e| e.to_string())?;
    let plan = statement_to_plan(&state, statement).await.map_err(|e| e.strip_backtrace())?;
    crate::run::read_only().verify_plan(&plan).map_err(|e| e.strip_backtrace())?;
    ctx.execute_logical_plan(plan).await.map_err(|e| e.strip_backtrace())
}

/// The one way a query's text is parsed: [`guard`] first, then the Spark dialect, then Spark's
/// refusals ([`check`]). `state` says which functions run.
pub fn parse_query(state: &SessionState, sql: &str) -> Result<DfStatement, QueryError> {
    let recursion = state.config().options().sql_parser.recursion_limit;
    let mut statements =
        guard::parse(&SparkDialect::TEXT, sql, guard::QUERY_START, recursion.into()).map_err(|e| match e {
            guard::ParseFailure::Refused(refusal) => QueryError::Guard(refusal),
            guard::ParseFailure::Syntax(e) => QueryError::Syntax(DataFusionError::SQL(Box::new(e), None)),
        })?;
    if statements.len() > 1 {
        return Err(QueryError::Several);
    }
    let Some(mut statement) = statements.pop() else {
        return Err(QueryError::Syntax(DataFusionError::SQL(
            Box::new(datafusion::sql::sqlparser::parser::ParserError::ParserError(
                "expected a SELECT, found: EOF".into(),
            )),
            None,
        )));
    };
    if !matches!(statement, Statement::Query(_)) {
        let verb = sql.split_whitespace().next().unwrap_or_default().to_uppercase();
        return Err(QueryError::NotQuery(verb));
    }
    let runs = |name: &str| {
        // `unnest` (what `explode` becomes) is planned by DataFusion's SQL planner itself.
        name == "unnest"
            || state.scalar_functions().contains_key(name)
            || state.aggregate_functions().contains_key(name)
            || state.window_functions().contains_key(name)
            || state.higher_order_functions().contains_key(name)
    };
    check::check(&mut statement, &runs).map_err(QueryError::Spark)?;
    Ok(DfStatement::Statement(Box::new(statement)))
}

/// Spark SQL reads `"text"` as a string literal (the article's DDL does); sqlparser's Hive dialect,
/// which the DDL is read in, reads it as an identifier (steps are read in [`SparkDialect`]). Rewrites double-quoted strings as single-quoted ones, leaving
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

//! The walk the DataFrame recipes share: how the steps' shapes ([`crate::logic`]) become a
//! transform file. Each of `pyspark`, `scala` and `sparklyr` writes the same shapes (a filtered
//! aggregate, a ranking window, a filter/projection, a step that stays SQL) in its own language,
//! and the walk over them — which verbs a step has and in which order, when the aggregate's
//! columns are selected again, how a filter nests, which literal stands where, how a step that
//! stays SQL reads the earlier ones — was written three times, one copy a recipe, and a change to
//! a shape had to be made three times alike. It is written once here; a recipe gives only its
//! words, in an [`Idiom`]: its operators, how it names a column or writes a literal, its null
//! checks, its verbs and its comments.
//!
//! The files are the same to the byte as each recipe wrote them with its own walk (the snapshots
//! in `tests/snapshots` hold them): where a recipe's copy differed from the others, the
//! difference is one of its words here (`lift`, `literal_alone`, `SELECT_AFTER_AGGREGATE`,
//! `WINDOW_NOTE`), not a change of output.

use crate::logic::{AggFunc, AggOutput, CompareOp, Expr, Input, RankFunc, Shape, SortKey, StepPlan, WindowOutput};
use crate::recipes::Context;
use crate::text::indent;

/// A literal of a filter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Literal<'a> {
    /// A number as written (`100`, `0.5`, `1e-3`).
    Number(&'a str),
    Str(&'a str),
    Bool(bool),
    Null,
    /// `DATE 'YYYY-MM-DD'`.
    Date(&'a str),
    /// `DATE '${date}'`: the run date, as a date.
    RunDate,
    /// `'${date}'`: the run date, as text.
    RunDateText,
}

impl<'a> Literal<'a> {
    fn of(e: &'a Expr) -> Option<Literal<'a>> {
        Some(match e {
            Expr::Number(n) => Literal::Number(n),
            Expr::Str(s) => Literal::Str(s),
            Expr::Bool(b) => Literal::Bool(*b),
            Expr::Null => Literal::Null,
            Expr::Date(d) => Literal::Date(d),
            Expr::RunDate => Literal::RunDate,
            Expr::RunDateText => Literal::RunDateText,
            _ => return None,
        })
    }
}

/// A ranking function over its window, as an idiom writes it.
pub(crate) struct Ranked {
    /// A line before the step's chain (the window, named), or none.
    pub before: Option<String>,
    /// A verb of its own in the chain, or none.
    pub verb: Option<String>,
    /// What the step's last `select` lists for it.
    pub selected: String,
}

/// A recipe's words for the walk: its language's operators, names, literals, verbs and comments.
pub(crate) trait Idiom {
    /// How the steps are written, in the comments: `DataFrame code`, `dplyr verbs`.
    const WRITTEN_AS: &'static str;
    /// A line comment's lead: `#`, `//`.
    const COMMENT: &'static str;
    /// What comes before the "Written in" comment of the transform file.
    const WRITTEN_LEAD: &'static str;
    /// The variable that holds the source table.
    const SOURCE: &'static str;
    /// What the transform's last line says before the result's variable: `return `, or nothing.
    const RETURN: &'static str;
    /// The transform's body is indented by this.
    const INDENT: &'static str;
    /// The helper that puts the run's parameters into a step's SQL, added when a step stays SQL.
    const WITH_PARAMS: &'static str;
    /// Before a verb: `.` where the verbs are methods, nothing where they are functions.
    const VERB: &'static str;
    /// The grouping verb: `groupBy`, `group_by`.
    const GROUP_BY: &'static str;
    /// An aggregate selects its outputs even when they come in the order the aggregate gives them.
    const SELECT_AFTER_AGGREGATE: bool = false;
    /// Comment lines said before a window step's code.
    const WINDOW_NOTE: &'static [&'static str] = &[];
    /// `=` and `<>` (`<`, `<=`, `>` and `>=` are as in SQL).
    const EQ: &'static str;
    const NOT_EQ: &'static str;
    /// `AND`, `OR` between parenthesised operands, and `NOT` before one.
    const AND: &'static str;
    const OR: &'static str;
    const NOT: &'static str;

    /// A string literal.
    fn string(&self, text: &str) -> String;
    /// A column as an expression (in a filter, an `ORDER BY` key).
    fn column(&self, name: &str) -> String;
    /// A column where a verb lists columns (`groupBy`, `select`, an aggregate's argument).
    fn name(&self, name: &str) -> String;
    /// A literal where it is an operand of a comparison.
    fn literal(&self, literal: Literal) -> String;
    /// A literal standing alone (a whole filter): as an operand unless the idiom says otherwise.
    fn literal_alone(&self, literal: Literal) -> String {
        self.literal(literal)
    }
    /// The left operand of a comparison when it is not a column, from its operand form.
    fn lift(&self, operand: String) -> String {
        operand
    }
    /// `e IS NULL`, `e IS NOT NULL`.
    fn is_null(&self, e: &str) -> String;
    fn is_not_null(&self, e: &str) -> String;
    /// An aggregate of a column (`None`: `COUNT(*)`); `None` where the idiom has no faithful form.
    fn agg(&self, func: AggFunc, column: Option<&str>) -> Option<String>;
    /// An output named `alias`.
    fn named(&self, e: &str, alias: &str) -> String;
    /// The aggregating verb over the (named) aggregates.
    fn summarise(&self, aggs: &str) -> String;
    /// A ranking function over its window, named `alias`; `window` is a name for the window where
    /// the idiom names it.
    fn rank(&self, func: RankFunc, partition_by: &[String], order_by: &[SortKey], alias: &str, window: &str) -> Ranked;
    /// The statement that sets `var` to the chain (the input, then the verbs).
    fn assign(&self, var: &str, chain: &[String]) -> String;
    /// The source table read into [`Idiom::SOURCE`].
    fn read_source(&self) -> String;
    /// An earlier step's result registered under its name, for a step that stays SQL.
    fn register(&self, var: &str, name: &str) -> String;
    /// `var` set to the result of a step's SQL, with the run's parameters put in.
    fn run_sql(&self, var: &str, sql: &str) -> String;
    /// The expression that adds the partition column, given its name (after the chain's verbs).
    fn add_partition(&self, column: &str) -> String;
}

/// The lowercase name of an aggregate function in Spark's API: `sum`, `count`, `min`, `max`, `avg`.
pub(crate) fn agg_name(func: AggFunc) -> &'static str {
    match func {
        AggFunc::Sum => "sum",
        AggFunc::Count => "count",
        AggFunc::Min => "min",
        AggFunc::Max => "max",
        AggFunc::Avg => "avg",
    }
}

/// The lowercase name of a ranking function in Spark's API: `rank`, `dense_rank`, `row_number`.
pub(crate) fn rank_name(func: RankFunc) -> &'static str {
    match func {
        RankFunc::Rank => "rank",
        RankFunc::DenseRank => "dense_rank",
        RankFunc::RowNumber => "row_number",
    }
}

/// A sort key's Column method: `asc`, `desc`, or with an explicit NULL placement (`desc_nulls_first`).
pub(crate) fn sort(key: &SortKey) -> &'static str {
    match (key.desc(), key.nulls_first, key.nulls_first()) {
        (false, None, _) => "asc",
        (true, None, _) => "desc",
        (false, Some(_), true) => "asc_nulls_first",
        (false, Some(_), false) => "asc_nulls_last",
        (true, Some(_), true) => "desc_nulls_first",
        (true, Some(_), false) => "desc_nulls_last",
    }
}

/// The transform file: `template` filled with the steps' code and the parts every recipe's
/// transform has; `extra` first (its placeholders are filled before the others).
pub(crate) fn transform_file<I: Idiom>(idiom: &I, ctx: &Context, template: &str, extra: &[(&str, &str)]) -> String {
    let mut body = vec![idiom.read_source()];
    for step in &ctx.steps {
        body.push(String::new());
        body.push(step_code(idiom, ctx, step));
    }
    body.push(format!("{}{}", I::RETURN, ctx.last().map(|s| s.var.as_str()).unwrap_or(I::SOURCE)));
    let parts = ctx.transform_parts(I::WRITTEN_LEAD, |s| idiom.string(s), |c| idiom.add_partition(c));
    let helper = if parts.sql_steps { I::WITH_PARAMS } else { "" };
    let body = indent(&body.join("\n"), I::INDENT);
    let columns = parts.columns.join(", ");
    let mut values = extra.to_vec();
    values.extend_from_slice(&[
        ("written", parts.written.as_str()),
        ("body", body.as_str()),
        ("with_params", helper),
        ("target_columns", columns.as_str()),
        ("with_partition", parts.with_partition.as_str()),
    ]);
    ctx.fill(template, &values)
}

fn input_var<I: Idiom>(ctx: &Context, input: Input) -> String {
    match input {
        Input::Source => I::SOURCE.into(),
        Input::Step(i) => ctx.steps.get(i).map(|s| s.var.clone()).unwrap_or_default(),
    }
}

/// A step's code: its shape in the idiom, or its SQL as it is.
fn step_code<I: Idiom>(idiom: &I, ctx: &Context, step: &StepPlan) -> String {
    let Some(shape) = &step.shape else { return sql_step(idiom, ctx, step) };
    let Some((before, verbs)) = verbs(idiom, step, shape) else { return sql_step(idiom, ctx, step) };
    let mut lines = vec![format!("{} {}: as {}.", I::COMMENT, step.name, I::WRITTEN_AS)];
    if matches!(shape, Shape::Window { .. }) {
        lines.extend(I::WINDOW_NOTE.iter().map(|line| line.to_string()));
    }
    lines.extend(before);
    let mut chain = vec![input_var::<I>(ctx, shape.input())];
    chain.extend(verbs);
    lines.push(idiom.assign(&step.var, &chain));
    lines.join("\n")
}

/// The lines before a shape's chain and its verbs; `None` where a part has no faithful form in
/// the idiom.
fn verbs<I: Idiom>(idiom: &I, step: &StepPlan, shape: &Shape) -> Option<(Vec<String>, Vec<String>)> {
    let (mut before, mut verbs) = (Vec::new(), Vec::new());
    let names = |columns: &[String]| columns.iter().map(|c| idiom.name(c)).collect::<Vec<_>>().join(", ");
    let select = |columns: &[String]| format!("{}select({})", I::VERB, names(columns));
    let filter = match shape {
        Shape::Aggregate { filter, .. } | Shape::Window { filter, .. } | Shape::Select { filter, .. } => filter,
    };
    if let Some(f) = filter {
        verbs.push(format!("{}filter({})", I::VERB, expr(idiom, f)));
    }
    match shape {
        Shape::Aggregate { group_by, outputs, .. } => {
            verbs.push(format!("{}{}({})", I::VERB, I::GROUP_BY, names(group_by)));
            let aggs = outputs
                .iter()
                .filter_map(|o| match o {
                    AggOutput::Agg { func, column, alias, .. } => {
                        Some(idiom.agg(*func, column.as_deref()).map(|a| idiom.named(&a, alias)))
                    }
                    AggOutput::Column(_) => None,
                })
                .collect::<Option<Vec<_>>>()?;
            verbs.push(idiom.summarise(&aggs.join(", ")));
            let wanted: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    AggOutput::Column(c) | AggOutput::Agg { alias: c, .. } => c.clone(),
                })
                .collect();
            let natural: Vec<String> = group_by
                .iter()
                .cloned()
                .chain(outputs.iter().filter_map(|o| match o {
                    AggOutput::Agg { alias, .. } => Some(alias.clone()),
                    AggOutput::Column(_) => None,
                }))
                .collect();
            if I::SELECT_AFTER_AGGREGATE || natural != wanted {
                verbs.push(select(&wanted));
            }
        }
        Shape::Window { outputs, .. } => {
            let ranks = outputs.iter().filter(|o| matches!(o, WindowOutput::Rank { .. })).count();
            let base = step.name.to_ascii_lowercase();
            let mut k = 0;
            let mut selected = Vec::new();
            for o in outputs {
                match o {
                    WindowOutput::Column(c) => selected.push(idiom.name(c)),
                    WindowOutput::Rank { func, partition_by, order_by, alias, .. } => {
                        k += 1;
                        let window = if ranks == 1 { format!("{base}_window") } else { format!("{base}_window_{k}") };
                        let ranked = idiom.rank(*func, partition_by, order_by, alias, &window);
                        before.extend(ranked.before);
                        verbs.extend(ranked.verb);
                        selected.push(ranked.selected);
                    }
                }
            }
            verbs.push(format!("{}select({})", I::VERB, selected.join(", ")));
        }
        Shape::Select { columns: Some(columns), .. } => verbs.push(select(columns)),
        Shape::Select { columns: None, .. } => {}
    }
    Some((before, verbs))
}

/// A step that stays SQL: the earlier steps it reads registered under their names, then its SQL.
fn sql_step<I: Idiom>(idiom: &I, ctx: &Context, step: &StepPlan) -> String {
    let (comment, written_as) = (I::COMMENT, I::WRITTEN_AS);
    let mut lines = vec![
        format!("{comment} {}: not one of the shapes written here as {written_as} (a filtered aggregate, a", step.name),
        format!("{comment} ranking window, a filter): it runs as Spark SQL, unchanged, reading earlier steps by name."),
    ];
    for &i in &step.reads {
        if let Some(read) = ctx.steps.get(i) {
            lines.push(idiom.register(&read.var, &read.name));
        }
    }
    lines.push(idiom.run_sql(&step.var, &step.sql));
    lines.join("\n")
}

/// A filter in the idiom.
pub(crate) fn expr<I: Idiom>(idiom: &I, e: &Expr) -> String {
    match e {
        Expr::Compare(l, op, r) => {
            let left = match l.as_ref() {
                Expr::Column(_) => expr(idiom, l),
                other => idiom.lift(operand(idiom, other)),
            };
            let op = match op {
                CompareOp::Eq => I::EQ,
                CompareOp::NotEq => I::NOT_EQ,
                other => other.sql(),
            };
            format!("{left} {op} {}", operand(idiom, r))
        }
        Expr::And(l, r) => format!("({}) {} ({})", expr(idiom, l), I::AND, expr(idiom, r)),
        Expr::Or(l, r) => format!("({}) {} ({})", expr(idiom, l), I::OR, expr(idiom, r)),
        Expr::Not(e) => format!("{}({})", I::NOT, expr(idiom, e)),
        Expr::Nested(e) => expr(idiom, e),
        Expr::IsNull(e) => idiom.is_null(&expr(idiom, e)),
        Expr::IsNotNull(e) => idiom.is_not_null(&expr(idiom, e)),
        Expr::Column(c) => idiom.column(c),
        other => Literal::of(other).map(|l| idiom.literal_alone(l)).unwrap_or_default(),
    }
}

/// An operand of a comparison: a literal in its operand form, a column, else the expression in
/// parentheses. The languages bind `==` differently from SQL's `=` (Python chains `a == b > 1`,
/// R reads `a == b & c` as `(a == b) & c`), so a comparison, AND, OR, NOT or null check inside a
/// comparison keeps its parentheses in every recipe.
fn operand<I: Idiom>(idiom: &I, e: &Expr) -> String {
    match e {
        Expr::Column(_) => expr(idiom, e),
        Expr::Nested(inner) => operand(idiom, inner),
        _ => Literal::of(e).map(|l| idiom.literal(l)).unwrap_or_else(|| format!("({})", expr(idiom, e))),
    }
}

/// Filters with every operator, every kind of literal on either side of a comparison, and one
/// standing alone: where the recipes' words differ most. The snapshots hold only a few of them.
#[cfg(test)]
pub(crate) mod filters {
    use std::collections::BTreeMap;

    use dataflow_engine::spec::Step;
    use dataflow_engine::PipelineSpec;

    use crate::logic::{plan_steps, Expr, Shape};

    pub(crate) const CONDITIONS: [&str; 8] = [
        "a = 1 OR a <> 2.5 OR a < .5 OR a <= 2147483648 OR a > 1e3 OR a >= 99999999999",
        "5 < a AND 'x' = b AND TRUE = c AND NULL = d",
        "DATE '${date}' = d AND '${date}' = t AND DATE '2022-01-02' < d",
        "d = DATE '2021-12-31' OR t = '${date}' OR s = 'it''s' OR c = FALSE OR d = NULL",
        "a IS NULL OR (b IS NOT NULL AND NOT (c))",
        "TRUE",
        "'${date}'",
        "flag = (view_hours > 1) OR NOT (a = b) = c",
    ];

    /// [`CONDITIONS`], read as the recipes get them.
    pub(crate) fn filters() -> Vec<Expr> {
        let mut spec = PipelineSpec::sample();
        spec.steps = CONDITIONS
            .iter()
            .enumerate()
            .map(|(i, c)| Step {
                name: format!("S{i}"),
                sql: format!("SELECT *\nFROM some_db.source_table\nWHERE {c}"),
            })
            .collect();
        let values = BTreeMap::from([("date".to_string(), "${date}".to_string())]);
        plan_steps(&spec, &values)
            .unwrap()
            .into_iter()
            .map(|s| match s.shape {
                Some(Shape::Select { filter: Some(f), .. }) => f,
                other => panic!("{}: {other:?}", s.sql),
            })
            .collect()
    }
}

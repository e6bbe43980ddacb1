//! The business logic, read from the user's steps: each step's SQL is recognised as one of the
//! shapes the DataFrame recipes write in their own idiom (a filtered aggregate, a ranking window,
//! a filter/projection), or kept as SQL that the recipe runs with `spark.sql(...)`.
//!
//! No silent loss: a shape is accepted only when writing it back as SQL parses to exactly the
//! statement the user wrote (every clause, operator and literal accounted for). Anything else —
//! joins, expressions in the projection, `HAVING`, `ORDER BY`, `DISTINCT`, backslashes in strings —
//! stays SQL.

use std::collections::BTreeMap;

use dataflow_engine::params::substitute;
use dataflow_engine::spark::spark_strings;
use dataflow_engine::{PipelineSpec, SOURCE_TABLE};
use sqlparser::ast::{
    self, BinaryOperator, DataType, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, ObjectNamePart,
    SelectItem, SetExpr, Statement, TableFactor, UnaryOperator, Value, WindowType,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::TemplateError;

/// The parameters a generated project takes at run time, from the workflow: every other
/// `${NAME}` is written into the code with the value the options give.
pub(crate) const RUN_TIME_PARAMS: [&str; 2] = ["date", "TARGET_DB"];

/// One step of the transform, ready for the recipes.
#[derive(Debug, Clone)]
pub(crate) struct StepPlan {
    /// The step's name, as later steps read it (`STEP_1`).
    pub name: String,
    /// The name of the variable that holds its result (`step_1_df`).
    pub var: String,
    /// The step's SQL with `${top_n}` and user parameters written in; `${date}` and
    /// `${TARGET_DB}` stay for run time.
    pub sql: String,
    /// The shape the DataFrame recipes write in their idiom; `None`: the SQL runs as it is.
    pub shape: Option<Shape>,
    /// The earlier steps the SQL reads (indices), for a recipe that runs it as SQL.
    pub reads: Vec<usize>,
}

/// Where a step reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// `some_db.source_table`.
    Source,
    /// An earlier step, by index.
    Step(usize),
}

/// The shapes the DataFrame recipes write in their own idiom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// `SELECT keys…, AGG(col) AS name… FROM input [WHERE …] GROUP BY keys…`.
    Aggregate { input: Input, filter: Option<Expr>, group_by: Vec<String>, outputs: Vec<AggOutput> },
    /// `SELECT cols…, RANK() OVER (PARTITION BY … ORDER BY …) AS name FROM input [WHERE …]`.
    Window { input: Input, filter: Option<Expr>, outputs: Vec<WindowOutput> },
    /// `SELECT cols… | * FROM input [WHERE …]`.
    Select { input: Input, filter: Option<Expr>, columns: Option<Vec<String>> },
}

impl Shape {
    /// The step's input.
    pub fn input(&self) -> Input {
        match self {
            Shape::Aggregate { input, .. } | Shape::Window { input, .. } | Shape::Select { input, .. } => *input,
        }
    }
}

/// One output of an aggregate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AggOutput {
    /// A grouping column.
    Column(String),
    /// `FUNC(column)` or `COUNT(*)` (`column: None`), named `alias`.
    Agg { func: AggFunc, written: String, column: Option<String>, alias: String },
}

/// The aggregate functions recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AggFunc {
    Sum,
    Count,
    Min,
    Max,
    Avg,
}

/// One output of a window step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WindowOutput {
    /// A column of the input.
    Column(String),
    /// A ranking function over a window, named `alias`.
    Rank { func: RankFunc, written: String, partition_by: Vec<String>, order_by: Vec<SortKey>, alias: String },
}

/// The ranking functions recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RankFunc {
    Rank,
    DenseRank,
    RowNumber,
}

/// One `ORDER BY` key of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortKey {
    pub column: String,
    /// `Some(false)`: `DESC`; `Some(true)`: `ASC`; `None`: not written (ascending).
    pub asc: Option<bool>,
    /// `NULLS FIRST`/`NULLS LAST` as written; `None`: Spark's default (first ascending, last descending).
    pub nulls_first: Option<bool>,
}

impl SortKey {
    /// Whether the key sorts descending.
    pub fn desc(&self) -> bool {
        self.asc == Some(false)
    }

    /// Where NULLs go, explicit or Spark's default: first when ascending, last when descending.
    pub fn nulls_first(&self) -> bool {
        self.nulls_first.unwrap_or(!self.desc())
    }
}

/// A filter expression the recipes write in their idiom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Column(String),
    /// A number as written (`100`, `0.5`, `1e-3`).
    Number(String),
    Str(String),
    Bool(bool),
    Null,
    /// `DATE 'YYYY-MM-DD'`.
    Date(String),
    /// `DATE '${date}'`: the run date, as a date.
    RunDate,
    /// `'${date}'`: the run date, as text (`YYYY-MM-DD`).
    RunDateText,
    Compare(Box<Expr>, CompareOp, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Nested(Box<Expr>),
    IsNull(Box<Expr>),
    IsNotNull(Box<Expr>),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

impl CompareOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::NotEq => "<>",
            CompareOp::Lt => "<",
            CompareOp::LtEq => "<=",
            CompareOp::Gt => ">",
            CompareOp::GtEq => ">=",
        }
    }
}

/// Reads the spec's steps: names checked, render-time parameters written in, shapes recognised.
pub(crate) fn plan_steps(
    spec: &PipelineSpec,
    values: &BTreeMap<String, String>,
) -> Result<Vec<StepPlan>, TemplateError> {
    if spec.steps.is_empty() {
        return Err(TemplateError::Spec("the pipeline has no steps".into()));
    }
    let mut plans: Vec<StepPlan> = Vec::new();
    for step in &spec.steps {
        let name = step.name.trim();
        if !is_identifier(name) {
            return Err(TemplateError::Spec(format!(
                "step name {name:?} is not an identifier (letters, digits and _, not starting with a digit)"
            )));
        }
        if plans.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
            return Err(TemplateError::Spec(format!("two steps are named {name}")));
        }
        let sql = substitute(name, step.sql.trim(), values)?;
        let names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
        let (shape, reads) = match parse_one(&sql) {
            Some(statement) => (recognise(&statement, &names), reads_of(&statement, &names)),
            None => (None, mentioned_steps(&sql, &names)),
        };
        plans.push(StepPlan { name: name.into(), var: format!("{}_df", name.to_ascii_lowercase()), sql, shape, reads });
    }
    Ok(plans)
}

/// Letters, digits and `_`, not starting with a digit (ASCII).
pub(crate) fn is_identifier(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_one(sql: &str) -> Option<Statement> {
    // Text the parser would take exponentially long on stays plain SQL (see engine::guard).
    let sql = spark_strings(sql);
    dataflow_engine::guard::check(&sql, dataflow_engine::guard::QUERY_START).ok()?;
    let mut statements = Parser::parse_sql(&GenericDialect {}, &sql).ok()?;
    (statements.len() == 1).then(|| statements.pop()).flatten()
}

/// The earlier steps a statement reads, by its table references.
fn reads_of(statement: &Statement, names: &[&str]) -> Vec<usize> {
    let mut reads = Vec::new();
    let _ = ast::visit_relations(statement, |relation| {
        if let [ObjectNamePart::Identifier(ident)] = relation.0.as_slice() {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(&ident.value)) {
                if !reads.contains(&i) {
                    reads.push(i);
                }
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    reads.sort_unstable();
    reads
}

/// The earlier steps whose names appear as words in SQL that does not parse here (Spark may read it).
fn mentioned_steps(sql: &str, names: &[&str]) -> Vec<usize> {
    let words: Vec<String> =
        sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map(|w| w.to_ascii_lowercase()).collect();
    (0..names.len()).filter(|&i| names.get(i).is_some_and(|n| words.contains(&n.to_ascii_lowercase()))).collect()
}

/// The shape of a statement, if it has one and says nothing more than the shape does.
fn recognise(statement: &Statement, names: &[&str]) -> Option<Shape> {
    let shape = shape_of(statement, names)?;
    let written = parse_one(&shape_sql(&shape, statement)?)?;
    (written.to_string() == statement.to_string()).then_some(shape)
}

fn shape_of(statement: &Statement, names: &[&str]) -> Option<Shape> {
    let Statement::Query(query) = statement else { return None };
    let SetExpr::Select(select) = query.body.as_ref() else { return None };
    let [from] = select.from.as_slice() else { return None };
    if !from.joins.is_empty() {
        return None;
    }
    let TableFactor::Table { name, alias: None, .. } = &from.relation else { return None };
    let input = if name.to_string().eq_ignore_ascii_case(SOURCE_TABLE) {
        Input::Source
    } else {
        match name.0.as_slice() {
            [ObjectNamePart::Identifier(ident)] if ident.quote_style.is_none() => {
                Input::Step(names.iter().position(|n| n.eq_ignore_ascii_case(&ident.value))?)
            }
            _ => return None,
        }
    };
    let filter = match &select.selection {
        Some(e) => Some(expr(e)?),
        None => None,
    };
    let group_by = match &select.group_by {
        GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => {
            exprs.iter().map(column).collect::<Option<Vec<_>>>()?
        }
        _ => return None,
    };
    if !group_by.is_empty() {
        let outputs = select
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::UnnamedExpr(e) => column(e).filter(|c| group_by.contains(c)).map(AggOutput::Column),
                SelectItem::ExprWithAlias { expr, alias } if alias.quote_style.is_none() => {
                    aggregate(expr, &alias.value)
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        return Some(Shape::Aggregate { input, filter, group_by, outputs });
    }
    if let [SelectItem::Wildcard(_)] = select.projection.as_slice() {
        return Some(Shape::Select { input, filter, columns: None });
    }
    let mut window = false;
    let outputs = select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) => column(e).map(WindowOutput::Column),
            SelectItem::ExprWithAlias { expr, alias } if alias.quote_style.is_none() => {
                window = true;
                rank(expr, &alias.value)
            }
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    if window {
        Some(Shape::Window { input, filter, outputs })
    } else {
        let columns = outputs
            .into_iter()
            .map(|o| match o {
                WindowOutput::Column(c) => Some(c),
                WindowOutput::Rank { .. } => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Shape::Select { input, filter, columns: Some(columns) })
    }
}

fn column(e: &ast::Expr) -> Option<String> {
    match e {
        ast::Expr::Identifier(ident) if ident.quote_style.is_none() && is_identifier(&ident.value) => {
            Some(ident.value.clone())
        }
        _ => None,
    }
}

/// The function's name and its plain arguments (no DISTINCT, FILTER, …; `None` for `*`).
fn call(e: &ast::Expr) -> Option<(&ast::Function, String, Vec<Option<String>>)> {
    let ast::Expr::Function(f) = e else { return None };
    let FunctionArguments::List(list) = &f.args else { return None };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() || f.filter.is_some() {
        return None;
    }
    let args = list
        .args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Some(None),
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => column(e).map(Some),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((f, f.name.to_string(), args))
}

fn aggregate(e: &ast::Expr, alias: &str) -> Option<AggOutput> {
    let (f, written, args) = call(e)?;
    if f.over.is_some() {
        return None;
    }
    let func = match written.to_ascii_uppercase().as_str() {
        "SUM" => AggFunc::Sum,
        "COUNT" => AggFunc::Count,
        "MIN" => AggFunc::Min,
        "MAX" => AggFunc::Max,
        "AVG" => AggFunc::Avg,
        _ => return None,
    };
    let column = match (func, args.as_slice()) {
        (AggFunc::Count, [None]) => None,
        (_, [Some(c)]) => Some(c.clone()),
        _ => return None,
    };
    Some(AggOutput::Agg { func, written, column, alias: alias.into() })
}

fn rank(e: &ast::Expr, alias: &str) -> Option<WindowOutput> {
    let (f, written, args) = call(e)?;
    let func = match written.to_ascii_uppercase().as_str() {
        "RANK" => RankFunc::Rank,
        "DENSE_RANK" => RankFunc::DenseRank,
        "ROW_NUMBER" => RankFunc::RowNumber,
        _ => return None,
    };
    let Some(WindowType::WindowSpec(spec)) = &f.over else { return None };
    if !args.is_empty() || spec.window_name.is_some() || spec.window_frame.is_some() || spec.order_by.is_empty() {
        return None;
    }
    let partition_by = spec.partition_by.iter().map(column).collect::<Option<Vec<_>>>()?;
    let order_by = spec
        .order_by
        .iter()
        .map(|o| {
            o.with_fill.is_none().then_some(())?;
            Some(SortKey { column: column(&o.expr)?, asc: o.options.asc, nulls_first: o.options.nulls_first })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(WindowOutput::Rank { func, written, partition_by, order_by, alias: alias.into() })
}

fn expr(e: &ast::Expr) -> Option<Expr> {
    let boxed = |e: &ast::Expr| expr(e).map(Box::new);
    Some(match e {
        ast::Expr::Identifier(_) => Expr::Column(column(e)?),
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, false) if is_number(n) => Expr::Number(n.clone()),
            Value::SingleQuotedString(s) if s == "${date}" => Expr::RunDateText,
            Value::SingleQuotedString(s) if !s.contains("${") && !s.contains('\\') => Expr::Str(s.clone()),
            Value::Boolean(b) => Expr::Bool(*b),
            Value::Null => Expr::Null,
            _ => return None,
        },
        ast::Expr::TypedString(ts) if ts.data_type == DataType::Date && !ts.uses_odbc_syntax => match &ts.value.value {
            Value::SingleQuotedString(s) if s == "${date}" => Expr::RunDate,
            Value::SingleQuotedString(s) if is_date(s) => Expr::Date(s.clone()),
            _ => return None,
        },
        ast::Expr::BinaryOp { left, op, right } => {
            let (l, r) = (boxed(left)?, boxed(right)?);
            match op {
                BinaryOperator::And => Expr::And(l, r),
                BinaryOperator::Or => Expr::Or(l, r),
                BinaryOperator::Eq => Expr::Compare(l, CompareOp::Eq, r),
                BinaryOperator::NotEq => Expr::Compare(l, CompareOp::NotEq, r),
                BinaryOperator::Lt => Expr::Compare(l, CompareOp::Lt, r),
                BinaryOperator::LtEq => Expr::Compare(l, CompareOp::LtEq, r),
                BinaryOperator::Gt => Expr::Compare(l, CompareOp::Gt, r),
                BinaryOperator::GtEq => Expr::Compare(l, CompareOp::GtEq, r),
                _ => return None,
            }
        }
        ast::Expr::UnaryOp { op: UnaryOperator::Not, expr } => Expr::Not(boxed(expr)?),
        ast::Expr::Nested(inner) => Expr::Nested(boxed(inner)?),
        ast::Expr::IsNull(inner) => Expr::IsNull(boxed(inner)?),
        ast::Expr::IsNotNull(inner) => Expr::IsNotNull(boxed(inner)?),
        _ => return None,
    })
}

/// A plain decimal number: digits, an optional fraction and exponent (no suffixes like `100L`).
fn is_number(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (text.get(..i).unwrap_or_default(), text.get(i + 1..)),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction) && exponent_ok
}

fn is_date(text: &str) -> bool {
    dataflow_engine::RunDate::parse(text).is_ok() && text.len() == 10
}

/// The shape written back as SQL, to check that it says everything the statement says.
fn shape_sql(shape: &Shape, statement: &Statement) -> Option<String> {
    let Statement::Query(query) = statement else { return None };
    let SetExpr::Select(select) = query.body.as_ref() else { return None };
    let from = select.from.first()?.relation.to_string();
    let filter = |f: &Option<Expr>| f.as_ref().map(|e| format!(" WHERE {}", expr_sql(e))).unwrap_or_default();
    Some(match shape {
        Shape::Select { filter: f, columns, .. } => {
            let columns = columns.as_ref().map(|c| c.join(", ")).unwrap_or_else(|| "*".into());
            format!("SELECT {columns} FROM {from}{}", filter(f))
        }
        Shape::Aggregate { filter: f, group_by, outputs, .. } => {
            let outputs: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    AggOutput::Column(c) => c.clone(),
                    AggOutput::Agg { written, column, alias, .. } => {
                        format!("{written}({}) AS {alias}", column.as_deref().unwrap_or("*"))
                    }
                })
                .collect();
            format!("SELECT {} FROM {from}{} GROUP BY {}", outputs.join(", "), filter(f), group_by.join(", "))
        }
        Shape::Window { filter: f, outputs, .. } => {
            let outputs: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    WindowOutput::Column(c) => c.clone(),
                    WindowOutput::Rank { written, partition_by, order_by, alias, .. } => {
                        format!("{written}() OVER ({}) AS {alias}", window_sql(partition_by, order_by))
                    }
                })
                .collect();
            format!("SELECT {} FROM {from}{}", outputs.join(", "), filter(f))
        }
    })
}

/// `PARTITION BY a ORDER BY b DESC`, as a window is written in SQL.
pub(crate) fn window_sql(partition_by: &[String], order_by: &[SortKey]) -> String {
    let mut parts = Vec::new();
    if !partition_by.is_empty() {
        parts.push(format!("PARTITION BY {}", partition_by.join(", ")));
    }
    let keys: Vec<String> = order_by
        .iter()
        .map(|k| {
            let mut key = k.column.clone();
            match k.asc {
                Some(true) => key.push_str(" ASC"),
                Some(false) => key.push_str(" DESC"),
                None => {}
            }
            match k.nulls_first {
                Some(true) => key.push_str(" NULLS FIRST"),
                Some(false) => key.push_str(" NULLS LAST"),
                None => {}
            }
            key
        })
        .collect();
    parts.push(format!("ORDER BY {}", keys.join(", ")));
    parts.join(" ")
}

/// A filter expression as SQL.
pub(crate) fn expr_sql(e: &Expr) -> String {
    match e {
        Expr::Column(c) => c.clone(),
        Expr::Number(n) => n.clone(),
        Expr::Str(s) => format!("'{}'", s.replace('\'', "''")),
        Expr::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Expr::Null => "NULL".into(),
        Expr::Date(d) => format!("DATE '{d}'"),
        Expr::RunDate => "DATE '${date}'".into(),
        Expr::RunDateText => "'${date}'".into(),
        Expr::Compare(l, op, r) => format!("{} {} {}", expr_sql(l), op.sql(), expr_sql(r)),
        Expr::And(l, r) => format!("{} AND {}", expr_sql(l), expr_sql(r)),
        Expr::Or(l, r) => format!("{} OR {}", expr_sql(l), expr_sql(r)),
        Expr::Not(e) => format!("NOT {}", expr_sql(e)),
        Expr::Nested(e) => format!("({})", expr_sql(e)),
        Expr::IsNull(e) => format!("{} IS NULL", expr_sql(e)),
        Expr::IsNotNull(e) => format!("{} IS NOT NULL", expr_sql(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<String, String> {
        let mut values = PipelineSpec::sample().params.values();
        for p in RUN_TIME_PARAMS {
            values.insert(p.into(), format!("${{{p}}}"));
        }
        values
    }

    fn plan(sqls: &[&str]) -> Vec<StepPlan> {
        let mut spec = PipelineSpec::sample();
        spec.steps = sqls
            .iter()
            .enumerate()
            .map(|(i, sql)| dataflow_engine::Step { name: format!("STEP_{}", i + 1), sql: (*sql).into() })
            .collect();
        plan_steps(&spec, &values()).unwrap()
    }

    #[test]
    fn the_sample_steps_have_the_three_shapes() {
        let plans = plan_steps(&PipelineSpec::sample(), &values()).unwrap();
        let Some(Shape::Aggregate { input: Input::Source, filter: Some(filter), group_by, outputs }) = &plans[0].shape
        else {
            panic!("{:?}", plans[0].shape)
        };
        assert_eq!(
            filter,
            &Expr::Compare(Box::new(Expr::Column("playback_date".into())), CompareOp::Eq, Box::new(Expr::RunDate))
        );
        assert_eq!(group_by, &["title_id", "country_code"]);
        assert_eq!(outputs.len(), 3);
        let Some(Shape::Window { input: Input::Step(0), filter: None, outputs }) = &plans[1].shape else {
            panic!("{:?}", plans[1].shape)
        };
        assert!(matches!(&outputs[3], WindowOutput::Rank { func: RankFunc::Rank, partition_by, order_by, alias, .. }
            if partition_by == &["country_code"] && order_by[0].desc() && !order_by[0].nulls_first() && alias == "title_rank"));
        let Some(Shape::Select { input: Input::Step(1), filter: Some(f), columns: Some(c) }) = &plans[2].shape else {
            panic!("{:?}", plans[2].shape)
        };
        assert_eq!(expr_sql(f), "title_rank <= 100", "top_n is written in");
        assert_eq!(c.len(), 4);
        assert_eq!((plans[2].reads.as_slice(), plans[2].var.as_str()), (&[1][..], "step_3_df"));
    }

    #[test]
    fn anything_more_than_a_shape_stays_sql() {
        let kept = [
            "SELECT title_id, UPPER(country_code) AS country_code FROM some_db.source_table",
            "SELECT DISTINCT title_id FROM some_db.source_table",
            "SELECT title_id FROM some_db.source_table ORDER BY title_id",
            "SELECT title_id FROM some_db.source_table LIMIT 3",
            "SELECT title_id, SUM(view_hours) AS h FROM some_db.source_table GROUP BY title_id HAVING SUM(view_hours) > 1",
            "SELECT title_id, SUM(DISTINCT view_hours) AS h FROM some_db.source_table GROUP BY title_id",
            "SELECT title_id, SUM(view_hours) FROM some_db.source_table GROUP BY title_id",
            "SELECT a.title_id FROM some_db.source_table a",
            "SELECT title_id FROM some_db.source_table JOIN other ON true",
            "SELECT title_id FROM other_db.t",
            "SELECT title_id FROM some_db.source_table WHERE country_code = 'a\\'b'",
            "SELECT title_id FROM some_db.source_table WHERE view_hours > 1 + 1",
            "SELECT title_id FROM some_db.source_table WHERE view_hours > 100L",
            "SELECT title_id FROM ${TARGET_DB}.t",
            "SELECT title_id, RANK() OVER (ORDER BY view_hours ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM some_db.source_table",
            "SELECT title_id FROM some_db.source_table UNION ALL SELECT title_id FROM some_db.source_table",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "SELECT title_id FROM STEP_9",
        ];
        for sql in kept {
            assert_eq!(plan(&[sql])[0].shape, None, "{sql}");
        }
    }

    #[test]
    fn filters_with_every_recognised_form_are_kept_whole() {
        let sql = "SELECT * FROM some_db.source_table WHERE NOT (country_code <> \"US\" OR view_hours IS NULL) \
                   AND playback_date >= DATE '2021-12-31' AND title_id IS NOT NULL AND country_code = '${date}' AND TRUE";
        let plans = plan(&[sql]);
        let Some(Shape::Select { filter: Some(f), columns: None, .. }) = &plans[0].shape else { panic!() };
        assert_eq!(
            expr_sql(f),
            "NOT (country_code <> 'US' OR view_hours IS NULL) AND playback_date >= DATE '2021-12-31' \
             AND title_id IS NOT NULL AND country_code = '${date}' AND TRUE"
        );
    }

    #[test]
    fn reads_and_names() {
        let plans =
            plan(&["SELECT * FROM some_db.source_table", "SELECT * FROM step_1 UNION ALL SELECT * FROM STEP_1"]);
        assert_eq!(plans[1].reads, [0]);
        let mut spec = PipelineSpec::sample();
        spec.steps[1].name = "step 2".into();
        assert!(plan_steps(&spec, &values()).unwrap_err().to_string().contains("\"step 2\" is not an identifier"));
        spec.steps[1].name = "step_1".into();
        assert_eq!(plan_steps(&spec, &values()).unwrap_err().to_string(), "pipeline: two steps are named step_1");
        spec.steps[1].name = "STEP_2".into();
        spec.steps[2].sql = "SELECT ${nope}".into();
        assert_eq!(
            plan_steps(&spec, &values()).unwrap_err().to_string(),
            "pipeline: step STEP_3: unknown parameter ${nope}"
        );
    }

    #[test]
    fn numbers() {
        for ok in ["1", "100", "0.5", ".5", "1.", "1e-3", "2E+10"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", ".", "1e", "1L", "0x1F", "1.5BD", "-1"] {
            assert!(!is_number(bad), "{bad}");
        }
    }
}

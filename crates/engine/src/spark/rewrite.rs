//! Spark functions and expressions that DataFusion has under another name or shape, rewritten in
//! the statement before it is planned (`check` calls these as it visits each expression):
//! renames (`ucase` is `upper`), new shapes (`count_if(x)` is `count(*) FILTER (WHERE x)`,
//! `nvl2(x, a, b)` a CASE), and the statistics of `stats` over `collect_list`.

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, CaseWhen, CastKind, CeilFloorKind, DataType, Expr, Function, FunctionArg,
    FunctionArgExpr, FunctionArgumentClause, FunctionArgumentList, FunctionArguments, Ident, NullTreatment, ObjectName,
    OrderByExpr, OrderByOptions, Subscript, Value,
};

use super::stats;

/// Spark functions that are DataFusion functions under another name or shape.
pub fn rewrite(function: &mut Function, name: &str) {
    // Same function, another name (arguments and answers as Spark's).
    let renamed = match name {
        "ucase" => Some("upper"),
        "lcase" => Some("lower"),
        "every" => Some("bool_and"),
        "some" | "any" => Some("bool_or"),
        "variance" => Some("var_samp"),
        "std" => Some("stddev"),
        "sign" => Some("signum"),
        "startswith" => Some("starts_with"),
        "endswith" => Some("ends_with"),
        // Spark 4's size of NULL is NULL (DataFusion's cardinality; datafusion-spark's size says -1).
        "size" | "array_size" => Some("cardinality"),
        // Spark's array_agg is collect_list: NULLs are left out (DataFusion's keeps them).
        "array_agg" => Some("collect_list"),
        // array_remove removes every element equal to the value (DataFusion's, the first).
        "array_remove" => Some("array_remove_all"),
        "to_unix_timestamp" => Some("unix_timestamp"),
        // sequence(a, b): the numbers from a to b, both included.
        "sequence" => Some("generate_series"),
        // Higher-order functions: DataFusion's take the same array and lambda.
        "transform" => Some("array_transform"),
        "filter" => Some("array_filter"),
        "exists" => Some("array_any_match"),
        _ => None,
    };
    if let Some(renamed) = renamed {
        function.name = object_name(renamed);
        return;
    }
    if name == "approx_count_distinct" {
        approx_count_distinct(function);
        return;
    }
    if stats::Stat::of(name).is_some() {
        statistic(function, name);
        return;
    }
    match name {
        // grouping_id(a, b): the bits of grouping(a), grouping(b), as DataFusion's grouping(a, b).
        "grouping_id" if matches!(&function.args, FunctionArguments::List(l) if !l.args.is_empty()) => {
            function.name = object_name("grouping");
        }
        // date_trunc of a DATE truncates it as a TIMESTAMP (Spark casts it).
        "date_trunc" => {
            if let FunctionArguments::List(list) = &mut function.args {
                if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) = list.args.get_mut(1) {
                    *e =
                        cast(e.clone(), DataType::Timestamp(None, datafusion::sql::sqlparser::ast::TimezoneInfo::None));
                }
            }
        }
        // string_agg(x, sep) WITHIN GROUP (ORDER BY y) orders as string_agg(x, sep ORDER BY y).
        "string_agg" | "listagg" if !function.within_group.is_empty() => {
            let order = std::mem::take(&mut function.within_group);
            function.name = object_name("string_agg");
            if let FunctionArguments::List(list) = &mut function.args {
                if list.args.len() == 1 {
                    list.args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(text(""))));
                }
                list.clauses.push(FunctionArgumentClause::OrderBy(order));
            }
        }
        // count(DISTINCT a, b): the distinct pairs where neither is NULL.
        "count" => {
            let FunctionArguments::List(list) = &mut function.args else { return };
            if list.duplicate_treatment != Some(datafusion::sql::sqlparser::ast::DuplicateTreatment::Distinct)
                || list.args.len() < 2
            {
                return;
            }
            let mut values = Vec::new();
            let mut all_set: Option<Expr> = None;
            for (i, arg) in list.args.iter().enumerate() {
                let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg else { return };
                values.push(text(&format!("c{i}")));
                values.push(e.clone());
                let set = Expr::IsNotNull(Box::new(e.clone()));
                all_set = Some(match all_set {
                    Some(acc) => binary(acc, BinaryOperator::And, set),
                    None => set,
                });
            }
            let Some(all_set) = all_set else { return };
            let pair = case(None, vec![(all_set, call("named_struct", values))], None);
            list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(pair))];
        }
        // replace(s, search) removes `search`.
        "replace" => {
            if let FunctionArguments::List(list) = &mut function.args {
                if list.args.len() == 2 {
                    let empty = Expr::Value(Value::SingleQuotedString(String::new()).into());
                    list.args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(empty)));
                }
            }
        }
        // first(x[, ignoreNulls]) and last(…) are first_value and last_value.
        "first" | "last" => {
            function.name = object_name(if name == "first" { "first_value" } else { "last_value" });
            if let FunctionArguments::List(list) = &mut function.args {
                if list.args.len() == 2 {
                    let ignore = list.args.pop();
                    let yes = matches!(&ignore, Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))) if v.value == Value::Boolean(true));
                    if yes {
                        function.null_treatment = Some(NullTreatment::IgnoreNulls);
                    }
                }
            }
        }
        // sort_array(a[, asc]): NULLs first ascending, last descending; array_sort(a): NULLs last.
        "sort_array" | "array_sort" => {
            let FunctionArguments::List(list) = &mut function.args else { return };
            let ascending = match list.args.get(1) {
                None => true,
                Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))) if name == "sort_array" => {
                    v.value != Value::Boolean(false)
                }
                _ => return,
            };
            list.args.truncate(1);
            let nulls = if name == "array_sort" || !ascending { "NULLS LAST" } else { "NULLS FIRST" };
            list.args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(text(if ascending { "ASC" } else { "DESC" }))));
            list.args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(text(nulls))));
            function.name = object_name("array_sort");
        }
        // percentile_disc(p) WITHIN GROUP (ORDER BY x) is a value of the data, as percentile_approx.
        "percentile_disc" => {
            let [order] = function.within_group.as_slice() else { return };
            if order.options.asc == Some(false) {
                return;
            }
            let values = order.expr.clone();
            function.within_group.clear();
            if let FunctionArguments::List(list) = &mut function.args {
                list.args.insert(0, FunctionArg::Unnamed(FunctionArgExpr::Expr(values)));
            }
            statistic(function, "percentile_approx");
        }
        // locate(substr, str) is instr(str, substr).
        "locate" => {
            if let FunctionArguments::List(list) = &mut function.args {
                if list.args.len() == 2 {
                    list.args.swap(0, 1);
                    function.name = object_name("instr");
                }
            }
        }
        // count_if(x) is count(*) over the rows where x is true.
        "count_if" => {
            let Some(condition) = single_arg(function) else { return };
            function.name = object_name("count");
            function.args = FunctionArguments::List(FunctionArgumentList {
                duplicate_treatment: None,
                args: vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)],
                clauses: vec![],
            });
            function.filter = Some(Box::new(match function.filter.take() {
                Some(filter) => Expr::BinaryOp { left: filter, op: BinaryOperator::And, right: Box::new(condition) },
                None => condition,
            }));
        }
        // max_by(x, y): the x of the row with the largest y (rows where y is NULL do not count).
        "max_by" | "min_by" => {
            let FunctionArguments::List(list) = &function.args else { return };
            let [FunctionArg::Unnamed(FunctionArgExpr::Expr(value)), FunctionArg::Unnamed(FunctionArgExpr::Expr(by))] =
                list.args.as_slice()
            else {
                return;
            };
            let (value, by) = (value.clone(), by.clone());
            let not_null = Expr::IsNotNull(Box::new(by.clone()));
            function.name = object_name("first_value");
            function.args = FunctionArguments::List(FunctionArgumentList {
                duplicate_treatment: None,
                args: vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(value))],
                clauses: vec![FunctionArgumentClause::OrderBy(vec![OrderByExpr {
                    expr: by,
                    options: OrderByOptions { asc: Some(name == "min_by"), nulls_first: Some(false) },
                    with_fill: None,
                }])],
            });
            function.filter = Some(Box::new(match function.filter.take() {
                Some(filter) => Expr::BinaryOp { left: filter, op: BinaryOperator::And, right: Box::new(not_null) },
                None => not_null,
            }));
        }
        _ => {}
    }
}

/// `percentile_approx(x, p)` (and the other `stats`) as `__spark_percentile_approx(collect_list(x),
/// p)`: the call's DISTINCT, FILTER and OVER go with `collect_list`, which gathers the group's values.
fn statistic(function: &mut Function, name: &str) {
    let Some((stat, extra)) = stats::Stat::of(name) else { return };
    let FunctionArguments::List(list) = &mut function.args else { return };
    if list.args.is_empty() || !extra.contains(&(list.args.len() - 1)) {
        return;
    }
    let mut args: Vec<Expr> = Vec::new();
    for arg in &list.args {
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg else { return };
        args.push(e.clone());
    }
    // percentile_approx's accuracy bounds Spark's estimate; the answer here is exact.
    args.truncate(if stat == stats::Stat::Mode { 1 } else { 2 });
    let values = args.remove(0);
    let mut gather = call("collect_list", vec![values]);
    if let Expr::Function(inner) = &mut gather {
        if let FunctionArguments::List(inner_list) = &mut inner.args {
            inner_list.duplicate_treatment = list.duplicate_treatment.take();
        }
        inner.filter = function.filter.take();
        inner.over = function.over.take();
    }
    args.insert(0, gather);
    let Expr::Function(helper) = call(stat.function(), args) else { return };
    *function = Function { name: ObjectName::from(vec![Ident::with_quote('`', stat.function())]), ..helper };
}

/// `approx_count_distinct(x[, rsd])` as `__spark_hll(CASE WHEN x IS NOT NULL THEN xxhash64(x) END,
/// p)`: Spark's sketch over Spark's hash (`hll`); FILTER and OVER stay on the call.
fn approx_count_distinct(function: &mut Function) {
    let FunctionArguments::List(list) = &mut function.args else { return };
    let (value, rsd) = match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(v))] => (v.clone(), 0.05),
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(v)), FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(r)))] => {
            match &r.value {
                Value::Number(n, _) => (v.clone(), n.parse::<f64>().unwrap_or(f64::NAN)),
                _ => return,
            }
        }
        _ => return,
    };
    let Some(p) = super::hll::precision(rsd) else { return };
    let hashed = case(None, vec![(Expr::IsNotNull(Box::new(value.clone())), call("xxhash64", vec![value]))], None);
    list.args = vec![
        FunctionArg::Unnamed(FunctionArgExpr::Expr(hashed)),
        FunctionArg::Unnamed(FunctionArgExpr::Expr(number(&p.to_string()))),
    ];
    function.name = ObjectName::from(vec![Ident::with_quote('`', super::hll::NAME)]);
}

/// A call of `name` with `args`.
pub fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: object_name(name),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

pub fn text(value: &str) -> Expr {
    Expr::Value(Value::SingleQuotedString(value.to_string()).into())
}

pub fn object_name(name: &str) -> ObjectName {
    ObjectName::from(vec![Ident::new(name)])
}

pub fn single_arg(function: &Function) -> Option<Expr> {
    let FunctionArguments::List(list) = &function.args else { return None };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))] => Some(e.clone()),
        _ => None,
    }
}

fn args_of(function: &Function) -> Option<Vec<Expr>> {
    let FunctionArguments::List(list) = &function.args else { return Some(vec![]) };
    list.args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn case(operand: Option<Expr>, whens: Vec<(Expr, Expr)>, otherwise: Option<Expr>) -> Expr {
    Expr::Case {
        case_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        end_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        operand: operand.map(Box::new),
        conditions: whens.into_iter().map(|(condition, result)| CaseWhen { condition, result }).collect(),
        else_result: otherwise.map(Box::new),
    }
}

fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp { left: Box::new(left), op, right: Box::new(right) }
}

fn number(n: &str) -> Expr {
    Expr::Value(Value::Number(n.to_string(), false).into())
}

fn null() -> Expr {
    Expr::Value(Value::Null.into())
}

fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast { kind: CastKind::Cast, expr: Box::new(expr), data_type, array: false, format: None }
}

/// The text of a string literal.
fn literal_text(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Expressions of Spark's that DataFusion reads differently or not at all; true if `expr` changed.
pub fn expression(expr: &mut Expr) -> bool {
    let ceil = matches!(expr, Expr::Ceil { .. });
    match expr {
        // struct(a, b) names its fields after the columns (`col1`, … for other expressions).
        Expr::Struct { values, fields } if fields.is_empty() => {
            let mut args = Vec::new();
            for (i, value) in values.iter().enumerate() {
                let (name, value) = match value {
                    Expr::Named { expr, name } => (name.value.clone(), (**expr).clone()),
                    Expr::Identifier(ident) => (ident.value.clone(), value.clone()),
                    Expr::CompoundIdentifier(parts) => {
                        (parts.last().map(|p| p.value.clone()).unwrap_or_default(), value.clone())
                    }
                    other => (format!("col{}", i + 1), other.clone()),
                };
                args.push(text(&name));
                args.push(value);
            }
            *expr = call("named_struct", args);
            true
        }
        // (expr).field is the struct's field, as expr['field'].
        Expr::CompoundFieldAccess { access_chain, .. } => {
            let mut changed = false;
            for access in access_chain.iter_mut() {
                if let AccessExpr::Dot(Expr::Identifier(ident)) = access {
                    *access = AccessExpr::Subscript(Subscript::Index { index: text(&ident.value) });
                    changed = true;
                }
            }
            changed
        }
        // ceil(x, d) and floor(x, d): to d decimal places.
        Expr::Ceil { expr: inner, field: CeilFloorKind::Scale(scale) }
        | Expr::Floor { expr: inner, field: CeilFloorKind::Scale(scale) } => {
            let name = if ceil { "ceil" } else { "floor" };
            let Value::Number(digits, _) = &scale.value else { return false };
            let Ok(places) = digits.parse::<i32>() else { return false };
            if !(0..=18).contains(&places) {
                return false;
            }
            let power = format!("1{}", "0".repeat(places as usize));
            let scaled = binary((**inner).clone(), BinaryOperator::Multiply, number(&power));
            let rounded = binary(call(name, vec![scaled]), BinaryOperator::Divide, number(&power));
            *expr = cast(
                rounded,
                DataType::Decimal(datafusion::sql::sqlparser::ast::ExactNumberInfo::PrecisionAndScale(
                    38,
                    i64::from(places),
                )),
            );
            true
        }
        // LIKE … ESCAPE 'c': DataFusion escapes with a backslash only.
        Expr::Like { pattern, escape_char: escape @ Some(_), .. }
        | Expr::ILike { pattern, escape_char: escape @ Some(_), .. } => {
            let Some(Value::SingleQuotedString(c)) = escape.as_ref().map(|v| &v.value) else { return false };
            let mut chars = c.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return false };
            let Some(text_pattern) = literal_text(pattern) else { return false };
            let mut out = String::new();
            let mut it = text_pattern.chars();
            while let Some(ch) = it.next() {
                if ch == c {
                    if let Some(next) = it.next() {
                        out.push('\\');
                        out.push(next);
                    }
                } else if ch == '\\' {
                    out.push_str("\\\\");
                } else {
                    out.push(ch);
                }
            }
            **pattern = text(&out);
            *escape = None;
            true
        }
        _ => false,
    }
}

/// A unit of `timestampdiff`/`timestampadd` (an identifier such as `HOUR`), as text.
fn unit(expr: &Expr) -> Option<Expr> {
    match expr {
        Expr::Identifier(ident) if ident.quote_style.is_none() => Some(text(&ident.value.to_uppercase())),
        _ => literal_text(expr).map(|t| text(&t.to_uppercase())),
    }
}

/// Spark's `timestampdiff(unit, a, b)`, `timestampadd(unit, n, t)` and their `datediff`/`dateadd`
/// spellings with a unit, as this layer's functions (`datetime`); `None` for other calls.
pub fn unit_call(function: &Function, name: &str) -> Option<Expr> {
    let args = args_of(function)?;
    let [first, a, b] = args.as_slice() else { return None };
    let helper = match name {
        "timestampdiff" | "datediff" | "date_diff" => "__spark_timestampdiff",
        "timestampadd" | "dateadd" | "date_add" => "__spark_timestampadd",
        _ => return None,
    };
    let unit = unit(first)?;
    Some(helper_call(helper, vec![unit, a.clone(), b.clone()]))
}

/// A call of one of this layer's helper functions (quoted, so `check` lets it through).
pub fn helper_call(name: &str, args: Vec<Expr>) -> Expr {
    let mut e = call(name, args);
    if let Expr::Function(f) = &mut e {
        f.name = ObjectName::from(vec![Ident::with_quote('`', name)]);
    }
    e
}

/// Spark functions that are another DataFusion expression (a CASE, a cast); `None` for others.
pub fn function_expression(function: &Function, name: &str) -> Option<Expr> {
    let args = args_of(function)?;
    let is_not_null = |e: &Expr| Expr::IsNotNull(Box::new(e.clone()));
    match (name, args.as_slice()) {
        ("nvl2", [x, a, b]) => Some(case(None, vec![(is_not_null(x), a.clone())], Some(b.clone()))),
        // decode(x, k1, v1, …, default): the first key equal to x (NULL matches NULL).
        ("decode", [x, rest @ ..]) if rest.len() >= 2 => {
            let whens = rest
                .chunks(2)
                .filter_map(|pair| match pair {
                    [k, v] => Some((binary(x.clone(), BinaryOperator::Spaceship, k.clone()), v.clone())),
                    _ => None,
                })
                .collect();
            let otherwise = if rest.len() % 2 == 1 { rest.last().cloned() } else { None };
            Some(case(None, whens, otherwise))
        }
        // decode(bytes, 'UTF-8') and encode(text, 'UTF-8'): text and its UTF-8 bytes.
        ("decode" | "encode", [x, charset]) if is_utf8(charset) => {
            let to = if name == "decode" { DataType::String(None) } else { DataType::Bytea };
            Some(cast(x.clone(), to))
        }
        // forall(a, x -> p): no element where p is false, as NOT array_any_match(a, x -> NOT p).
        ("forall", [array, Expr::Lambda(lambda)]) => {
            let mut negated = lambda.clone();
            negated.body = Box::new(Expr::UnaryOp {
                op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
                expr: Box::new(Expr::Nested(lambda.body.clone())),
            });
            Some(Expr::UnaryOp {
                op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
                expr: Box::new(call("exists", vec![array.clone(), Expr::Lambda(negated)])),
            })
        }
        ("zeroifnull", [x]) => Some(call("coalesce", vec![x.clone(), number("0")])),
        ("nullifzero", [x]) => Some(call("nullif", vec![x.clone(), number("0")])),
        ("try_mod", [a, b]) => Some(case(
            None,
            vec![(binary(b.clone(), BinaryOperator::Eq, number("0")), null())],
            Some(binary(a.clone(), BinaryOperator::Modulo, b.clone())),
        )),
        // locate(sub, s, pos): the position of sub in s from pos on, 0 if none (or pos < 1).
        ("locate" | "position", [sub, s, pos]) => {
            let found = call("instr", vec![call("substring", vec![s.clone(), pos.clone()]), sub.clone()]);
            let at =
                binary(binary(found.clone(), BinaryOperator::Plus, pos.clone()), BinaryOperator::Minus, number("1"));
            Some(case(
                None,
                vec![
                    (binary(pos.clone(), BinaryOperator::Lt, number("1")), number("0")),
                    (binary(found, BinaryOperator::Eq, number("0")), number("0")),
                ],
                Some(at),
            ))
        }
        // isnan(NULL) is false in Spark (DataFusion's is NULL).
        ("isnan", [x]) => Some(Expr::IsTrue(Box::new(datafusion_call("isnan", vec![x.clone()])))),
        ("timestamp_seconds", [n]) => Some(cast(
            datafusion_call("to_timestamp_seconds", vec![n.clone()]),
            DataType::Timestamp(None, datafusion::sql::sqlparser::ast::TimezoneInfo::None),
        )),
        ("date_from_unix_date", [n]) => Some(call(
            "date_add",
            vec![
                Expr::TypedString(datafusion::sql::sqlparser::ast::TypedString {
                    data_type: DataType::Date,
                    value: Value::SingleQuotedString("1970-01-01".into()).into(),
                    uses_odbc_syntax: false,
                }),
                n.clone(),
            ],
        )),
        _ => None,
    }
}

/// A call of DataFusion's own function `name`: its name is double-quoted, which no step's text
/// can write (a double-quoted word is a string in Spark SQL), and `check` lets it through.
pub fn datafusion_call(name: &str, args: Vec<Expr>) -> Expr {
    let mut e = call(name, args);
    if let Expr::Function(f) = &mut e {
        f.name = ObjectName::from(vec![Ident::with_quote('"', name)]);
    }
    e
}

fn is_utf8(charset: &Expr) -> bool {
    literal_text(charset).is_some_and(|c| matches!(c.to_uppercase().replace('-', "").as_str(), "UTF8"))
}

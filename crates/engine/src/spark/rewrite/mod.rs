//! Spark functions and expressions that DataFusion has under another name or shape, rewritten in
//! the statement before it is planned (`check` calls these as it visits each expression):
//! renames (`ucase` is `upper`), new shapes (`count_if(x)` is `count(*) FILTER (WHERE x)`,
//! `nvl2(x, a, b)` a CASE), and the statistics of `stats` over `collect_list`.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArgumentList, FunctionArguments, Ident, NullTreatment, ObjectName, OrderByExpr, OrderByOptions, Value,
};

use super::stats;

mod build;
mod expressions;

use build::{binary, case, cast, number};
pub use build::{call, helper_call, object_name, single_arg, text};
pub use expressions::{expression, function_expression, unit_call};

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

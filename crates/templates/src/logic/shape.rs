//! Reading a statement's shape: a filter/projection, a filtered aggregate or a ranking window over
//! one table, each column, call and condition in the few forms the recipes write in their idiom.
//! What it does not know is `None`, and the step stays SQL.

use sqlparser::ast::{
    self, BinaryOperator, DataType, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, SelectItem, SetExpr,
    Statement, TableFactor, UnaryOperator, Value, WindowType,
};

use super::*;

pub(super) fn shape_of(statement: &Statement, names: &[&str]) -> Option<Shape> {
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

#[cfg(test)]
mod tests {
    use super::is_number;

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

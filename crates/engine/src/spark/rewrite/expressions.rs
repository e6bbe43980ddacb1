//! Expressions of Spark's that DataFusion reads differently or not at all (part of
//! [`super`]): `struct(a, b)`'s field names, `CEIL`/`FLOOR` with a scale, `timestampdiff` and
//! `timestampadd` with a unit, `nvl2`, `decode`, … rewritten before planning.

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, CeilFloorKind, DataType, Expr, Function, Subscript, Value,
};

use super::build::{args_of, binary, call, case, cast, datafusion_call, helper_call, literal_text, null, number, text};

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

fn is_utf8(charset: &Expr) -> bool {
    literal_text(charset).is_some_and(|c| matches!(c.to_uppercase().replace('-', "").as_str(), "UTF8"))
}

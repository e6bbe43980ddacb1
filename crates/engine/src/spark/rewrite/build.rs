//! The pieces of SQL the rewrites build (calls, literals, CASE, casts), and reading a call's
//! arguments back: one constructor for each, so every rewrite writes the AST alike.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CaseWhen, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    FunctionArguments, Ident, ObjectName, Value,
};

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

/// The arguments of a call, if they are all plain expressions (none for no list).
pub(super) fn args_of(function: &Function) -> Option<Vec<Expr>> {
    let FunctionArguments::List(list) = &function.args else { return Some(vec![]) };
    list.args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn case(operand: Option<Expr>, whens: Vec<(Expr, Expr)>, otherwise: Option<Expr>) -> Expr {
    Expr::Case {
        case_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        end_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        operand: operand.map(Box::new),
        conditions: whens.into_iter().map(|(condition, result)| CaseWhen { condition, result }).collect(),
        else_result: otherwise.map(Box::new),
    }
}

pub(super) fn binary(left: Expr, op: BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp { left: Box::new(left), op, right: Box::new(right) }
}

pub(super) fn number(n: &str) -> Expr {
    Expr::Value(Value::Number(n.to_string(), false).into())
}

pub(super) fn null() -> Expr {
    Expr::Value(Value::Null.into())
}

pub(super) fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast { kind: CastKind::Cast, expr: Box::new(expr), data_type, array: false, format: None }
}

/// The text of a string literal.
pub(super) fn literal_text(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// A call of one of this layer's helper functions (quoted, so `check` lets it through).
pub fn helper_call(name: &str, args: Vec<Expr>) -> Expr {
    let mut e = call(name, args);
    if let Expr::Function(f) = &mut e {
        f.name = ObjectName::from(vec![Ident::with_quote('`', name)]);
    }
    e
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

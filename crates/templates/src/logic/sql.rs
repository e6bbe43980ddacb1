//! Writing a shape back as SQL: what `recognise` parses again to prove the shape says everything the
//! step says, and the window and condition text the recipes print.

use sqlparser::ast::{SetExpr, Statement};

use super::*;

/// The shape written back as SQL, to check that it says everything the statement says.
pub(super) fn shape_sql(shape: &Shape, statement: &Statement) -> Option<String> {
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
pub(super) fn expr_sql(e: &Expr) -> String {
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

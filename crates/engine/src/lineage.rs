//! Column lineage: for every column of every step, the columns it is computed from, in the
//! source table or in the steps before it, and the expressions on the way (`sum(view_hours)`,
//! `rank() OVER (…)`).
//!
//! It is read from DataFusion's logical plans, the ones a run executes ([`crate::run::plan_steps`]),
//! never from the SQL text: an alias, a `SELECT *`, a CTE or a join resolves exactly as the
//! engine resolves it. A column is traced down its plan node by node (a projection's or an
//! aggregate's expression names the input columns it reads; a filter, sort, limit or alias passes
//! a column through) to a table scan: the source table or an earlier step, whose own column is
//! traced in its step the same way.
//!
//! This is value lineage: a column a row filter or a join condition reads is not an origin of
//! the values. A window function's origins include its PARTITION BY and ORDER BY columns (a rank
//! is computed from them).

use std::collections::BTreeSet;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, JoinType};
use datafusion::logical_expr::{Expr, LogicalPlan};
use serde::{Deserialize, Serialize};

use crate::{EngineError, PipelineSpec, SOURCE_TABLE};

/// A column of the source table or of a step.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ColumnRef {
    /// [`SOURCE_TABLE`] or the step's name.
    pub table: String,
    /// The column's name.
    pub column: String,
}

/// A column computed from another: `to` (a step's column) from `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// The column read.
    pub from: ColumnRef,
    /// The step's column computed from it.
    pub to: ColumnRef,
    /// The expressions between them, the innermost first; empty when the value passes through.
    pub via: Vec<String>,
}

impl Edge {
    /// `sum(view_hours)`, the expressions as one label (empty when the value passes through).
    pub fn label(&self) -> String {
        self.via.join(" ← ")
    }
}

/// A table's columns, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableColumns {
    /// [`SOURCE_TABLE`] or the step's name.
    pub name: String,
    /// Its columns.
    pub columns: Vec<String>,
}

/// The whole pipeline's lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// The source table, then each step, in order.
    pub tables: Vec<TableColumns>,
    /// Every edge, by step and column.
    pub edges: Vec<Edge>,
}

impl Lineage {
    /// The edges on every path into `column` (upstream), the later steps' first.
    pub fn upstream(&self, column: &ColumnRef) -> Vec<&Edge> {
        let place = |table: &str| self.tables.iter().position(|t| t.name == table).unwrap_or(0);
        let mut edges = self.reached(column);
        edges.sort_by_key(|e| std::cmp::Reverse(place(&e.to.table)));
        edges
    }

    fn reached(&self, column: &ColumnRef) -> Vec<&Edge> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![column.clone()];
        let mut out = Vec::new();
        while let Some(next) = todo.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            for edge in self.edges.iter().filter(|e| e.to == next) {
                out.push(edge);
                todo.push(edge.from.clone());
            }
        }
        out
    }

    /// The source table's columns `column` comes from.
    pub fn sources(&self, column: &ColumnRef) -> BTreeSet<&ColumnRef> {
        self.upstream(column).into_iter().map(|e| &e.from).filter(|c| c.table == SOURCE_TABLE).collect()
    }

    /// `column`'s paths as lines, one per edge: `STEP_1.view_hours ← some_db.source_table.view_hours via sum(view_hours)`.
    pub fn describe(&self, column: &ColumnRef) -> Vec<String> {
        self.upstream(column)
            .into_iter()
            .map(|e| {
                let via = if e.via.is_empty() { String::new() } else { format!(" via {}", e.label()) };
                format!("{}.{} ← {}.{}{via}", e.to.table, e.to.column, e.from.table, e.from.column)
            })
            .collect()
    }
}

/// The lineage of `spec`'s steps over a source with these columns.
pub async fn column_lineage(spec: &PipelineSpec, source: SchemaRef) -> Result<Lineage, EngineError> {
    let mut tables = vec![TableColumns {
        name: SOURCE_TABLE.into(),
        columns: source.fields().iter().map(|f| f.name().clone()).collect(),
    }];
    let plans = crate::run::plan_steps(spec, source).await?;
    let mut edges = Vec::new();
    for (step, plan) in &plans {
        let columns: Vec<String> = plan.schema().fields().iter().map(|f| f.name().clone()).collect();
        for (index, column) in columns.iter().enumerate() {
            let mut origins = Vec::new();
            trace(plan, index, &mut Vec::new(), &mut origins);
            for origin in origins {
                let edge = Edge {
                    from: ColumnRef { table: table_name(&origin.table, &tables), column: origin.column },
                    to: ColumnRef { table: step.clone(), column: column.clone() },
                    via: origin.via,
                };
                if !edges.contains(&edge) {
                    edges.push(edge);
                }
            }
        }
        tables.push(TableColumns { name: step.clone(), columns });
    }
    Ok(Lineage { tables, edges })
}

/// A scanned table's name as the lineage names it: the source, or the step (as the user spelt
/// it; the session knows it lower-cased).
fn table_name(scanned: &str, known: &[TableColumns]) -> String {
    known.iter().find(|t| t.name.eq_ignore_ascii_case(scanned)).map_or_else(|| scanned.to_string(), |t| t.name.clone())
}

/// A column of a scanned table that a step's column is computed from.
#[derive(Debug)]
struct Origin {
    table: String,
    column: String,
    /// Innermost first.
    via: Vec<String>,
}

/// The origins of output column `index` of `plan`; `via` holds the expressions passed on the
/// way down, the outermost first.
fn trace(plan: &LogicalPlan, index: usize, via: &mut Vec<String>, out: &mut Vec<Origin>) {
    match plan {
        LogicalPlan::Projection(p) => {
            if let Some(expr) = p.expr.get(index) {
                follow(expr, &p.input, via, out);
            }
        }
        LogicalPlan::Aggregate(a) => {
            let groups = a.group_expr.len();
            let expr = if index < groups { a.group_expr.get(index) } else { a.aggr_expr.get(index - groups) };
            if let Some(expr) = expr {
                follow(expr, &a.input, via, out);
            }
        }
        LogicalPlan::Window(w) => {
            let passed = w.input.schema().fields().len();
            if index < passed {
                trace(&w.input, index, via, out);
            } else if let Some(expr) = w.window_expr.get(index - passed) {
                follow(expr, &w.input, via, out);
            }
        }
        LogicalPlan::TableScan(scan) => {
            if let Some(field) = scan.projected_schema.fields().get(index) {
                let via = via.iter().rev().cloned().collect();
                out.push(Origin { table: scan.table_name.to_string(), column: field.name().clone(), via });
            }
        }
        LogicalPlan::Join(j) => {
            let left = j.left.schema().fields().len();
            match j.join_type {
                JoinType::RightSemi | JoinType::RightAnti | JoinType::RightMark => trace(&j.right, index, via, out),
                _ if index < left => trace(&j.left, index, via, out),
                _ => trace(&j.right, index - left, via, out),
            }
        }
        LogicalPlan::Union(u) => {
            for input in &u.inputs {
                trace(input, index, via, out);
            }
        }
        // Nodes whose output is their one input's columns (filter, sort, limit, alias, distinct…).
        other => {
            let inputs = other.inputs();
            if let [input] = inputs.as_slice() {
                if input.schema().fields().len() == other.schema().fields().len() {
                    trace(input, index, via, out);
                }
            }
        }
    }
}

/// Follows the input columns `expr` reads, noting `expr` unless it only renames a column.
fn follow(expr: &Expr, input: &LogicalPlan, via: &mut Vec<String>, out: &mut Vec<Origin>) {
    let inner = unaliased(expr);
    let computed = !matches!(inner, Expr::Column(_));
    if computed {
        via.push(label(inner));
    }
    let mut columns: Vec<_> = inner.column_refs().into_iter().collect();
    columns.sort_by_key(|c| c.flat_name());
    for column in columns {
        if let Some(index) = input.schema().maybe_index_of_column(column) {
            trace(input, index, via, out);
        }
    }
    if computed {
        via.pop();
    }
}

/// An expression as an edge's label: columns without their table (the graph shows it), and a
/// window function without its frame (`rank() OVER (PARTITION BY country_code ORDER BY view_hours DESC)`).
fn label(expr: &Expr) -> String {
    let bare = expr
        .clone()
        .transform(|e| match e {
            Expr::Column(c) if c.relation.is_some() => {
                Ok(Transformed::yes(Expr::Column(Column::new_unqualified(c.name))))
            }
            other => Ok(Transformed::no(other)),
        })
        .map_or_else(|_| expr.clone(), |t| t.data);
    let Expr::WindowFunction(w) = &bare else { return bare.human_display().to_string() };
    let list = |exprs: &[Expr]| exprs.iter().map(|e| e.human_display().to_string()).collect::<Vec<_>>().join(", ");
    let mut over = Vec::new();
    if !w.params.partition_by.is_empty() {
        over.push(format!("PARTITION BY {}", list(&w.params.partition_by)));
    }
    if !w.params.order_by.is_empty() {
        let keys: Vec<String> = w
            .params
            .order_by
            .iter()
            .map(|s| format!("{}{}", s.expr.human_display(), if s.asc { "" } else { " DESC" }))
            .collect();
        over.push(format!("ORDER BY {}", keys.join(", ")));
    }
    format!("{}({}) OVER ({})", w.fun.name(), list(&w.params.args), over.join(" "))
}

fn unaliased(expr: &Expr) -> &Expr {
    match expr {
        Expr::Alias(alias) => unaliased(&alias.expr),
        other => other,
    }
}

//! Column lineage (`dataflow_engine::lineage`) laid out as a graph: one column of boxes per table
//! (the source, then each step), one curve per edge, labelled with its expression. Plain data
//! built once per lineage, and the path of a chosen column as sets of nodes and links; the
//! component only draws them.

use std::collections::BTreeSet;

use dataflow_engine::lineage::{ColumnRef, Lineage};

/// A box's width.
pub const NODE_WIDTH: f64 = 150.0;
/// A box's height.
pub const NODE_HEIGHT: f64 = 22.0;
/// From one box's top to the next one's.
const ROW: f64 = 28.0;
/// Between two tables' boxes.
const GAP: f64 = 130.0;
/// Above the first box: the table's name.
const TOP: f64 = 24.0;
/// The longest edge label drawn; the whole expression is the edge's tooltip.
const LABEL_CHARS: usize = 20;

/// A column's box.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The column.
    pub column: ColumnRef,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
}

/// An edge's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The node read.
    pub from: usize,
    /// The node computed.
    pub to: usize,
    /// The SVG path, from the right side of `from` to the left side of `to`.
    pub path: String,
    /// The expression, shortened (empty when the value passes through).
    pub label: String,
    /// The whole expression.
    pub title: String,
    /// Where the label goes (its middle).
    pub label_at: (f64, f64),
}

/// The whole graph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// The drawing's size.
    pub size: (f64, f64),
    /// Each table's name and the left edge of its boxes.
    pub tables: Vec<(String, f64)>,
    /// Every column.
    pub nodes: Vec<Node>,
    /// Every edge.
    pub links: Vec<Link>,
    /// The lineage, for paths.
    lineage: Option<Lineage>,
}

impl Graph {
    /// The graph of `lineage`.
    pub fn new(lineage: &Lineage) -> Self {
        let mut nodes = Vec::new();
        let mut tables = Vec::new();
        let mut tallest = 0;
        for (i, table) in lineage.tables.iter().enumerate() {
            let x = i as f64 * (NODE_WIDTH + GAP);
            tables.push((table.name.clone(), x));
            tallest = tallest.max(table.columns.len());
            for (j, column) in table.columns.iter().enumerate() {
                let column = ColumnRef { table: table.name.clone(), column: column.clone() };
                nodes.push(Node { column, x, y: TOP + j as f64 * ROW });
            }
        }
        let find = |c: &ColumnRef| nodes.iter().position(|n| &n.column == c);
        // An expression that reads several columns labels only the first of its edges.
        let mut labelled = BTreeSet::new();
        let links = lineage
            .edges
            .iter()
            .filter_map(|e| {
                let (from, to) = (find(&e.from)?, find(&e.to)?);
                let (a, b) = (nodes.get(from)?, nodes.get(to)?);
                let (x1, y1) = (a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2.0);
                let (x2, y2) = (b.x, b.y + NODE_HEIGHT / 2.0);
                let bend = (x2 - x1) / 2.0;
                let title = e.label();
                Some(Link {
                    from,
                    to,
                    path: format!("M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}", x1 + bend, x2 - bend),
                    label: if labelled.insert((to, title.clone())) { shorten(&title) } else { String::new() },
                    title,
                    label_at: ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 3.0),
                })
            })
            .collect();
        let width = (lineage.tables.len().max(1) as f64) * (NODE_WIDTH + GAP) - GAP;
        let height = TOP + tallest as f64 * ROW;
        Graph { size: (width, height), tables, nodes, links, lineage: Some(lineage.clone()) }
    }

    /// The node of `column`, if the graph has it.
    pub fn node_of(&self, column: &ColumnRef) -> Option<usize> {
        self.nodes.iter().position(|n| &n.column == column)
    }

    /// The nodes and links on every path into `column`, the column itself included.
    pub fn path_of(&self, column: &ColumnRef) -> (BTreeSet<usize>, BTreeSet<usize>) {
        let mut nodes: BTreeSet<usize> = self.node_of(column).into_iter().collect();
        let mut links = BTreeSet::new();
        let Some(lineage) = &self.lineage else { return (nodes, links) };
        for edge in lineage.upstream(column) {
            let (from, to) = (self.node_of(&edge.from), self.node_of(&edge.to));
            if let (Some(from), Some(to)) = (from, to) {
                nodes.extend([from, to]);
                links.extend(self.links.iter().position(|l| l.from == from && l.to == to));
            }
        }
        (nodes, links)
    }

    /// `column`'s path in words, one line per edge (the later steps first).
    pub fn describe(&self, column: &ColumnRef) -> Vec<String> {
        self.lineage.as_ref().map(|l| l.describe(column)).unwrap_or_default()
    }
}

/// At most [`LABEL_CHARS`] characters: a window function keeps its name (`rank() OVER …`).
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    if let Some((call, _)) = label.split_once(" OVER ") {
        if call.chars().count() + 7 <= LABEL_CHARS {
            return format!("{call} OVER …");
        }
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use dataflow_engine::lineage::{Edge, TableColumns};

    fn col(table: &str, column: &str) -> ColumnRef {
        ColumnRef { table: table.into(), column: column.into() }
    }

    fn sample() -> Lineage {
        let table = |name: &str, columns: &[&str]| TableColumns {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
        };
        let edge = |from: ColumnRef, to: ColumnRef, via: &str| Edge {
            from,
            to,
            via: if via.is_empty() { vec![] } else { vec![via.into()] },
        };
        let rank = "rank() OVER (PARTITION BY c ORDER BY h DESC)";
        Lineage {
            tables: vec![table("src", &["c", "h", "d"]), table("S1", &["c", "h"]), table("S2", &["c", "h", "r"])],
            edges: vec![
                edge(col("src", "c"), col("S1", "c"), ""),
                edge(col("src", "h"), col("S1", "h"), "sum(h)"),
                edge(col("S1", "c"), col("S2", "c"), ""),
                edge(col("S1", "h"), col("S2", "h"), ""),
                edge(col("S1", "c"), col("S2", "r"), rank),
                edge(col("S1", "h"), col("S2", "r"), rank),
            ],
        }
    }

    #[test]
    fn boxes_stack_per_table_and_curves_join_their_sides() {
        let g = Graph::new(&sample());
        assert_eq!(g.nodes.len(), 8);
        assert_eq!(g.tables[2], ("S2".to_string(), 2.0 * (NODE_WIDTH + GAP)));
        assert_eq!(g.size, (3.0 * NODE_WIDTH + 2.0 * GAP, TOP + 3.0 * ROW));
        let sum = &g.links[1];
        assert_eq!((sum.label.as_str(), sum.title.as_str()), ("sum(h)", "sum(h)"));
        assert!(sum.path.starts_with(&format!("M{},{}", NODE_WIDTH, TOP + ROW + NODE_HEIGHT / 2.0)), "{}", sum.path);
        assert_eq!(g.links[4].label, "rank() OVER …");
        assert_eq!((g.links[5].label.as_str(), g.links[5].title.as_str()), ("", g.links[4].title.as_str()));
        assert_eq!(g.links[0].label, "");
    }

    #[test]
    fn a_columns_path_is_every_edge_into_it() {
        let g = Graph::new(&sample());
        let (nodes, links) = g.path_of(&col("S2", "r"));
        let names: Vec<String> =
            nodes.iter().map(|&i| format!("{}.{}", g.nodes[i].column.table, g.nodes[i].column.column)).collect();
        assert_eq!(names, ["src.c", "src.h", "S1.c", "S1.h", "S2.r"]);
        assert_eq!(links, BTreeSet::from([0, 1, 4, 5]));
        let (nodes, links) = g.path_of(&col("src", "d"));
        assert_eq!((nodes.len(), links.len()), (1, 0));
    }
}

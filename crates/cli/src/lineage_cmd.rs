//! `dataflow lineage`: where each output column comes from (`dataflow_engine::lineage`), one
//! block per column, one line per edge.

use std::fmt::Write;

use dataflow_engine::lineage::{column_lineage, ColumnRef, Lineage};
use dataflow_engine::SOURCE_TABLE;

use crate::cli::LineageArgs;
use crate::run_cmd::source_of;

pub fn lineage(args: &LineageArgs) -> Result<String, String> {
    let spec = args.inputs.spec()?;
    let source = source_of(args.inputs.source.as_deref(), &spec)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let lineage = runtime.block_on(column_lineage(&spec, source.schema.clone())).map_err(|e| e.to_string())?;
    let output = lineage.tables.last().filter(|_| lineage.tables.len() > 1).ok_or("the pipeline has no step")?;
    let columns = match &args.column {
        None => output.columns.iter().map(|c| ColumnRef { table: output.name.clone(), column: c.clone() }).collect(),
        Some(name) => vec![find(&lineage, &output.name, name)?],
    };
    let mut out = String::new();
    for column in columns {
        let sources: Vec<String> = lineage.sources(&column).iter().map(|c| c.column.clone()).collect();
        let from = if sources.is_empty() {
            "no source column".to_string()
        } else {
            format!("{SOURCE_TABLE}: {}", sources.join(", "))
        };
        let _ = writeln!(out, "{}.{}: from {from}", column.table, column.column);
        for line in lineage.describe(&column) {
            let _ = writeln!(out, "  {line}");
        }
    }
    Ok(out)
}

/// `NAME` (an output column) or `STEP.NAME`, as the lineage spells it (case ignored).
fn find(lineage: &Lineage, output: &str, name: &str) -> Result<ColumnRef, String> {
    let (table, column) = name.split_once('.').unwrap_or((output, name));
    let t = lineage
        .tables
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(table))
        .ok_or_else(|| format!("no step named {table}"))?;
    let c = t
        .columns
        .iter()
        .find(|c| c.eq_ignore_ascii_case(column))
        .ok_or_else(|| format!("{} has no column {column}; its columns are {}", t.name, t.columns.join(", ")))?;
    Ok(ColumnRef { table: t.name.clone(), column: c.clone() })
}

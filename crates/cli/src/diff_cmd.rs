//! `dataflow diff`: two runs that differ in their steps, date or source, compared step by step by
//! the engine (`dataflow_engine::diff`), the summary on stdout and, with `--rows`, the output's
//! changed rows as CSV.

use std::sync::Arc;

use dataflow_engine::diff::{diff_runs, named, RunDiff};
use dataflow_engine::spec::parse_steps_file;
use dataflow_engine::{export, RunControl};

use crate::cli::DiffArgs;
use crate::read_file;
use crate::run_cmd::{run_and_tell, source_of};

/// How many changed rows each step keeps when no `--rows` file asks for all of them.
const SHOWN_ROWS: usize = 0;

pub fn diff(args: &DiffArgs) -> Result<String, String> {
    if args.base_steps.is_none() && args.base_date.is_none() && args.base_source.is_none() {
        return Err("nothing to compare: give the base run's --base-steps, --base-date or --base-source".into());
    }
    let spec = args.inputs.spec()?;
    let mut base_spec = spec.clone();
    if let Some(path) = &args.base_steps {
        base_spec.steps = parse_steps_file(&read_file(path)?).map_err(|e| format!("{path}: {e}"))?;
    }
    if let Some(date) = &args.base_date {
        base_spec.params.set("date", date).map_err(|e| format!("--base-date: {e}"))?;
    }
    let source = source_of(args.inputs.source.as_deref(), &spec)?;
    let base_source = match &args.base_source {
        Some(path) => source_of(Some(path), &base_spec)?,
        None => source.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let base = run_and_tell(&runtime, &base_spec, &base_source, "base run: ")?;
    let new = run_and_tell(&runtime, &spec, &source, "")?;
    let key = (!args.key.is_empty()).then_some(args.key.as_slice());
    let max_rows = if args.rows.is_some() { usize::MAX } else { SHOWN_ROWS };
    let control = Arc::new(RunControl::default());
    let diff = runtime
        .block_on(diff_runs(&spec, &named(&base), &named(&new), key, max_rows, &control))
        .map_err(|e| e.to_string())?;
    if let Some(path) = &args.rows {
        let output = diff.steps.last().ok_or("the runs have no step in common")?;
        let table = output.diff.as_ref().map_err(|e| format!("{}: {e}", output.step))?;
        let (schema, batch) = table.rows_batch().map_err(|e| e.to_string())?;
        let csv = export::to_csv(&schema, &[batch]).map_err(|e| e.to_string())?;
        std::fs::write(path, csv).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(summary(&diff))
}

/// One block per step: its name and the engine's summary lines, indented.
fn summary(diff: &RunDiff) -> String {
    let mut out = String::new();
    for step in &diff.steps {
        match &step.diff {
            Ok(table) => {
                let mut lines = table.summary().into_iter();
                out.push_str(&format!("{}: {}\n", step.step, lines.next().unwrap_or_default()));
                for line in lines {
                    out.push_str(&format!("  {line}\n"));
                }
            }
            Err(e) => out.push_str(&format!("{}: could not be compared: {e}\n", step.step)),
        }
    }
    if !diff.only_base.is_empty() {
        out.push_str(&format!("steps only in the base run: {}\n", diff.only_base.join(", ")));
    }
    if !diff.only_new.is_empty() {
        out.push_str(&format!("steps only in the new run: {}\n", diff.only_new.join(", ")));
    }
    out
}

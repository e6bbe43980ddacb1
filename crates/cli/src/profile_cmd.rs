//! `dataflow profile`: the source table's columns, or a step result's, profiled by the engine
//! (`dataflow_engine::profile`), one line per column; with `--suggest-audits`, the audits the
//! output's profile suggests (`dataflow_engine::audit::suggest`), as `main.sch.yaml` entries.

use std::fmt::Write;
use std::sync::Arc;

use dataflow_engine::audit::suggest::suggest_audits;
use dataflow_engine::diff::Side;
use dataflow_engine::profile::profile_table;
use dataflow_engine::table::group_digits;
use dataflow_engine::workflow::audit_yaml;
use dataflow_engine::{RunControl, SOURCE_TABLE};

use crate::cli::ProfileArgs;
use crate::run_cmd::{run_and_tell, source_of};

pub fn profile(args: &ProfileArgs) -> Result<String, String> {
    let spec = args.inputs.spec()?;
    let source = source_of(args.inputs.source.as_deref(), &spec)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let control = Arc::new(RunControl::default());
    if args.step.is_none() && !args.suggest_audits {
        let side = Side { schema: &source.schema, batches: &source.batches };
        let profile = runtime.block_on(profile_table(side, &control)).map_err(|e| e.to_string())?;
        return Ok(lines(SOURCE_TABLE, &profile));
    }
    let run = run_and_tell(&runtime, &spec, &source, "")?;
    let result = match &args.step {
        Some(step) => run.steps.iter().find(|s| s.name.eq_ignore_ascii_case(step)).ok_or_else(|| {
            let names: Vec<&str> = run.steps.iter().map(|s| s.name.as_str()).collect();
            format!("no step named {step}; the steps are {}", names.join(", "))
        })?,
        None => run.steps.last().ok_or("the pipeline has no step")?,
    };
    let side = Side { schema: &result.schema, batches: &result.batches };
    let profile = runtime.block_on(profile_table(side, &control)).map_err(|e| e.to_string())?;
    let mut out = lines(&result.name, &profile);
    if args.suggest_audits {
        let suggested = runtime.block_on(suggest_audits(&spec, side, &profile, &control)).map_err(|e| e.to_string())?;
        if suggested.is_empty() {
            out.push_str("\nNo audit to suggest: the workflow checks every fact of this profile already.\n");
        } else {
            let _ = writeln!(out, "\nSuggested audits (add them to data_auditor.audits in main.sch.yaml):");
            for s in &suggested {
                let _ = writeln!(out, "# because {}", s.because);
                out.push_str(&audit_yaml(&s.audit, 0));
            }
        }
    }
    Ok(out)
}

/// The profile's heading and one line per column.
fn lines(name: &str, profile: &dataflow_engine::profile::TableProfile) -> String {
    let mut out = format!("{name}: {} rows, {} columns\n", group_digits(profile.rows as usize), profile.columns.len());
    for column in &profile.columns {
        out.push_str(&column.line(profile.rows));
        out.push('\n');
    }
    out
}

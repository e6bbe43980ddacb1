//! `dataflow profile`: the source table's columns, or a step result's, profiled by the engine
//! (`dataflow_engine::profile`), one line per column.

use std::sync::Arc;

use dataflow_engine::diff::Side;
use dataflow_engine::profile::profile_table;
use dataflow_engine::table::group_digits;
use dataflow_engine::{RunControl, SOURCE_TABLE};

use crate::cli::ProfileArgs;
use crate::run_cmd::{run_and_tell, source_of};

pub fn profile(args: &ProfileArgs) -> Result<String, String> {
    let spec = args.inputs.spec()?;
    let source = source_of(args.inputs.source.as_deref(), &spec)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let control = Arc::new(RunControl::default());
    let (name, profile) = match &args.step {
        None => {
            let side = Side { schema: &source.schema, batches: &source.batches };
            (SOURCE_TABLE.to_string(), runtime.block_on(profile_table(side, &control)))
        }
        Some(step) => {
            let run = run_and_tell(&runtime, &spec, &source, "")?;
            let Some(result) = run.steps.iter().find(|s| s.name.eq_ignore_ascii_case(step)) else {
                let names: Vec<&str> = run.steps.iter().map(|s| s.name.as_str()).collect();
                return Err(format!("no step named {step}; the steps are {}", names.join(", ")));
            };
            let side = Side { schema: &result.schema, batches: &result.batches };
            (result.name.clone(), runtime.block_on(profile_table(side, &control)))
        }
    };
    let profile = profile.map_err(|e| e.to_string())?;
    let mut out = format!("{name}: {} rows, {} columns\n", group_digits(profile.rows as usize), profile.columns.len());
    for column in &profile.columns {
        out.push_str(&column.line(profile.rows));
        out.push('\n');
    }
    Ok(out)
}

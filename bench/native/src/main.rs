//! The sample pipeline natively on the synthetic source at 1M and 10M rows (7 days, seed 42),
//! with one partition (as the app runs it: `run_pipeline`) and with every core (the source split
//! into one partition per core, each step a view). Prints median, min and max of several runs
//! (data generation excluded) and writes `target/native.json` for comparisons between commits.
//! Then, per size, what "what did my change do?" costs: the run diff of the sample against its
//! DENSE_RANK edit (every step, paired by the workflow's key) and the profiles of the source and
//! of the output, as the app and `dataflow diff`/`dataflow profile` compute them (one partition).

use std::sync::Arc;
use std::time::Instant;

use dataflow_engine::diff::{diff_runs, named, Side};
use dataflow_engine::params::substitute;
use dataflow_engine::profile::profile_table;
use dataflow_engine::spec::STEP_2_SQL;
use dataflow_engine::{run_pipeline, PipelineSpec, RunControl, SourceData, SourceSpec, SyntheticSpec};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};

type Error = Box<dyn std::error::Error>;

fn stats(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    (median, times.first().copied().unwrap_or(f64::NAN), times.last().copied().unwrap_or(f64::NAN))
}

async fn all_cores(spec: &PipelineSpec, source: &SourceData, cores: usize) -> Result<usize, Error> {
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(cores));
    let mut parts = vec![Vec::new(); cores];
    for (i, batch) in source.batches.iter().enumerate() {
        parts[i % cores].push(batch.clone());
    }
    ctx.sql("CREATE SCHEMA some_db").await?;
    ctx.register_table("some_db.source_table", Arc::new(MemTable::try_new(source.schema.clone(), parts)?))?;
    let values = spec.params.values();
    let mut last = None;
    for step in &spec.steps {
        let frame = ctx.sql(&substitute(&step.name, &step.sql, &values)?).await?;
        ctx.register_table(step.name.to_lowercase().as_str(), frame.clone().into_view())?;
        last = Some(frame);
    }
    let out = last.ok_or("no steps")?.collect().await?;
    Ok(out.iter().map(|b| b.num_rows()).sum())
}

/// The run diff (sample against DENSE_RANK) and the profiles of the source and the output: median,
/// min and max over `runs`, one JSON object each.
fn diff_and_profile(
    runtime: &tokio::runtime::Runtime,
    spec: &PipelineSpec,
    source: &SourceData,
    runs: usize,
) -> Result<Vec<String>, Error> {
    let mut dense = spec.clone();
    dense.steps[1].sql = STEP_2_SQL.replace("RANK()", "DENSE_RANK()");
    let base = runtime.block_on(run_pipeline(spec, source))?;
    let new = runtime.block_on(run_pipeline(&dense, source))?;
    let output = new.output().ok_or("no steps")?;
    let control = Arc::new(RunControl::default());
    let mut json = Vec::new();
    let mut measure = |what: &str, detail: String, work: &dyn Fn() -> Result<(), Error>| -> Result<(), Error> {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            work()?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let (median, min, max) = stats(times);
        let n = source.row_count();
        println!("{n:>12} {what:>10} {median:>10.1} {min:>10.1} {max:>10.1}  {detail}");
        json.push(format!(
            "{{\"source_rows\":{n},\"work\":\"{what}\",\"median_ms\":{median:.3},\"min_ms\":{min:.3},\"max_ms\":{max:.3}}}"
        ));
        Ok(())
    };
    let diff = runtime.block_on(diff_runs(spec, &named(&base), &named(&new), None, 100, &control))?;
    let summary: Vec<String> = diff
        .steps
        .iter()
        .map(|s| match &s.diff {
            Ok(d) => format!("{} changed {}", s.step, d.changed),
            Err(e) => format!("{} {e}", s.step),
        })
        .collect();
    measure("diff", summary.join(", "), &|| {
        runtime.block_on(diff_runs(spec, &named(&base), &named(&new), None, 100, &control))?;
        Ok(())
    })?;
    measure("profile src", format!("{} columns", source.schema.fields().len()), &|| {
        runtime.block_on(profile_table(Side { schema: &source.schema, batches: &source.batches }, &control))?;
        Ok(())
    })?;
    measure("profile out", format!("{} rows", output.row_count), &|| {
        runtime.block_on(profile_table(Side { schema: &output.schema, batches: &output.batches }, &control))?;
        Ok(())
    })?;
    Ok(json)
}

fn main() -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let sizes: Vec<u32> = match std::env::var("BENCH_ROWS").ok().and_then(|r| r.parse().ok()) {
        Some(rows) => vec![rows],
        None => vec![1_000_000, 10_000_000],
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut json = Vec::new();
    println!(
        "{:>12} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "source rows", "partitions", "median ms", "min ms", "max ms", "out rows"
    );
    for rows in sizes {
        let mut spec = PipelineSpec::sample();
        let synthetic = SyntheticSpec { rows_per_day: rows / 7, ..SyntheticSpec::ending_on(spec.params.date) };
        spec.source = SourceSpec::Synthetic(synthetic);
        let source = SourceData::synthetic(&synthetic)?;
        for partitions in [1, cores] {
            let mut times = Vec::new();
            let mut out = 0;
            for _ in 0..runs {
                let started = Instant::now();
                out = if partitions == 1 {
                    let run = runtime.block_on(run_pipeline(&spec, &source))?;
                    // BENCH_PLANS=1: each step's time and physical plan, to see where time goes.
                    if std::env::var_os("BENCH_PLANS").is_some() {
                        for step in &run.steps {
                            println!("{} {:.1} ms\n{}", step.name, step.elapsed_ms, step.physical_plan);
                        }
                    }
                    run.output().map_or(0, |o| o.row_count)
                } else {
                    runtime.block_on(all_cores(&spec, &source, partitions))?
                };
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            let (median, min, max) = stats(times);
            let n = source.row_count();
            println!("{n:>12} {partitions:>10} {median:>10.1} {min:>10.1} {max:>10.1} {out:>9}");
            json.push(format!(
                "{{\"source_rows\":{n},\"partitions\":{partitions},\"median_ms\":{median:.3},\"min_ms\":{min:.3},\"max_ms\":{max:.3},\"output_rows\":{out}}}"
            ));
        }
        json.extend(diff_and_profile(&runtime, &spec, &source, runs)?);
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/native.json");
    std::fs::write(path, format!("[{}]\n", json.join(",\n")))?;
    println!("wrote {path}");
    Ok(())
}

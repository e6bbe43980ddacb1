//! `dataflow`: the playground's engine on the command line.

mod mock_cmd;
mod sample_cmd;
mod test_cmd;

use std::process::ExitCode;

use dataflow_engine::spec::parse_steps_file;
use dataflow_engine::table::DISPLAY_ORDER;
use dataflow_engine::{export, import};
use dataflow_engine::{run_pipeline, PipelineSpec, SourceData, SourceSpec};

pub(crate) const HELP: &str = "Usage: dataflow COMMAND [OPTIONS]

Commands:
  run                  Run the pipeline (the synthetic source or --source FILE) and print the last step as CSV.
  query                Print the whole transform as one Spark SQL query (every step a CTE).
  mock generate        Print a YAML mock of the synthetic source's rows on the run date
                       (or, with --ddl FILE, an empty mock of the table the DDL declares).
  mock validate FILE   Check a mock (and, with --ddl FILE, against a DDL); exit 1 on findings.
  test DIR             Run the transform on DIR/src/mocks/some_db.source_table.yaml and compare with
                       DIR/src/mocks/dataflow_sample_results.yaml; print the diff, exit 1 on failure.
  sample workflow RECIPE [PATH]
                       Write a ready-to-run sample workflow project for RECIPE (spark-sql, pyspark,
                       scala or sparklyr) into PATH (default: the current directory).

Options for mock generate:
  --rows N              the first N rows (default 10)
  --top K               instead: the top K rows by --order-by (default view_hours) in each of the
  --groups C            first C groups (default 2) of --group-by (default country_code), plus ties
  --no-ties             (unless --no-ties)
  --columns a,b         only these columns, in this order
  --date YYYYMMDD       the run date (default 20220101); --seed N the synthetic seed (default 42)

Options for test:
  --date YYYYMMDD, --top-n N   the run's parameters (default 20220101, 100)
  --steps FILE, --param NAME=VALUE   the steps and parameters, as for run
  --update                     write the expected mock from the current output (first write of a test)

Options for sample workflow:
  --short-name NAME     the workflow's short name (default dataflow_<recipe>_sample)
  --workflow-id ID      the workflow's id (default dataflow_sample: ids <id>.main, <id>.daily…)
  --target-db DB        the target table's database (default foo)
  --top-n N             titles kept per country (default 100)
  --steps FILE          the steps, as for run (default: the article's three steps)
  --date YYYYMMDD, --param NAME=VALUE   the run date of the unit test and other parameters
  --zip FILE            write the project as a zip instead of files
  --force               overwrite existing files

Options for run:
  --source FILE         a CSV (with a header), newline-delimited JSON or Parquet file, or a YAML
                        mock, as some_db.source_table (default: the synthetic source)
  --steps FILE          the steps: SQL where each step starts with a line `-- step: NAME`
                        (default: the article's three steps)
  --date YYYYMMDD       the run date (default 20220101)
  --top-n N             titles kept per country (default 100)
  --param NAME=VALUE    any parameter: date, top_n, TARGET_DB or one of your own (${NAME})
  --seed N              the synthetic source's seed (default 42)
  --limit N             print at most N rows
Findings of the DDL check and notices go to stderr; errors exit 1.

Rows are sorted by country_code, title_rank, title_id, as the app shows them.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("dataflow: {message}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &[String]) -> Result<String, String> {
    match args.split_first() {
        None => Err(format!("no command\n\n{HELP}")),
        Some((cmd, _)) if cmd == "--help" || cmd == "-h" || cmd == "help" => Ok(format!("{HELP}\n")),
        Some((cmd, _)) if cmd == "--version" => Ok(format!("dataflow {}\n", env!("CARGO_PKG_VERSION"))),
        Some((cmd, rest)) if cmd == "run" => run(rest),
        Some((cmd, rest)) if cmd == "mock" => mock_cmd::mock(rest),
        Some((cmd, rest)) if cmd == "test" => test_cmd::test(rest),
        Some((cmd, rest)) if cmd == "sample" => sample_cmd::sample(rest),
        Some((cmd, rest)) if cmd == "query" => {
            if let Some(extra) = rest.first() {
                return Err(format!("query takes no arguments, got {extra:?}"));
            }
            dataflow_templates::cte_query(&PipelineSpec::sample())
                .map(|q| format!("{q}\n"))
                .ok_or_else(|| "the pipeline has no steps".into())
        }
        Some((cmd, _)) => Err(format!("unknown command {cmd:?}\n\n{HELP}")),
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let mut spec = PipelineSpec::sample();
    let mut seed = None;
    let mut limit = None;
    let mut source_file = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--date" => spec.params.set("date", value()?).map_err(|e| e.to_string())?,
            "--top-n" => spec.params.set("top_n", value()?).map_err(|e| e.to_string())?,
            "--seed" => seed = Some(parse_number(flag, value()?)?),
            "--limit" => limit = Some(parse_number(flag, value()?)?),
            "--source" => source_file = Some(value()?.clone()),
            "--steps" => {
                let path = value()?;
                spec.steps = parse_steps_file(&read_file(path)?).map_err(|e| format!("{path}: {e}"))?;
            }
            "--param" => {
                let pair = value()?;
                let (name, text) =
                    pair.split_once('=').ok_or_else(|| format!("--param takes NAME=VALUE, got {pair:?}"))?;
                spec.params.set(name.trim(), text).map_err(|e| e.to_string())?;
            }
            other => return Err(format!("unknown option {other:?} for run\n\n{HELP}")),
        }
    }
    if let (SourceSpec::Synthetic(synthetic), Some(seed)) = (&mut spec.source, seed) {
        synthetic.seed = seed;
    }

    let source = match &source_file {
        Some(path) => read_source_file(path, &spec)?,
        None => SourceData::build(&spec.source).map_err(|e| e.to_string())?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let run = runtime.block_on(run_pipeline(&spec, &source)).map_err(|e| e.to_string())?;
    for notice in &run.notices {
        eprintln!("dataflow: {}", notice.0);
    }
    for finding in &run.findings {
        eprintln!("dataflow: DDL check: {finding}");
    }
    let output = run.output().ok_or("the pipeline has no steps")?;
    export::sorted_csv(&output.schema, &output.batches, &DISPLAY_ORDER, limit).map_err(|e| e.to_string())
}

/// A CSV, JSON or Parquet file as the source table: its size checked before it is read, its
/// columns checked against those the steps need.
fn read_source_file(path: &str, spec: &PipelineSpec) -> Result<SourceData, String> {
    if path.ends_with(".yaml") || path.ends_with(".yml") {
        let mock = dataflow_engine::Mock::parse(&read_file(path)?).map_err(|e| format!("{path}: {e}"))?;
        return mock.to_source().map_err(|e| format!("{path}: {e}"));
    }
    let len = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?.len();
    import::check_size(path, len).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let source = import::read_source(path, bytes).map_err(|e| e.to_string())?;
    let missing = import::missing_columns(&source.schema, &import::columns_needed(spec));
    if !missing.is_empty() {
        return Err(format!("{path} lacks columns the steps need: {}", missing.join(", ")));
    }
    Ok(source)
}

fn read_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn parse_number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{flag} takes a whole number, got {text:?}"))
}

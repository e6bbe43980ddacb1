//! `dataflow test DIR`: the transform's unit test on the mocks in `DIR/src/mocks/`.

use std::path::{Path, PathBuf};

use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::{expected_from_output, run_unit_test};
use dataflow_engine::{Mock, PipelineSpec, SOURCE_TABLE, TARGET_TABLE};

use crate::cli::TestArgs;
use crate::read_file;

/// The primary key of the sample's target table: one row per country and title.
const TARGET_KEY: [&str; 2] = ["country_code", "title_id"];

/// The input and expected-output mocks of a workflow directory, as the article lays them out.
fn mock_paths(dir: &Path) -> (PathBuf, PathBuf) {
    let mocks = dir.join("src").join("mocks");
    (mocks.join(format!("{SOURCE_TABLE}.yaml")), mocks.join(format!("{TARGET_TABLE}.yaml")))
}

pub fn test(args: &TestArgs) -> Result<String, String> {
    let spec = args.pipeline.spec(args.top_n.as_deref())?;
    let (input_path, expected_path) = mock_paths(&args.dir);
    let input = read_mock(&input_path)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    if args.update {
        return make_expected(&runtime, &spec, &input, &expected_path);
    }
    if !expected_path.exists() {
        return Err(format!("{} does not exist: write it with `dataflow test DIR --update`", expected_path.display()));
    }
    let expected = read_mock(&expected_path)?;
    let report = runtime.block_on(run_unit_test(&spec, &input, &expected)).map_err(|e| e.to_string())?;
    let text = report.diff.to_string();
    if report.diff.passed() {
        Ok(text)
    } else {
        Err(text.trim_end().to_string())
    }
}

fn read_mock(path: &Path) -> Result<Mock, String> {
    let shown = path.display().to_string();
    Mock::parse(&read_file(&shown)?).map_err(|e| format!("{shown}: {e}"))
}

/// "Make expected from current output": runs the transform and writes its output as the expected mock.
fn make_expected(
    runtime: &tokio::runtime::Runtime,
    spec: &PipelineSpec,
    input: &Mock,
    path: &Path,
) -> Result<String, String> {
    let source = input.to_source().map_err(|e| e.to_string())?;
    let run = runtime.block_on(dataflow_engine::run_pipeline(spec, &source)).map_err(|e| e.to_string())?;
    let output = run.output().ok_or("the pipeline has no steps")?;
    let ddl = parse_ddl(&spec.ddl, &spec.params).map_err(|e| e.to_string())?;
    let key: Vec<String> = TARGET_KEY.iter().map(|k| k.to_string()).collect();
    let mock = expected_from_output(TARGET_TABLE, &output.schema, &output.batches, Some(&ddl), &key)
        .map_err(|e| e.to_string())?;
    std::fs::write(path, mock.to_yaml()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!("wrote {} ({} row(s))\n", path.display(), mock.rows.len()))
}

//! `dataflow test DIR`: the transform's unit test on the mocks in `DIR/src/mocks/`.

use std::path::{Path, PathBuf};

use dataflow_engine::mock::{make_expected, run_unit_test};
use dataflow_engine::{Mock, PipelineSpec, SOURCE_TABLE, TARGET_TABLE};

use crate::cli::TestArgs;
use crate::read_file;

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
        return make_expected_file(&runtime, &spec, &input, &expected_path);
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

/// "Make expected from current output": the engine's [`make_expected`], written to `path`.
fn make_expected_file(
    runtime: &tokio::runtime::Runtime,
    spec: &PipelineSpec,
    input: &Mock,
    path: &Path,
) -> Result<String, String> {
    let previous = std::fs::read_to_string(path).ok();
    let mock = runtime.block_on(make_expected(spec, input, previous.as_deref())).map_err(|e| e.to_string())?;
    std::fs::write(path, mock.to_yaml()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!("wrote {} ({} row(s))\n", path.display(), mock.rows.len()))
}

//! The built `dataflow` binary: `mock generate`, `mock validate` and `test` on the shipped
//! example and on broken copies of it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dataflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dataflow")).args(args).output().expect("the dataflow binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sample")
}

/// A copy of the example in a fresh temporary directory, with the expected mock changed by `edit`.
fn broken_copy(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dataflow-cli-{name}-{}", std::process::id()));
    let mocks = dir.join("src/mocks");
    std::fs::create_dir_all(&mocks).unwrap();
    for file in ["some_db.source_table.yaml", "dataflow_sample_results.yaml"] {
        let original = std::fs::read_to_string(example().join("src/mocks").join(file)).unwrap();
        let content = if file.starts_with("dataflow") { edit(original) } else { original };
        std::fs::write(mocks.join(file), content).unwrap();
    }
    dir
}

#[test]
fn the_shipped_example_passes_its_unit_test() {
    let out = dataflow(&["test", example().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "unit test passed: 7 row(s) as expected (in any order, doubles within 1e-9)\n");
}

#[test]
fn a_changed_expected_cell_fails_with_a_cell_diff() {
    let dir = broken_copy("changed", |yaml| yaml.replace("[2, US, 1, 3.5]", "[2, US, 2, 3.5]"));
    let out = dataflow(&["test", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("dataflow: unit test failed: 1 changed, 0 missing, 0 unexpected row(s)"), "{stderr}");
    assert!(stderr.contains("country_code=US, title_id=2 (line 15)"), "{stderr}");
    assert!(stderr.contains("title_rank: expected 2, actual 1"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn broken_yaml_names_the_file_line_and_column() {
    let dir = broken_copy("broken", |yaml| yaml.replace("[4, BR, 1, 12.5]", "[4, BR, 1, 12.5"));
    let file = dir.join("src/mocks/dataflow_sample_results.yaml");
    let out = dataflow(&["mock", "validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("dataflow_sample_results.yaml: mock, line 12, column 3: \"-\" is only valid inside a block"),
        "{stderr}"
    );
    let out = dataflow(&["test", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn validate_against_the_ddl() {
    let ddl = example().join("src/ddl/dataflow_sample_results.sql");
    let good = example().join("src/mocks/dataflow_sample_results.yaml");
    let out = dataflow(&["mock", "validate", good.to_str().unwrap(), "--ddl", ddl.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let input = example().join("src/mocks/some_db.source_table.yaml");
    let out = dataflow(&["mock", "validate", input.to_str().unwrap(), "--ddl", ddl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("dataflow: 3 finding(s)\n"), "{stderr}");
    assert!(stderr.contains("the mock is of table some_db.source_table, not foo.dataflow_sample_results"), "{stderr}");
    assert!(
        stderr.contains("some_db.source_table.yaml: line 10: column playback_date is in the mock but not in the table"),
        "{stderr}"
    );
}

#[test]
fn generate_from_the_synthetic_source_and_from_a_ddl() {
    let out = dataflow(&["mock", "generate", "--rows", "2", "--columns", "country_code,view_hours"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let yaml = text(&out.stdout);
    assert!(
        yaml.contains("  - {name: country_code, type: STRING}\n  - {name: view_hours, type: DOUBLE}\nrows:\n"),
        "{yaml}"
    );
    assert_eq!(yaml.lines().filter(|l| l.starts_with("  - [")).count(), 2);

    let ddl = example().join("src/ddl/dataflow_sample_results.sql");
    let out = dataflow(&["mock", "generate", "--ddl", ddl.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("  - {name: view_hours, type: DOUBLE}\nrows: []\n"));

    let out = dataflow(&["mock", "generate", "--top", "1", "--groups", "2", "--no-ties"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().filter(|l| l.starts_with("  - [")).count(), 2);
}

#[test]
fn a_generated_mock_validates_and_runs_as_the_unit_tests_input() {
    let dir = std::env::temp_dir().join(format!("dataflow-cli-generated-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src/mocks")).unwrap();
    let out = dataflow(&["mock", "generate", "--top", "3", "--groups", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let input = dir.join("src/mocks/some_db.source_table.yaml");
    std::fs::write(&input, &out.stdout).unwrap();
    assert!(dataflow(&["mock", "validate", input.to_str().unwrap()]).status.success());
    let update = dataflow(&["test", dir.to_str().unwrap(), "--update"]);
    assert!(update.status.success(), "{}", text(&update.stderr));
    let out = dataflow(&["test", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::remove_dir_all(dir).unwrap();
}

//! `dataflow sample workflow`: the template gallery's projects on disk and as zips, and what goes wrong.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dataflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dataflow")).args(args).output().expect("the dataflow binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dataflow-sample-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_every_recipes_files_into_path() {
    for recipe in ["spark-sql", "pyspark", "scala", "sparklyr"] {
        let dir = temp(recipe);
        let out = dataflow(&["sample", "workflow", recipe, dir.to_str().unwrap(), "--target-db", "sandbox"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with(&format!("wrote the {recipe} workflow ")), "{}", text(&out.stdout));
        for path in [
            "README.md",
            "ddl/dataflow_sample_results.sql",
            "src/mocks/some_db.source_table.yaml",
            "src/mocks/dataflow_sample_results.yaml",
        ] {
            assert!(dir.join(path).is_file(), "{recipe}: {path}");
        }
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.contains("`sandbox` here"), "{readme}");
        // A second write would overwrite: refused unless --force.
        let again = dataflow(&["sample", "workflow", recipe, dir.to_str().unwrap()]);
        assert!(!again.status.success());
        assert!(text(&again.stderr).contains("exists: remove it, choose another PATH or give --force"));
        assert!(dataflow(&["sample", "workflow", recipe, dir.to_str().unwrap(), "--force"]).status.success());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_options_and_a_steps_file_reach_the_files() {
    let dir = temp("options");
    let steps = temp("steps-file");
    std::fs::create_dir_all(&steps).unwrap();
    let steps = steps.join("steps.sql");
    std::fs::write(
        &steps,
        "-- step: totals\nSELECT title_id, country_code, SUM(view_hours) AS view_hours\nFROM some_db.source_table\n\
         WHERE view_hours > ${min_hours}\nGROUP BY title_id, country_code\n\
         -- step: ranked\nSELECT title_id, country_code, view_hours, RANK() OVER (PARTITION BY country_code ORDER BY view_hours DESC) AS title_rank\nFROM totals\n\
         -- step: top\nSELECT * FROM ranked WHERE title_rank <= ${top_n}\n",
    )
    .unwrap();
    let out = dataflow(&[
        "sample",
        "workflow",
        "pyspark",
        dir.to_str().unwrap(),
        "--short-name",
        "My Flow",
        "--workflow-id",
        "team.my_flow",
        "--top-n",
        "10",
        "--steps",
        steps.to_str().unwrap(),
        "--param",
        "min_hours=0.5",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("note: short-name \"My Flow\" is used as \"my_flow\""), "{}", text(&out.stderr));
    let module = std::fs::read_to_string(dir.join("src/pyspark_write.py")).unwrap();
    assert!(module.contains("team.my_flow: the write job of my_flow in PySpark"), "{module}");
    assert!(module.contains(".filter(F.col(\"view_hours\") > 0.5)"), "{module}");
    assert!(
        module.contains("top_df = (\n        ranked_df\n        .filter(F.col(\"title_rank\") <= 10)\n    )"),
        "{module}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zip_writes_one_archive_that_unzip_reads() {
    let dir = temp("zip");
    std::fs::create_dir_all(&dir).unwrap();
    let zip = dir.join("flow.zip");
    let out = dataflow(&["sample", "workflow", "scala", "--zip", zip.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = Command::new("unzip").arg("-Z1").arg(&zip).output().expect("unzip runs");
    let names = text(&listing.stdout);
    assert!(names.lines().any(|n| n == "dataflow_scala_sample/build.gradle"), "{names}");
    assert!(names.lines().all(|n| n.starts_with("dataflow_scala_sample/") && !n.contains("..")), "{names}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_is_an_error_on_stderr_with_a_non_zero_exit() {
    let dir = temp("bad");
    let d = dir.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["sample", "workflow"], "required arguments were not provided:\n  <RECIPE>"),
        (vec!["sample", "workflow", "cobol", d], "unknown recipe \"cobol\""),
        (
            vec!["sample", "workflow", "pyspark", d, "--short-name", "../../etc"],
            "option short-name: \"../../etc\" has '.'",
        ),
        (vec!["sample", "workflow", "pyspark", d, "--workflow-id", "a/../b"], "option workflow-id"),
        (vec!["sample", "workflow", "pyspark", d, "--target-db", "db\"; DROP"], "option target-db"),
        (vec!["sample", "workflow", "pyspark", d, "--short-name", "flöw"], "has 'ö'"),
        (
            vec!["sample", "workflow", "pyspark", d, "--top-n", "0"],
            "option top-n: must be a whole number from 1 to 2147483647, not \"0\"",
        ),
        (vec!["sample", "workflow", "pyspark", d, "--zip", "x.zip"], "'[PATH]' cannot be used with '--zip <FILE>'"),
        (vec!["sample", "workflow", "pyspark", d, "--steps", "/no/such.sql"], "/no/such.sql: No such file"),
        (vec!["sample", "workflow", "pyspark", d, "--bogus"], "unexpected argument '--bogus' found"),
        (vec!["sample", "nope"], "unrecognized subcommand 'nope'"),
    ];
    for (args, message) in cases {
        let out = dataflow(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).is_empty());
    }
    assert!(!dir.exists(), "nothing was written");
}

#[test]
fn test_and_run_take_the_steps_and_a_yaml_mock() {
    let dir = temp("project");
    assert!(dataflow(&["sample", "workflow", "spark-sql", dir.to_str().unwrap()]).status.success());
    let out = dataflow(&["test", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mock = dir.join("src/mocks/some_db.source_table.yaml");
    let out = dataflow(&["run", "--source", mock.to_str().unwrap(), "--top-n", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "title_id,country_code,view_hours,title_rank\n4,BR,12.5,1\n1,NO,4.0,1\n1,US,3.5,1\n2,US,3.5,1\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! `dataflow run` on files: a CSV source, a steps file, parameters, and what goes wrong.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dataflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dataflow")).args(args).output().expect("the dataflow binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes `content` to a file of this name in a fresh temporary directory.
fn file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dataflow-run-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

const VIEWS: &str = "title_id,country_code,view_hours,playback_date\n\
    1,US,2.5,20220101\n2,US,4,20220101\n1,US,2,20220101\n3,BR,1,20220101\n9,BR,7,20211231\n";

#[test]
fn runs_the_sample_steps_on_a_csv_source() {
    let source = file("views.csv", VIEWS);
    let out = dataflow(&["run", "--source", source.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "title_id,country_code,view_hours,title_rank\n3,BR,1.0,1\n1,US,4.5,1\n2,US,4.0,2\n");
}

/// The output is CSV that `--source` reads back: a NULL is an empty field, so an INT column with
/// a NULL stays a number column (the display's `NULL` text would have made it text).
#[test]
fn the_output_reads_back_as_a_source() {
    let source = file("views3.csv", VIEWS);
    let steps = file(
        "nulls.sql",
        "-- step: with_nulls\nSELECT title_id, country_code, CASE WHEN title_id = 2 THEN NULL ELSE view_hours END \
         AS view_hours, playback_date, 'say \"hi\", bye' AS note\nFROM some_db.source_table\n",
    );
    let out = dataflow(&["run", "--source", source.to_str().unwrap(), "--steps", steps.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = text(&out.stdout);
    assert!(written.contains("\n2,US,,2022-01-01,\"say \"\"hi\"\", bye\"\n"), "{written}");
    let again = file("again.csv", &written);
    let out = dataflow(&["run", "--source", again.to_str().unwrap(), "--steps", steps.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), written, "the same table, read back");
}

#[test]
fn a_steps_file_and_parameters() {
    let source = file("views2.csv", VIEWS);
    let steps = file(
        "steps.sql",
        "-- step: totals\nSELECT country_code, SUM(view_hours) AS hours\nFROM some_db.source_table\n\
         WHERE playback_date = DATE '${date}' AND view_hours >= ${min_hours}\nGROUP BY country_code\n",
    );
    let args = ["run", "--source", source.to_str().unwrap(), "--steps", steps.to_str().unwrap()];
    let out = dataflow(&[&args[..], &["--param", "min_hours=2", "--param", "date=2021-12-31"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "country_code,hours\nBR,7.0\n");
    // The output does not fit the target table's DDL: said on stderr, not fatal.
    assert!(text(&out.stderr).contains("DDL check: column title_id is in the DDL but not in the output"));
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let lacking = file("lacking.csv", "title_id,country_code,playback_date\n1,US,20220101\n");
    let not_parquet = file("fake.parquet", VIEWS);
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["run", "--source", lacking.to_str().unwrap()],
            format!("{} lacks columns the steps need: view_hours", lacking.display()),
        ),
        (vec!["run", "--source", not_parquet.to_str().unwrap()], "is not a Parquet file".into()),
        (vec!["run", "--source", "/no/such/file.csv"], "/no/such/file.csv: No such file".into()),
        (vec!["run", "--param", "top_n"], "--param takes NAME=VALUE".into()),
        (vec!["run", "--param", "top_n=0"], "parameter top_n: must be a whole number from 1 to 2147483647".into()),
        (vec!["run", "--date", "2022-02-30"], "no such day".into()),
        (vec!["run", "--top-n", "0"], "parameter top_n: must be a whole number from 1 to 2147483647".into()),
        (vec!["run", "--top-n", "-5"], "parameter top_n: must be a whole number from 1 to 2147483647".into()),
    ];
    for (args, message) in cases {
        let out = dataflow(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(text(&out.stderr).contains(&message), "{args:?}: {}", text(&out.stderr));
    }
}

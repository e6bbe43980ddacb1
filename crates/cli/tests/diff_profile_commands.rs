//! `dataflow diff`, `dataflow profile` and `dataflow lineage`: the diff against a comparison of
//! two runs' CSV (`dataflow run`) made here, the profile and its suggested audits against the
//! rows, the lineage against the example its `--help` shows.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};

fn dataflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dataflow")).args(args).output().expect("the dataflow binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dataflow-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file(name: &str, content: &str) -> String {
    let path = dir().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

/// Two days of views with ties in view hours, so RANK and DENSE_RANK differ.
const VIEWS: &str = "title_id,country_code,view_hours,playback_date\n\
    1,US,5.0,20220101\n2,US,5.0,20220101\n3,US,4.0,20220101\n4,US,1.0,20220101\n\
    1,BR,3.0,20220101\n2,BR,3.0,20220101\n3,BR,3.0,20220101\n5,BR,2.0,20220101\n\
    1,NO,9.0,20220101\n2,NO,8.0,20220101\n\
    1,US,7.0,20211231\n6,US,6.0,20211231\n";

fn steps(rank: &str) -> String {
    format!(
        "-- step: STEP_1\nSELECT title_id, country_code, SUM(view_hours) AS view_hours FROM some_db.source_table \
         WHERE playback_date = DATE '${{date}}' GROUP BY title_id, country_code\n\
         -- step: STEP_2\nSELECT title_id, country_code, view_hours, {rank}() OVER (PARTITION BY country_code \
         ORDER BY view_hours DESC) AS title_rank FROM STEP_1\n\
         -- step: STEP_3\nSELECT title_id, country_code, view_hours, title_rank FROM STEP_2 WHERE title_rank <= ${{top_n}}\n"
    )
}

/// `dataflow run`'s CSV as rows keyed by (country_code, title_id).
fn run_rows(args: &[&str]) -> HashMap<(String, String), Vec<String>> {
    let out = dataflow(&[&["run"], args].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| {
            let cells: Vec<String> = l.split(',').map(String::from).collect();
            ((cells[at("country_code")].clone(), cells[at("title_id")].clone()), cells)
        })
        .collect()
}

#[test]
fn diff_of_rank_and_dense_rank_counts_what_two_runs_print() {
    let source = file("views.csv", VIEWS);
    let (rank, dense) = (file("rank.sql", &steps("RANK")), file("dense.sql", &steps("DENSE_RANK")));
    let rows = dir().join("changed.csv");
    let out = dataflow(&[
        "diff",
        "--source",
        &source,
        "--steps",
        &dense,
        "--base-steps",
        &rank,
        "--top-n",
        "2",
        "--rows",
        rows.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);

    // The truth: both runs' outputs as `dataflow run` prints them, compared by key here.
    let base = run_rows(&["--source", &source, "--steps", &rank, "--top-n", "2"]);
    let new = run_rows(&["--source", &source, "--steps", &dense, "--top-n", "2"]);
    let added = new.keys().filter(|k| !base.contains_key(*k)).count();
    let removed = base.keys().filter(|k| !new.contains_key(*k)).count();
    let changed = new.iter().filter(|(k, v)| base.get(*k).is_some_and(|b| b != *v)).count();
    // The ties: DENSE_RANK lets US's title 3 and BR's title 5 into the top 2.
    assert_eq!((added, removed, changed), (2, 0, 0));
    let output = summary.lines().find(|l| l.starts_with("STEP_3: ")).expect(&summary);
    assert!(output.starts_with(&format!("STEP_3: added {added}, removed {removed}, changed {changed},")), "{summary}");
    assert!(summary.starts_with("STEP_1: added 0, removed 0, changed 0,"), "{summary}");
    // STEP_2 keeps every row; three ranks close their gaps, in two countries.
    assert!(summary.contains("\nSTEP_2: added 0, removed 0, changed 3 in 2 country_code, unchanged 7 (10 rows → 10; paired by country_code, title_id)\n  view_hours: changed 0\n  title_rank: changed 3; largest: BR/5: 4 → 2, US/3: 3 → 2, US/4: 4 → 3\n"), "{summary}");

    let csv = std::fs::read_to_string(rows).unwrap();
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.remove(0), "change,country_code,title_id,base.view_hours,view_hours,base.title_rank,title_rank");
    assert_eq!(lines, ["added,BR,5,,2.0,,2", "added,US,3,,4.0,,2"]);
}

#[test]
fn diff_by_date_and_by_a_key_that_is_not_unique() {
    let source = file("views2.csv", VIEWS);
    let out = dataflow(&["diff", "--source", &source, "--base-date", "20211231", "--key", "country_code"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.contains("paired by whole rows (the key (country_code) is not unique: 1 values occur more than once in the base result)"), "{summary}");
    assert!(summary.contains("STEP_3: added 10, removed 2, changed 0,"), "{summary}");
}

#[test]
fn diff_needs_a_base_and_says_which_flags_give_one() {
    let out = dataflow(&["diff"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--base-steps, --base-date or --base-source"), "{}", text(&out.stderr));
}

#[test]
fn profile_of_a_source_file_and_of_a_step() {
    let source = file("views3.csv", VIEWS);
    let out = dataflow(&["profile", "--source", &source]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines[0], "some_db.source_table: 12 rows, 4 columns");
    assert_eq!(lines[2], "country_code STRING, nulls 0 (0.0%), distinct 3, min BR, max US, top US (6), BR (4), NO (2)");
    assert!(
        lines[3].starts_with(
            "view_hours DOUBLE, nulls 0 (0.0%), distinct 9, min 1.0, max 9.0, mean 4.666667, top 3.0 (3), 5.0 (2),"
        ),
        "{}",
        lines[3]
    );
    let out = dataflow(&["profile", "--source", &source, "--step", "step_3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("STEP_3: 10 rows, 4 columns\n"), "{}", text(&out.stdout));
    let out = dataflow(&["profile", "--source", &source, "--step", "STEP_9"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no step named STEP_9; the steps are STEP_1, STEP_2, STEP_3"));
}

#[test]
fn suggested_audits_agree_with_the_rows_run_prints() {
    let rows = run_rows(&["--top-n", "10"]);
    let hours: Vec<f64> = rows.values().map(|r| r[2].parse().unwrap()).collect();
    let (lo, hi) = hours.iter().fold((f64::MAX, f64::MIN), |(lo, hi), h| (lo.min(*h), hi.max(*h)));
    let out = dataflow(&["profile", "--suggest-audits", "--top-n", "10"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let n = rows.len();
    let range = format!(
        "- function: column_values_should_be_within\n  blocking: false\n  params:\n    column: view_hours\n    max: {}\n    min: {}\n",
        hi.ceil(),
        lo.floor()
    );
    assert!(printed.contains(&range), "{printed}");
    let band = format!(
        "- function: row_count_should_be_within\n  blocking: false\n  params:\n    max: {}\n    min: {}\n",
        (n as f64 * 1.5).ceil(),
        n / 2
    );
    assert!(printed.contains(&band), "{printed}");
    // The sample checks its key already: only view_hours is left to check for NULLs.
    assert!(printed.contains("# because view_hours has no NULL in "), "{printed}");
    assert!(!printed.contains("columns_should_be_unique"), "{printed}");
}

#[test]
fn lineage_prints_what_its_help_shows_and_names_a_missing_column() {
    let help = text(&dataflow(&["lineage", "--help"]).stdout);
    let example = help.split_once("Example: dataflow lineage --column view_hours\n").unwrap().1;
    let out = dataflow(&["lineage", "--column", "view_hours"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), example);
    // Every output column, each traced to the source; a step's own column by STEP.COLUMN.
    let all = text(&dataflow(&["lineage"]).stdout);
    assert!(all.contains("STEP_3.title_rank: from some_db.source_table: country_code, view_hours\n"), "{all}");
    let out = dataflow(&[
        "lineage",
        "--source",
        &file("views4.csv", VIEWS),
        "--steps",
        &file("dense4.sql", &steps("DENSE_RANK")),
        "--column",
        "step_2.title_rank",
    ]);
    assert!(
        text(&out.stdout).contains("via dense_rank() OVER (PARTITION BY country_code ORDER BY view_hours DESC)"),
        "{}",
        text(&out.stdout)
    );
    let out = dataflow(&["lineage", "--column", "STEP_1.nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("STEP_1 has no column nope; its columns are title_id, country_code, view_hours"));
}

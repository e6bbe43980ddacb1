//! The workflow files: main, daily and backfill rendered from a spec (insta snapshots), read back
//! to the same spec (examples and proptest), and every way a file can be wrong, with its message.
//! Native only: insta writes files and proptest forks.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use dataflow_engine::workflow::{backfill_yaml, daily_yaml, main_yaml, parse_backfill, parse_daily, parse_main};
use dataflow_engine::{AuditSpec, PipelineSpec, RunDate};
use proptest::prelude::*;
use serde_json::{json, Value};

fn files(spec: &PipelineSpec) -> [String; 3] {
    [main_yaml(spec), daily_yaml(spec), backfill_yaml(spec)]
}

/// `spec`'s files read into a spec that differs in everything they hold.
fn round_trip(spec: &PipelineSpec) -> PipelineSpec {
    let [main, daily, backfill] = files(spec);
    let mut other = PipelineSpec::sample();
    other.workflow.audits.clear();
    other.workflow.metadata.owner = "someone else".into();
    other.workflow.daily.lookback_days = 9;
    other.params.target_db = "elsewhere".into();
    other.params.top_n = 3;
    other.params.extra.insert("stale".into(), "1".into());
    other.apply_workflow_files(&main, &daily, &backfill).unwrap_or_else(|e| panic!("{e}\n{main}"));
    other
}

#[test]
fn the_sample_files() {
    let [main, daily, backfill] = files(&PipelineSpec::sample());
    insta::assert_snapshot!("main.sch.yaml", main);
    insta::assert_snapshot!("daily.sch.yaml", daily);
    insta::assert_snapshot!("backfill.sch.yaml", backfill);
}

#[test]
fn the_sample_round_trips() {
    let spec = PipelineSpec::sample();
    assert_eq!(round_trip(&spec), spec);
}

#[test]
fn an_edited_workflow_round_trips() {
    let mut spec = PipelineSpec::sample();
    spec.params.target_db = "my_db".into();
    spec.params.top_n = 7;
    spec.params.date = RunDate::parse("2024-02-29").unwrap();
    spec.params.extra.insert("min_hours".into(), "0.5".into());
    spec.params.extra.insert("label".into(), "a: b # not a comment".into());
    let w = &mut spec.workflow;
    w.id = "team.top_titles".into();
    w.name = "Top titles: \"daily\"".into();
    w.catalog = "testhive".into();
    w.metadata.owner = "ana maría".into();
    w.metadata.tags = vec![];
    w.metadata.lifetime_days = 1;
    w.metadata.primary_key = vec!["title_id".into(), "date".into()];
    w.daily.cron = "30 2 * * 1-5".into();
    w.daily.timezone = "America/Los_Angeles".into();
    w.daily.lookback_days = 0;
    w.backfill.start = RunDate::parse("20231231").unwrap();
    w.backfill.end = RunDate::parse("20240102").unwrap();
    w.backfill.stop_on_failure = true;
    w.audits = vec![
        AuditSpec::new("schema_should_match_ddl", false, &[]),
        AuditSpec::new(
            "query_should_return_no_rows",
            true,
            &[("sql", json!("SELECT *\nFROM staged\nWHERE country_code = 'NO' -- Norway, \"quoted\""))],
        ),
        AuditSpec::new(
            "column_should_have_accepted_values",
            true,
            &[("column", json!("country_code")), ("values", json!(["NO", "yes", "null", "", "1e5", "${x}"]))],
        ),
        AuditSpec::new(
            "row_count_should_be_within",
            true,
            &[("min", json!(0)), ("max", json!(1.5)), ("nested", json!([[1, 2], {"a": null}, [], {}]))],
        ),
    ];
    assert_eq!(round_trip(&spec), spec);
    assert_eq!(spec.params.date.to_string(), "2024-02-29");
}

/// A text in `file` replaced once (it must be there).
fn edit(file: &str, from: &str, to: &str) -> String {
    assert!(file.contains(from), "{from:?} not in\n{file}");
    file.replacen(from, to, 1)
}

/// The 1-based line of the first line containing `text`.
fn line_of(file: &str, text: &str) -> usize {
    file.lines().position(|l| l.contains(text)).unwrap() + 1
}

#[test]
fn a_bad_main_file_says_what_and_where() {
    let main = main_yaml(&PipelineSpec::sample());
    let err = |text: &str| parse_main(text).unwrap_err().to_string();
    let hwm_type = line_of(&main, "type: HWM");
    assert_eq!(
        err(&edit(&main, "type: HWM", "type: Flink")),
        format!("main.sch.yaml, line {hwm_type}, column 15: job hwm: unknown job type `Flink` (known: Spark, Metadata, HWM, Subworkflow)")
    );
    let function = line_of(&main, "function: row_count_should_be_within");
    assert!(err(&edit(&main, "function: row_count_should_be_within", "function: row_count_is_fine")).starts_with(&format!(
        "main.sch.yaml, line {function}, column 25: unknown audit function `row_count_is_fine` (known: columns_should_not_have_nulls, "
    )));
    assert_eq!(err(""), "main.sch.yaml: the file is empty");
    assert_eq!(
        err(&edit(&main, "  jobs:\n", "  jobs: [\n")),
        format!("main.sch.yaml, line {}, column 5: \"-\" is only valid inside a block", line_of(&main, "  jobs:") + 1)
    );
    let metacat = line_of(&main, "metacat:");
    assert_eq!(
        err(&edit(&main, "metacat:", "metacta:")),
        format!("main.sch.yaml, line {metacat}, column 9: unknown field `metacta`, expected one of id, type, spark, metacat, subworkflow")
    );
    let hwm_job = main.find("    - job:\n        id: hwm").unwrap();
    let without_hwm = main.get(..hwm_job).unwrap();
    assert_eq!(
        err(without_hwm),
        format!(
            "main.sch.yaml, line {}, column 3: the hwm job is missing: main runs ddl, metadata, wap, hwm",
            line_of(&main, "Workflow:") + 1
        )
    );
    let metadata_job = main.find("    - job:\n        id: metadata").unwrap();
    let wap = main.find("    - template:").unwrap();
    let reordered = format!(
        "{}{}{}{}",
        main.get(..metadata_job).unwrap(),
        main.get(wap..hwm_job).unwrap(),
        main.get(metadata_job..wap).unwrap(),
        main.get(hwm_job..).unwrap()
    );
    assert_eq!(
        err(&reordered),
        format!(
            "main.sch.yaml, line {}, column 7: the metadata job is out of order: main runs ddl, metadata, wap, hwm",
            line_of(&reordered, "id: metadata") - 1
        )
    );
    let top_n = line_of(&main, "  top_n: 100");
    assert_eq!(
        err(&edit(&main, "  top_n: 100", "  top_n: 0")),
        format!(
            "main.sch.yaml, line {top_n}, column 10: parameter top_n: must be a whole number from 1 to 2147483647, not \"0\""
        )
    );
    assert_eq!(err(&edit(&main, "  TARGET_DB: foo\n", "")), "main.sch.yaml: Variables: TARGET_DB is missing");
    assert_eq!(
        err(&edit(&main, "  username: dataflow\n", "  username: dataflow\n  regions: [EU, US]\n")),
        format!(
            "main.sch.yaml, line {}, column 12: regions must be a single value",
            line_of(&main, "username: dataflow") + 1
        )
    );
    assert_eq!(
        err(&edit(&main, "type: wap", "type: dap")),
        format!(
            "main.sch.yaml, line {}, column 15: unknown template type `dap` (known: wap)",
            line_of(&main, "type: wap")
        )
    );
    assert_eq!(
        err(&edit(&main, "blocking: true", "blocking: yes")),
        format!(
            "main.sch.yaml, line {}, column 25: invalid boolean (strict mode expects true/false)",
            line_of(&main, "blocking: true")
        )
    );
    assert_eq!(
        err(&edit(&main, "owner: ${username}", "owner: ${user}")),
        format!(
            "main.sch.yaml, line {}, column 18: owner: step owner: unknown parameter ${{user}}",
            line_of(&main, "owner: ${username}")
        )
    );
    assert_eq!(
        err(&edit(&main, "            title_id: pk", "            title_id: fk")),
        format!(
            "main.sch.yaml, line {}, column 13: column_types: title_id is `fk`; the only column type is pk",
            line_of(&main, "column_types:") + 1
        )
    );
    assert_eq!(
        err(&edit(&main, "  CATALOG: prodhive", "  CATALOG: &a prodhive")),
        format!("main.sch.yaml, line {}, column 15: YAML anchors and aliases (&name, *name) are not allowed: write each value out", line_of(&main, "CATALOG"))
    );
}

#[test]
fn bad_daily_and_backfill_files_say_what_and_where() {
    let spec = PipelineSpec::sample();
    let daily = daily_yaml(&spec);
    let backfill = backfill_yaml(&spec);
    let lookback = line_of(&daily, "  lookback_days: 2");
    assert_eq!(
        parse_daily(&edit(&daily, "lookback_days: 2", "lookback_days: 45")).unwrap_err().to_string(),
        format!(
            "daily.sch.yaml, line {lookback}, column 18: lookback_days must be a whole number from 0 to 30, not 45"
        )
    );
    assert_eq!(
        parse_daily(&edit(&daily, "type: Subworkflow", "type: Lambda")).unwrap_err().to_string(),
        format!(
            "daily.sch.yaml, line {}, column 21: job main: unknown job type `Lambda` (known: Spark, Metadata, HWM, Subworkflow)",
            line_of(&daily, "type: Subworkflow")
        )
    );
    assert_eq!(
        parse_daily(&edit(&daily, "id: dataflow_sample.main", "id: other.main")).unwrap_err().to_string(),
        format!(
            "daily.sch.yaml, line {}, column 21: the subworkflow is other.main, but this workflow's main is dataflow_sample.main",
            line_of(&daily, "id: dataflow_sample.main")
        )
    );
    assert_eq!(
        parse_daily(&edit(&daily, "  cron: 0 6 * * *\n", "")).unwrap_err().to_string(),
        "daily.sch.yaml: the Trigger needs a cron schedule (cron: 0 6 * * *)"
    );
    let start = line_of(&backfill, "  start_date:");
    assert_eq!(
        parse_backfill(&edit(&backfill, "start_date: 2021-12-26", "start_date: 2022-01-05")).unwrap_err().to_string(),
        format!("backfill.sch.yaml, line {start}, column 15: backfill: the start date 2022-01-05 is after the end date 2022-01-01")
    );
    assert_eq!(
        parse_backfill(&edit(&backfill, "start_date: 2021-12-26", "start_date: 20200101")).unwrap_err().to_string(),
        format!("backfill.sch.yaml, line {start}, column 15: backfill: 2020-01-01 to 2022-01-01 is 732 days; a backfill runs at most 366 days")
    );
    assert_eq!(
        parse_backfill(&edit(&backfill, "start_date: 2021-12-26", "start_date: 2021-02-30")).unwrap_err().to_string(),
        format!("backfill.sch.yaml, line {start}, column 15: start_date: parameter date: no such day: \"2021-02-30\" (expected YYYYMMDD or YYYY-MM-DD)")
    );
    assert_eq!(
        parse_backfill(&edit(&backfill, "  stop_on_failure: false\n", "  stop_on_failure: false\n  extra: 1\n"))
            .unwrap_err()
            .to_string(),
        format!(
            "backfill.sch.yaml, line {}, column 10: unknown variable extra",
            line_of(&backfill, "stop_on_failure") + 1
        )
    );
    let mut other = spec.clone();
    let err =
        other.apply_workflow_files(&main_yaml(&spec), &daily.replace("dataflow_sample.", "x."), &backfill).unwrap_err();
    assert_eq!(err.to_string(), "daily.sch.yaml: the workflow id is x, but main.sch.yaml's is dataflow_sample");
    assert_eq!(other, spec, "nothing changes when a file does not read");
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,8}",
        Just(String::new()),
        Just("NO".to_string()),
        Just("${top_n}".to_string()),
        Just("12".to_string()),
        Just("a: b".to_string()),
        Just("- x".to_string()),
        "[ -~]{0,12}",
        any::<String>(),
    ]
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        arb_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_audit() -> impl Strategy<Value = AuditSpec> {
    let function = proptest::sample::select(dataflow_engine::AuditFunction::names());
    (function, any::<bool>(), proptest::collection::btree_map("[a-z_]{1,8}", arb_value(), 0..4))
        .prop_map(|(function, blocking, params)| AuditSpec { function: function.to_string(), blocking, params })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the workflow holds, its files read back as the same spec.
    #[test]
    fn any_workflow_round_trips(
        id in "[a-z][a-z0-9_.]{0,12}[a-z0-9]",
        name in arb_text(),
        owner in arb_text(),
        tags in proptest::collection::vec(arb_text(), 0..3),
        lifetime in 1u32..10_000,
        key in proptest::collection::btree_set("[a-z_]{1,8}", 0..3),
        audits in proptest::collection::vec(arb_audit(), 0..4),
        lookback in 0u32..=30,
        start in 0i32..20_000,
        days in 0i32..366,
        stop in any::<bool>(),
    ) {
        let mut spec = PipelineSpec::sample();
        let w = &mut spec.workflow;
        w.id = id;
        w.name = name;
        w.metadata.owner = owner;
        w.metadata.tags = tags;
        w.metadata.lifetime_days = lifetime;
        w.metadata.primary_key = key.into_iter().collect();
        w.audits = audits;
        w.daily.lookback_days = lookback;
        w.backfill.start = RunDate::from_days(start);
        w.backfill.end = RunDate::from_days(start + days);
        w.backfill.stop_on_failure = stop;
        prop_assert_eq!(round_trip(&spec), spec);
    }
}

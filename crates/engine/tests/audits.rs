//! Every built-in audit passing and failing on small hand-made staged partitions, with its
//! message, failing count and failing sample; and every kind of bad params found before a run.
//! Native only (tokio); the engine code is the same on wasm32.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{day, passthrough_spec, ranked_source, row, Ranked};
use dataflow_engine::arrow::datatypes::{DataType, Field, Schema};
use dataflow_engine::catalog::table_schema;
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::{
    check_audits, run_main, AuditFunction, AuditResult, AuditSpec, Catalog, EngineError, PipelineSpec, Table,
};
use serde_json::json;

const DAY: &str = "20220101";
const NEXT: &str = "20220102";

fn audit(function: &str, params: &[(&str, serde_json::Value)]) -> AuditSpec {
    AuditSpec::new(function, true, params)
}

/// Runs main for DAY with `spec`'s step and only `audit`, and gives its result.
async fn run_one(spec: PipelineSpec, days: &[(&str, &[Ranked])], audit: AuditSpec, date: &str) -> AuditResult {
    let source = ranked_source(days);
    let mut catalog = Catalog::new();
    // Earlier dates first, with no audits, so `previous` and the published target have rows.
    for (d, _) in days.iter().filter(|(d, _)| *d < date) {
        run_main(&passthrough_spec(vec![]), &source, &mut catalog, day(d)).await.unwrap();
    }
    let mut spec = spec;
    spec.workflow.audits = vec![audit];
    let run = run_main(&spec, &source, &mut catalog, day(date)).await.unwrap();
    assert_eq!(run.audits.len(), 1);
    run.audits[0].clone()
}

async fn on(rows: &[Ranked], audit: AuditSpec) -> AuditResult {
    run_one(passthrough_spec(vec![]), &[(DAY, rows)], audit, DAY).await
}

fn table(columns: &[&str], rows: &[&[&str]]) -> Table {
    Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(),
    }
}

const STAGED: [&str; 5] = ["title_id", "country_code", "title_rank", "view_hours", "date"];

fn passed(result: &AuditResult, message: &str) {
    assert!(result.passed, "{result:?}");
    assert_eq!((result.failing_count, result.message.as_str()), (0, message));
    assert_eq!(result.sample, Table::default());
}

fn failed(result: &AuditResult, count: u64, message: &str, sample: Table) {
    assert!(!result.passed, "{result:?}");
    assert_eq!((result.failing_count, result.message.as_str()), (count, message));
    assert_eq!(result.sample, sample);
}

#[tokio::test]
async fn columns_should_not_have_nulls() {
    let a = || audit("columns_should_not_have_nulls", &[("columns", json!(["title_id", "title_rank"]))]);
    passed(&on(&[row(1, "US", 1, 2.0)], a()).await, "no NULL in title_id, title_rank");
    let rows = [row(1, "US", 1, 2.0), (Some(2), Some("US"), None, Some(1.0)), (None, Some("BR"), Some(1), None)];
    failed(
        &on(&rows, a()).await,
        2,
        "2 row(s) have a NULL in title_id, title_rank",
        table(&STAGED, &[&["NULL", "BR", "1", "NULL", "2022-01-01"], &["2", "US", "NULL", "1.0", "2022-01-01"]]),
    );
}

#[tokio::test]
async fn columns_should_be_unique() {
    let a = || audit("columns_should_be_unique", &[("columns", json!(["country_code", "title_id"]))]);
    passed(&on(&[row(1, "US", 1, 2.0), row(1, "BR", 1, 2.0)], a()).await, "every (country_code, title_id) occurs once");
    let rows =
        [row(1, "US", 1, 2.0), row(1, "US", 2, 1.0), row(2, "US", 3, 0.5), row(2, "US", 3, 0.5), row(2, "US", 3, 0.5)];
    failed(
        &on(&rows, a()).await,
        2,
        "2 value(s) of (country_code, title_id) occur more than once",
        table(&["country_code", "title_id", "row_count"], &[&["US", "1", "2"], &["US", "2", "3"]]),
    );
}

#[tokio::test]
async fn row_count_should_be_within() {
    let a = || audit("row_count_should_be_within", &[("min", json!(1)), ("max", json!("3"))]);
    passed(&on(&[row(1, "US", 1, 2.0)], a()).await, "1 row(s); expected from 1 to 3");
    let result = on(&[], a()).await;
    failed(&result, 1, "0 row(s); expected from 1 to 3", table(&["row_count", "expected"], &[&["0", "from 1 to 3"]]));
}

#[tokio::test]
async fn column_should_have_accepted_values() {
    let a = || {
        audit(
            "column_should_have_accepted_values",
            &[("column", json!("country_code")), ("values", json!(["US", "NO"]))],
        )
    };
    let ok = [row(1, "US", 1, 2.0), row(1, "NO", 1, 2.0), (Some(2), None, Some(2), Some(1.0))];
    passed(&on(&ok, a()).await, "every country_code is one of 'US', 'NO'");
    failed(
        &on(&[row(1, "US", 1, 2.0), row(1, "BR", 1, 2.0)], a()).await,
        1,
        "1 row(s) have a country_code that is not one of 'US', 'NO'",
        table(&STAGED, &[&["1", "BR", "1", "2.0", "2022-01-01"]]),
    );
    let ranks =
        audit("column_should_have_accepted_values", &[("column", json!("title_rank")), ("values", json!([1, "2"]))]);
    failed(
        &on(&[row(1, "US", 1, 2.0), row(2, "US", 3, 1.0)], ranks).await,
        1,
        "1 row(s) have a title_rank that is not one of 1, 2",
        table(&STAGED, &[&["2", "US", "3", "1.0", "2022-01-01"]]),
    );
}

#[tokio::test]
async fn column_values_should_be_within() {
    let a = || {
        audit(
            "column_values_should_be_within",
            &[("column", json!("view_hours")), ("min", json!(0)), ("max", json!(10.5))],
        )
    };
    passed(
        &on(&[row(1, "US", 1, 10.5), row(2, "US", 2, 0.0), (Some(3), Some("US"), Some(3), None)], a()).await,
        "every view_hours is from 0 to 10.5",
    );
    failed(
        &on(&[row(1, "US", 1, 11.0), row(2, "US", 2, -0.25), row(3, "US", 3, 1.0)], a()).await,
        2,
        "2 row(s) have a view_hours that is not from 0 to 10.5",
        table(&STAGED, &[&["1", "US", "1", "11.0", "2022-01-01"], &["2", "US", "2", "-0.25", "2022-01-01"]]),
    );
    let at_least = audit("column_values_should_be_within", &[("column", json!("title_rank")), ("min", json!(1))]);
    failed(
        &on(&[row(1, "US", 0, 1.0)], at_least).await,
        1,
        "1 row(s) have a title_rank that is not at least 1",
        table(&STAGED, &[&["1", "US", "0", "1.0", "2022-01-01"]]),
    );
}

#[tokio::test]
async fn column_values_should_exist_in_the_source_or_the_published_target() {
    let in_source = audit(
        "column_values_should_exist_in",
        &[
            ("column", json!("country_code")),
            ("to_table", json!("some_db.source_table")),
            ("to_column", json!("country_code")),
        ],
    );
    passed(
        &on(&[row(1, "US", 1, 2.0)], in_source).await,
        "every country_code occurs in some_db.source_table.country_code",
    );
    // A country the published table has never had.
    let in_target = audit(
        "column_values_should_exist_in",
        &[
            ("column", json!("country_code")),
            ("to_table", json!("${TARGET_TABLE}")),
            ("to_column", json!("country_code")),
        ],
    );
    let days: [(&str, &[Ranked]); 2] =
        [(DAY, &[row(1, "US", 1, 2.0)]), (NEXT, &[row(1, "US", 1, 2.0), row(1, "BR", 1, 3.0)])];
    failed(
        &run_one(passthrough_spec(vec![]), &days, in_target, NEXT).await,
        1,
        "1 row(s) have a country_code that is not in foo.dataflow_sample_results.country_code",
        table(&STAGED, &[&["1", "BR", "1", "3.0", "2022-01-02"]]),
    );
}

#[tokio::test]
async fn ranks_should_be_contiguous_as_rank_makes_them() {
    let a = || {
        audit(
            "ranks_should_be_contiguous",
            &[("rank_column", json!("title_rank")), ("partition_by", json!(["country_code"]))],
        )
    };
    // RANK(): ties share a rank and the next rank skips (1, 1, 3); each country starts at 1.
    let ok =
        [row(1, "US", 1, 5.0), row(2, "US", 1, 5.0), row(3, "US", 3, 1.0), row(1, "BR", 1, 2.0), row(2, "BR", 2, 1.0)];
    passed(&on(&ok, a()).await, "every title_rank is 1 + the number of rows ranked before it within each country_code");
    // A gap (1, 3), a tie that does not skip (1, 1, 2), a country that starts at 2, a NULL rank.
    let bad = [
        row(1, "US", 1, 5.0),
        row(2, "US", 3, 1.0),
        row(1, "CA", 1, 5.0),
        row(2, "CA", 1, 5.0),
        row(3, "CA", 2, 1.0),
        row(1, "BR", 2, 1.0),
        (Some(4), Some("US"), None, Some(0.5)),
    ];
    failed(
        &on(&bad, a()).await,
        4,
        "4 row(s) have a title_rank that is not 1 + the number of rows ranked before it within each country_code",
        table(
            &["title_id", "country_code", "title_rank", "view_hours", "date", "expected_rank"],
            &[
                &["1", "BR", "2", "1.0", "2022-01-01", "1"],
                &["2", "US", "3", "1.0", "2022-01-01", "2"],
                &["3", "CA", "2", "1.0", "2022-01-01", "3"],
                &["4", "US", "NULL", "0.5", "2022-01-01", "3"],
            ],
        ),
    );
    // Without partition_by the whole partition is one ranking.
    let whole = audit("ranks_should_be_contiguous", &[("rank_column", json!("title_rank"))]);
    assert!(on(&[row(1, "US", 1, 1.0), row(1, "BR", 1, 1.0)], whole.clone()).await.passed);
    let ranks = [row(1, "US", 1, 4.0), row(2, "US", 2, 3.0), row(3, "BR", 2, 3.0), row(4, "BR", 3, 1.0)];
    assert_eq!(on(&ranks, whole).await.failing_count, 1, "3 comes after three rows: it should be 4");
}

#[tokio::test]
async fn groups_should_have_at_most_with_and_without_ties() {
    let with_ties = || {
        audit(
            "groups_should_have_at_most",
            &[("group_by", json!(["country_code"])), ("max_rows", json!(2)), ("rank_column", json!("title_rank"))],
        )
    };
    // US: 3 rows, but two tie at the last rank 2: RANK() <= 2 keeps them all. BR: 3 ranks.
    let rows = [
        row(1, "US", 1, 3.0),
        row(2, "US", 2, 2.0),
        row(3, "US", 2, 2.0),
        row(1, "BR", 1, 3.0),
        row(2, "BR", 2, 2.0),
        row(3, "BR", 3, 1.0),
    ];
    failed(
        &on(&rows, with_ties()).await,
        1,
        "1 group(s) of (country_code) have more than 2 row(s) (ties at the last rank aside)",
        table(&["country_code", "row_count", "ranked_before_last"], &[&["BR", "3", "2"]]),
    );
    passed(
        &on(&rows[..3], with_ties()).await,
        "every (country_code) has at most 2 row(s) (ties at the last rank aside)",
    );
    let strict = audit("groups_should_have_at_most", &[("group_by", json!(["country_code"])), ("max_rows", json!(2))]);
    failed(
        &on(&rows, strict).await,
        2,
        "2 group(s) of (country_code) have more than 2 row(s)",
        table(&["country_code", "row_count"], &[&["BR", "3"], &["US", "3"]]),
    );
    // max_rows defaults to ${top_n}.
    let mut spec = passthrough_spec(vec![]);
    spec.params.top_n = 1;
    let default_n = audit("groups_should_have_at_most", &[("group_by", json!(["country_code"]))]);
    let result = run_one(spec, &[(DAY, &rows[..2])], default_n, DAY).await;
    assert_eq!(result.message, "1 group(s) of (country_code) have more than 1 row(s)");
}

#[tokio::test]
async fn data_should_be_fresh() {
    let staged = audit("data_should_be_fresh", &[]);
    passed(&on(&[row(1, "US", 1, 1.0)], staged).await, "the newest date in staged is 2022-01-01 (run date 2022-01-01)");
    let empty = audit("data_should_be_fresh", &[("table", json!("${TARGET_TABLE}"))]);
    failed(&on(&[], empty).await, 1, "staged.date has no dates", table(&["newest"], &[&["NULL"]]));
    // The source has nothing newer than the day before the run date.
    let source = |days: u32| {
        audit(
            "data_should_be_fresh",
            &[
                ("table", json!("some_db.source_table")),
                ("column", json!("playback_date")),
                ("max_age_days", json!(days)),
            ],
        )
    };
    let days: [(&str, &[Ranked]); 1] = [(DAY, &[row(1, "US", 1, 1.0)])];
    failed(
        &run_one(passthrough_spec(vec![]), &days, source(0), NEXT).await,
        1,
        "the newest playback_date in some_db.source_table is 2022-01-01; for the run date 2022-01-02 it should be 2022-01-02 or later",
        table(&["newest"], &[&["2022-01-01"]]),
    );
    passed(
        &run_one(passthrough_spec(vec![]), &days, source(1), NEXT).await,
        "the newest playback_date in some_db.source_table is 2022-01-01 (run date 2022-01-02)",
    );
}

#[tokio::test]
async fn row_count_change_should_be_within() {
    let a = |max: f64| audit("row_count_change_should_be_within", &[("max_percent", json!(max))]);
    passed(&on(&[row(1, "US", 1, 1.0)], a(10.0)).await, "no published partition before 2022-01-01 to compare with");
    let days: [(&str, &[Ranked]); 2] = [
        (DAY, &[row(1, "US", 1, 1.0), row(2, "US", 2, 0.5)]),
        (NEXT, &[row(1, "US", 1, 1.0), row(2, "US", 2, 0.5), row(3, "US", 3, 0.25)]),
    ];
    let message = "3 row(s) against 2 on 2022-01-01: a change of 50.0%, at most 50% allowed";
    passed(&run_one(passthrough_spec(vec![]), &days, a(50.0), NEXT).await, message);
    failed(
        &run_one(passthrough_spec(vec![]), &days, a(49.5), NEXT).await,
        1,
        "3 row(s) against 2 on 2022-01-01: a change of 50.0%, at most 49.5% allowed",
        table(
            &["previous_date", "previous_rows", "row_count", "change_percent"],
            &[&["2022-01-01", "2", "3", "50.0%"]],
        ),
    );
}

#[tokio::test]
async fn query_should_return_no_rows() {
    let a = |sql: &str| audit("query_should_return_no_rows", &[("sql", json!(sql))]);
    passed(
        &on(&[row(1, "US", 1, 1.0)], a("SELECT * FROM staged WHERE view_hours < 0")).await,
        "the query returned no rows",
    );
    failed(
        &on(
            &[row(1, "US", 1, -1.0), row(2, "US", 2, 1.0)],
            a("SELECT title_id, view_hours FROM staged WHERE view_hours < 0"),
        )
        .await,
        1,
        "the query returned 1 row(s)",
        table(&["title_id", "view_hours"], &[&["1", "-1.0"]]),
    );
    // It can read the previous partition and use parameters.
    let days: [(&str, &[Ranked]); 2] = [(DAY, &[row(7, "US", 1, 1.0)]), (NEXT, &[row(8, "US", 1, 1.0)])];
    let lost = a("SELECT p.title_id FROM previous p LEFT JOIN staged s ON p.title_id = s.title_id WHERE s.title_id IS NULL AND p.title_id <= ${top_n}");
    failed(
        &run_one(passthrough_spec(vec![]), &days, lost, NEXT).await,
        1,
        "the query returned 1 row(s)",
        table(&["title_id"], &[&["7"]]),
    );
    // The published target, by its bare name as ${TARGET_TABLE} gives it: titles that lost their rank 1.
    let demoted = a("SELECT t.title_id FROM ${TARGET_TABLE} t JOIN staged s ON t.title_id = s.title_id WHERE t.title_rank = 1 AND s.title_rank > 1");
    let days: [(&str, &[Ranked]); 2] =
        [(DAY, &[row(7, "US", 1, 2.0)]), (NEXT, &[row(8, "US", 1, 3.0), row(7, "US", 2, 1.0)])];
    failed(
        &run_one(passthrough_spec(vec![]), &days, demoted, NEXT).await,
        1,
        "the query returned 1 row(s)",
        table(&["title_id"], &[&["7"]]),
    );
    // A query that cannot run fails with DataFusion's message.
    let result = on(&[row(1, "US", 1, 1.0)], a("SELECT nope FROM staged")).await;
    assert!(
        !result.passed && result.message.starts_with("could not run: Schema error: No field named nope"),
        "{}",
        result.message
    );
}

#[tokio::test]
async fn schema_should_match_ddl() {
    passed(
        &on(&[row(1, "US", 1, 1.0)], audit("schema_should_match_ddl", &[])).await,
        "the columns fit the DDL of foo.dataflow_sample_results",
    );
    let mut spec = passthrough_spec(vec![]);
    spec.steps[0].sql = "SELECT title_id, country_code, view_hours, 'x' AS note FROM some_db.source_table".into();
    let result = run_one(spec, &[(DAY, &[row(1, "US", 1, 1.0)])], audit("schema_should_match_ddl", &[]), DAY).await;
    failed(
        &result,
        2,
        "2 finding(s) against the DDL of foo.dataflow_sample_results",
        table(
            &["finding"],
            &[
                &["column title_rank is in the DDL but not in the output"],
                &["column note is in the output but not in the DDL"],
            ],
        ),
    );
}

#[test]
fn every_function_is_named_documented_and_takes_its_params() {
    assert_eq!(AuditFunction::ALL.len(), 12);
    for f in AuditFunction::ALL {
        assert_eq!(AuditFunction::from_name(f.name()), Some(f));
        assert!(f.description().ends_with('.'), "{}", f.name());
    }
    assert_eq!(AuditFunction::from_name("nope"), None);
}

/// The sample's staged and source schemas.
fn schemas(spec: &PipelineSpec) -> (Schema, Schema) {
    let staged = table_schema(&parse_ddl(&spec.ddl, &spec.params).unwrap()).as_ref().clone();
    let source = Schema::new(vec![
        Field::new("title_id", DataType::Int32, true),
        Field::new("country_code", DataType::Utf8, true),
        Field::new("view_hours", DataType::Float64, true),
        Field::new("playback_date", DataType::Date32, true),
    ]);
    (staged, source)
}

fn problems(audits: Vec<AuditSpec>) -> Vec<String> {
    let mut spec = PipelineSpec::sample();
    spec.workflow.audits = audits;
    let (staged, source) = schemas(&spec);
    check_audits(&spec, &staged, &source).iter().map(ToString::to_string).collect()
}

#[test]
fn the_sample_audits_check_clean() {
    assert_eq!(problems(PipelineSpec::sample().workflow.audits), Vec::<String>::new());
}

#[test]
fn bad_params_are_found_before_a_run_naming_audit_and_param() {
    let cases: Vec<(AuditSpec, &[&str])> = vec![
        (audit("columns_should_not_have_nulls", &[]), &["audit 1 (columns_should_not_have_nulls), param columns: missing (a list of column names)"]),
        (
            audit("columns_should_not_have_nulls", &[("columns", json!(5))]),
            &["audit 1 (columns_should_not_have_nulls), param columns: expected a list of column names, got 5"],
        ),
        (
            audit("columns_should_be_unique", &[("columns", json!(["title_id", "titel_id"]))]),
            &["audit 1 (columns_should_be_unique), param columns: unknown column titel_id (staged has title_id, country_code, title_rank, view_hours, date)"],
        ),
        (audit("columns_should_be_unique", &[("columns", json!([]))]), &["audit 1 (columns_should_be_unique), param columns: the list is empty: name at least one column"]),
        (
            audit("row_count_should_be_within", &[("min", json!(10)), ("max", json!(5))]),
            &["audit 1 (row_count_should_be_within), param min: 10 is more than max 5"],
        ),
        (audit("row_count_should_be_within", &[]), &["audit 1 (row_count_should_be_within): give min, max or both"]),
        (
            audit("row_count_should_be_within", &[("min", json!(-1))]),
            &["audit 1 (row_count_should_be_within), param min: expected a whole number of rows, got -1", "audit 1 (row_count_should_be_within): give min, max or both"],
        ),
        (
            audit("columns_should_not_have_nulls", &[("colums", json!(["title_id"]))]),
            &[
                "audit 1 (columns_should_not_have_nulls), param columns: missing (a list of column names)",
                "audit 1 (columns_should_not_have_nulls), param colums: unknown param (columns_should_not_have_nulls takes table, columns)",
            ],
        ),
        (audit("nope", &[]), &["audit 1: unknown audit function `nope` (known: columns_should_not_have_nulls, columns_should_be_unique, row_count_should_be_within, column_should_have_accepted_values, column_values_should_be_within, column_values_should_exist_in, ranks_should_be_contiguous, groups_should_have_at_most, data_should_be_fresh, row_count_change_should_be_within, query_should_return_no_rows, schema_should_match_ddl)"]),
        (
            audit("groups_should_have_at_most", &[("group_by", json!(["country_code"])), ("max_rows", json!("${top_m}"))]),
            &["audit 1 (groups_should_have_at_most), param max_rows: unknown parameter ${top_m}"],
        ),
        (
            audit("column_values_should_be_within", &[("column", json!("country_code")), ("min", json!(0))]),
            &["audit 1 (column_values_should_be_within), param column: column country_code is Utf8, not a number"],
        ),
        (
            audit("column_should_have_accepted_values", &[("column", json!("title_rank")), ("values", json!(["US"]))]),
            &["audit 1 (column_should_have_accepted_values), param values: \"US\" is not a value of type Int32"],
        ),
        (
            audit("column_values_should_exist_in", &[("column", json!("country_code")), ("to_table", json!("other.table")), ("to_column", json!("x"))]),
            &["audit 1 (column_values_should_exist_in), param to_table: unknown table other.table (it can be some_db.source_table or foo.dataflow_sample_results)"],
        ),
        (
            audit("column_values_should_exist_in", &[("column", json!("country_code")), ("to_table", json!("some_db.source_table")), ("to_column", json!("title_rank"))]),
            &["audit 1 (column_values_should_exist_in), param to_column: unknown column title_rank (some_db.source_table has title_id, country_code, view_hours, playback_date)"],
        ),
        (
            audit("columns_should_not_have_nulls", &[("table", json!("other_table")), ("columns", json!(["title_id"]))]),
            &["audit 1 (columns_should_not_have_nulls), param table: other_table is not a table this audit reads (it reads foo.dataflow_sample_results)"],
        ),
        (
            audit("data_should_be_fresh", &[("column", json!("country_code"))]),
            &["audit 1 (data_should_be_fresh), param column: column country_code is not a DATE"],
        ),
        (
            audit("row_count_change_should_be_within", &[("max_percent", json!(-5))]),
            &["audit 1 (row_count_change_should_be_within), param max_percent: -5 is not a percentage of 0 or more"],
        ),
        (audit("query_should_return_no_rows", &[("sql", json!("DELETE FROM staged"))]), &["audit 1 (query_should_return_no_rows), param sql: must be one SELECT"]),
        (
            audit("query_should_return_no_rows", &[("sql", json!("SELECT * FROM nope"))]),
            &["audit 1 (query_should_return_no_rows), param sql: reads unknown table nope (it can read staged, previous, some_db.source_table, foo.dataflow_sample_results)"],
        ),
        (
            audit("query_should_return_no_rows", &[("sql", json!("SELECT * FROM"))]),
            &["audit 1 (query_should_return_no_rows), param sql: SQL error: ParserError(\"Expected: identifier, found: EOF\")"],
        ),
    ];
    for (audit, expected) in cases {
        let name = audit.function.clone();
        assert_eq!(problems(vec![audit]), expected, "{name}");
    }
}

#[tokio::test]
async fn a_run_with_bad_params_does_not_start() {
    let spec = passthrough_spec(vec![audit("columns_should_not_have_nulls", &[("columns", json!(["nope"]))])]);
    let mut catalog = Catalog::new();
    let err =
        run_main(&spec, &ranked_source(&[(DAY, &[row(1, "US", 1, 1.0)])]), &mut catalog, day(DAY)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow: audit 1 (columns_should_not_have_nulls), param columns: unknown column nope (staged has title_id, country_code, title_rank, view_hours, date)"
    );
    assert!(matches!(err, EngineError::Workflow { file: None, .. }));
    assert_eq!(catalog.tables().count(), 0, "nothing ran");
    assert!(catalog.runs().is_empty());
}

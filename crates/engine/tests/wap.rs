//! Write-Audit-Publish on small hand-made sources: job by job, what a blocking and a warning
//! audit do to the published data, partitions and the high-water mark, daily and backfill, and a
//! proptest of the WAP invariant. Native only (tokio, proptest); the engine code is the same on wasm32.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::{day, passthrough_spec, ranked_source, row, source, Ranked};
use dataflow_engine::catalog::RunKind;
use dataflow_engine::{
    backfill_dates, check_workflow, daily_dates, run_main, AuditSpec, Catalog, DateState, JobId, JobStatus,
    PipelineSpec, RunStatus, ScheduleRun, SourceData, WapRun,
};
use proptest::prelude::*;
use serde_json::json;

const TABLE: &str = "foo.dataflow_sample_results";
const D1: &str = "20220101";
const D2: &str = "20220102";
const D3: &str = "20220103";
const D4: &str = "20220104";

fn statuses(run: &dataflow_engine::MainRun) -> Vec<JobStatus> {
    run.jobs.iter().map(|j| j.status).collect()
}

fn at_most(rows: u64, blocking: bool) -> AuditSpec {
    AuditSpec::new("row_count_should_be_within", blocking, &[("max", json!(rows))])
}

/// How many published rows SQL sees through the catalog.
async fn visible_rows(catalog: &Catalog) -> usize {
    let ctx = dataflow_engine::run::new_context();
    catalog.register_published(&ctx).unwrap();
    let frame = dataflow_engine::spark::plan_query(&ctx, &format!("SELECT * FROM {TABLE}")).await.unwrap();
    let batches = frame.collect().await.unwrap();
    batches.iter().map(|b| b.num_rows()).sum()
}

#[tokio::test]
async fn main_runs_job_by_job_and_stages_before_it_publishes() {
    let src = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0)])]);
    let spec = passthrough_spec(vec![at_most(5, true)]);
    let mut catalog = Catalog::new();
    let mut run = WapRun::new(&spec, &src, day(D1), RunKind::Main).unwrap();
    assert!(run.jobs().iter().all(|j| j.status == JobStatus::Pending));
    assert_eq!(JobId::Publish.depends_on(), Some(JobId::Audit));
    assert_eq!(JobId::Ddl.depends_on(), None);
    let mut seen = Vec::new();
    while let Some(id) = run.next_job_id() {
        let job = run.next_job(&mut catalog).await.unwrap().clone();
        assert_eq!(job.id, id);
        seen.push((job.id.name(), job.status));
        let table = catalog.table(TABLE).unwrap();
        if id == JobId::Audit {
            assert_eq!(table.staged().unwrap().batches.iter().map(|b| b.num_rows()).sum::<usize>(), 2);
            assert_eq!(table.published_rows(), 0, "staged rows are not published");
            assert_eq!(visible_rows(&catalog).await, 0, "readers do not see staged rows");
            assert!(catalog.runs().is_empty(), "the run is recorded when it ends");
        }
    }
    assert!(run.next_job(&mut catalog).await.is_none());
    assert_eq!(
        seen,
        [
            ("ddl", JobStatus::Passed),
            ("metadata", JobStatus::Passed),
            ("write", JobStatus::Passed),
            ("audit", JobStatus::Passed),
            ("publish", JobStatus::Passed),
            ("hwm", JobStatus::Passed)
        ]
    );
    let logs: Vec<Vec<String>> = run.jobs().iter().map(|j| j.log.clone()).collect();
    assert_eq!(
        logs[0],
        ["CREATE TABLE IF NOT EXISTS foo.dataflow_sample_results: created", "4 column(s), partitioned by date"]
    );
    assert_eq!(
        logs[1],
        [
            "owner: dataflow",
            "tags: dataflow, sample",
            "lifetime: 123 day(s)",
            "primary key: date, country_code, title_id"
        ]
    );
    assert_eq!(
        logs[2],
        ["STEP_1: 2 row(s)", "staged 2 row(s) for date=2022-01-01 (readers do not see them until they are published)"]
    );
    assert_eq!(
        logs[3],
        ["PASS row_count_should_be_within (blocking): 2 row(s); expected at most 5", "1 audit(s) passed, 0 warning(s)"]
    );
    assert_eq!(logs[4], ["overwrote partition 2022-01-01 only: 2 row(s); a new partition"]);
    assert_eq!(logs[5], ["high-water mark set to 2022-01-01"]);
    let main = run.into_main_run();
    assert_eq!((main.run_id, main.status, main.rows_written, main.hwm), (1, RunStatus::Published, 2, Some(day(D1))));
    assert_eq!(main.message, "published 2 row(s) for 2022-01-01");
    assert_eq!(visible_rows(&catalog).await, 2);
    let table = catalog.table(TABLE).unwrap();
    assert_eq!(table.metadata().owner, "dataflow");
    assert_eq!(
        table.published_csv().unwrap(),
        "title_id,country_code,title_rank,view_hours,date\n1,US,1,2.0,2022-01-01\n2,US,2,1.0,2022-01-01\n"
    );
    let record = &catalog.runs()[0];
    assert_eq!(
        (record.run_id, record.kind, record.status, record.audits.passed),
        (1, RunKind::Main, RunStatus::Published, 1)
    );
}

#[tokio::test]
async fn a_failing_blocking_audit_leaves_the_published_table_as_it_was() {
    let mut catalog = Catalog::new();
    let first = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0)])]);
    let spec = passthrough_spec(vec![at_most(2, true), AuditSpec::new("schema_should_match_ddl", false, &[])]);
    run_main(&spec, &first, &mut catalog, day(D1)).await.unwrap();
    let table = catalog.table(TABLE).unwrap();
    let (before_csv, before_print) = (table.published_csv().unwrap(), table.fingerprint().unwrap());

    // Late data: three rows for the same date, one more than the blocking audit allows; and a new date.
    let late = ranked_source(&[
        (D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0), row(3, "US", 3, 0.5)]),
        (D2, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0), row(3, "US", 3, 0.5)]),
    ]);
    for date in [D1, D2] {
        let run = run_main(&spec, &late, &mut catalog, day(date)).await.unwrap();
        assert_eq!(run.status, RunStatus::Blocked);
        assert_eq!(
            statuses(&run),
            [
                JobStatus::Passed,
                JobStatus::Passed,
                JobStatus::Passed,
                JobStatus::Failed,
                JobStatus::Skipped,
                JobStatus::Skipped
            ]
        );
        let why = "blocked by 1 failing blocking audit(s): row_count_should_be_within";
        assert_eq!(run.message, why);
        assert_eq!(run.jobs[3].log.last().unwrap(), why);
        assert_eq!(run.jobs[4].log, [format!("skipped: {why}")]);
        assert_eq!(run.jobs[5].log, [format!("skipped: {why}")]);
        let failing = &run.audits[0];
        assert_eq!(
            (failing.blocks(), failing.failing_count, failing.message.as_str()),
            (true, 1, "3 row(s); expected at most 2")
        );
        assert_eq!(run.hwm, None, "the hwm job did not run");
        let table = catalog.table(TABLE).unwrap();
        assert_eq!(table.published_csv().unwrap(), before_csv, "byte-identical");
        assert_eq!(table.fingerprint().unwrap(), before_print);
        assert_eq!(table.hwm(), Some(day(D1)));
        assert_eq!(table.published_dates(), [day(D1)]);
        let staged = table.staged().unwrap();
        assert_eq!((staged.run_id, staged.date), (run.run_id, day(date)), "the audit's input stays to be looked at");
    }
    assert_eq!(visible_rows(&catalog).await, 2);
    let statuses: Vec<RunStatus> = catalog.runs().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [RunStatus::Published, RunStatus::Blocked, RunStatus::Blocked]);
    assert_eq!(catalog.runs()[1].audits.blocking_failed, 1);
}

#[tokio::test]
async fn a_failing_warning_audit_publishes_and_says_so() {
    let mut catalog = Catalog::new();
    let src = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0), row(3, "US", 3, 0.5)])]);
    let run = run_main(&passthrough_spec(vec![at_most(2, false)]), &src, &mut catalog, day(D1)).await.unwrap();
    assert_eq!(run.status, RunStatus::Published);
    assert_eq!(run.jobs[3].status, JobStatus::Warning);
    assert_eq!(
        run.jobs[3].log,
        [
            "WARN row_count_should_be_within (warning only): 3 row(s); expected at most 2",
            "0 audit(s) passed, 1 warning(s)"
        ]
    );
    assert_eq!(run.message, "published 3 row(s) for 2022-01-01 with 1 warning(s)");
    assert_eq!(catalog.table(TABLE).unwrap().partition_rows(day(D1)), Some(3));
    assert_eq!(catalog.runs()[0].audits.warnings, 1);
}

#[tokio::test]
async fn publish_overwrites_only_the_run_dates_partition_and_the_hwm_only_moves_forward() {
    let mut catalog = Catalog::new();
    let spec = passthrough_spec(vec![]);
    let src = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0)]), (D3, &[row(5, "BR", 1, 9.0)])]);
    run_main(&spec, &src, &mut catalog, day(D3)).await.unwrap();
    run_main(&spec, &src, &mut catalog, day(D1)).await.unwrap();
    let table = catalog.table(TABLE).unwrap();
    assert_eq!(table.hwm(), Some(day(D3)), "an older date does not move the hwm back");
    let d3 = table.partition_table(day(D3), None).unwrap();

    let restated = ranked_source(&[(D1, &[row(7, "NO", 1, 4.0)])]);
    let run = run_main(&spec, &restated, &mut catalog, day(D1)).await.unwrap();
    assert_eq!(run.jobs[4].log, ["overwrote partition 2022-01-01 only: 1 row(s); it had 2 row(s)"]);
    assert_eq!(run.jobs[5].log, ["high-water mark stays at 2022-01-03: the run date 2022-01-01 is not newer"]);
    assert_eq!(run.hwm, Some(day(D3)));
    let table = catalog.table(TABLE).unwrap();
    assert_eq!(table.partition_table(day(D3), None).unwrap(), d3, "other partitions are untouched");
    assert_eq!(table.partition_table(day(D1), None).unwrap().rows, [["7", "NO", "1", "4.0", "2022-01-01"]]);
    assert_eq!(table.published_dates(), [day(D1), day(D3)]);
    assert_eq!(table.previous_partition(day(D3)), Some((day(D1), 1)));
}

#[tokio::test]
async fn a_failing_write_or_publish_fails_the_run_and_publishes_nothing() {
    let src = ranked_source(&[(D1, &[row(1, "US", 1, 2.0)])]);
    let mut bad_sql = passthrough_spec(vec![at_most(5, true)]);
    bad_sql.steps[0].sql = "SELECT nope FROM some_db.source_table".into();
    let mut catalog = Catalog::new();
    let run = run_main(&bad_sql, &src, &mut catalog, day(D1)).await.unwrap();
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(
        statuses(&run),
        [
            JobStatus::Passed,
            JobStatus::Passed,
            JobStatus::Failed,
            JobStatus::Skipped,
            JobStatus::Skipped,
            JobStatus::Skipped
        ]
    );
    assert!(
        run.jobs[2].log[0].starts_with("step STEP_1 (line 1, column 8): Schema error: No field named nope"),
        "{:?}",
        run.jobs[2].log
    );
    assert_eq!(run.jobs[3].log, ["skipped: the write job failed"]);
    assert_eq!(run.message, "the write job failed");
    assert!(run.audits.is_empty());

    // The output does not fit the table: an INT column gets text.
    let mut uncastable = passthrough_spec(vec![]);
    uncastable.steps[0].sql =
        "SELECT CAST(title_id AS VARCHAR) || 'x' AS title_id, country_code, title_rank, view_hours FROM some_db.source_table".into();
    let run = run_main(&uncastable, &src, &mut catalog, day(D1)).await.unwrap();
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!((run.jobs[4].status, run.jobs[5].status), (JobStatus::Failed, JobStatus::Skipped));
    assert_eq!(
        run.jobs[4].log,
        ["wap: cannot publish into foo.dataflow_sample_results: column title_id: Cast error: Cannot cast string '1x' to value of Int32 type"]
    );
    let table = catalog.table(TABLE).unwrap();
    assert_eq!((table.published_rows(), table.hwm()), (0, None));
}

#[tokio::test]
async fn daily_runs_the_run_date_and_the_days_before_it() {
    assert_eq!(daily_dates(day(D4), 2), [day(D2), day(D3), day(D4)]);
    assert_eq!(daily_dates(day(D4), 0), [day(D4)]);
    let days: [(&str, &[Ranked]); 4] = [
        (D1, &[row(1, "US", 1, 1.0)]),
        (D2, &[row(2, "US", 1, 1.0)]),
        (D3, &[row(3, "US", 1, 1.0)]),
        (D4, &[row(4, "US", 1, 1.0)]),
    ];
    let src = ranked_source(&days);
    let mut catalog = Catalog::new();
    let mut daily = ScheduleRun::daily(&passthrough_spec(vec![]), &src, day(D4)).unwrap();
    assert_eq!(daily.dates(), [day(D2), day(D3), day(D4)]);
    assert_eq!(daily.next_date(), Some(day(D2)));
    let summary = daily.run_all(&mut catalog).await;
    assert_eq!(summary.published, 3);
    assert_eq!(
        summary.dates,
        [(day(D2), DateState::Published), (day(D3), DateState::Published), (day(D4), DateState::Published)]
    );
    let table = catalog.table(TABLE).unwrap();
    assert_eq!(table.published_dates(), [day(D2), day(D3), day(D4)], "exactly the daily's partitions");
    assert_eq!(table.hwm(), Some(day(D4)));
    assert!(catalog.runs().iter().all(|r| r.kind == RunKind::Daily));

    // A backfill of older dates afterwards restates them and leaves the hwm where it was.
    let mut backfill = ScheduleRun::backfill(&passthrough_spec(vec![]), &src, day(D1), day(D2)).unwrap();
    let summary = backfill.run_all(&mut catalog).await;
    assert_eq!((summary.published, summary.kind), (2, RunKind::Backfill));
    assert!(backfill.runs().iter().all(|r| r.hwm == Some(day(D4))));
    let table = catalog.table(TABLE).unwrap();
    assert_eq!(table.published_dates(), [day(D1), day(D2), day(D3), day(D4)]);
    assert_eq!(table.hwm(), Some(day(D4)));
}

fn three_days_with_a_bad_middle() -> SourceData {
    ranked_source(&[
        (D1, &[row(1, "US", 1, 1.0)]),
        (D2, &[row(1, "US", 1, 1.0), row(2, "US", 2, 0.5)]),
        (D3, &[row(1, "US", 1, 1.0)]),
    ])
}

#[tokio::test]
async fn a_backfill_goes_on_past_a_blocked_date_unless_told_to_stop() {
    let src = three_days_with_a_bad_middle();
    let spec = passthrough_spec(vec![at_most(1, true)]);
    let mut catalog = Catalog::new();
    let summary = ScheduleRun::backfill(&spec, &src, day(D1), day(D3)).unwrap().run_all(&mut catalog).await;
    let states: Vec<DateState> = summary.dates.iter().map(|(_, s)| *s).collect();
    assert_eq!(states, [DateState::Published, DateState::Blocked, DateState::Published]);
    assert_eq!((summary.published, summary.blocked, summary.stopped), (2, 1, None));
    assert_eq!(catalog.table(TABLE).unwrap().published_dates(), [day(D1), day(D3)]);

    let mut stopping = spec.clone();
    stopping.workflow.backfill.stop_on_failure = true;
    let mut catalog = Catalog::new();
    let mut run = ScheduleRun::backfill(&stopping, &src, day(D1), day(D3)).unwrap();
    let summary = run.run_all(&mut catalog).await;
    let states: Vec<DateState> = summary.dates.iter().map(|(_, s)| *s).collect();
    assert_eq!(states, [DateState::Published, DateState::Blocked, DateState::NotRun]);
    assert_eq!(summary.stopped.as_deref(), Some("stopped after 2022-01-02 was blocked by an audit"));
    assert_eq!((run.progress(), run.is_finished()), ((2, 3), true));
    assert_eq!(catalog.table(TABLE).unwrap().published_dates(), [day(D1)]);
}

#[tokio::test]
async fn a_schedule_steps_date_by_date_and_can_be_cancelled_between_dates() {
    let src = three_days_with_a_bad_middle();
    let mut catalog = Catalog::new();
    let mut run = ScheduleRun::backfill(&passthrough_spec(vec![]), &src, day(D1), day(D3)).unwrap();
    // The first date job by job, as the app does to redraw the DAG.
    let mut wap = run.start_next().unwrap().unwrap();
    while wap.next_job(&mut catalog).await.is_some() {}
    run.finish_date(wap.into_main_run());
    assert_eq!(run.progress(), (1, 3));
    assert_eq!(run.next_date(), Some(day(D2)));
    run.cancel();
    assert!(run.is_finished());
    assert!(run.run_next(&mut catalog).await.is_none());
    let summary = run.summary();
    let states: Vec<DateState> = summary.dates.iter().map(|(_, s)| *s).collect();
    assert_eq!(states, [DateState::Published, DateState::NotRun, DateState::NotRun]);
    assert_eq!((summary.not_run, summary.stopped.as_deref()), (2, Some("cancelled after 1 of 3 date(s)")));
    assert_eq!(catalog.runs().len(), 1);
    assert_eq!(catalog.runs()[0].kind, RunKind::Backfill);
}

#[tokio::test]
async fn bad_ranges_and_workflows_are_refused_before_anything_runs() {
    assert_eq!(
        backfill_dates(day(D3), day(D1), 366).unwrap_err().to_string(),
        "backfill: the start date 2022-01-03 is after the end date 2022-01-01"
    );
    assert_eq!(
        backfill_dates(day("20210101"), day("20220102"), 366).unwrap_err().to_string(),
        "backfill: 2021-01-01 to 2022-01-02 is 367 days; a backfill runs at most 366 days"
    );
    assert_eq!(backfill_dates(day("20210102"), day("20220102"), 366).unwrap().len(), 366);
    assert_eq!(backfill_dates(day(D1), day(D1), 366).unwrap(), [day(D1)]);

    let src = source(&[(1, "US", Some(1.0), D1)]);
    let mut spec = PipelineSpec::sample();
    assert!(ScheduleRun::backfill(&spec, &src, day(D3), day(D1)).is_err());
    spec.workflow.daily.lookback_days = 31;
    assert_eq!(
        ScheduleRun::daily(&spec, &src, day(D1)).unwrap_err().to_string(),
        "daily: lookback_days is 31; a daily run looks back at most 30 days"
    );
    spec.workflow.backfill.start = day(D3);
    spec.workflow.backfill.end = day(D1);
    spec.workflow.metadata.primary_key.push("rank".into());
    spec.workflow.metadata.lifetime_days = 0;
    let problems: Vec<String> = check_workflow(&spec, &src.schema).iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "metadata, param primary_key: unknown column rank (foo.dataflow_sample_results has title_id, country_code, title_rank, view_hours, date)",
            "metadata, param lifetime: must be at least 1 day",
            "daily, param lookback_days: 31 is more than the most, 30",
            "backfill: backfill: the start date 2022-01-03 is after the end date 2022-01-01",
        ]
    );
    let mut catalog = Catalog::new();
    let err = run_main(&spec, &src, &mut catalog, day(D1)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "workflow: metadata, param primary_key: unknown column rank (foo.dataflow_sample_results has title_id, country_code, title_rank, view_hours, date); metadata, param lifetime: must be at least 1 day"
    );
    let mut unpartitioned = PipelineSpec::sample();
    unpartitioned.ddl = "CREATE TABLE ${TARGET_DB}.t (title_id INT)".into();
    unpartitioned.workflow.metadata.primary_key.clear();
    unpartitioned.workflow.audits.clear();
    assert_eq!(
        run_main(&unpartitioned, &src, &mut catalog, day(D1)).await.unwrap_err().to_string(),
        "workflow: ddl: foo.t must be PARTITIONED BY one DATE column to be written one date at a time"
    );
    assert!(catalog.runs().is_empty() && catalog.tables().count() == 0);
    assert!(check_workflow(&PipelineSpec::sample(), &src.schema).is_empty(), "the sample is clean");
}

#[tokio::test]
async fn the_sample_workflow_publishes_the_sample_pipeline() {
    let src = source(&[
        (1, "US", Some(3.0), D1),
        (2, "US", Some(3.0), D1),
        (3, "US", Some(1.0), D1),
        (1, "BR", Some(2.0), D1),
        (1, "US", Some(1.0), D2),
    ]);
    let mut spec = PipelineSpec::sample();
    spec.params.top_n = 1;
    let mut catalog = Catalog::new();
    let run = run_main(&spec, &src, &mut catalog, day(D1)).await.unwrap();
    assert_eq!(run.status, RunStatus::Published, "{:#?}", run.jobs);
    assert!(run.audits.iter().all(|a| a.passed), "{:#?}", run.audits);
    assert_eq!(
        catalog.table(TABLE).unwrap().published_csv().unwrap(),
        "title_id,country_code,title_rank,view_hours,date\n1,BR,1,2.0,2022-01-01\n1,US,1,3.0,2022-01-01\n2,US,1,3.0,2022-01-01\n"
    );
}

/// A day's source rows: title, country, hours.
type DayRows = Vec<(i32, &'static str, Option<f64>)>;

/// Random source rows for a day: hours in 64ths, sometimes negative or NULL.
fn arb_rows() -> impl Strategy<Value = DayRows> {
    let hours =
        prop_oneof![3 => (0i32..256).prop_map(|n| Some(f64::from(n) / 64.0)), 1 => Just(Some(-1.0)), 1 => Just(None)];
    proptest::collection::vec((1i32..6, proptest::sample::select(vec!["US", "BR", "NO"]), hours), 0..9)
}

/// The audits a case may use, each given whether it blocks.
fn pool(choice: &[(usize, bool)], max_rows: u64, per_country: u64, percent: u64) -> Vec<AuditSpec> {
    let all = |blocking: bool| {
        vec![
            AuditSpec::new("row_count_should_be_within", blocking, &[("min", json!(1)), ("max", json!(max_rows))]),
            AuditSpec::new("columns_should_not_have_nulls", blocking, &[("columns", json!(["view_hours"]))]),
            AuditSpec::new(
                "groups_should_have_at_most",
                blocking,
                &[("group_by", json!(["country_code"])), ("max_rows", json!(per_country))],
            ),
            AuditSpec::new(
                "query_should_return_no_rows",
                blocking,
                &[("sql", json!("SELECT * FROM staged WHERE view_hours < 0"))],
            ),
            AuditSpec::new("row_count_change_should_be_within", blocking, &[("max_percent", json!(percent))]),
            AuditSpec::new(
                "column_should_have_accepted_values",
                blocking,
                &[("column", json!("country_code")), ("values", json!(["US", "BR"]))],
            ),
            AuditSpec::new(
                "ranks_should_be_contiguous",
                blocking,
                &[("rank_column", json!("title_rank")), ("partition_by", json!(["country_code"]))],
            ),
            AuditSpec::new("schema_should_match_ddl", blocking, &[]),
        ]
    };
    choice.iter().filter_map(|&(i, blocking)| all(blocking).into_iter().nth(i)).collect()
}

fn to_source(days: &[(&'static str, DayRows)]) -> SourceData {
    let rows: Vec<common::Row> =
        days.iter().flat_map(|(d, rows)| rows.iter().map(move |r| (r.0, r.1, r.2, *d))).collect();
    source(&rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Published data changes only in a run whose blocking audits all passed, and then only in
    /// the run date's partition; otherwise it is byte-identical. The hwm never moves back.
    #[test]
    fn published_data_changes_only_when_every_blocking_audit_passes(
        day1 in arb_rows(), day2 in arb_rows(), late in arb_rows(),
        top_n in 1u32..4,
        choice in proptest::collection::vec((0usize..8, any::<bool>()), 0..5),
        max_rows in 1u64..8, per_country in 1u64..4, percent in 0u64..150,
    ) {
        let mut spec = PipelineSpec::sample();
        spec.params.top_n = top_n;
        spec.workflow.audits = pool(&choice, max_rows, per_country, percent);
        let first = to_source(&[(D1, day1), (D2, day2)]);
        let restated = to_source(&[(D1, late)]);
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let mut catalog = Catalog::new();
        for (src, date) in [(&first, D1), (&first, D2), (&restated, D1)] {
            let date = day(date);
            let before = catalog.table(TABLE).map(|t| (t.published_csv().unwrap(), t.fingerprint().unwrap(), t.hwm(), t.published_dates()));
            let others_before: Vec<_> = catalog.table(TABLE).map(|t| t.published_dates().into_iter().filter(|d| *d != date).map(|d| t.partition_table(d, None).unwrap()).collect()).unwrap_or_default();
            let run = runtime.block_on(run_main(&spec, src, &mut catalog, date)).unwrap();
            let blocked = run.audits.iter().any(|a| a.blocks());
            prop_assert_ne!(run.status, RunStatus::Failed, "{:?}", run.jobs);
            prop_assert_eq!(run.status == RunStatus::Blocked, blocked);
            let table = catalog.table(TABLE).unwrap();
            if blocked {
                match &before {
                    Some((csv, print, hwm, dates)) => {
                        prop_assert_eq!(&table.published_csv().unwrap(), csv);
                        prop_assert_eq!(&table.fingerprint().unwrap(), print);
                        prop_assert_eq!(&table.hwm(), hwm);
                        prop_assert_eq!(&table.published_dates(), dates);
                    }
                    None => {
                        prop_assert_eq!(table.published_rows(), 0);
                        prop_assert_eq!(table.hwm(), None);
                    }
                }
            } else {
                prop_assert_eq!(table.partition_rows(date), Some(run.rows_written));
                let old_hwm = before.as_ref().and_then(|b| b.2);
                prop_assert_eq!(table.hwm(), Some(old_hwm.map_or(date, |h| h.max(date))));
                let others_after: Vec<_> = table.published_dates().into_iter().filter(|d| *d != date).map(|d| table.partition_table(d, None).unwrap()).collect();
                prop_assert_eq!(others_after, others_before);
            }
        }
    }
}

#[tokio::test]
async fn a_cancel_during_the_write_fails_the_date_and_publishes_nothing() {
    let src = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0)])]);
    let spec = passthrough_spec(vec![at_most(5, true)]);
    let mut catalog = Catalog::new();
    let control = std::sync::Arc::new(dataflow_engine::RunControl::default());
    let mut run = WapRun::new(&spec, &src, day(D1), RunKind::Main).unwrap().with_control(control.clone());
    while run.next_job_id().is_some_and(|id| id != JobId::Write) {
        run.next_job(&mut catalog).await.unwrap();
    }
    control.cancel();
    let write = run.next_job(&mut catalog).await.unwrap().clone();
    assert_eq!((write.status, write.log.clone()), (JobStatus::Failed, vec!["the run was cancelled".to_string()]));
    while run.next_job(&mut catalog).await.is_some() {}
    let main = run.into_main_run();
    assert_eq!(main.status, RunStatus::Failed);
    let table = catalog.table(TABLE).unwrap();
    assert!(table.staged().is_none(), "nothing was staged");
    assert_eq!(table.published_rows(), 0);
    assert_eq!(visible_rows(&catalog).await, 0);
}

#[tokio::test]
async fn a_pipeline_run_made_elsewhere_is_what_the_write_job_stages() {
    let src = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0), row(3, "FR", 1, 4.0)])]);
    let spec = passthrough_spec(vec![at_most(5, true)]);
    // Run here, as the app's worker would, from the run's own spec (the run date substituted).
    let mut elsewhere = Catalog::new();
    let mut run = WapRun::new(&spec, &src, day(D1), RunKind::Main).unwrap();
    let outcome = dataflow_engine::run_pipeline(run.spec(), &src).await;
    assert_eq!(run.spec().params.date, day(D1));
    while run.next_job_id() != Some(JobId::Write) {
        run.next_job(&mut elsewhere).await;
    }
    run.write_from(&mut elsewhere, outcome, "a test").await.unwrap();
    while run.next_job(&mut elsewhere).await.is_some() {}
    let given = run.into_main_run();
    // The same as the write job running the pipeline itself.
    let mut here = Catalog::new();
    let mut plain = WapRun::new(&spec, &src, day(D1), RunKind::Main).unwrap();
    while plain.next_job(&mut here).await.is_some() {}
    let plain = plain.into_main_run();
    assert_eq!(given.status, RunStatus::Published);
    assert_eq!((given.status, given.rows_written), (plain.status, plain.rows_written));
    let write = |m: &dataflow_engine::MainRun| m.jobs.iter().find(|j| j.id == JobId::Write).unwrap().log.clone();
    assert_eq!(write(&given)[0], "the pipeline ran in a test");
    assert_eq!(write(&given)[1..], write(&plain)[..]);
    let table = |c: &Catalog| c.table(TABLE).unwrap().partition_table(day(D1), None).unwrap();
    assert_eq!(table(&elsewhere), table(&here));

    // A failed run elsewhere fails the write job: nothing staged, nothing published.
    let mut catalog = Catalog::new();
    let mut run = WapRun::new(&spec, &src, day(D1), RunKind::Main).unwrap();
    let too_early = run.write_from(&mut catalog, Err(dataflow_engine::EngineError::Cancelled), "a test").await;
    assert_eq!(too_early.unwrap_err().to_string(), "wap: the next job is ddl, not write");
    while run.next_job_id() != Some(JobId::Write) {
        run.next_job(&mut catalog).await;
    }
    run.write_from(&mut catalog, Err(dataflow_engine::EngineError::Cancelled), "a test").await.unwrap();
    while run.next_job(&mut catalog).await.is_some() {}
    let main = run.into_main_run();
    assert_eq!(main.status, RunStatus::Failed);
    let write = main.jobs.iter().find(|j| j.id == JobId::Write).unwrap();
    assert_eq!((write.status, write.log.clone()), (JobStatus::Failed, vec!["the run was cancelled".to_string()]));
    assert!(catalog.table(TABLE).unwrap().staged().is_none());
    assert_eq!(catalog.table(TABLE).unwrap().published_rows(), 0);
}

/// Runs `run`'s jobs up to the publish job, and gives what the publish would change.
async fn before_publish(run: &mut WapRun, catalog: &mut Catalog) -> dataflow_engine::diff::TableDiff {
    assert!(run.publish_changes(catalog, 10, &std::sync::Arc::default()).await.is_none(), "nothing staged yet");
    while run.next_job_id() != Some(JobId::Publish) {
        run.next_job(catalog).await.unwrap();
    }
    run.publish_changes(catalog, 10, &std::sync::Arc::default()).await.unwrap().unwrap()
}

#[tokio::test]
async fn what_a_publish_would_change_is_the_staged_partition_against_the_published_one() {
    let mut catalog = Catalog::new();
    let spec = passthrough_spec(vec![]);
    let first = ranked_source(&[(D1, &[row(1, "US", 1, 2.0), row(2, "US", 2, 1.0)])]);
    let mut run = WapRun::new(&spec, &first, day(D1), RunKind::Main).unwrap();
    let diff = before_publish(&mut run, &mut catalog).await;
    assert_eq!((diff.added, diff.removed, diff.changed), (2, 0, 0), "nothing published yet: every row is new");
    while run.next_job(&mut catalog).await.is_some() {}

    // Late data for the same date: one row's hours changed, one row added, one gone.
    let late = ranked_source(&[(D1, &[row(1, "US", 1, 2.5), row(3, "US", 2, 1.5)])]);
    let mut run = WapRun::new(&spec, &late, day(D1), RunKind::Main).unwrap();
    let diff = before_publish(&mut run, &mut catalog).await;
    assert_eq!((diff.added, diff.removed, diff.changed, diff.unchanged), (1, 1, 1, 0), "{:?}", diff.summary());
    let hours = diff.columns.iter().find(|c| c.name == "view_hours").unwrap();
    assert_eq!(hours.changed, 1);
    assert!(
        matches!(&diff.pairing, dataflow_engine::diff::Pairing::Key(k) if k == &["date", "country_code", "title_id"])
    );
    // Measured before the publish: the published partition is still the first run's.
    assert_eq!(catalog.table(TABLE).unwrap().partition_rows(day(D1)), Some(2));
}

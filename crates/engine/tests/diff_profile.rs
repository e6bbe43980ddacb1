//! Run diffs and column profiles, each checked against an independent truth: the diff against a
//! comparison of the two results' rows made here in plain Rust, the profile against the SQL
//! `COUNT`/`MIN`/`MAX`/`AVG` a step computes on the same table.
//! Native only: the engine code under test is the same on wasm32.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use dataflow_engine::audit::suggest::suggest_audits;
use dataflow_engine::catalog::RunStatus;
use dataflow_engine::diff::{diff_runs, diff_tables, named, DiffOptions, Pairing, Side, TableDiff};
use dataflow_engine::profile::profile_table;
use dataflow_engine::spec::STEP_2_SQL;
use dataflow_engine::synthetic::SyntheticSpec;
use dataflow_engine::table::{group_digits, Table};
use dataflow_engine::{
    check_workflow, resolve_now, run_main, run_pipeline, Catalog, EngineError, NoFiles, PipelineRun, PipelineSpec,
    RunControl, SourceSpec, StepResult,
};

/// The sample on two days of the synthetic source (about 90,000 rows), top 20.
fn small_spec() -> PipelineSpec {
    let mut spec = PipelineSpec::sample();
    spec.params.top_n = 20;
    let first_date = spec.params.date.add_days(-1);
    spec.source = SourceSpec::Synthetic(SyntheticSpec {
        first_date,
        days: 2,
        rows_per_day: 1,
        ..SyntheticSpec::ending_on(spec.params.date)
    });
    spec
}

fn dense_rank(mut spec: PipelineSpec) -> PipelineSpec {
    spec.steps[1].sql = STEP_2_SQL.replace("RANK()", "DENSE_RANK()");
    spec
}

async fn run(spec: &PipelineSpec) -> PipelineRun {
    let source = resolve_now(spec, &NoFiles).unwrap();
    run_pipeline(spec, &source).await.unwrap()
}

fn control() -> Arc<RunControl> {
    Arc::new(RunControl::default())
}

fn text(step: &StepResult) -> Table {
    Table::from_batches(&step.schema, &step.batches, &[], None).unwrap()
}

async fn diff(base: &StepResult, new: &StepResult, key: &[&str]) -> TableDiff {
    let options = DiffOptions { key: key.iter().map(|k| k.to_string()).collect(), max_rows: usize::MAX };
    let side = |s: &StepResult| (s.schema.clone(), s.batches.clone());
    let (bs, bb) = side(base);
    let (ns, nb) = side(new);
    diff_tables(Side { schema: &bs, batches: &bb }, Side { schema: &ns, batches: &nb }, &options, &control())
        .await
        .unwrap()
}

/// The rows of a text table by their key's cells.
fn by_key(table: &Table, key: &[&str]) -> HashMap<Vec<String>, Vec<String>> {
    let idx: Vec<usize> = key.iter().map(|k| table.column_index(k).unwrap()).collect();
    table.rows.iter().map(|r| (idx.iter().map(|&i| r[i].clone()).collect(), r.clone())).collect()
}

/// Added, removed, changed and per-column changed counts, computed from the two texts alone.
fn expected_counts(base: &Table, new: &Table, key: &[&str]) -> (u64, u64, u64, BTreeMap<String, u64>, u64) {
    let (b, n) = (by_key(base, key), by_key(new, key));
    let added = n.keys().filter(|k| !b.contains_key(*k)).count() as u64;
    let removed = b.keys().filter(|k| !n.contains_key(*k)).count() as u64;
    let mut changed = 0;
    let mut per_column = BTreeMap::new();
    let mut groups = BTreeSet::new();
    for (k, new_row) in &n {
        let Some(old_row) = b.get(k) else { continue };
        let mut any = false;
        for (i, column) in new.columns.iter().enumerate() {
            if key.contains(&column.as_str()) {
                continue;
            }
            let old = &old_row[base.column_index(column).unwrap()];
            let differs = old != &new_row[i];
            *per_column.entry(column.clone()).or_insert(0) += u64::from(differs);
            any |= differs;
        }
        if any {
            changed += 1;
            groups.insert(k[0].clone());
        }
    }
    (added, removed, changed, per_column, groups.len() as u64)
}

#[tokio::test]
async fn rank_to_dense_rank_changes_title_rank_only_and_matches_a_plain_comparison() {
    let spec = small_spec();
    let (base, new) = (run(&spec).await, run(&dense_rank(spec.clone())).await);
    let key = ["country_code", "title_id"];
    for step in 0..3 {
        let d = diff(&base.steps[step], &new.steps[step], &key).await;
        let (added, removed, changed, per_column, groups) =
            expected_counts(&text(&base.steps[step]), &text(&new.steps[step]), &key);
        assert_eq!(d.pairing, Pairing::Key(key.iter().map(|k| k.to_string()).collect()));
        assert_eq!((d.added, d.removed, d.changed), (added, removed, changed), "step {step}");
        let got: BTreeMap<String, u64> = d.columns.iter().map(|c| (c.name.clone(), c.changed)).collect();
        assert_eq!(got, per_column, "step {step}");
        assert_eq!(d.changed_in, Some(("country_code".into(), groups)));
        assert_eq!(d.unchanged + d.changed + d.removed, d.base_rows);
        assert_eq!(d.rows.rows.len() as u64, added + removed + changed);
    }
    // STEP_1 is the same; STEP_2 ranks differently where there are ties; STEP_3 keeps more rows.
    let step_2 = diff(&base.steps[1], &new.steps[1], &key).await;
    assert_eq!(step_2.added + step_2.removed, 0);
    assert!(step_2.changed > 0);
    let by_name = |d: &TableDiff, n: &str| d.columns.iter().find(|c| c.name == n).unwrap().changed;
    assert_eq!(by_name(&step_2, "title_rank"), step_2.changed);
    assert_eq!(by_name(&step_2, "view_hours"), 0);
    let changed = group_digits(step_2.changed as usize);
    assert!(
        step_2.summary()[0].starts_with(&format!("added 0, removed 0, changed {changed} in ")),
        "{:?}",
        step_2.summary()
    );
    // The largest change of a rank is one where DENSE_RANK closes the most gaps.
    let largest = &step_2.columns.iter().find(|c| c.name == "title_rank").unwrap().largest;
    assert_eq!(largest.len(), 3);
    assert!(largest.windows(2).all(|w| (w[0].new - w[0].base).abs() >= (w[1].new - w[1].base).abs()));
}

#[tokio::test]
async fn diff_runs_pairs_steps_by_name_with_the_workflow_key() {
    let spec = small_spec();
    let (base, new) = (run(&spec).await, run(&dense_rank(spec.clone())).await);
    let d = diff_runs(&spec, &named(&base), &named(&new), None, 10, &control()).await.unwrap();
    let names: Vec<&str> = d.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(names, ["STEP_1", "STEP_2", "STEP_3"]);
    let output = d.steps[2].diff.as_ref().unwrap();
    assert_eq!(output.pairing, Pairing::Key(vec!["country_code".into(), "title_id".into()]));
    assert!(output.rows.rows.len() <= 10);
    assert_eq!(
        output.rows.columns,
        ["change", "country_code", "title_id", "base.view_hours", "view_hours", "base.title_rank", "title_rank"]
    );
}

#[tokio::test]
async fn a_key_that_is_not_unique_falls_back_to_whole_rows_and_says_so() {
    let spec = small_spec();
    let mut top_5 = spec.clone();
    top_5.params.top_n = 5;
    let (base, new) = (run(&spec).await, run(&top_5).await);
    let d = diff(&base.steps[2], &new.steps[2], &["country_code"]).await;
    let Pairing::WholeRows(why) = &d.pairing else { panic!("{:?}", d.pairing) };
    assert!(why.starts_with("the key (country_code) is not unique:"), "{why}");
    assert!(why.ends_with("in the base result"), "{why}");
    // A multiset difference of the rows' texts.
    let count = |t: &Table| {
        let mut m: HashMap<Vec<String>, i64> = HashMap::new();
        for r in &t.rows {
            *m.entry(r.clone()).or_default() += 1;
        }
        m
    };
    let (b, n) = (count(&text(&base.steps[2])), count(&text(&new.steps[2])));
    let removed: i64 = b.iter().map(|(r, c)| (c - n.get(r).copied().unwrap_or(0)).max(0)).sum();
    let added: i64 = n.iter().map(|(r, c)| (c - b.get(r).copied().unwrap_or(0)).max(0)).sum();
    assert_eq!((d.added, d.removed, d.changed), (added as u64, removed as u64, 0));
    assert!(removed > 0 && added == 0);
    assert!(d.summary()[0].contains("paired by whole rows (the key (country_code) is not unique"), "{:?}", d.summary());
}

#[tokio::test]
async fn results_with_different_columns_compare_the_shared_ones_and_list_the_rest() {
    let spec = small_spec();
    let mut other = spec.clone();
    other.steps[2].sql = "SELECT title_id, country_code, CAST(title_rank AS STRING) AS title_rank, 1 AS one FROM STEP_2 WHERE title_rank <= ${top_n}".into();
    let (base, new) = (run(&spec).await, run(&other).await);
    let d = diff(&base.steps[2], &new.steps[2], &["country_code", "title_id"]).await;
    assert_eq!(d.only_base, ["view_hours"]);
    assert_eq!(d.only_new, ["one"]);
    assert_eq!((d.added, d.removed, d.changed), (0, 0, 0));
    let rank = d.columns.iter().find(|c| c.name == "title_rank").unwrap();
    // Compared as text: the same digits, so no change.
    let rank_type =
        dataflow_engine::spark::type_name(base.steps[2].schema.field_with_name("title_rank").unwrap().data_type());
    assert_eq!(rank.types, Some((rank_type, "STRING".into())));
    assert_eq!(rank.changed, 0);
    let summary = d.summary();
    assert!(summary.contains(&"only in the base: view_hours".to_string()), "{summary:?}");
    assert!(summary.contains(&"only in the new result: one".to_string()), "{summary:?}");
}

#[tokio::test]
async fn a_key_with_nulls_or_missing_columns_pairs_whole_rows() {
    let spec = small_spec();
    let mut nulls = spec.clone();
    nulls.steps[2].sql = "SELECT CASE WHEN title_rank = 1 THEN NULL ELSE title_id END AS title_id, country_code, view_hours, title_rank FROM STEP_2 WHERE title_rank <= ${top_n}".into();
    let (base, new) = (run(&spec).await, run(&nulls).await);
    let d = diff(&base.steps[2], &new.steps[2], &["country_code", "title_id"]).await;
    assert_eq!(
        d.pairing,
        Pairing::WholeRows("the key (country_code, title_id) has NULL values in the new result".into())
    );
    let d = diff(&base.steps[2], &new.steps[2], &["nope"]).await;
    assert_eq!(d.pairing, Pairing::WholeRows("the key column nope is not in both results".into()));
}

#[tokio::test]
async fn a_cancelled_diff_stops() {
    let spec = small_spec();
    let run = run(&spec).await;
    let control = control();
    control.cancel();
    let s = &run.steps[0];
    let side = Side { schema: &s.schema, batches: &s.batches };
    let options = DiffOptions { key: vec!["country_code".into(), "title_id".into()], max_rows: 0 };
    assert_eq!(diff_tables(side, side, &options, &control).await.unwrap_err(), EngineError::Cancelled);
}

#[tokio::test]
async fn the_profile_of_the_source_matches_sql_counts() {
    let spec = small_spec();
    let source = resolve_now(&spec, &NoFiles).unwrap();
    let profile = profile_table(Side { schema: &source.schema, batches: &source.batches }, &control()).await.unwrap();
    // The same figures from a step's SQL, on the same table.
    let mut sql = spec.clone();
    sql.steps.truncate(1);
    sql.steps[0].sql = "SELECT COUNT(*) AS n, COUNT(view_hours) AS hours, COUNT(DISTINCT title_id) AS titles, \
        COUNT(DISTINCT country_code) AS countries, MIN(view_hours) AS lo, MAX(view_hours) AS hi, \
        AVG(view_hours) AS mean, MIN(country_code) AS first_country, MAX(playback_date) AS last_day \
        FROM some_db.source_table"
        .into();
    let truth = run_pipeline(&sql, &source).await.unwrap();
    let truth = text(&truth.steps[0]);
    let cell = |name: &str| truth.rows[0][truth.column_index(name).unwrap()].clone();
    let column = |name: &str| profile.columns.iter().find(|c| c.name == name).unwrap();
    assert_eq!(profile.rows.to_string(), cell("n"));
    let hours = column("view_hours");
    assert_eq!((profile.rows - hours.nulls).to_string(), cell("hours"));
    assert_eq!(column("title_id").distinct.unwrap().to_string(), cell("titles"));
    assert_eq!(column("country_code").distinct.unwrap().to_string(), cell("countries"));
    assert_eq!(hours.min.as_deref().unwrap().parse::<f64>().unwrap(), cell("lo").parse::<f64>().unwrap());
    assert_eq!(hours.max.as_deref().unwrap().parse::<f64>().unwrap(), cell("hi").parse::<f64>().unwrap());
    assert!((hours.mean.unwrap() - cell("mean").parse::<f64>().unwrap()).abs() < 1e-9);
    assert_eq!(column("country_code").min.as_deref(), Some(cell("first_country").as_str()));
    assert_eq!(column("playback_date").max.as_deref(), Some(cell("last_day").as_str()));
    assert_eq!(column("country_code").data_type, "STRING");
    // The histogram holds every non-NULL value; the most frequent country is the one a GROUP BY finds.
    let histogram = hours.histogram.as_ref().unwrap();
    assert_eq!(histogram.counts.iter().sum::<u64>(), profile.rows - hours.nulls);
    let mut top = spec.clone();
    top.steps.truncate(1);
    top.steps[0].sql =
        "SELECT country_code, COUNT(*) AS n FROM some_db.source_table GROUP BY country_code ORDER BY n DESC, country_code LIMIT 1"
            .into();
    let top = text(&run_pipeline(&top, &source).await.unwrap().steps[0]);
    let (value, count) = &column("country_code").top[0];
    assert_eq!((value.clone(), count.to_string()), (top.rows[0][0].clone(), top.rows[0][1].clone()));
    // Every line names the column and its type.
    assert!(column("view_hours").line(profile.rows).starts_with("view_hours DOUBLE, nulls "));
}

#[tokio::test]
async fn suggested_audits_hold_on_the_data_they_come_from_and_run_in_wap() {
    let mut spec = small_spec();
    let result = run(&spec).await;
    let output = result.steps.last().unwrap();
    let side = Side { schema: &output.schema, batches: &output.batches };
    let profile = profile_table(side, &control()).await.unwrap();
    let suggested = suggest_audits(&spec, side, &profile, &control()).await.unwrap();
    let functions: Vec<&str> = suggested.iter().map(|s| s.audit.function.as_str()).collect();
    // The sample checks its key, title_rank's range and its ranks already.
    assert_eq!(
        functions,
        ["columns_should_not_have_nulls", "column_values_should_be_within", "row_count_should_be_within"]
    );
    assert_eq!(suggested[1].audit.params["column"], "view_hours");
    let rows = group_digits(output.batches.iter().map(|b| b.num_rows()).sum());
    assert!(
        suggested[2].because.starts_with(&format!("today's partition has {rows} rows")),
        "{}",
        suggested[2].because
    );

    // Accepted: the workflow file holds them, the checks type them, and WAP runs them: all pass.
    let before = spec.workflow.audits.len();
    spec.workflow.audits.extend(suggested.iter().map(|s| s.audit.clone()));
    let main = dataflow_engine::workflow::main_yaml(&spec);
    assert!(main.contains("view_hours"), "{main}");
    let source = resolve_now(&spec, &NoFiles).unwrap();
    assert_eq!(check_workflow(&spec, &source.schema), []);
    let mut catalog = Catalog::new();
    let wap = run_main(&spec, &source, &mut catalog, spec.params.date).await.unwrap();
    let new: Vec<_> = wap.audits.iter().filter(|a| a.index >= before).collect();
    assert_eq!(new.len(), 3);
    assert!(wap.audits.iter().all(|a| a.passed), "{:?}", wap.audits);
    assert_eq!(wap.status, RunStatus::Published);

    // They are real checks: top 5 instead of 20 leaves about a quarter of the rows, out of the band.
    spec.params.top_n = 5;
    let wap = run_main(&spec, &source, &mut catalog, spec.params.date).await.unwrap();
    let band = wap.audits.iter().find(|a| a.index == before + 2).unwrap();
    assert!(!band.passed && !band.blocking, "{band:?}");
    assert_eq!(wap.status, RunStatus::Published, "a band is a warning: the publish goes on");
}

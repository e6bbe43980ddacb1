//! The sample pipeline on small hand-made inputs. Every test here runs natively (tokio) and in
//! headless Chromium (wasm-bindgen-test) as a test of the app, which includes this file to share
//! the page's wasm32 build of DataFusion: `cargo test -p dataflow-app --target wasm32-unknown-unknown --test pipeline`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
mod corpus;

use common::{csv, source, spec};
use dataflow_engine::{run_pipeline, EngineError, Step};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

macro_rules! engine_test {
    ($(#[$meta:meta])* async fn $name:ident() $body:block) => {
        $(#[$meta])*
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), tokio::test)]
        async fn $name() $body
    };
}

const DAY: &str = "20220101";

engine_test! {
    /// RANK(): ties share a rank and the next rank skips; top N keeps every tie.
    async fn ties_share_a_rank_and_top_n_keeps_them() {
        let src = source(&[
            (1, "US", Some(6.0), DAY), (1, "US", Some(4.0), DAY), // 10 in two sessions
            (2, "US", Some(10.0), DAY),
            (3, "US", Some(5.0), DAY),
            (4, "US", Some(1.0), DAY),
        ]);
        let run = run_pipeline(&spec(DAY, 2), &src).await.unwrap();
        assert_eq!(
            csv(&run, 1),
            "title_id,country_code,view_hours,title_rank\n1,US,10.0,1\n2,US,10.0,1\n3,US,5.0,3\n4,US,1.0,4\n"
        );
        assert_eq!(csv(&run, 2), "title_id,country_code,view_hours,title_rank\n1,US,10.0,1\n2,US,10.0,1\n");
        let one = run_pipeline(&spec(DAY, 1), &src).await.unwrap();
        assert_eq!(one.output().unwrap().row_count, 2, "both titles tied at rank 1 stay");
    }
}

engine_test! {
    /// Only the run date's rows count, and every country is ranked on its own.
    async fn one_date_and_each_country_on_its_own() {
        let src = source(&[
            (1, "US", Some(3.0), DAY), (2, "US", Some(2.0), DAY), (2, "US", Some(2.0), DAY),
            (1, "BR", Some(1.0), DAY), (2, "BR", Some(7.5), DAY),
            (1, "US", Some(100.0), "20211231"), (3, "BR", Some(100.0), "20220102"),
        ]);
        let run = run_pipeline(&spec(DAY, 100), &src).await.unwrap();
        assert_eq!(run.steps.iter().map(|s| s.row_count).collect::<Vec<_>>(), [4, 4, 4]);
        assert_eq!(
            csv(&run, 2),
            "title_id,country_code,view_hours,title_rank\n2,BR,7.5,1\n1,BR,1.0,2\n2,US,4.0,1\n1,US,3.0,2\n"
        );
        let next = run_pipeline(&spec("20220102", 100), &src).await.unwrap();
        assert_eq!(csv(&next, 2), "title_id,country_code,view_hours,title_rank\n3,BR,100.0,1\n");
        assert!(run.notices.is_empty(), "{:?}", run.notices);
    }
}

engine_test! {
    /// Spark orders NULLs last in a descending sort, so a title without hours ranks last.
    async fn null_hours_rank_last_as_in_spark() {
        let src = source(&[(1, "US", None, DAY), (2, "US", Some(1.0), DAY), (3, "US", Some(2.0), DAY)]);
        let run = run_pipeline(&spec(DAY, 100), &src).await.unwrap();
        assert_eq!(
            csv(&run, 2),
            "title_id,country_code,view_hours,title_rank\n3,US,2.0,1\n2,US,1.0,2\n1,US,,3\n"
        );
    }
}

engine_test! {
    /// A SQL error names its step and keeps DataFusion's message.
    async fn sql_error_names_its_step() {
        let mut bad = spec(DAY, 100);
        bad.steps[1].sql = "SELECT title_id, no_such_column FROM STEP_1".into();
        let err = run_pipeline(&bad, &source(&[(1, "US", Some(1.0), DAY)])).await.unwrap_err();
        assert_eq!(err.step(), Some("STEP_2"));
        assert!(err.to_string().contains("no_such_column"), "{err}");
    }
}

engine_test! {
    /// A step reads earlier steps by name, never later ones, and cannot change tables.
    async fn steps_read_only_earlier_steps() {
        let src = source(&[(1, "US", Some(1.0), DAY)]);
        let mut forward = spec(DAY, 100);
        forward.steps[0].sql = "SELECT * FROM STEP_2".into();
        let err = run_pipeline(&forward, &src).await.unwrap_err();
        assert_eq!(err.step(), Some("STEP_1"));
        assert!(err.to_string().to_lowercase().contains("step_2"), "{err}");

        let mut extra = spec(DAY, 100);
        extra.steps.push(Step { name: "STEP_4".into(), sql: "SELECT COUNT(*) AS n FROM STEP_1".into() });
        let run = run_pipeline(&extra, &src).await.unwrap();
        assert_eq!(csv(&run, 3), "n\n1\n");

        let mut ddl = spec(DAY, 100);
        ddl.steps[2].sql = "DROP TABLE STEP_1".into();
        let err = run_pipeline(&ddl, &src).await.unwrap_err();
        assert_eq!(err.step(), Some("STEP_3"));
    }
}

engine_test! {
    /// An empty source, or a run date it does not cover, runs to an empty result with a notice.
    async fn empty_source_and_uncovered_date_say_so() {
        let empty = run_pipeline(&spec(DAY, 100), &source(&[])).await.unwrap();
        assert_eq!(empty.output().unwrap().row_count, 0);
        assert_eq!(empty.notices[0].0, "The source table some_db.source_table is empty, so every step is empty.");

        let src = source(&[(1, "US", Some(1.0), "20211230"), (1, "US", Some(1.0), "20211231")]);
        let run = run_pipeline(&spec(DAY, 100), &src).await.unwrap();
        assert_eq!(
            run.notices[0].0,
            "The source table has no rows for the run date 2022-01-01: it covers 2021-12-30 to 2021-12-31."
        );
    }
}

engine_test! {
    /// Unknown parameters, bad step names and empty steps are refused before anything runs.
    async fn bad_specs_are_refused() {
        let src = source(&[(1, "US", Some(1.0), DAY)]);
        let mut unknown = spec(DAY, 100);
        unknown.steps[2].sql = "SELECT * FROM STEP_2 WHERE title_rank <= ${top}".into();
        let err = run_pipeline(&unknown, &src).await.unwrap_err();
        assert_eq!(err, EngineError::UnknownParameter { step: "STEP_3".into(), name: "top".into() });

        let mut dup = spec(DAY, 100);
        dup.steps[1].name = "step_1".into();
        assert_eq!(run_pipeline(&dup, &src).await.unwrap_err().to_string(), "pipeline: two steps are named step_1");

        let mut blank = spec(DAY, 100);
        blank.steps[0].sql = "  \n".into();
        assert_eq!(run_pipeline(&blank, &src).await.unwrap_err().to_string(), "step STEP_1: the step has no SQL");

        let none = dataflow_engine::PipelineSpec { steps: vec![], ..spec(DAY, 100) };
        assert!(run_pipeline(&none, &src).await.is_err());
    }
}

engine_test! {
    /// Errors point at the place in the step's own text, parameters and all.
    async fn errors_point_into_the_steps_own_text() {
        use dataflow_engine::position::TextPos;
        let src = source(&[(1, "US", Some(1.0), DAY)]);
        let at = |sql: &str| {
            let mut s = spec(DAY, 100);
            s.steps[2].sql = sql.into();
            s
        };
        let err = run_pipeline(&at("SELECT title_id\n    , nope\nFROM STEP_2"), &src).await.unwrap_err();
        assert_eq!(err.at(), Some(TextPos { line: 2, column: 7 }), "{err}");
        assert!(err.to_string().starts_with("step STEP_3 (line 2, column 7): "), "{err}");

        // `${top_n}` (8 characters) becomes `100`: the place is still the one the user sees.
        let err = run_pipeline(&at("SELECT * FROM STEP_2 WHERE title_rank <= ${top_n} AND nope = 1"), &src)
            .await
            .unwrap_err();
        assert_eq!(err.at(), Some(TextPos { line: 1, column: 55 }), "{err}");

        let err = run_pipeline(&at("SELECT title_id\nFROM STEP_2 WHERE"), &src).await.unwrap_err();
        assert_eq!(err.at().map(|p| p.line), Some(2), "{err}");
    }
}

engine_test! {
    /// Reading a later step or an unknown table is refused before any step runs.
    async fn forward_and_unknown_reads_are_refused_by_name() {
        let src = source(&[(1, "US", Some(1.0), DAY)]);
        let mut forward = spec(DAY, 100);
        forward.steps[1].sql = "SELECT * FROM STEP_3".into();
        assert_eq!(
            run_pipeline(&forward, &src).await.unwrap_err().to_string(),
            "step STEP_2: the step reads STEP_3, which runs after it: a step reads only some_db.source_table and the steps before it"
        );
        let mut itself = spec(DAY, 100);
        itself.steps[0].sql = "SELECT * FROM step_1".into();
        assert_eq!(run_pipeline(&itself, &src).await.unwrap_err().to_string(), "step STEP_1: the step reads itself (STEP_1)");
        let mut unknown = spec(DAY, 100);
        unknown.steps[2].sql = "SELECT * FROM STEP_9".into();
        assert_eq!(
            run_pipeline(&unknown, &src).await.unwrap_err().to_string(),
            "step STEP_3: the step reads an unknown table step_9: it can read some_db.source_table, STEP_1, STEP_2"
        );
        // A CTE inside a step is the step's own business.
        let mut cte = spec(DAY, 100);
        cte.steps[2].sql = "WITH top AS (SELECT * FROM STEP_2) SELECT * FROM top".into();
        assert_eq!(run_pipeline(&cte, &src).await.unwrap().output().unwrap().row_count, 1);
    }
}

engine_test! {
    /// Every step keeps its logical and physical plan, and the output is checked against the DDL.
    async fn plans_and_ddl_findings() {
        let src = source(&[(1, "US", Some(1.0), DAY), (2, "US", Some(2.0), DAY)]);
        let run = run_pipeline(&spec(DAY, 100), &src).await.unwrap();
        assert!(run.steps[1].logical_plan.contains("WindowAggr"), "{}", run.steps[1].logical_plan);
        assert!(run.steps[1].physical_plan.contains("WindowAggExec"), "{}", run.steps[1].physical_plan);
        assert_eq!(run.target.as_ref().unwrap().name, "foo.dataflow_sample_results");
        assert!(run.findings.is_empty(), "{:?}", run.findings);

        let mut narrow = spec(DAY, 100);
        narrow.steps[2].sql = "SELECT title_id, country_code, title_rank, 'x' AS note FROM STEP_2".into();
        let run = run_pipeline(&narrow, &src).await.unwrap();
        let findings: Vec<String> = run.findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            findings,
            ["column view_hours is in the DDL but not in the output", "column note is in the output but not in the DDL"]
        );

        let mut broken = spec(DAY, 100);
        broken.ddl = "CREATE TABLE oops (".into();
        let run = run_pipeline(&broken, &src).await.unwrap();
        assert!(run.target.unwrap_err().to_string().starts_with("DDL: sql parser error"));
    }
}

engine_test! {
    /// Spark's `INT / INT` is a DOUBLE: 7 / 2 is 3.5, not DataFusion's 3. The column keeps its
    /// name, so later steps read it as written.
    async fn integer_division_gives_a_double_as_in_spark() {
        let src = source(&[(7, "US", Some(1.0), DAY), (2, "BR", Some(1.0), DAY)]);
        let mut s = spec(DAY, 100);
        s.steps.push(Step {
            name: "STEP_4".into(),
            sql: "SELECT title_id / 2 AS half, SUM(title_id) / COUNT(*) AS mean, title_rank / title_rank AS one, \
                  view_hours / 4 AS quarter FROM STEP_3 GROUP BY title_id, title_rank, view_hours"
                .into(),
        });
        s.steps.push(Step { name: "STEP_5".into(), sql: "SELECT half * 2 AS back FROM STEP_4 ORDER BY back".into() });
        let run = run_pipeline(&s, &src).await.unwrap();
        assert_eq!(csv(&run, 3), "half,mean,one,quarter\n1.0,2.0,1.0,0.25\n3.5,7.0,1.0,0.25\n");
        assert_eq!(csv(&run, 4), "back\n2.0\n7.0\n");
    }
}

engine_test! {
    /// Spark reads `"US"` as a string, not a column: a filter on a double-quoted value works, and a
    /// quote inside it survives.
    async fn double_quoted_text_is_a_string_as_in_spark() {
        let src = source(&[(1, "US", Some(1.0), DAY), (2, "BR", Some(2.0), DAY)]);
        let mut s = spec(DAY, 100);
        s.steps.push(Step {
            name: "STEP_4".into(),
            sql: "SELECT title_id, \"it's\" AS note, 'say \"hi\"' AS quoted FROM STEP_3 WHERE country_code = \"US\"".into(),
        });
        let run = run_pipeline(&s, &src).await.unwrap();
        assert_eq!(csv(&run, 3), "title_id,note,quoted\n1,it's,\"say \"\"hi\"\"\"\n");
    }
}

/// One synthetic day, the run date: several batches, so a run has places to stop between them.
fn one_synthetic_day() -> (dataflow_engine::PipelineSpec, std::sync::Arc<dataflow_engine::SourceData>) {
    use dataflow_engine::{resolve_now, NoFiles, PipelineSpec, SourceSpec, SyntheticSpec};
    let mut spec = PipelineSpec::sample();
    let date = spec.params.date;
    spec.source = SourceSpec::Synthetic(SyntheticSpec { days: 1, first_date: date, ..SyntheticSpec::ending_on(date) });
    let source = resolve_now(&spec, &NoFiles).unwrap();
    assert!(source.row_count() > 3 * 8192, "the test needs several batches");
    (spec, source)
}

engine_test! {
    /// A cancel during a pause stops the run between batches with `Cancelled`, not a step error;
    /// an uncancelled run with pauses gives the same result as one without.
    async fn a_run_can_be_cancelled_between_batches() {
        use std::sync::{Arc, Mutex};
        use dataflow_engine::{run_pipeline_with, RunControl};
        let (spec, source) = one_synthetic_day();
        let plain = run_pipeline(&spec, &source).await.unwrap();

        let pauses = Arc::new(Mutex::new(0_usize));
        let counted = pauses.clone();
        let control = Arc::new(RunControl::pausing(
            Arc::new(move || {
                *counted.lock().unwrap() += 1;
                Box::pin(async {})
            }),
            0.0,
        ));
        let paused = run_pipeline_with(&spec, &source, &control).await.unwrap();
        assert!(*pauses.lock().unwrap() > 2, "a zero slice pauses between batches");
        assert_eq!(csv(&paused, 2), csv(&plain, 2));
        let progress = control.progress();
        assert_eq!((progress.step, progress.steps), (3, 3));
        assert!(progress.rows_read >= source.row_count() as u64, "{progress:?}");

        let holder: Arc<Mutex<Option<Arc<RunControl>>>> = Arc::new(Mutex::new(None));
        let inner = holder.clone();
        let control = Arc::new(RunControl::pausing(
            Arc::new(move || {
                if let Some(control) = inner.lock().unwrap().as_ref() {
                    control.cancel();
                }
                Box::pin(async {})
            }),
            0.0,
        ));
        *holder.lock().unwrap() = Some(control.clone());
        let cancelled = run_pipeline_with(&spec, &source, &control).await.unwrap_err();
        assert_eq!(cancelled, EngineError::Cancelled);
        assert_eq!(cancelled.to_string(), "the run was cancelled");
        assert_eq!(control.progress().step, 1, "stopped in the first step");
        *holder.lock().unwrap() = None;
    }
}

engine_test! {
    /// A step whose result is over the row limit stops with a message that names the limit.
    async fn a_step_over_the_row_limit_is_refused() {
        use std::sync::Arc;
        use dataflow_engine::{run_pipeline_with, RunControl};
        let (mut spec, source) = one_synthetic_day();
        spec.steps[0].sql = "SELECT * FROM some_db.source_table".into();
        let control = Arc::new(RunControl::default().with_max_step_rows(1000));
        let err = run_pipeline_with(&spec, &source, &control).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "step STEP_1: the result has more than 1000 rows, the most a step may return here: filter or aggregate more, or add a LIMIT"
        );
        assert_eq!(RunControl::default().max_step_rows(), dataflow_engine::control::MAX_STEP_ROWS);
    }
}

engine_test! {
    /// A synthetic source generated under a control has the same rows as one built at once,
    /// pauses between parts, counts its rows as progress, and stops on a cancel.
    async fn a_synthetic_source_is_generated_in_parts_and_can_be_cancelled() {
        use std::sync::{Arc, Mutex};
        use dataflow_engine::{resolve, NoFiles, RunControl};
        let (spec, whole) = one_synthetic_day();
        let pauses = Arc::new(Mutex::new(0_usize));
        let counted = pauses.clone();
        let control = RunControl::pausing(
            Arc::new(move || {
                *counted.lock().unwrap() += 1;
                Box::pin(async {})
            }),
            0.0,
        );
        let parts = resolve(&spec, &NoFiles, &control).await.unwrap();
        assert!(parts.batches.len() > whole.batches.len());
        assert_eq!(parts.row_count(), whole.row_count());
        assert_eq!(control.progress().rows_read, whole.row_count() as u64);
        assert!(*pauses.lock().unwrap() >= 9, "a pause between parts");
        let run = run_pipeline(&spec, &parts).await.unwrap();
        assert_eq!(csv(&run, 2), csv(&run_pipeline(&spec, &whole).await.unwrap(), 2));

        let cancelled = RunControl::default();
        cancelled.cancel();
        assert_eq!(resolve(&spec, &NoFiles, &cancelled).await.unwrap_err(), EngineError::Cancelled);
    }
}

engine_test! {
    /// A step filtered on the run date scans only the source's batches that can hold that date
    /// (a synthetic day is its own batches), with the same result as a scan of everything.
    async fn a_filter_on_the_run_date_skips_the_other_days_batches() {
        use std::sync::Arc;
        use dataflow_engine::{resolve_now, run_pipeline_with, NoFiles, PipelineSpec, RunControl, SourceData, SourceSpec, SyntheticSpec};
        let mut spec = PipelineSpec::sample();
        let date = spec.params.date;
        spec.source = SourceSpec::Synthetic(SyntheticSpec { days: 3, first_date: date.add_days(-1), ..SyntheticSpec::ending_on(date) });
        let source = resolve_now(&spec, &NoFiles).unwrap();
        let day = source.rows_on(date).unwrap().iter().map(|b| b.num_rows()).sum::<usize>();
        assert!(day > 0 && day < source.row_count() / 2, "the run date is one of three days");
        // Step 1 alone, so the rows read are the source's.
        let mut first = spec.clone();
        first.steps.truncate(1);
        let control = Arc::new(RunControl::default());
        let run = run_pipeline_with(&first, &source, &control).await.unwrap();
        assert_eq!(control.progress().rows_read, day as u64, "only the run date's batches were read");
        // The whole pipeline gives what the same rows give when they are the only ones.
        let only_the_day = SourceData::new(source.schema.clone(), source.rows_on(date).unwrap());
        let all = run_pipeline(&spec, &source).await.unwrap();
        let alone = run_pipeline(&spec, &only_the_day).await.unwrap();
        assert_eq!(csv(&all, 2), csv(&alone, 2));
        assert!(run.steps[0].physical_plan.contains("playback_date"), "{}", run.steps[0].physical_plan);
        // Other bounds: everything after the run date is one day; everything up to it, two.
        for (sql, days) in [("playback_date > '${date}'", 1), ("'${date}' >= playback_date", 2)] {
            let mut step = first.clone();
            step.steps[0].sql = format!("SELECT COUNT(*) AS n FROM some_db.source_table WHERE {sql}");
            let control = Arc::new(RunControl::default());
            run_pipeline_with(&step, &source, &control).await.unwrap();
            let expected: usize = (0..days).map(|d| source.rows_on(if sql.starts_with("playback") { date.add_days(1) } else { date.add_days(-d) }).unwrap().iter().map(|b| b.num_rows()).sum::<usize>()).sum();
            assert_eq!(control.progress().rows_read, expected as u64, "{sql}");
        }
    }
}

engine_test! {
    /// Every query of the Spark SQL corpus gives Spark's rows or Spark's refusal, except the known
    /// differences (`tests/spark/corpus/differences.txt`); natively, `docs/spark-sql.md` is what the
    /// outcomes say (`UPDATE_SPARK_DOCS=1` writes it).
    async fn spark_corpus() {
        let outcomes = corpus::run_all().await;
        #[cfg(not(target_arch = "wasm32"))]
        let (path, docs) = (concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/spark-sql.md"), corpus::docs(&outcomes));
        #[cfg(not(target_arch = "wasm32"))]
        if std::env::var_os("UPDATE_SPARK_DOCS").is_some() {
            std::fs::write(path, &docs).unwrap();
        }
        corpus::check(&outcomes);
        #[cfg(not(target_arch = "wasm32"))]
        assert!(
            std::fs::read_to_string(path).unwrap_or_default() == docs,
            "docs/spark-sql.md is not what the corpus says: UPDATE_SPARK_DOCS=1 cargo test -p dataflow-engine --test pipeline spark_corpus"
        );
    }
}

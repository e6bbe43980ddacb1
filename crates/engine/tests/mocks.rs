//! Mocks: the YAML format's round trip (proptest), every validation finding, generation, bad
//! input, and the unit test's diff (insta snapshots). Native only: insta writes files and
//! proptest forks; the engine code under test is the same on wasm32.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Arc;

use dataflow_engine::arrow::array::{Float64Array, Int32Array, RecordBatch, StringArray};
use dataflow_engine::arrow::datatypes::{DataType, Field, Schema};
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::{
    compare, expected_from_output, generate, run_unit_test, Cell, CompareOptions, FindingKind, Mock, MockRow, Sample,
    Selection, MAX_MOCK_BYTES,
};
use dataflow_engine::{EngineError, PipelineSpec, SourceData, SyntheticSpec};
use proptest::prelude::*;

const TYPES: [&str; 9] = ["TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "STRING", "BOOLEAN", "DATE"];

fn cell_for(sql_type: &'static str) -> BoxedStrategy<Cell> {
    let value: BoxedStrategy<Cell> = match sql_type {
        "TINYINT" => any::<i8>().prop_map(|v| Cell::Int(v.into())).boxed(),
        "SMALLINT" => any::<i16>().prop_map(|v| Cell::Int(v.into())).boxed(),
        "INT" => any::<i32>().prop_map(|v| Cell::Int(v.into())).boxed(),
        "BIGINT" => prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(-1i64), any::<i64>()]
            .prop_map(|v| Cell::Int(v.into()))
            .boxed(),
        "FLOAT" => any::<f32>().prop_map(|v| Cell::Float(v.into())).boxed(),
        "DOUBLE" => prop_oneof![
            Just(-0.0f64),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            any::<f64>()
        ]
        .prop_map(Cell::Float)
        .boxed(),
        "STRING" => prop_oneof![
            Just(String::new()),
            Just("null".to_string()),
            Just("NO".to_string()),
            Just("~".to_string()),
            Just("2022-01-01".to_string()),
            Just("1e5".to_string()),
            Just("- a: [b]".to_string()),
            "[a-zA-Z0-9 .,:#'\"_-]{0,12}",
            any::<String>(),
        ]
        .prop_map(Cell::Str)
        .boxed(),
        "BOOLEAN" => any::<bool>().prop_map(Cell::Bool).boxed(),
        _ => {
            (1i32..=9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| Cell::Str(format!("{y:04}-{m:02}-{d:02}"))).boxed()
        }
    };
    prop_oneof![1 => Just(Cell::Null), 6 => value].boxed()
}

fn arb_mock() -> impl Strategy<Value = Mock> {
    proptest::collection::vec(proptest::sample::select(TYPES.to_vec()), 1..6).prop_flat_map(|types| {
        let row = types.iter().map(|t| cell_for(t)).collect::<Vec<_>>();
        let names = "[a-z][a-z0-9_]{0,6}|[A-Z ]{1,5}|[\\PC]{1,5}";
        (Just(types.clone()), proptest::collection::vec(row, 0..8), names, proptest::option::of(0.0f64..1.0)).prop_map(
            |(types, rows, table, tolerance)| {
                let names: Vec<String> = (0..types.len()).map(|i| format!("c{i}")).collect();
                let columns: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(types.iter().copied()).collect();
                let mut mock = Mock::new(table, &columns);
                mock.rows = rows.into_iter().map(MockRow::new).collect();
                mock.tolerance = tolerance;
                mock.ordered = tolerance.is_some();
                mock
            },
        )
    })
}

/// The mock without positions, to compare what was written with what was read.
type Values = (String, Vec<(String, String)>, Vec<Vec<Cell>>, bool, Option<f64>);

fn values(mock: &Mock) -> Values {
    (
        mock.table.clone(),
        mock.columns.iter().map(|c| (c.name.clone(), c.sql_type.clone())).collect(),
        mock.rows.iter().map(|r| r.cells.iter().map(|c| c.value.clone()).collect()).collect(),
        mock.ordered,
        mock.tolerance,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn yaml_round_trips_without_loss(mock in arb_mock()) {
        let yaml = mock.to_yaml();
        let read = Mock::parse(&yaml).map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        prop_assert_eq!(values(&read), values(&mock), "{}", yaml);
        prop_assert_eq!(read.findings(), vec![], "{}", yaml);
        // One line per row, after the header, table, columns and options.
        prop_assert_eq!(read.rows.last().and_then(|r| r.line()), (!mock.rows.is_empty()).then(|| yaml.lines().count()));
    }

    #[test]
    fn arrow_round_trips_without_loss(mock in arb_mock()) {
        let batch = mock.to_batch().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = Mock::from_batches(&mock.table, &batch.schema(), &[batch]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Types come back as their canonical names; widened FLOATs are the same values.
        prop_assert_eq!(values(&back).2, values(&mock).2);
        prop_assert_eq!(back.column_names(), mock.column_names());
    }

    #[test]
    fn any_text_is_refused_or_read_without_panic(text in "\\PC{0,200}") {
        let _ = Mock::parse(&text);
    }
}

const SOURCE_YAML: &str = "\
table: some_db.source_table
columns:
  - {name: title_id, type: INT}
  - {name: country_code, type: STRING}
  - {name: view_hours, type: DOUBLE}
  - {name: playback_date, type: DATE}
rows:
  - [1, US, 2.0, 2022-01-01]
  - [1, US, 1.5, 2022-01-01]
  - [2, US, 3.5, 2022-01-01]
  - [3, US, 1.0, 2022-01-01]
  - [1, \"NO\", 4.0, 2022-01-01]
  - [2, \"NO\", 4.0, 2022-01-01]
  - [3, \"NO\", null, 2022-01-01]
  - [9, US, 100.0, 2021-12-31]
";

const EXPECTED_YAML: &str = "\
table: dataflow_sample_results
columns:
  - {name: title_id, type: INT}
  - {name: country_code, type: STRING}
  - {name: title_rank, type: INT}
  - {name: view_hours, type: DOUBLE}
primary_key: [country_code, title_id]
rows:
  - [1, \"NO\", 1, 4.0]
  - [2, \"NO\", 1, 4.0]
  - [3, \"NO\", 3, null]
  - [1, US, 1, 3.5]
  - [2, US, 1, 3.5]
  - [3, US, 3, 1.0]
";

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
}

fn messages(mock: &Mock) -> Vec<String> {
    mock.findings().iter().map(ToString::to_string).collect()
}

#[test]
fn reads_positions_and_values() {
    let mock = Mock::parse(SOURCE_YAML).unwrap();
    assert_eq!(mock.table, "some_db.source_table");
    assert_eq!(mock.column_names(), ["title_id", "country_code", "view_hours", "playback_date"]);
    assert_eq!(mock.columns[1].at.unwrap().line, 4);
    assert_eq!(mock.rows[4].line(), Some(12));
    assert_eq!(mock.rows[4].cells[1].value, Cell::Str("NO".into()));
    assert_eq!(mock.rows[6].cells[2].value, Cell::Null);
    assert_eq!(mock.rows[6].cells[2].at.unwrap().column, 15);
    assert!(mock.findings().is_empty());
    let source = mock.to_source().unwrap();
    assert_eq!(source.row_count(), 8);
    assert_eq!(source.schema.field(3).data_type(), &DataType::Date32);
}

#[test]
fn every_self_finding_has_its_line() {
    let yaml = "\
table: t
columns:
  - {name: id, type: INT}
  - {name: name, type: STRING}
  - {name: ID, type: BIGINT}
  - {name: shape, type: GEOMETRY}
primary_key: [id, nope]
rows:
  - [1, a, 1, x]
  - [2, b]
  - [3000000000, 7, 1, x]
  - [1.5, c, 1, x]
  - [4, d, 1, x, extra]
";
    let mock = Mock::parse(yaml).unwrap();
    assert_eq!(
        messages(&mock),
        [
            "line 5: column ID is declared twice (first on line 3)",
            "line 6: column shape: type GEOMETRY is not one mocks hold (TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, BOOLEAN, DATE)",
            "line 7: primary_key names column nope, which the mock does not declare",
            "line 10: row 2 has 2 value(s) but there are 4 columns",
            "line 11: row 3, column id: 3000000000 does not fit INT: out of range",
            "line 11: row 3, column name: 7 does not fit STRING: not text (a whole number; quote it to make it text)",
            "line 12: row 4, column id: 1.5 does not fit INT: not a whole number",
            "line 13: row 5 has 5 value(s) but there are 4 columns",
        ]
    );
    let err = mock.to_batch().unwrap_err().to_string();
    assert_eq!(err, "mock, line 5, column 5: column ID is declared twice (first on line 3) (and 7 more finding(s))");
}

#[test]
fn duplicate_primary_keys_are_found() {
    let yaml = "table: t\ncolumns:\n  - {name: a, type: INT}\n  - {name: b, type: STRING}\nprimary_key: [a, b]\nrows:\n  - [1, x]\n  - [1, y]\n  - [1, x]\n";
    let mock = Mock::parse(yaml).unwrap();
    assert_eq!(messages(&mock), ["line 9: row 3 repeats the primary key (a=1, b=x) of row 1 (line 7)"]);
}

#[test]
fn wrong_types_of_every_kind_are_found() {
    let yaml = "\
table: t
columns:
  - {name: b, type: BOOLEAN}
  - {name: d, type: DATE}
  - {name: x, type: DOUBLE}
  - {name: s, type: TINYINT}
rows:
  - [yes, 2022-02-30, text, 128]
  - [true, 20220101, 1, -128]
";
    assert_eq!(
        messages(&Mock::parse(yaml).unwrap()),
        [
            "line 8: row 1, column b: \"yes\" does not fit BOOLEAN: not true or false (text)",
            "line 8: row 1, column d: 2022-02-30 does not fit DATE: no such day",
            "line 8: row 1, column x: text does not fit DOUBLE: not a number (text)",
            "line 8: row 1, column s: 128 does not fit TINYINT: out of range",
            "line 9: row 2, column d: 20220101 does not fit DATE: not a date YYYY-MM-DD (a whole number)",
        ]
    );
}

#[test]
fn validation_against_the_ddl_finds_columns_types_and_nulls() {
    let spec = PipelineSpec::sample();
    let ddl = "CREATE TABLE ${TARGET_DB}.dataflow_sample_results (title_id INT NOT NULL, country_code STRING, \
               title_rank INT, view_hours DOUBLE) PARTITIONED BY (date DATE)";
    let table = parse_ddl(ddl, &spec.params).unwrap();
    let yaml = "\
table: other_results
columns:
  - {name: title_id, type: INT}
  - {name: country_code, type: INT}
  - {name: hours, type: DOUBLE}
  - {name: date, type: DATE}
rows:
  - [null, 1, 2.0, 2022-01-01]
";
    let findings: Vec<String> =
        Mock::parse(yaml).unwrap().validate_against_table(&table).iter().map(ToString::to_string).collect();
    assert_eq!(
        findings,
        [
            "the mock is of table other_results, not foo.dataflow_sample_results",
            "line 5: column hours is in the mock but not in the table",
            "line 8: row 1, column title_id: null in a NOT NULL column",
            "line 4: column country_code is INT in the mock but STRING in the table",
            "line 8: row 1, column country_code: 1 does not fit STRING: not text (a whole number; quote it to make it text)",
            "line 3: column title_rank is in the table but not in the mock",
            "line 3: column view_hours is in the table but not in the mock",
        ]
    );
    let good = Mock::parse(EXPECTED_YAML).unwrap();
    assert_eq!(good.validate_against_table(&table), vec![]);
}

#[test]
fn validation_against_a_schema() {
    let schema = Schema::new(vec![
        Field::new("title_id", DataType::Int32, false),
        Field::new("view_hours", DataType::Float64, true),
    ]);
    let yaml = "table: t\ncolumns:\n  - {name: title_id, type: INT}\n  - {name: view_hours, type: STRING}\nrows:\n  - [null, \"1.5\"]\n";
    let kinds: Vec<FindingKind> =
        Mock::parse(yaml).unwrap().validate_against_schema(&schema).into_iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FindingKind::NullInNotNull { row: 1, column: "title_id".into() },
            FindingKind::ColumnType {
                column: "view_hours".into(),
                mock_type: "STRING".into(),
                expected_type: "DOUBLE".into()
            },
            FindingKind::WrongType {
                row: 1,
                column: "view_hours".into(),
                sql_type: "DOUBLE".into(),
                value: "\"1.5\"".into(),
                reason: "not a number (text)".into()
            },
        ]
    );
}

fn err(yaml: &str) -> String {
    Mock::parse(yaml).unwrap_err().to_string()
}

#[test]
fn bad_input_gives_clear_messages() {
    assert_eq!(err("table: t\ncolumns: []\nrows: [[1, 2]\n"), "mock, line 3, column 7: unclosed bracket '['");
    assert_eq!(err(""), "mock: the mock is empty (it needs table, columns and rows)");
    assert_eq!(err("table: t\nrows: []\n"), "mock, line 2, column 1: missing field `columns`");
    assert!(err("table: t\ncolumns: []\nrowz: []\n").starts_with("mock, line 3, column 1: unknown field `rowz`"));
    assert!(err("table: t\ncolumns: []\nrows:\n  - [[1]]\n").starts_with("mock, line 4, column 6: invalid type"));
    assert!(
        err("table: t\ncolumns: []\nrows: []\nrows: []\n").starts_with("mock, line 4, column 1: duplicate mapping key")
    );
    assert_eq!(
        err("table: t\ncolumns: []\ntolerance: -1\nrows: []\n"),
        "mock: tolerance must be a number of at least 0, got -1"
    );
}

#[test]
fn a_50_mb_paste_is_refused_before_parsing() {
    let row = "  - [1, US, 2.5, 2022-01-01]\n";
    let mut yaml = String::from("table: t\ncolumns: []\nrows:\n");
    while yaml.len() < 50 * 1024 * 1024 {
        yaml.push_str(row);
    }
    let started = std::time::Instant::now();
    let message = err(&yaml);
    assert!(started.elapsed().as_millis() < 100, "the size is checked before parsing");
    assert!(message.starts_with("mock: the mock is 52428"), "{message}");
    assert!(message.contains(&format!("the limit is {MAX_MOCK_BYTES} bytes (10 MiB)")), "{message}");
}

#[test]
fn billion_laughs_and_any_alias_are_refused() {
    let mut bomb = String::from("table: t\ncolumns: []\nrows:\n  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        bomb.push_str(&format!(
            "  - &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let started = std::time::Instant::now();
    let message = err(&bomb);
    assert!(started.elapsed().as_secs() < 2);
    assert_eq!(
        message,
        "mock, line 4, column 8: YAML anchors and aliases (&name, *name) are not allowed in mocks: write each value out"
    );
    let one_alias = "table: &t t\ncolumns: []\nrows: [[*t]]\n";
    assert!(err(one_alias).contains("anchors and aliases"));
}

#[test]
fn a_mock_that_is_almost_at_the_limit_still_reads() {
    let mut yaml = String::from("table: t\ncolumns:\n  - {name: a, type: INT}\n  - {name: b, type: STRING}\nrows:\n");
    let mut n = 0;
    while yaml.len() < MAX_MOCK_BYTES - 100 {
        yaml.push_str(&format!("  - [{n}, some text]\n"));
        n += 1;
    }
    let mock = Mock::parse(&yaml).unwrap();
    assert_eq!(mock.rows.len(), n);
}

fn synthetic_day() -> SourceData {
    let date = dataflow_engine::RunDate::from_ymd(2022, 1, 1).unwrap();
    let spec = SyntheticSpec { days: 1, first_date: date, ..SyntheticSpec::ending_on(date) };
    SourceData::new(dataflow_engine::synthetic::source_schema(), spec.generate().unwrap())
}

#[test]
fn generate_first_rows_of_some_columns() {
    let source = synthetic_day();
    let selection =
        Selection { columns: vec!["country_code".into(), "title_id".into()], sample: Sample::First { rows: 3 } };
    let mock = generate("some_db.source_table", &source.schema, &source.batches, &selection).unwrap();
    assert_eq!(mock.column_names(), ["country_code", "title_id"]);
    assert_eq!(mock.columns[1].sql_type, "INT");
    assert_eq!(mock.rows.len(), 3);
    let unknown = Selection { columns: vec!["nope".into()], sample: Sample::First { rows: 3 } };
    let message = generate("t", &source.schema, &source.batches, &unknown).unwrap_err().to_string();
    assert_eq!(
        message,
        "mock: the table has no column nope (its columns: title_id, country_code, view_hours, playback_date)"
    );
}

#[test]
fn generate_top_k_of_c_groups_plus_ties() {
    let batch = RecordBatch::try_from_iter(vec![
        ("country", Arc::new(StringArray::from(vec!["US", "BR", "US", "BR", "US", "BR", "FR", "US", "BR"])) as _),
        ("title", Arc::new(Int32Array::from(vec![1, 2, 3, 4, 5, 6, 7, 8, 9])) as _),
        (
            "hours",
            Arc::new(Float64Array::from(vec![
                Some(5.0),
                Some(1.0),
                Some(9.0),
                Some(7.0),
                None,
                Some(7.0),
                Some(99.0),
                Some(5.0),
                Some(3.0),
            ])) as _,
        ),
    ])
    .unwrap();
    let rule = |top, ties| Selection {
        columns: vec![],
        sample: Sample::TopPerGroup { group_by: "country".into(), groups: 2, order_by: "hours".into(), top, ties },
    };
    let titles = |selection: &Selection| -> Vec<Cell> {
        let mock = generate("t", &batch.schema(), std::slice::from_ref(&batch), selection).unwrap();
        mock.rows.iter().map(|r| r.cells[1].value.clone()).collect()
    };
    // Groups in order: BR: 4 (7.0), 6 (7.0), 9 (3.0), 2 (1.0); FR: 7; US: 3 (9.0), 1 (5.0), 8 (5.0), 5 (null).
    let ints = |v: &[i128]| v.iter().map(|&i| Cell::Int(i)).collect::<Vec<_>>();
    assert_eq!(titles(&rule(1, false)), ints(&[4, 7]));
    assert_eq!(titles(&rule(1, true)), ints(&[4, 6, 7]));
    assert_eq!(titles(&rule(3, true)), ints(&[4, 6, 7, 9]));
    let three = Selection {
        columns: vec!["title".into()],
        sample: Sample::TopPerGroup {
            group_by: "country".into(),
            groups: 3,
            order_by: "hours".into(),
            top: 2,
            ties: true,
        },
    };
    let mock = generate("t", &batch.schema(), std::slice::from_ref(&batch), &three).unwrap();
    let kept: Vec<Cell> = mock.rows.iter().map(|r| r.cells[0].value.clone()).collect();
    assert_eq!(kept, ints(&[1, 3, 4, 6, 7, 8]), "rows keep the table's order");
}

#[test]
fn empty_mock_from_the_ddl() {
    let spec = PipelineSpec::sample();
    let table = parse_ddl(&spec.ddl, &spec.params).unwrap();
    let mock = Mock::empty_from_table(&table);
    insta::assert_snapshot!(mock.to_yaml(), @r"
    # dataflow mock: one table, its columns and rows (docs/mocks.md)
    table: foo.dataflow_sample_results
    columns:
      - {name: title_id, type: INT}
      - {name: country_code, type: STRING}
      - {name: title_rank, type: INT}
      - {name: view_hours, type: DOUBLE}
    rows: []
    ");
    assert_eq!(Mock::parse(&mock.to_yaml()).unwrap().validate_against_table(&table), vec![]);
}

#[test]
fn the_unit_test_passes_on_the_expected_output() {
    let input = Mock::parse(SOURCE_YAML).unwrap();
    let expected = Mock::parse(EXPECTED_YAML).unwrap();
    let report = block_on(run_unit_test(&PipelineSpec::sample(), &input, &expected)).unwrap();
    assert!(report.diff.passed(), "{}", report.diff);
    insta::assert_snapshot!(report.diff.to_string(), @"unit test passed: 6 row(s) as expected (in any order, doubles within 1e-9)");
}

#[test]
fn a_broken_transform_shows_the_changed_cell() {
    let input = Mock::parse(SOURCE_YAML).unwrap();
    let expected = Mock::parse(EXPECTED_YAML).unwrap();
    let mut spec = PipelineSpec::sample();
    // Break step 2: ROW_NUMBER instead of RANK, so ties get different ranks.
    spec.steps[1].sql = spec.steps[1].sql.replace("RANK()", "ROW_NUMBER()");
    let report = block_on(run_unit_test(&spec, &input, &expected)).unwrap();
    let diff = &report.diff;
    assert!(!diff.passed());
    assert_eq!(diff.changed_rows.len(), 2, "{diff}");
    let change = &diff.changed_rows[0].changes[0];
    assert_eq!((change.column.as_str(), change.column_index), ("title_rank", 2));
    insta::assert_snapshot!(diff.to_string());
}

#[test]
fn missing_unexpected_rows_and_columns_without_a_key() {
    let expected = Mock::parse(
        "table: r\ncolumns:\n  - {name: k, type: STRING}\n  - {name: v, type: DOUBLE}\n  - {name: gone, type: INT}\nrows:\n  - [a, 1.0, 1]\n  - [b, 2.0, 1]\n  - [c, 3.0, 1]\n  - [d, 4.0, 1]\n",
    )
    .unwrap();
    let actual = RecordBatch::try_from_iter(vec![
        ("v", Arc::new(Float64Array::from(vec![4.0, 1.0 + 1e-12, 2.5, 7.0])) as _),
        ("k", Arc::new(StringArray::from(vec!["d", "a", "b", "x"])) as _),
        ("new", Arc::new(Int32Array::from(vec![1, 2, 3, 4])) as _),
    ])
    .unwrap();
    let diff = compare(&expected, &actual.schema(), std::slice::from_ref(&actual), &CompareOptions::default()).unwrap();
    insta::assert_snapshot!(diff.to_string());
    let ordered = CompareOptions { ordered: true, tolerance: 0.1 };
    let diff = compare(&expected, &actual.schema(), &[actual], &ordered).unwrap();
    insta::assert_snapshot!("ordered_with_tolerance", diff.to_string());
}

#[test]
fn tolerance_is_relative_above_one_and_absolute_below() {
    let expected =
        Mock::parse("table: r\ncolumns:\n  - {name: v, type: DOUBLE}\nrows:\n  - [1e12]\n  - [0.5]\n").unwrap();
    let batch = |a: f64, b: f64| {
        RecordBatch::try_from_iter(vec![("v", Arc::new(Float64Array::from(vec![a, b])) as _)]).unwrap()
    };
    let passes = |a, b| {
        let actual = batch(a, b);
        compare(&expected, &actual.schema(), &[actual], &CompareOptions::default()).unwrap().passed()
    };
    assert!(passes(1e12 + 1e2, 0.5 + 1e-10));
    assert!(!passes(1e12 + 1e4, 0.5));
    assert!(!passes(1e12, 0.5 + 1e-8));
}

#[test]
fn make_expected_from_current_output() {
    let spec = PipelineSpec::sample();
    let input = Mock::parse(SOURCE_YAML).unwrap();
    let run = block_on(dataflow_engine::run_pipeline(&spec, &input.to_source().unwrap())).unwrap();
    let out = run.output().unwrap();
    let ddl = parse_ddl(&spec.ddl, &spec.params).unwrap();
    let key = vec!["country_code".to_string(), "title_id".to_string()];
    let expected =
        expected_from_output("dataflow_sample_results", &out.schema, &out.batches, Some(&ddl), &key).unwrap();
    insta::assert_snapshot!(expected.to_yaml());
    let report = block_on(run_unit_test(&spec, &input, &expected)).unwrap();
    assert!(report.diff.passed(), "{}", report.diff);
}

#[test]
fn the_input_mock_must_be_the_source_table() {
    let mut input = Mock::parse(SOURCE_YAML).unwrap();
    input.table = "other.table".into();
    let expected = Mock::parse(EXPECTED_YAML).unwrap();
    let error = block_on(run_unit_test(&PipelineSpec::sample(), &input, &expected)).unwrap_err();
    assert_eq!(
        error,
        EngineError::Mock {
            line: None,
            column: None,
            message: "the input mock is of table other.table; the pipeline reads some_db.source_table".into()
        }
    );
}

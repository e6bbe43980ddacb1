//! The Spark SQL compatibility corpus (`tests/spark/corpus`): every query run by our engine and
//! compared with Apache Spark's own answer, recorded in `expected.json` by
//! `scripts/spark_corpus.sh` (pyspark in local mode, UTC, ANSI). Runs natively and in Chromium.
//!
//! A query passes when both give the same rows (as a multiset unless it is `-- ordered`; doubles
//! within 1e-9 relative; a decimal equals a number of the same value) with the same column types
//! (as Spark names them: `int`, `decimal(4,2)`), or both refuse it. The
//! queries listed in `differences.txt` (with why) are the known gaps: each must still differ, so
//! the list only shrinks, and `docs/spark-sql.md` is generated from the outcomes.

#![allow(clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use dataflow_engine::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use dataflow_engine::arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
};
use dataflow_engine::arrow::util::display::{ArrayFormatter, FormatOptions};
use dataflow_engine::Mock;
use serde_json::{json, Value};

/// The corpus files, in the order the docs list them.
pub const FILES: &[(&str, &str)] = &[
    ("aggregates", include_str!("../../../../tests/spark/corpus/aggregates.sql")),
    ("windows", include_str!("../../../../tests/spark/corpus/windows.sql")),
    ("joins", include_str!("../../../../tests/spark/corpus/joins.sql")),
    ("sets", include_str!("../../../../tests/spark/corpus/sets.sql")),
    ("grouping", include_str!("../../../../tests/spark/corpus/grouping.sql")),
    ("dates", include_str!("../../../../tests/spark/corpus/dates.sql")),
    ("strings", include_str!("../../../../tests/spark/corpus/strings.sql")),
    ("regex", include_str!("../../../../tests/spark/corpus/regex.sql")),
    ("arrays", include_str!("../../../../tests/spark/corpus/arrays.sql")),
    ("casts", include_str!("../../../../tests/spark/corpus/casts.sql")),
    ("nulls", include_str!("../../../../tests/spark/corpus/nulls.sql")),
    ("conditional", include_str!("../../../../tests/spark/corpus/conditional.sql")),
    ("stats", include_str!("../../../../tests/spark/corpus/stats.sql")),
    ("ansi", include_str!("../../../../tests/spark/corpus/ansi.sql")),
    ("refused", include_str!("../../../../tests/spark/corpus/refused.sql")),
];

pub const TABLES: &[&str] = &[
    include_str!("../../../../tests/spark/corpus/tables/plays.yaml"),
    include_str!("../../../../tests/spark/corpus/tables/titles.yaml"),
    include_str!("../../../../tests/spark/corpus/tables/countries.yaml"),
];

pub const EXPECTED: &str = include_str!("../../../../tests/spark/corpus/expected.json");
pub const DIFFERENCES: &str = include_str!("../../../../tests/spark/corpus/differences.txt");

/// One corpus query.
#[derive(Debug, Clone)]
pub struct Query {
    /// `file/name`.
    pub id: String,
    pub covers: Vec<String>,
    pub ordered: bool,
    pub sql: String,
}

/// Reads a corpus file (format: `-- query: NAME`, `-- covers: a, b`, optional `-- ordered`, SQL).
pub fn queries(file: &str, text: &str) -> Vec<Query> {
    let mut out: Vec<Query> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("-- query:") {
            out.push(Query {
                id: format!("{file}/{}", name.trim()),
                covers: vec![],
                ordered: false,
                sql: String::new(),
            });
            continue;
        }
        let Some(query) = out.last_mut() else { continue };
        if query.sql.trim().is_empty() {
            if let Some(covers) = line.strip_prefix("-- covers:") {
                query.covers = covers.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
                continue;
            }
            if line.trim() == "-- ordered" {
                query.ordered = true;
                continue;
            }
        }
        query.sql.push_str(line);
        query.sql.push('\n');
    }
    for query in &mut out {
        query.sql = query.sql.trim().to_string();
    }
    out
}

/// Every corpus query.
pub fn all_queries() -> Vec<Query> {
    FILES.iter().flat_map(|(file, text)| queries(file, text)).collect()
}

/// What our engine answered.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The rows, and each column's type as Spark names it (`int`, `array<bigint>`).
    Rows(Vec<Vec<Value>>, Vec<String>),
    Refused(String),
}

/// Runs `sql` on the corpus tables, as a step's text is planned.
pub async fn answer(sql: &str) -> Answer {
    let ctx = dataflow_engine::run::new_context();
    for yaml in TABLES {
        let mock = Mock::parse(yaml).expect("a corpus table reads");
        let batch = mock.to_batch().expect("a corpus table converts");
        ctx.register_batch(mock.table.as_str(), batch).expect("registered");
    }
    let frame = match dataflow_engine::spark::plan_query(&ctx, sql).await {
        Ok(frame) => frame,
        Err(message) => return Answer::Refused(message),
    };
    // The analysed plan's types, as a step's result has them: Spark's rules (division, for one)
    // change types after planning.
    let types = match frame.clone().into_optimized_plan() {
        Ok(plan) => plan
            .schema()
            .fields()
            .iter()
            .map(|f| dataflow_engine::spark::type_name(f.data_type()).to_lowercase())
            .collect(),
        Err(e) => return Answer::Refused(e.strip_backtrace()),
    };
    match dataflow_engine::chain::collect(frame).await {
        Ok(batches) => Answer::Rows(rows(&batches), types),
        Err(e) => Answer::Refused(e.strip_backtrace()),
    }
}

fn rows(batches: &[RecordBatch]) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    for batch in batches {
        let columns: Vec<&ArrayRef> = batch.columns().iter().collect();
        for row in 0..batch.num_rows() {
            out.push(columns.iter().map(|c| cell(c, row)).collect());
        }
    }
    out
}

fn float(v: f64) -> Value {
    if v.is_nan() {
        json!("NaN")
    } else if v.is_infinite() {
        json!(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        json!(v)
    }
}

/// A cell as the recorder writes Spark's (see `scripts/spark_corpus.py`).
fn cell(array: &ArrayRef, row: usize) -> Value {
    // `is_null` is false in a NULL-typed column (it has no validity bits); every value is NULL.
    if array.is_null(row) || array.data_type() == &DataType::Null {
        return Value::Null;
    }
    let display = || {
        let options = FormatOptions::default();
        ArrayFormatter::try_new(array.as_ref(), &options).map(|f| f.value(row).to_string()).unwrap_or_default()
    };
    match array.data_type() {
        DataType::Boolean => json!(array.as_boolean().value(row)),
        DataType::Int8 => json!(array.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => json!(array.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => json!(array.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => json!(array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            json!(display().parse::<u64>().unwrap_or_default())
        }
        DataType::Float32 => float(f64::from(array.as_primitive::<Float32Type>().value(row))),
        DataType::Float64 => float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Timestamp(..) => {
            let text = display().replace('T', " ");
            let text = text.trim_end_matches('Z').to_string();
            match text.split_once('.') {
                Some((whole, fraction)) if fraction.trim_end_matches('0').is_empty() => json!(whole),
                Some((whole, fraction)) => json!(format!("{whole}.{:0<6}", fraction.trim_end_matches('0'))),
                None => json!(text),
            }
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) | DataType::ListView(_) => {
            let values = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().value(row),
                DataType::LargeList(_) => array.as_list::<i64>().value(row),
                DataType::FixedSizeList(..) => array.as_fixed_size_list().value(row),
                _ => return json!(display()),
            };
            Value::Array((0..values.len()).map(|i| cell(&values, i)).collect())
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            Value::Object(fields.iter().zip(s.columns()).map(|(f, c)| (f.name().clone(), cell(c, row))).collect())
        }
        DataType::Map(..) => {
            let entries = array.as_map().value(row);
            let (keys, values) = (entries.column(0), entries.column(1));
            Value::Array((0..entries.len()).map(|i| json!([cell(keys, i), cell(values, i)])).collect())
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
            let bytes: Vec<u8> = match array.data_type() {
                DataType::Binary => array.as_binary::<i32>().value(row).to_vec(),
                DataType::LargeBinary => array.as_binary::<i64>().value(row).to_vec(),
                _ => array.as_binary_view().value(row).to_vec(),
            };
            json!(format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
        }
        DataType::Dictionary(..) => {
            let cast = dataflow_engine::arrow::compute::cast(array, &DataType::Utf8).expect("a dictionary casts");
            cell(&Arc::clone(&cast), row)
        }
        _ => json!(display()),
    }
}

/// Two cells are the same answer: equal, or numbers (or a decimal's text) within 1e-9 relative.
pub fn same_cell(ours: &Value, spark: &Value) -> bool {
    fn number(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => {
                s.parse::<f64>().ok().filter(|_| s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-'))
            }
            _ => None,
        }
    }
    match (ours, spark) {
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_cell(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.values().zip(b.values()).all(|(x, y)| same_cell(x, y))
        }
        _ if ours == spark => true,
        _ => match (number(ours), number(spark)) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
            _ => false,
        },
    }
}

fn same_row(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_cell(x, y))
}

/// The outcome of one query against Spark's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Spark's rows.
    Same,
    /// Spark refused it, and so did we (our message).
    BothRefused(String),
    /// Spark answered; we refused (our message).
    WeRefused(String),
    /// Spark refused (its error class); we answered.
    WeAnswered(String),
    /// Both answered, differently (how).
    Differs(String),
}

/// Compares our answer with Spark's record.
pub fn compare(query: &Query, ours: &Answer, spark: &Value) -> Outcome {
    if let Some(error) = spark.get("error").and_then(Value::as_str) {
        return match ours {
            Answer::Refused(message) => Outcome::BothRefused(message.clone()),
            Answer::Rows(..) => Outcome::WeAnswered(error.to_string()),
        };
    }
    let expected: Vec<Vec<Value>> = spark
        .get("rows")
        .and_then(Value::as_array)
        .map(|rows| rows.iter().map(|r| r.as_array().cloned().unwrap_or_default()).collect())
        .unwrap_or_default();
    let (rows, types) = match ours {
        Answer::Refused(message) => return Outcome::WeRefused(message.clone()),
        Answer::Rows(rows, types) => (rows, types),
    };
    match same_rows(query, rows, &expected) {
        Outcome::Same => same_types(spark, types),
        differs => differs,
    }
}

/// The column types, as Spark names them, against Spark's recorded ones.
fn same_types(spark: &Value, ours: &[String]) -> Outcome {
    let columns = spark.get("columns").and_then(Value::as_array).cloned().unwrap_or_default();
    let theirs: Vec<(&str, &str)> = columns
        .iter()
        .map(|c| {
            (c.get("name").and_then(Value::as_str).unwrap_or(""), c.get("type").and_then(Value::as_str).unwrap_or(""))
        })
        .collect();
    let differ: Vec<String> = theirs
        .iter()
        .zip(ours)
        .filter(|((_, t), o)| t != o)
        .map(|((name, t), o)| format!("{name} {o} (Spark {t})"))
        .collect();
    if differ.is_empty() {
        Outcome::Same
    } else {
        Outcome::Differs(format!("the same rows; column types: {}", differ.join(", ")))
    }
}

/// The rows against Spark's.
fn same_rows(query: &Query, rows: &[Vec<Value>], expected: &[Vec<Value>]) -> Outcome {
    if rows.len() != expected.len() {
        return Outcome::Differs(format!("{} rows, Spark {}", rows.len(), expected.len()));
    }
    if query.ordered {
        if let Some((i, (a, b))) = rows.iter().zip(expected).enumerate().find(|(_, (a, b))| !same_row(a, b)) {
            return Outcome::Differs(format!(
                "row {}: {} (Spark: {})",
                i + 1,
                Value::from(a.clone()),
                Value::from(b.clone())
            ));
        }
        return Outcome::Same;
    }
    let mut unused: Vec<&Vec<Value>> = rows.iter().collect();
    for want in expected {
        match unused.iter().position(|have| same_row(have, want)) {
            Some(i) => {
                unused.swap_remove(i);
            }
            None => {
                let ours = unused.first().map(|r| Value::from((*r).clone()).to_string()).unwrap_or_default();
                return Outcome::Differs(format!("Spark has {}, not here (ours: {ours})", Value::from(want.clone())));
            }
        }
    }
    Outcome::Same
}

/// The known differences: query id → why.
pub fn differences() -> Vec<(String, String)> {
    DIFFERENCES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':').map(|(id, why)| (id.trim().to_string(), why.trim().to_string())))
        .collect()
}

/// Runs every query and returns each with its outcome.
pub async fn run_all() -> Vec<(Query, Outcome)> {
    let expected: Value = serde_json::from_str(EXPECTED).expect("expected.json reads");
    let records = expected.get("queries").cloned().unwrap_or_default();
    let mut out = Vec::new();
    for query in all_queries() {
        let spark = records
            .get(&query.id)
            .unwrap_or_else(|| panic!("{}: no Spark record: run scripts/spark_corpus.sh", query.id));
        let ours = answer(&query.sql).await;
        let outcome = compare(&query, &ours, spark);
        out.push((query, outcome));
    }
    out
}

/// Checks the outcomes against `differences.txt`: a panic listing every unexpected outcome.
pub fn check(outcomes: &[(Query, Outcome)]) {
    let known = differences();
    let mut problems = Vec::new();
    for (query, outcome) in outcomes {
        let listed = known.iter().any(|(id, _)| id == &query.id);
        let passes = matches!(outcome, Outcome::Same | Outcome::BothRefused(_));
        match (passes, listed) {
            (true, true) => problems.push(format!("{}: now as Spark: remove it from differences.txt", query.id)),
            (false, false) => {
                problems.push(format!("{}: {outcome:?}\n    {}", query.id, query.sql.replace('\n', "\n    ")))
            }
            _ => {}
        }
    }
    for (id, _) in &known {
        if !outcomes.iter().any(|(q, _)| &q.id == id) {
            problems.push(format!("{id}: in differences.txt but not in the corpus"));
        }
    }
    let passed = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Same | Outcome::BothRefused(_))).count();
    // `SPARK_CORPUS_SHOW=1` prints every query that differs, with both answers.
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("SPARK_CORPUS_SHOW").is_some() {
        for (query, outcome) in outcomes.iter().filter(|(_, o)| !matches!(o, Outcome::Same | Outcome::BothRefused(_))) {
            println!(
                "== {}: {outcome:?}
{}
",
                query.id, query.sql
            );
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} corpus queries as Spark; {} unexpected:\n{}",
        passed,
        outcomes.len(),
        problems.len(),
        problems.join("\n")
    );
}

/// `docs/spark-sql.md`, generated from the outcomes: per function and clause, as Spark, refused
/// (why) or differs (how). Written natively only (no file system in the browser).
#[cfg(not(target_arch = "wasm32"))]
pub fn docs(outcomes: &[(Query, Outcome)]) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    let known = differences();
    let why = |id: &str| known.iter().find(|(k, _)| k == id).map(|(_, w)| w.clone()).unwrap_or_default();
    let passed = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Same | Outcome::BothRefused(_))).count();
    let spark = serde_json::from_str::<Value>(EXPECTED)
        .ok()
        .and_then(|v| v.get("spark").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "# Spark SQL in the playground\n");
    let _ = writeln!(
        out,
        "Generated from the compatibility corpus (`tests/spark/corpus`, {} queries over three small tables) by the \
         engine's `spark_corpus` test: each query's answer here against Apache Spark {spark}'s own (pyspark, local \
         mode, UTC, ANSI mode), recorded by `scripts/spark_corpus.sh`. Regenerate this page with \
         `UPDATE_SPARK_DOCS=1 cargo test -p dataflow-engine --test pipeline spark_corpus`.\n",
        outcomes.len()
    );
    let _ = writeln!(
        out,
        "**{passed} of {} queries give Spark's rows with Spark's column types, or Spark's refusal.**\n",
        outcomes.len()
    );
    let _ = writeln!(
        out,
        "- **as Spark**: every query that uses it gives Spark's rows, typed as Spark types them (or is refused where \
         Spark refuses it).\n\
         - **refused**: Spark runs it, the playground does not yet; a step that uses it fails with a message naming it.\n\
         - **differs**: a known difference, listed with how (`tests/spark/corpus/differences.txt`).\n"
    );
    let mut by_item: BTreeMap<String, Vec<&(Query, Outcome)>> = BTreeMap::new();
    for entry in outcomes {
        for item in &entry.0.covers {
            by_item.entry(item.clone()).or_default().push(entry);
        }
    }
    let _ = writeln!(out, "| function or clause | here | queries |\n|---|---|---|");
    for (item, entries) in &by_item {
        let mut notes = Vec::new();
        let mut refused = false;
        let mut differs = false;
        for (query, outcome) in entries {
            match outcome {
                Outcome::Same | Outcome::BothRefused(_) => {}
                Outcome::WeRefused(_) => {
                    refused = true;
                    notes.push(format!("`{}`: {}", query.id, why(&query.id)));
                }
                Outcome::WeAnswered(_) | Outcome::Differs(_) => {
                    differs = true;
                    notes.push(format!("`{}`: {}", query.id, why(&query.id)));
                }
            }
        }
        let status = match (differs, refused) {
            (true, _) => "differs",
            (false, true) => "refused",
            _ => "as Spark",
        };
        let status = if notes.is_empty() { status.to_string() } else { format!("{status}: {}", notes.join("; ")) };
        let ids: Vec<String> = entries.iter().map(|(q, _)| format!("`{}`", q.id)).collect();
        let _ = writeln!(out, "| `{item}` | {} | {} |", status.replace('|', "\\|"), ids.join(", "));
    }
    let _ = writeln!(
        out,
        "\nEvery function a step calls must be one of Spark's built-in functions: a DataFusion-only function is \
         refused as Spark refuses it (`UNRESOLVED_ROUTINE`, with the closest Spark name), and a Spark function \
         the playground does not run yet says so by name. `QUALIFY`, `SELECT * EXCLUDE`, `DISTINCT ON`, `TOP`, \
         `FETCH FIRST` and `UNNEST` are refused as not Spark SQL."
    );
    out
}

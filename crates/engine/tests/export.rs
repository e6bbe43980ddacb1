//! Export → import gives the same table (proptest): every column type the import reads, with
//! NULLs, through CSV (arrow's writer, then arrow's reader with its type inference) and through
//! Parquet. CSV has no types, so what it cannot carry is pinned here and in the README's import
//! section: integers come back as BIGINT and a DECIMAL as DOUBLE (the same value), an empty
//! string as NULL, a column without values as type Null, a time zone as UTC, text that reads as
//! a number or a boolean as that type, dates only in the years 0000–9999.
//! Native only: proptest forks; the engine code under test is the same on wasm32.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Arc;

use dataflow_engine::arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray, TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray,
};
use dataflow_engine::arrow::compute::concat_batches;
use dataflow_engine::arrow::datatypes::{DataType, TimeUnit};
use dataflow_engine::arrow::util::display::{ArrayFormatter, FormatOptions};
use dataflow_engine::export::{to_csv, to_parquet};
use dataflow_engine::import::read_source;
use proptest::prelude::*;

/// The column types generated: what the import produces from CSV, JSON and Parquet, and the
/// narrower ones a step's result can have.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Int32,
    Int64,
    Double,
    Decimal(u8, i8),
    Boolean,
    Text,
    Date,
    Timestamp(TimeUnit),
}

const KINDS: [Kind; 12] = [
    Kind::Int32,
    Kind::Int64,
    Kind::Double,
    Kind::Decimal(10, 2),
    Kind::Decimal(38, 9),
    Kind::Boolean,
    Kind::Text,
    Kind::Date,
    Kind::Timestamp(TimeUnit::Second),
    Kind::Timestamp(TimeUnit::Millisecond),
    Kind::Timestamp(TimeUnit::Microsecond),
    Kind::Timestamp(TimeUnit::Nanosecond),
];

/// 0001-01-01 and 9999-12-31, in days and seconds since the epoch.
const FIRST_DAY: i32 = -719_162;
const LAST_DAY: i32 = 2_932_896;
const FIRST_SECOND: i64 = -62_135_596_800;
const LAST_SECOND: i64 = 253_402_300_799;

/// `rows` values, some NULL, at least one not (a column without values has no type in CSV).
fn nullable<T: std::fmt::Debug + Clone + 'static>(
    value: impl Strategy<Value = T> + 'static,
    rows: usize,
) -> BoxedStrategy<Vec<Option<T>>> {
    proptest::collection::vec(proptest::option::weighted(0.75, value), rows)
        .prop_filter("a column with a value", |v| v.iter().any(Option::is_some))
        .boxed()
}

/// Text with commas, quotes, line breaks and Unicode. It starts with a letter and is never a
/// boolean or `NaN`/`inf` on its own: a column of only such values reads back as that type.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Zé中😀][a-zA-Z0-9 ,\"\n\r\t'é中😀\u{0301}]{0,12}".prop_filter("not a boolean or a float word", |s| {
        !["true", "false", "nan", "inf"].contains(&s.to_lowercase().as_str())
    })
}

fn double() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.1),
        Just(1e-7),
        Just(-0.0),
        Just(1.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(5e-324),
        any::<f64>(),
    ]
}

fn arc(array: impl Array + 'static) -> ArrayRef {
    Arc::new(array)
}

fn column(kind: Kind, rows: usize) -> BoxedStrategy<ArrayRef> {
    match kind {
        Kind::Int32 => nullable(any::<i32>(), rows).prop_map(move |v| arc(Int32Array::from(v))).boxed(),
        Kind::Int64 => nullable(prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()], rows)
            .prop_map(|v| arc(Int64Array::from(v)))
            .boxed(),
        Kind::Double => nullable(double(), rows).prop_map(|v| arc(Float64Array::from(v))).boxed(),
        Kind::Decimal(precision, scale) => {
            let most = 10i128.pow(u32::from(precision)) - 1;
            nullable(-most..=most, rows)
                .prop_map(move |v| arc(Decimal128Array::from(v).with_precision_and_scale(precision, scale).unwrap()))
                .boxed()
        }
        Kind::Boolean => nullable(any::<bool>(), rows).prop_map(|v| arc(BooleanArray::from(v))).boxed(),
        Kind::Text => nullable(text(), rows).prop_map(|v| arc(StringArray::from(v))).boxed(),
        Kind::Date => nullable(FIRST_DAY..=LAST_DAY, rows).prop_map(|v| arc(Date32Array::from(v))).boxed(),
        Kind::Timestamp(TimeUnit::Second) => {
            nullable(timestamp(1), rows).prop_map(|v| arc(TimestampSecondArray::from(v))).boxed()
        }
        Kind::Timestamp(TimeUnit::Millisecond) => {
            nullable(timestamp(1_000), rows).prop_map(|v| arc(TimestampMillisecondArray::from(v))).boxed()
        }
        Kind::Timestamp(TimeUnit::Microsecond) => {
            nullable(timestamp(1_000_000), rows).prop_map(|v| arc(TimestampMicrosecondArray::from(v))).boxed()
        }
        Kind::Timestamp(TimeUnit::Nanosecond) => {
            nullable(timestamp(1_000_000_000), rows).prop_map(|v| arc(TimestampNanosecondArray::from(v))).boxed()
        }
    }
}

/// A timestamp in a unit of `per_second`: often a whole second (its text must still say the
/// unit), else any in the years 0001–9999 (every i64 of nanoseconds is in 1677–2262).
fn timestamp(per_second: i64) -> BoxedStrategy<i64> {
    let whole = (FIRST_SECOND.max(i64::MIN / per_second)..=LAST_SECOND.min(i64::MAX / per_second))
        .prop_map(move |s| s * per_second);
    let any = FIRST_SECOND.saturating_mul(per_second)..=LAST_SECOND.saturating_mul(per_second);
    prop_oneof![whole, any].boxed()
}

/// A table of 1–12 rows and 1–8 columns; the names have spaces, commas and quotes.
fn table() -> impl Strategy<Value = (Vec<Kind>, RecordBatch)> {
    (proptest::collection::vec(proptest::sample::select(KINDS.to_vec()), 1..8), 1..12usize).prop_flat_map(
        |(kinds, rows)| {
            let columns: Vec<BoxedStrategy<ArrayRef>> = kinds.iter().map(|k| column(*k, rows)).collect();
            (Just(kinds), columns).prop_map(|(kinds, columns)| {
                let named = columns.into_iter().enumerate().map(|(i, c)| (format!("c{i} \"{}\", x", c.data_type()), c));
                (kinds, RecordBatch::try_from_iter(named).unwrap())
            })
        },
    )
}

/// A column as its type and cells (`None` for NULL): each type's text is exact (a double's is
/// the shortest that reads back as the same double), so equal cells mean equal values.
type Cells = (String, DataType, Vec<Option<String>>);

fn cells(batch: &RecordBatch) -> Vec<Cells> {
    let options = FormatOptions::default();
    batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, column)| {
            let formatter = ArrayFormatter::try_new(column.as_ref(), &options).unwrap();
            let values =
                (0..column.len()).map(|i| (!column.is_null(i)).then(|| formatter.value(i).to_string())).collect();
            (field.name().clone(), field.data_type().clone(), values)
        })
        .collect()
}

/// What CSV's type inference gives back for a column written from `kind`.
fn through_csv((name, data_type, values): Cells, kind: Kind) -> Cells {
    match kind {
        Kind::Int32 => (name, DataType::Int64, values),
        Kind::Decimal(..) => {
            let double = |text: String| {
                let value: ArrayRef = Arc::new(Float64Array::from(vec![text.parse::<f64>().unwrap()]));
                let text =
                    ArrayFormatter::try_new(value.as_ref(), &FormatOptions::default()).unwrap().value(0).to_string();
                text
            };
            (name, DataType::Float64, values.into_iter().map(|v| v.map(double)).collect())
        }
        _ => (name, data_type, values),
    }
}

fn read_back(name: &str, bytes: Vec<u8>) -> RecordBatch {
    let source = read_source(name, bytes).unwrap();
    concat_batches(&source.schema, &source.batches).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn csv_and_parquet_read_back_as_the_same_table((kinds, batch) in table()) {
        let schema = batch.schema();
        let csv = to_csv(&schema, std::slice::from_ref(&batch)).unwrap();
        let expected: Vec<Cells> = cells(&batch).into_iter().zip(&kinds).map(|(c, k)| through_csv(c, *k)).collect();
        prop_assert_eq!(cells(&read_back("t.csv", csv.clone().into_bytes())), expected, "{}", csv);

        let parquet = to_parquet(&schema, std::slice::from_ref(&batch)).unwrap();
        prop_assert_eq!(cells(&read_back("t.parquet", parquet)), cells(&batch));
    }
}

/// The limits the module docs list, pinned: each is what arrow's CSV reader infers.
#[test]
fn what_csv_cannot_carry() {
    let batch = RecordBatch::try_from_iter([
        ("empty", Arc::new(StringArray::from(vec![Some(""), Some("a")])) as ArrayRef),
        ("none", Arc::new(Int32Array::from(vec![None, None])) as ArrayRef),
        ("digits", Arc::new(StringArray::from(vec!["1", "2"])) as ArrayRef),
        ("zoned", Arc::new(TimestampSecondArray::from(vec![0, 1]).with_timezone("+01:00")) as ArrayRef),
        ("whole", Arc::new(Decimal128Array::from(vec![7, 8]).with_precision_and_scale(5, 0).unwrap()) as ArrayRef),
    ])
    .unwrap();
    let back = read_back("t.csv", to_csv(&batch.schema(), &[batch]).unwrap().into_bytes());
    let types: Vec<DataType> = back.schema().fields().iter().map(|f| f.data_type().clone()).collect();
    assert_eq!(
        types,
        [DataType::Utf8, DataType::Null, DataType::Int64, DataType::Timestamp(TimeUnit::Second, None), DataType::Int64]
    );
    assert!(back.column(0).is_null(0), "an empty string reads back as NULL");
    assert_eq!(cells(&back)[3].2, [Some("1970-01-01T00:00:00".into()), Some("1970-01-01T00:00:01".into())], "in UTC");

    let schema = RecordBatch::try_from_iter([("n", Arc::new(Int64Array::from(vec![1])) as ArrayRef)]).unwrap().schema();
    let empty = read_back("t.csv", to_csv(&schema, &[]).unwrap().into_bytes());
    assert_eq!(empty.schema().field(0).data_type(), &DataType::Null, "no rows, no type");
}

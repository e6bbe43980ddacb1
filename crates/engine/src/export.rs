//! Results written out as files a user takes away (the CLI's `run` output, the app's downloads):
//! CSV by arrow's own writer and Parquet. The CSV is written for arrow's reader, which
//! [`crate::import`] uses, so a file the playground wrote imports as the same table: a NULL is an
//! empty field (not the display's `NULL`, which would turn a number column into text), quoting
//! follows RFC 4180, and a timestamp keeps its unit's digits, since the reader infers the unit
//! from them.
//!
//! What CSV cannot carry (it has no types; the reader infers them from the text): an empty
//! string reads back as NULL; a column with no values at all reads back as type `Null`; integers
//! of any width read back as BIGINT, a DECIMAL with a scale as DOUBLE (the same value to a
//! double's precision), one without a scale as BIGINT; a time zone is not kept (the instant is,
//! in UTC); a text column whose every value looks like a number, a boolean or a date reads back
//! as that type; dates outside the years 0000–9999 read back as text. Parquet keeps all of these.

use datafusion::arrow::array::{ArrayRef, RecordBatch};
use datafusion::arrow::compute::{cast_with_options, CastOptions};
use datafusion::arrow::csv::WriterBuilder;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::ArrowWriter;
use std::sync::Arc;

use crate::table::{sort_batches, Table};
use crate::EngineError;

fn export_error(e: impl std::fmt::Display) -> EngineError {
    EngineError::Result(e.to_string())
}

/// `batches` as CSV: a header line, then one line per row as arrow's writer writes it.
pub fn to_csv(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<String, EngineError> {
    let mut out = Vec::new();
    let mut writer = WriterBuilder::new().with_header(true).build(&mut out);
    // The writer writes the header with the first batch: an empty one, so that a result with no
    // rows still has its header.
    let header = RecordBatch::new_empty(schema.clone());
    for batch in std::iter::once(&header).chain(batches) {
        writer.write(&timestamps_as_text(batch).map_err(export_error)?).map_err(export_error)?;
    }
    drop(writer);
    String::from_utf8(out).map_err(export_error)
}

/// `batch` as the page shows it ([`Table::from_batches`], unsorted) and as CSV ([`to_csv`]), each
/// value formatted once: a run's view needs both (the table, and the CSV's hash as its
/// fingerprint), and formatting the sample's 19,025 result rows twice was a fifth of its first
/// run on the page (docs/performance.md). The two differ only in a null (`NULL` shown, an empty
/// field written) and in the CSV's quoting, which the writer arrow's own uses does here. Where a
/// column's CSV text is not its display text (a timestamp, see `timestamps_as_text`) or it is not
/// a plain column, both are made as before.
pub fn table_and_csv(schema: &SchemaRef, batch: &RecordBatch) -> Result<(Table, String), EngineError> {
    let plain = schema.fields().iter().all(|f| written_as_shown(f.data_type()));
    if !plain {
        let batches = std::slice::from_ref(batch);
        return Ok((Table::from_batches(schema, batches, &[], None)?, to_csv(schema, batches)?));
    }
    let options = FormatOptions::default();
    let formatters = batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
        .collect::<Result<Vec<_>, _>>()
        .map_err(export_error)?;
    // arrow-csv's defaults: `,`, `"` doubled inside a quoted field, quoted only where needed, `\n`.
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b',')
        .quote(b'"')
        .double_quote(true)
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    writer.write_record(&columns).map_err(export_error)?;
    let mut rows = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let mut cells = Vec::with_capacity(formatters.len());
        for (column, formatter) in batch.columns().iter().zip(&formatters) {
            if column.is_null(row) {
                writer.write_field("").map_err(export_error)?;
                cells.push("NULL".to_string());
            } else {
                let text = formatter.value(row).to_string();
                writer.write_field(&text).map_err(export_error)?;
                cells.push(text);
            }
        }
        writer.write_record(None::<&[u8]>).map_err(export_error)?;
        rows.push(cells);
    }
    let bytes = writer.into_inner().map_err(export_error)?;
    Ok((Table { columns, rows }, String::from_utf8(bytes).map_err(export_error)?))
}

/// Whether arrow's CSV writer writes a non-null value of this type as the page shows it, and
/// the type's nulls are its array's own (not a dictionary's values' or a run's).
fn written_as_shown(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Boolean
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
            | DataType::Float16
            | DataType::Float32
            | DataType::Float64
            | DataType::Decimal128(..)
            | DataType::Decimal256(..)
            | DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Date32
            | DataType::Date64
    )
}

/// `batches` as CSV, sorted by the `order_by` columns that exist (ascending, nulls first), at
/// most `limit` rows: the CLI's output and the app's download, in the order the page shows.
pub fn sorted_csv(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    order_by: &[&str],
    limit: Option<usize>,
) -> Result<String, EngineError> {
    to_csv(schema, &[sort_batches(schema, batches, order_by, limit)?])
}

/// Each timestamp column as text with its unit's number of fractional digits (and its offset
/// when it has a time zone). Arrow's writer has one timestamp format for every column and by
/// default drops trailing zeros, so a microsecond column of whole seconds would read back in
/// seconds.
fn timestamps_as_text(batch: &RecordBatch) -> Result<RecordBatch, ArrowError> {
    let schema = batch.schema();
    if !schema.fields().iter().any(|f| matches!(f.data_type(), DataType::Timestamp(..))) {
        return Ok(batch.clone());
    }
    let mut fields = Vec::with_capacity(schema.fields().len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(fields.capacity());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let DataType::Timestamp(unit, zone) = field.data_type() else {
            fields.push(field.as_ref().clone());
            columns.push(column.clone());
            continue;
        };
        let digits = match unit {
            TimeUnit::Second => "",
            TimeUnit::Millisecond => "%.3f",
            TimeUnit::Microsecond => "%.6f",
            TimeUnit::Nanosecond => "%.9f",
        };
        let offset = if zone.is_some() { "%:z" } else { "" };
        let format = format!("%Y-%m-%dT%H:%M:%S{digits}{offset}");
        let format_options =
            FormatOptions::default().with_timestamp_format(Some(&format)).with_timestamp_tz_format(Some(&format));
        let options = CastOptions { safe: false, format_options };
        columns.push(cast_with_options(column, &DataType::Utf8, &options)?);
        fields.push(Field::new(field.name(), DataType::Utf8, field.is_nullable()));
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

/// `batches` as Parquet bytes (Snappy). Parquet keeps every type as it is.
pub fn to_parquet(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Vec<u8>, EngineError> {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, schema.clone(), Some(props)).map_err(export_error)?;
    for batch in batches {
        writer.write(batch).map_err(export_error)?;
    }
    writer.close().map_err(export_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{
        Date32Array, Float64Array, Int32Array, StringArray, TimestampMicrosecondArray, TimestampSecondArray,
    };

    fn batch(columns: Vec<(&str, ArrayRef)>) -> (SchemaRef, RecordBatch) {
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        (batch.schema(), batch)
    }

    #[test]
    fn nulls_are_empty_fields_and_text_is_quoted_as_rfc_4180_says() {
        let (schema, rows) = batch(vec![
            ("id", Arc::new(Int32Array::from(vec![Some(1), None, Some(3)])) as ArrayRef),
            ("note, \"quoted\"", Arc::new(StringArray::from(vec![Some("a,b"), Some("say \"hi\"\nbye"), None]))),
            ("hours", Arc::new(Float64Array::from(vec![Some(0.1), Some(1e-7), None]))),
            ("day", Arc::new(Date32Array::from(vec![Some(18993), None, Some(0)]))),
        ]);
        assert_eq!(
            to_csv(&schema, &[rows]).unwrap(),
            "id,\"note, \"\"quoted\"\"\",hours,day\n1,\"a,b\",0.1,2022-01-01\n,\"say \"\"hi\"\"\nbye\",1e-7,\n3,,,1970-01-01\n"
        );
    }

    #[test]
    fn timestamps_keep_their_units_digits_and_an_empty_result_its_header() {
        let (schema, rows) = batch(vec![
            ("s", Arc::new(TimestampSecondArray::from(vec![Some(1_640_995_200), None])) as ArrayRef),
            ("us", Arc::new(TimestampMicrosecondArray::from(vec![Some(1_640_995_200_000_000), Some(1)]))),
            ("utc", Arc::new(TimestampMicrosecondArray::from(vec![Some(1), None]).with_timezone("+05:00")) as ArrayRef),
        ]);
        assert_eq!(
            to_csv(&schema, &[rows]).unwrap(),
            "s,us,utc\n2022-01-01T00:00:00,2022-01-01T00:00:00.000000,1970-01-01T05:00:00.000001+05:00\n\
             ,1970-01-01T00:00:00.000001,\n"
        );
        assert_eq!(to_csv(&schema, &[]).unwrap(), "s,us,utc\n");
    }

    /// What [`table_and_csv`] must give: the table and the CSV, each made on its own.
    fn made_apart(schema: &SchemaRef, rows: &RecordBatch) -> (Table, String) {
        let batches = std::slice::from_ref(rows);
        (Table::from_batches(schema, batches, &[], None).unwrap(), to_csv(schema, batches).unwrap())
    }

    #[test]
    fn the_table_and_its_csv_in_one_pass_are_those_made_apart() {
        use datafusion::arrow::array::{BooleanArray, Date64Array, Decimal128Array, Int64Array, LargeStringArray};
        let (schema, rows) = batch(vec![
            ("id", Arc::new(Int64Array::from(vec![Some(i64::MIN), None, Some(0), Some(7)])) as ArrayRef),
            ("note, \"q\"", Arc::new(StringArray::from(vec![Some(""), Some(" lead,"), None, Some("a\"b\r\nc")]))),
            (
                "hours",
                Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(-0.0), Some(1e300), Some(f64::NEG_INFINITY)])),
            ),
            ("ok", Arc::new(BooleanArray::from(vec![Some(true), None, Some(false), None]))),
            ("day", Arc::new(Date32Array::from(vec![Some(18993), None, Some(-719_162), Some(2_932_896)]))),
            ("at", Arc::new(Date64Array::from(vec![Some(0), Some(86_400_000), None, Some(-1)]))),
            (
                "amount",
                Arc::new(
                    Decimal128Array::from(vec![Some(12345), None, Some(-1), Some(0)])
                        .with_precision_and_scale(10, 2)
                        .unwrap(),
                ),
            ),
            ("wide", Arc::new(LargeStringArray::from(vec![Some("NULL"), Some("\u{e9}t\u{e9}"), Some("#"), None]))),
        ]);
        assert_eq!(table_and_csv(&schema, &rows).unwrap(), made_apart(&schema, &rows));
        // One column: an empty field alone on its line is written quoted (a null's too).
        let (schema, rows) =
            batch(vec![("s", Arc::new(StringArray::from(vec![Some(""), None, Some("x")])) as ArrayRef)]);
        let (_, csv) = table_and_csv(&schema, &rows).unwrap();
        assert_eq!(
            (table_and_csv(&schema, &rows).unwrap(), csv.as_str()),
            (made_apart(&schema, &rows), "s\n\"\"\n\"\"\nx\n")
        );
        let (schema, rows) = batch(vec![("s", Arc::new(StringArray::from(Vec::<Option<&str>>::new())) as ArrayRef)]);
        assert_eq!(table_and_csv(&schema, &rows).unwrap(), made_apart(&schema, &rows));
    }

    #[test]
    fn a_timestamp_result_is_made_apart_since_its_csv_is_not_its_display() {
        let (schema, rows) = batch(vec![
            ("us", Arc::new(TimestampMicrosecondArray::from(vec![Some(1_640_995_200_000_000), None])) as ArrayRef),
            ("id", Arc::new(Int32Array::from(vec![Some(1), None]))),
        ]);
        let (table, csv) = table_and_csv(&schema, &rows).unwrap();
        assert_eq!((table.clone(), csv.clone()), made_apart(&schema, &rows));
        assert_eq!(table.rows[0][0], "2022-01-01T00:00:00");
        assert!(csv.contains("2022-01-01T00:00:00.000000,1"), "{csv}");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_text_and_numbers_in_one_pass_are_those_made_apart(
            texts in proptest::collection::vec(proptest::option::of("[a-c ,\"\\r\\n\u{e9}N]{0,6}"), 0..40),
            numbers in proptest::collection::vec(proptest::option::of(proptest::num::f64::ANY), 40),
        ) {
            let n = texts.len();
            let (schema, rows) = batch(vec![
                ("text", Arc::new(StringArray::from(texts)) as ArrayRef),
                ("number", Arc::new(Float64Array::from(numbers[..n].to_vec()))),
            ]);
            proptest::prop_assert_eq!(table_and_csv(&schema, &rows).unwrap(), made_apart(&schema, &rows));
        }
    }

    #[test]
    fn sorted_as_the_page_shows_with_a_limit() {
        let (schema, rows) =
            batch(vec![("country_code", Arc::new(StringArray::from(vec!["US", "BR", "FR"])) as ArrayRef)]);
        assert_eq!(sorted_csv(&schema, &[rows], &["country_code"], Some(2)).unwrap(), "country_code\nBR\nFR\n");
    }
}

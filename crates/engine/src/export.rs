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
use datafusion::arrow::util::display::FormatOptions;
use parquet::arrow::ArrowWriter;
use std::sync::Arc;

use crate::table::sort_batches;
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

    #[test]
    fn sorted_as_the_page_shows_with_a_limit() {
        let (schema, rows) =
            batch(vec![("country_code", Arc::new(StringArray::from(vec!["US", "BR", "FR"])) as ArrayRef)]);
        assert_eq!(sorted_csv(&schema, &[rows], &["country_code"], Some(2)).unwrap(), "country_code\nBR\nFR\n");
    }
}

//! Files a user brings as `some_db.source_table`: CSV (with a header), newline-delimited JSON or
//! Parquet, read from bytes in memory (the browser hands us a `File`'s bytes; the CLI reads a path).
//! Results are written back out by [`crate::export`], in the form this module reads.

use std::io::Cursor;
use std::sync::Arc;

use bytes::Bytes;
use datafusion::arrow::array::{Array, ArrayRef, Date32Array, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{EngineError, RunDate, SourceData};

/// The largest file the app or the CLI reads: checked before the file is read.
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;
/// How many rows CSV and JSON schema inference looks at.
const INFER_ROWS: usize = 1_000;
const PARQUET_MAGIC: &[u8] = b"PAR1";
const MIB: f64 = 1024.0 * 1024.0;

/// A file format the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// Newline-delimited JSON objects.
    Json,
    /// Apache Parquet.
    Parquet,
}

impl FileFormat {
    /// The format a file name's extension says.
    pub fn from_name(name: &str) -> Result<Self, EngineError> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(FileFormat::Csv),
            "json" | "jsonl" | "ndjson" => Ok(FileFormat::Json),
            "parquet" | "pq" => Ok(FileFormat::Parquet),
            _ => Err(import_error(name, "is not a .csv, .json (newline-delimited) or .parquet file")),
        }
    }
}

fn import_error(name: &str, message: impl std::fmt::Display) -> EngineError {
    EngineError::Import(format!("{name} {message}"))
}

/// Refuses a file over [`MAX_IMPORT_BYTES`], before anything reads it.
pub fn check_size(name: &str, len: u64) -> Result<(), EngineError> {
    if len > MAX_IMPORT_BYTES {
        return Err(import_error(
            name,
            format!("is {:.1} MB; the limit is {} MB", len as f64 / MIB, MAX_IMPORT_BYTES as f64 / MIB),
        ));
    }
    Ok(())
}

/// Reads a file's bytes as a source table. The content must be what the extension says.
/// A `playback_date` given as text (`2022-01-01`) or a number (`20220101`) becomes a `DATE`.
pub fn read_source(name: &str, data: Vec<u8>) -> Result<SourceData, EngineError> {
    check_size(name, data.len() as u64)?;
    let format = FileFormat::from_name(name)?;
    check_content(name, format, &data)?;
    let (schema, batches) = match format {
        FileFormat::Csv => read_csv(&data),
        FileFormat::Json => read_json(&data),
        FileFormat::Parquet => read_parquet(data),
    }
    .map_err(|e| import_error(name, format!("could not be read: {e}")))?;
    let (schema, batches) = normalise_playback_date(schema, batches).map_err(|e| import_error(name, e))?;
    Ok(SourceData::new(schema, batches))
}

/// Catches a file that is not what its extension says, by its first bytes.
fn check_content(name: &str, format: FileFormat, data: &[u8]) -> Result<(), EngineError> {
    let is_parquet = data.starts_with(PARQUET_MAGIC) && data.ends_with(PARQUET_MAGIC);
    let first = data.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match format {
        FileFormat::Parquet if !is_parquet => Err(import_error(name, "is not a Parquet file (no PAR1 marker)")),
        FileFormat::Csv | FileFormat::Json if is_parquet => {
            Err(import_error(name, "is a Parquet file: name it .parquet"))
        }
        FileFormat::Csv | FileFormat::Json if std::str::from_utf8(data).is_err() => {
            Err(import_error(name, "is not UTF-8 text"))
        }
        FileFormat::Json if first.is_some_and(|b| b != b'{') => {
            Err(import_error(name, "is not newline-delimited JSON (each line must be an object)"))
        }
        _ if first.is_none() => Err(import_error(name, "is empty")),
        _ => Ok(()),
    }
}

type Read = Result<(SchemaRef, Vec<RecordBatch>), String>;

fn read_csv(data: &[u8]) -> Read {
    use datafusion::arrow::csv::reader::{Format, ReaderBuilder};
    let format = Format::default().with_header(true);
    let (schema, _) = format.infer_schema(Cursor::new(data), Some(INFER_ROWS)).map_err(|e| e.to_string())?;
    let schema = Arc::new(schema);
    let reader =
        ReaderBuilder::new(schema.clone()).with_format(format).build(Cursor::new(data)).map_err(|e| e.to_string())?;
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    Ok((schema, batches))
}

fn read_json(data: &[u8]) -> Read {
    use datafusion::arrow::json::reader::{infer_json_schema, ReaderBuilder};
    let (schema, _) = infer_json_schema(Cursor::new(data), Some(INFER_ROWS)).map_err(|e| e.to_string())?;
    let schema = Arc::new(schema);
    let reader = ReaderBuilder::new(schema.clone()).build(Cursor::new(data)).map_err(|e| e.to_string())?;
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    Ok((schema, batches))
}

fn read_parquet(data: Vec<u8>) -> Read {
    let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(data)).map_err(|e| e.to_string())?;
    let schema = builder.schema().clone();
    let reader = builder.build().map_err(|e| e.to_string())?;
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    Ok((schema, batches))
}

/// `playback_date` as a `DATE`: from `YYYY-MM-DD` text, from `YYYYMMDD` numbers, or a timestamp.
fn normalise_playback_date(schema: SchemaRef, batches: Vec<RecordBatch>) -> Read {
    let Some((index, field)) = schema.column_with_name("playback_date") else { return Ok((schema, batches)) };
    if field.data_type() == &DataType::Date32 {
        return Ok((schema, batches));
    }
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    if let Some(f) = fields.get_mut(index) {
        *f = Field::new("playback_date", DataType::Date32, true);
    }
    let new_schema = Arc::new(Schema::new(fields));
    let converted = batches
        .iter()
        .map(|batch| {
            let mut columns = batch.columns().to_vec();
            let column = columns.get_mut(index).ok_or("playback_date is missing from a batch")?;
            *column = to_date(column)?;
            RecordBatch::try_new(new_schema.clone(), columns).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((new_schema, converted))
}

fn to_date(column: &ArrayRef) -> Result<ArrayRef, String> {
    match column.data_type() {
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::UInt32 | DataType::UInt64 => {
            let wide = cast(column, &DataType::Int64).map_err(|e| e.to_string())?;
            let numbers = wide.as_any().downcast_ref::<Int64Array>().ok_or("playback_date: not integers")?;
            let days = numbers
                .iter()
                .map(|n| {
                    n.map(|n| {
                        RunDate::parse(&n.to_string())
                            .map(RunDate::days)
                            .map_err(|_| format!("playback_date {n} is not a YYYYMMDD date"))
                    })
                    .transpose()
                })
                .collect::<Result<Date32Array, String>>()?;
            Ok(Arc::new(days))
        }
        DataType::Utf8 => {
            let text = column.as_any().downcast_ref::<StringArray>().ok_or("playback_date: not text")?;
            let days = text
                .iter()
                .map(|t| t.map(|t| RunDate::parse(t).map(RunDate::days).map_err(|e| e.to_string())).transpose())
                .collect::<Result<Date32Array, String>>()?;
            Ok(Arc::new(days))
        }
        other => {
            cast(column, &DataType::Date32).map_err(|_| format!("playback_date has type {other}, which is not a date"))
        }
    }
}

/// The source table's columns that the steps mention (by the synthetic source's column names).
pub fn columns_needed(spec: &crate::PipelineSpec) -> Vec<String> {
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};
    let mentioned: std::collections::BTreeSet<String> = spec
        .steps
        .iter()
        .filter_map(|step| Tokenizer::new(&GenericDialect {}, &step.sql).tokenize().ok())
        .flatten()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.value.to_lowercase()),
            _ => None,
        })
        .collect();
    crate::synthetic::source_schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .filter(|name| mentioned.contains(name))
        .collect()
}

/// The columns `needed` that `schema` lacks, in order.
pub fn missing_columns(schema: &Schema, needed: &[String]) -> Vec<String> {
    needed.iter().filter(|c| schema.column_with_name(c).is_none()).cloned().collect()
}

/// Refuses an imported table that lacks columns the steps of `spec` read, naming them.
pub fn require_columns(name: &str, schema: &Schema, spec: &crate::PipelineSpec) -> Result<(), EngineError> {
    let missing = missing_columns(schema, &columns_needed(spec));
    if missing.is_empty() {
        return Ok(());
    }
    Err(import_error(name, format!("lacks columns the steps need: {}", missing.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::to_parquet;
    use crate::table::{Table, DISPLAY_ORDER};

    fn table(source: &SourceData) -> Table {
        Table::from_batches(&source.schema, &source.batches, &DISPLAY_ORDER, None).unwrap()
    }

    /// Column name -> cells, so that column order does not matter (JSON inference sorts names).
    fn by_column(source: &SourceData) -> std::collections::BTreeMap<String, Vec<String>> {
        let t = table(source);
        t.columns.iter().enumerate().map(|(i, c)| (c.clone(), t.rows.iter().map(|r| r[i].clone()).collect())).collect()
    }

    const CSV: &str = "title_id,country_code,view_hours,playback_date\n1,US,1.5,2022-01-01\n2,\"B,R\",2,20220102\n";

    #[test]
    fn csv_json_and_parquet_read_the_same_rows() {
        let csv = read_source("views.csv", CSV.replace("20220102", "2022-01-02").into_bytes()).unwrap();
        assert_eq!(csv.schema.field_with_name("playback_date").unwrap().data_type(), &DataType::Date32);
        assert_eq!(
            csv.date_range.map(|(a, b)| (a.to_string(), b.to_string())),
            Some(("2022-01-01".into(), "2022-01-02".into()))
        );
        let json = "{\"title_id\":1,\"country_code\":\"US\",\"view_hours\":1.5,\"playback_date\":20220101}\n\
                    {\"title_id\":2,\"country_code\":\"B,R\",\"view_hours\":2.0,\"playback_date\":20220102}\n";
        let json = read_source("views.ndjson", json.as_bytes().to_vec()).unwrap();
        assert_eq!(by_column(&json), by_column(&csv));
        let parquet = to_parquet(&csv.schema, &csv.batches).unwrap();
        let back = read_source("views.parquet", parquet).unwrap();
        assert_eq!(table(&back), table(&csv));
        assert_eq!(table(&csv).rows[0], ["2", "B,R", "2.0", "2022-01-02"], "sorted by country");
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let parquet = to_parquet(&read_source("a.csv", CSV.as_bytes().to_vec()).unwrap().schema, &[]).unwrap();
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "views.xlsx",
                b"x".to_vec(),
                "import: views.xlsx is not a .csv, .json (newline-delimited) or .parquet file",
            ),
            ("views.parquet", CSV.as_bytes().to_vec(), "import: views.parquet is not a Parquet file (no PAR1 marker)"),
            ("views.csv", parquet, "import: views.csv is a Parquet file: name it .parquet"),
            (
                "views.json",
                CSV.as_bytes().to_vec(),
                "import: views.json is not newline-delimited JSON (each line must be an object)",
            ),
            ("views.csv", vec![0xff, 0xfe, 0x00], "import: views.csv is not UTF-8 text"),
            ("views.csv", b"  \n".to_vec(), "import: views.csv is empty"),
            ("views.csv", b"title_id,playback_date\n1,2022-13-01\n".to_vec(), "import: views.csv could not be read"),
        ];
        for (name, data, message) in cases {
            let err = read_source(name, data).unwrap_err().to_string();
            assert!(err.starts_with(message), "{name}: {err}");
        }
        assert_eq!(
            check_size("big.csv", MAX_IMPORT_BYTES + 1).unwrap_err().to_string(),
            "import: big.csv is 256.0 MB; the limit is 256 MB"
        );
    }

    #[test]
    fn the_sample_steps_need_all_four_columns() {
        let mut spec = crate::PipelineSpec::sample();
        assert_eq!(columns_needed(&spec), ["title_id", "country_code", "view_hours", "playback_date"]);
        spec.steps[0].sql = "SELECT title_id, country_code FROM some_db.source_table".into();
        assert_eq!(columns_needed(&spec), ["title_id", "country_code", "view_hours"], "view_hours: STEP_2");
    }

    #[test]
    fn reports_the_columns_the_steps_need() {
        let source = read_source("a.csv", b"title_id,country\n1,US\n".to_vec()).unwrap();
        let needed: Vec<String> = ["title_id", "country_code", "view_hours"].map(String::from).to_vec();
        assert_eq!(missing_columns(&source.schema, &needed), ["country_code", "view_hours"]);
    }
}

//! Record batches as plain rows of text: what the page, the CLI and snapshots show.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::{concat_batches, lexsort_to_indices, take_record_batch, SortColumn};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::EngineError;

/// A result as text: column names and formatted cells (`NULL` for a null).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows of formatted cells, one per column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Formats `batches`, sorted by the `order_by` columns that exist (ascending, nulls first),
    /// keeping at most `limit` rows.
    pub fn from_batches(
        schema: &SchemaRef,
        batches: &[RecordBatch],
        order_by: &[&str],
        limit: Option<usize>,
    ) -> Result<Table, EngineError> {
        let sorted = sort_batches(schema, batches, order_by, limit)?;
        let rows_wanted = limit.unwrap_or(usize::MAX).min(sorted.num_rows());
        let options = FormatOptions::default().with_null("NULL");
        let arrow_error = |e: datafusion::arrow::error::ArrowError| EngineError::Result(e.to_string());
        let formatters = sorted
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(arrow_error)?;
        let rows = (0..rows_wanted).map(|row| formatters.iter().map(|f| f.value(row).to_string()).collect()).collect();
        let columns = schema.fields().iter().map(|f| f.name().clone()).collect();
        Ok(Table { columns, rows })
    }

    /// The index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// RFC 4180 CSV with a header line.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for line in std::iter::once(&self.columns).chain(&self.rows) {
            let cells: Vec<String> = line.iter().map(|cell| csv_cell(cell)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// `batches` as one batch sorted by the `order_by` columns that exist (ascending, nulls first),
/// keeping the first `limit` rows if given.
pub fn sort_batches(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    order_by: &[&str],
    limit: Option<usize>,
) -> Result<RecordBatch, EngineError> {
    let arrow_error = |e: datafusion::arrow::error::ArrowError| EngineError::Result(e.to_string());
    let all = concat_batches(schema, batches).map_err(arrow_error)?;
    let sort_columns: Vec<SortColumn> = order_by
        .iter()
        .filter_map(|name| all.column_by_name(name))
        .map(|values| SortColumn { values: values.clone(), options: None })
        .collect();
    if sort_columns.is_empty() || all.num_rows() == 0 {
        let n = limit.unwrap_or(usize::MAX).min(all.num_rows());
        return Ok(all.slice(0, n));
    }
    let indices = lexsort_to_indices(&sort_columns, limit).map_err(arrow_error)?;
    take_record_batch(&all, &indices).map_err(arrow_error)
}

fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The order the app and the CLI show the sample's output in.
pub const DISPLAY_ORDER: [&str; 3] = ["country_code", "title_rank", "title_id"];

//! Record batches as plain rows of text: what the page shows (files are written by
//! [`crate::export`]).

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::{concat_batches, lexsort_to_indices, take_record_batch, SortColumn};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::EngineError;

/// A result as text: column names and formatted cells (`NULL` for a null).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// The order the app and the CLI show the sample's output in.
pub const DISPLAY_ORDER: [&str; 3] = ["country_code", "title_rank", "title_id"];

/// The result's columns in the order the page shows them: rank, title, country, hours, then the rest.
pub fn ordered_columns(columns: &[String]) -> Vec<usize> {
    const FIRST: [&str; 4] = ["title_rank", "title_id", "country_code", "view_hours"];
    let mut order: Vec<usize> = FIRST.iter().filter_map(|f| columns.iter().position(|c| c == f)).collect();
    let rest: Vec<usize> = (0..columns.len()).filter(|i| !order.contains(i)).collect();
    order.extend(rest);
    order
}

/// `1234567` as `1,234,567`.
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// How many rows a page of the result shows.
pub const PAGE_ROWS: usize = 100;

/// What the result table is asked to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultQuery {
    /// Only this country's rows (all when empty).
    pub country: String,
    /// Sort by this shown column (index into the page's headers), ascending or not.
    pub sort: Option<(usize, bool)>,
    /// The page, from 0.
    pub page: usize,
}

/// One page of the result, in the shown column order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultPage {
    /// Column names, rank, title, country and hours first.
    pub headers: Vec<String>,
    /// The page's rows.
    pub rows: Vec<Vec<String>>,
    /// How many rows match the query.
    pub total: usize,
    /// The index of the page's first row among those.
    pub first: usize,
}

/// Filters, sorts (numbers as numbers) and pages a result.
pub fn result_page(table: &Table, query: &ResultQuery) -> ResultPage {
    let order = ordered_columns(&table.columns);
    let country_col = table.column_index("country_code");
    let mut rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .filter(|row| query.country.is_empty() || country_col.and_then(|i| row.get(i)) == Some(&query.country))
        .map(|row| order.iter().map(|&i| row.get(i).cloned().unwrap_or_default()).collect())
        .collect();
    if let Some((column, ascending)) = query.sort {
        rows.sort_by(|a, b| {
            let ordering = compare_cells(a.get(column), b.get(column));
            if ascending {
                ordering
            } else {
                ordering.reverse()
            }
        });
    }
    let total = rows.len();
    let first = query.page.saturating_mul(PAGE_ROWS).min(total.saturating_sub(1) / PAGE_ROWS * PAGE_ROWS);
    let rows = rows.into_iter().skip(first).take(PAGE_ROWS).collect();
    let headers = order.iter().filter_map(|&i| table.columns.get(i).cloned()).collect();
    ResultPage { headers, rows, total, first }
}

/// Numbers compare as numbers, NULL first, anything else as text.
fn compare_cells(a: Option<&String>, b: Option<&String>) -> std::cmp::Ordering {
    let number = |c: Option<&String>| c.and_then(|c| c.parse::<f64>().ok());
    let null = |c: Option<&String>| c.is_none_or(|c| c == "NULL");
    match (null(a), null(b)) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.cmp(&b),
        },
    }
}

/// The top `n` titles of a country by hours: (title, hours), most watched first.
pub fn top_titles(table: &Table, country: &str, n: usize) -> Vec<(String, f64)> {
    let (Some(c), Some(t), Some(h)) =
        (table.column_index("country_code"), table.column_index("title_id"), table.column_index("view_hours"))
    else {
        return Vec::new();
    };
    let mut titles: Vec<(String, f64)> = table
        .rows
        .iter()
        .filter(|row| row.get(c).map(String::as_str) == Some(country))
        .filter_map(|row| Some((row.get(t)?.clone(), row.get(h)?.parse::<f64>().ok()?)))
        .collect();
    titles.sort_by(|a, b| b.1.total_cmp(&a.1));
    titles.truncate(n);
    titles
}

/// A short fingerprint of a table's text (its CSV), so two people can see they got the same
/// numbers: FNV-1a (64 bits), as `xxxx-xxxx-xxxx-xxxx`.
pub fn fingerprint(text: &str) -> String {
    let hash =
        text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    let hex = format!("{hash:016x}");
    hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let row = |r: [&str; 4]| r.map(String::from).to_vec();
        Table {
            columns: ["title_id", "country_code", "view_hours", "title_rank"].map(String::from).to_vec(),
            rows: vec![
                row(["7", "US", "10.5", "1"]),
                row(["8", "US", "9.0", "2"]),
                row(["9", "BR", "NULL", "10"]),
                row(["10", "BR", "2.0", "1"]),
            ],
        }
    }

    #[test]
    fn pages_filter_and_sort_numbers_as_numbers() {
        let page = result_page(&table(), &ResultQuery::default());
        assert_eq!(page.headers, ["title_rank", "title_id", "country_code", "view_hours"]);
        assert_eq!((page.total, page.first, page.rows.len()), (4, 0, 4));
        let sorted = result_page(&table(), &ResultQuery { sort: Some((0, false)), ..Default::default() });
        assert_eq!(sorted.rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["10", "2", "1", "1"]);
        let by_hours = result_page(&table(), &ResultQuery { sort: Some((3, true)), ..Default::default() });
        assert_eq!(by_hours.rows.iter().map(|r| r[3].as_str()).collect::<Vec<_>>(), ["NULL", "2.0", "9.0", "10.5"]);
        let us = result_page(&table(), &ResultQuery { country: "US".into(), page: 7, ..Default::default() });
        assert_eq!((us.total, us.first), (2, 0), "a page past the end shows the last page");
        assert_eq!(result_page(&Table::default(), &ResultQuery::default()).total, 0);
    }

    #[test]
    fn top_titles_of_a_country() {
        assert_eq!(top_titles(&table(), "US", 1), [("7".to_string(), 10.5)]);
        assert_eq!(top_titles(&table(), "BR", 5), [("10".to_string(), 2.0)], "NULL hours have no bar");
        assert!(top_titles(&table(), "FR", 5).is_empty());
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(19025), "19,025");
        assert_eq!(group_digits(1234567), "1,234,567");
    }

    #[test]
    fn fingerprints_differ_with_the_numbers() {
        assert_eq!(fingerprint("a,b\n1,2\n"), fingerprint("a,b\n1,2\n"));
        assert_ne!(fingerprint("a,b\n1,2\n"), fingerprint("a,b\n1,3\n"));
        assert_eq!(fingerprint("").len(), 19);
    }
}

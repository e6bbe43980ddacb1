//! What the page shows of a run: plain data, built from the engine's result.

use std::sync::Arc;

use dataflow_engine::arrow::array::RecordBatch;
use dataflow_engine::arrow::datatypes::SchemaRef;
use dataflow_engine::export;
pub use dataflow_engine::position::TextPos;
use dataflow_engine::table::{fingerprint, sort_batches, DISPLAY_ORDER};
pub use dataflow_engine::table::{group_digits, result_page, top_titles, ResultPage, ResultQuery, PAGE_ROWS};
use dataflow_engine::{EngineError, PipelineRun, Table};

/// One step as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepView {
    /// The step's name.
    pub name: String,
    /// How many rows it returned.
    pub row_count: usize,
    /// How long it took, in milliseconds.
    pub elapsed_ms: f64,
    /// Its output columns with their types (`title_id: Int32`).
    pub columns: Vec<String>,
    /// The optimised logical plan, indented.
    pub logical_plan: String,
    /// The physical plan, indented.
    pub physical_plan: String,
    /// All of its rows, for downloads.
    pub data: Arc<StepData>,
}

/// A step's whole result.
#[derive(Debug, PartialEq)]
pub struct StepData {
    /// The result's schema.
    pub schema: SchemaRef,
    /// Its rows.
    pub batches: Vec<RecordBatch>,
}

impl StepData {
    /// The rows as text, sorted by country, rank and title when it has them (built when asked:
    /// a step can have many rows).
    pub fn table(&self) -> Result<Table, EngineError> {
        Table::from_batches(&self.schema, &self.batches, &DISPLAY_ORDER, None)
    }

    /// The rows as CSV that the import reads back as the same table, sorted as the page shows
    /// them: the same file `dataflow run` prints.
    pub fn to_csv(&self) -> Result<String, EngineError> {
        export::sorted_csv(&self.schema, &self.batches, &DISPLAY_ORDER, None)
    }

    /// The rows as Parquet.
    pub fn to_parquet(&self) -> Result<Vec<u8>, EngineError> {
        export::to_parquet(&self.schema, &self.batches)
    }

    /// The rows as a file to save for step `step` on the run date `date` (`20240101`): its name,
    /// MIME type and bytes.
    pub fn file(&self, step: &str, date: &str, format: FileFormat) -> Result<(String, &'static str, Vec<u8>), String> {
        let base = format!("{step}_{date}");
        match format {
            FileFormat::Csv => {
                let text = self.to_csv().map_err(|e| e.to_string())?;
                Ok((format!("{base}.csv"), "text/csv", text.into_bytes()))
            }
            FileFormat::Parquet => {
                let bytes = self.to_parquet().map_err(|e| e.to_string())?;
                Ok((format!("{base}.parquet"), "application/vnd.apache.parquet", bytes))
            }
        }
    }
}

/// A file format a step's rows can be saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated text, sorted as the page shows it.
    Csv,
    /// Apache Parquet.
    Parquet,
}

/// The last step's output against the target table's DDL.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetView {
    /// The DDL parsed: the table's name, its partition columns, and what does not fit.
    Checked { table: String, partitions: Vec<String>, findings: Vec<String> },
    /// The DDL did not parse.
    DdlError(String),
}

/// A finished run as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunView {
    /// Rows in the source table.
    pub source_rows: usize,
    /// Every step, in order.
    pub steps: Vec<StepView>,
    /// The last step's rows, sorted by country, rank and title.
    pub output: Arc<Table>,
    /// The distinct `country_code`s of the output, sorted.
    pub countries: Vec<String>,
    /// Things the user should know about this run.
    pub notices: Vec<String>,
    /// The output checked against the DDL.
    pub target: TargetView,
    /// The whole run, source included, in milliseconds.
    pub total_ms: f64,
    /// `${top_n}` of the spec that ran (set by the caller).
    pub top_n: u32,
    /// A short hash of the output's rows (sorted), so two people can see they got the same numbers.
    pub fingerprint: String,
}

/// A run that could not finish: which step, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFailure {
    /// The failing step, if the failure belongs to one.
    pub step: Option<String>,
    /// The message to show.
    pub message: String,
    /// Where in the step's text the error is, if known.
    pub at: Option<TextPos>,
}

impl RunFailure {
    /// A failure that belongs to no step (a parameter the user typed, say).
    pub fn general(message: impl Into<String>) -> Self {
        RunFailure { step: None, message: message.into(), at: None }
    }
}

impl From<EngineError> for RunFailure {
    fn from(e: EngineError) -> Self {
        RunFailure { step: e.step().map(str::to_string), message: e.to_string(), at: e.at() }
    }
}

/// Something the user asked for that could not be done: not a run's outcome, so a run that
/// finishes leaves it on screen until the user's next request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    /// A parameter (or the source's rows a day) typed wrong: nothing changed.
    Param(String),
    /// A file that could not be used as the source table.
    Import(String),
    /// The kept work that could not be brought back.
    Session(String),
    /// A result that could not be saved as a file.
    Download(String),
}

impl ActionError {
    /// The banner's heading.
    pub fn heading(&self) -> &'static str {
        match self {
            ActionError::Param(_) => "Not applied",
            ActionError::Import(_) => "The file was not imported",
            ActionError::Session(_) => "Your work could not be brought back",
            ActionError::Download(_) => "The download failed",
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        match self {
            ActionError::Param(m) | ActionError::Import(m) | ActionError::Session(m) | ActionError::Download(m) => m,
        }
    }
}

impl RunView {
    /// Builds the view of `run`; `total_ms` is measured by the caller.
    pub fn from_run(run: &PipelineRun, total_ms: f64) -> Result<Self, RunFailure> {
        let steps = run
            .steps
            .iter()
            .map(|s| {
                Ok(StepView {
                    name: s.name.clone(),
                    row_count: s.row_count,
                    elapsed_ms: s.elapsed_ms,
                    columns: s.schema.fields().iter().map(|f| format!("{}: {}", f.name(), f.data_type())).collect(),
                    logical_plan: s.logical_plan.clone(),
                    physical_plan: s.physical_plan.clone(),
                    data: Arc::new(StepData { schema: s.schema.clone(), batches: s.batches.clone() }),
                })
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        let target = match &run.target {
            Ok(table) => TargetView::Checked {
                table: table.name.clone(),
                partitions: table.partition_columns.iter().map(|c| c.name.clone()).collect(),
                findings: run.findings.iter().map(ToString::to_string).collect(),
            },
            Err(e) => TargetView::DdlError(e.to_string()),
        };
        // Sorted once and formatted once: the shown table and the fingerprint (a hash of the
        // CSV a download gives).
        let (output, fingerprint) = match run.output() {
            Some(out) => {
                let sorted = sort_batches(&out.schema, &out.batches, &DISPLAY_ORDER, None)?;
                let (table, csv) = export::table_and_csv(&out.schema, &sorted)?;
                (table, fingerprint(&csv))
            }
            None => (Table::default(), fingerprint("")),
        };
        let mut countries: Vec<String> = match output.column_index("country_code") {
            Some(i) => output.rows.iter().filter_map(|r| r.get(i).cloned()).collect(),
            None => Vec::new(),
        };
        countries.sort();
        countries.dedup();
        Ok(RunView {
            fingerprint,
            top_n: 0,
            source_rows: run.source_rows,
            steps,
            output: Arc::new(output),
            countries,
            notices: run.notices.iter().map(|n| n.0.clone()).collect(),
            target,
            total_ms,
        })
    }
}

/// An error to mark in an editor: a UTF-16 range of its text (the unit CodeMirror counts in) and
/// the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMark {
    /// First UTF-16 unit marked.
    pub from: u32,
    /// One past the last UTF-16 unit marked.
    pub to: u32,
    /// What is wrong there.
    pub message: String,
}

impl ErrorMark {
    /// Marks the whole of line `line` (1-based) of `text`; `None` past the end.
    pub fn line(text: &str, line: u32, message: &str) -> Option<ErrorMark> {
        let start = dataflow_engine::position::offset_of(text, TextPos { line, column: 1 })?;
        let rest = text.get(start..)?;
        let end = start + rest.find('\n').unwrap_or(rest.len());
        let units = |s: &str| u32::try_from(s.encode_utf16().count()).ok();
        Some(ErrorMark { from: units(text.get(..start)?)?, to: units(text.get(..end)?)?, message: message.to_string() })
    }

    /// Marks the word (or the one character) at `at` in `text`; `None` if `at` is not in it.
    pub fn at(text: &str, at: TextPos, message: &str) -> Option<ErrorMark> {
        let byte = dataflow_engine::position::offset_of(text, at)?;
        let rest = text.get(byte..)?;
        let word: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum::<usize>()
            .max(rest.chars().next().map_or(0, char::len_utf8));
        let units = |s: &str| u32::try_from(s.encode_utf16().count()).ok();
        let from = units(text.get(..byte)?)?;
        let to = from.checked_add(units(rest.get(..word)?)?)?;
        Some(ErrorMark { from, to, message: message.to_string() })
    }
}

/// Which highlighting an editor uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Spark SQL (double-quoted strings, backtick identifiers).
    Sql,
    /// YAML (the mocks, the workflow files).
    Yaml,
    /// Python (the pyspark recipe).
    Python,
    /// Scala.
    Scala,
    /// R (the sparklyr recipe).
    R,
    /// TOML (`pyproject.toml`).
    Toml,
    /// INI (`tox.ini`).
    Ini,
    /// Groovy (`build.gradle`).
    Groovy,
    /// Plain text.
    Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_mark_spans_the_line_without_its_newline() {
        let text = "SELECT a\nFROM t\nWHERE b";
        let mark = ErrorMark::line(text, 2, "here").expect("line 2 exists");
        assert_eq!((mark.from, mark.to), (9, 15));
        assert_eq!(&text[9..15], "FROM t");
        assert_eq!(mark.message, "here");
        // The last line has no newline; a line past the end is not marked.
        assert_eq!(ErrorMark::line(text, 3, "").map(|m| (m.from, m.to)), Some((16, 23)));
        assert_eq!(ErrorMark::line(text, 4, ""), None);
    }

    #[test]
    fn a_word_mark_covers_the_identifier_at_the_place() {
        let text = "SELECT title_id, x\nFROM t";
        let mark = ErrorMark::at(text, TextPos { line: 1, column: 8 }, "unknown").expect("in the text");
        assert_eq!((mark.from, mark.to), (7, 15), "title_id");
        // On punctuation, the one character.
        let comma = ErrorMark::at(text, TextPos { line: 1, column: 16 }, "").expect("in the text");
        assert_eq!((comma.from, comma.to), (15, 16));
        assert_eq!(ErrorMark::at(text, TextPos { line: 5, column: 1 }, ""), None);
    }

    #[test]
    fn marks_count_utf16_units_as_the_editor_does() {
        // "é" is 2 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes and 2 units.
        let text = "-- é 𝄞\nSELECT naïve";
        let line = ErrorMark::line(text, 1, "").expect("line 1");
        assert_eq!((line.from, line.to), (0, 7));
        let word = ErrorMark::at(text, TextPos { line: 2, column: 8 }, "").expect("naïve");
        assert_eq!((word.from, word.to), (15, 20));
    }

    #[test]
    fn a_step_file_is_named_after_the_step_and_the_run_date() {
        use dataflow_engine::arrow::array::{Int32Array, StringArray};
        use dataflow_engine::arrow::datatypes::{DataType, Field, Schema};
        let schema = Arc::new(Schema::new(vec![
            Field::new("country_code", DataType::Utf8, false),
            Field::new("view_hours", DataType::Int32, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(StringArray::from(vec!["US", "FR"])), Arc::new(Int32Array::from(vec![Some(5), Some(7)]))],
        )
        .expect("a batch");
        let data = StepData { schema, batches: vec![batch] };
        let (name, mime, bytes) = data.file("STEP_1", "20240101", FileFormat::Csv).expect("csv");
        assert_eq!((name.as_str(), mime), ("STEP_1_20240101.csv", "text/csv"));
        // Sorted by country as the page shows it.
        assert_eq!(String::from_utf8(bytes).expect("utf-8"), "country_code,view_hours\nFR,7\nUS,5\n");
        let (name, _, bytes) = data.file("STEP_1", "20240101", FileFormat::Parquet).expect("parquet");
        assert_eq!(name, "STEP_1_20240101.parquet");
        assert_eq!(bytes.get(..4), Some(&b"PAR1"[..]));
    }

    #[test]
    fn action_errors_keep_their_kind_and_message() {
        let typo = ActionError::Param("parameter top_n: \"x\" is not a whole number".into());
        assert_eq!(typo.heading(), "Not applied");
        assert_eq!(typo.message(), "parameter top_n: \"x\" is not a whole number");
        assert_eq!(ActionError::Import("big.csv is too big".into()).heading(), "The file was not imported");
    }
}

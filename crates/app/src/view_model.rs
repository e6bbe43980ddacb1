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
        // Sorted once: the shown table and the fingerprint (a hash of the CSV a download gives).
        let (output, fingerprint) = match run.output() {
            Some(out) => {
                let sorted = sort_batches(&out.schema, &out.batches, &DISPLAY_ORDER, None)?;
                let csv = export::to_csv(&out.schema, std::slice::from_ref(&sorted))?;
                (Table::from_batches(&out.schema, &[sorted], &[], None)?, fingerprint(&csv))
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

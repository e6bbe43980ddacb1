//! What the page shows of a run: plain data, built from the engine's result.

use std::sync::Arc;

use dataflow_engine::table::DISPLAY_ORDER;
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
    /// Its output columns.
    pub columns: Vec<String>,
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
    /// The whole run, source included, in milliseconds.
    pub total_ms: f64,
}

/// A run that could not finish: which step, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFailure {
    /// The failing step, if the failure belongs to one.
    pub step: Option<String>,
    /// The message to show.
    pub message: String,
}

impl From<EngineError> for RunFailure {
    fn from(e: EngineError) -> Self {
        RunFailure { step: e.step().map(str::to_string), message: e.to_string() }
    }
}

impl RunView {
    /// Builds the view of `run`; `total_ms` is measured by the caller.
    pub fn from_run(run: &PipelineRun, total_ms: f64) -> Result<Self, RunFailure> {
        let steps = run
            .steps
            .iter()
            .map(|s| StepView {
                name: s.name.clone(),
                row_count: s.row_count,
                elapsed_ms: s.elapsed_ms,
                columns: s.schema.fields().iter().map(|f| f.name().clone()).collect(),
            })
            .collect();
        let output = match run.output() {
            Some(out) => Table::from_batches(&out.schema, &out.batches, &DISPLAY_ORDER, None)?,
            None => Table::default(),
        };
        let mut countries: Vec<String> = match output.column_index("country_code") {
            Some(i) => output.rows.iter().filter_map(|r| r.get(i).cloned()).collect(),
            None => Vec::new(),
        };
        countries.dedup();
        countries.sort();
        countries.dedup();
        Ok(RunView {
            source_rows: run.source_rows,
            steps,
            output: Arc::new(output),
            countries,
            notices: run.notices.iter().map(|n| n.0.clone()).collect(),
            total_ms,
        })
    }
}

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

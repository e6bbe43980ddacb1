//! Errors for work that cannot run. Findings (audit results, validation problems) are data, not errors.

use thiserror::Error;

use crate::position::TextPos;

/// Why a pipeline run (or one of its steps) could not run.
/// Serializable, so a run in a worker can say why it failed (`wire`).
#[derive(Debug, Error, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EngineError {
    /// A `${NAME}` in a step names no known parameter.
    #[error("step {step}: unknown parameter ${{{name}}}")]
    UnknownParameter { step: String, name: String },
    /// A `${` without its closing `}`: `offset` is its byte offset, `at` its line and column.
    #[error("step {step} (line {}, column {}): a `${{` without its closing `}}`", at.line, at.column)]
    UnclosedParameter { step: String, offset: usize, at: TextPos },
    /// A parameter value that is not of the expected form.
    #[error("parameter {name}: {message}")]
    InvalidParameter { name: String, message: String },
    /// The spec itself is not runnable (no steps, a step without a name, a duplicate name…).
    #[error("pipeline: {0}")]
    InvalidSpec(String),
    /// DataFusion could not plan or execute a step's SQL; `at` is the place in the step's own text.
    #[error("step {step}{}: {message}", at.map(|p| format!(" ({p})")).unwrap_or_default())]
    Step { step: String, message: String, at: Option<TextPos> },
    /// The user cancelled the run (see `control::RunControl::cancel`).
    #[error("the run was cancelled")]
    Cancelled,
    /// The target table's DDL does not parse or declares something unsupported.
    #[error("DDL: {0}")]
    Ddl(String),
    /// A result could not be sorted or formatted for display.
    #[error("result: {0}")]
    Result(String),
    /// A file could not be used as a source table.
    #[error("import: {0}")]
    Import(String),
    /// The source table could not be built or registered.
    #[error("source table: {0}")]
    Source(String),
    /// Two results could not be compared (`crate::diff`).
    #[error("diff: {0}")]
    Diff(String),
    /// A table could not be profiled (`crate::profile`).
    #[error("profile: {0}")]
    Profile(String),
    /// A mock could not be read or used (YAML that does not parse, too big, aliases, or a mock
    /// with findings used as data). `line` and `column` are 1-based, where known.
    #[error("mock{}: {message}", at(*.line, *.column))]
    Mock { line: Option<usize>, column: Option<usize>, message: String },
    /// A permalink that cannot be read.
    #[error("permalink: {0}")]
    Permalink(String),
    /// A workflow file (`main.sch.yaml`…) that cannot be read, or a workflow that cannot run
    /// (bad audit params, an unknown column). `file` is `None` for the spec's own workflow.
    #[error("{}{}: {message}", file.as_deref().unwrap_or("workflow"), at(*.line, *.column))]
    Workflow { file: Option<String>, line: Option<usize>, column: Option<usize>, message: String },
    /// A daily or backfill range that cannot run (inverted, too long).
    #[error("{0}")]
    Schedule(String),
    /// A Write-Audit-Publish run that cannot go on (its table is missing, a job ran out of order).
    #[error("wap: {0}")]
    Wap(String),
    /// The engine's worker stopped, or sent a result that cannot be read (`wire`).
    #[error("engine worker: {0}")]
    Worker(String),
}

/// `, line L, column C` for an error's position, or nothing.
fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(", line {line}, column {column}"),
        (Some(line), None) => format!(", line {line}"),
        _ => String::new(),
    }
}

impl EngineError {
    /// The step this error belongs to, if any: the app marks that step.
    pub fn step(&self) -> Option<&str> {
        match self {
            EngineError::UnknownParameter { step, .. }
            | EngineError::UnclosedParameter { step, .. }
            | EngineError::Step { step, .. } => Some(step),
            _ => None,
        }
    }

    /// The place in the step's text the error points at, if known.
    pub fn at(&self) -> Option<TextPos> {
        match self {
            EngineError::Step { at, .. } => *at,
            EngineError::UnclosedParameter { at, .. } => Some(*at),
            _ => None,
        }
    }
}

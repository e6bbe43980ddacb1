//! Dataflow Playground's engine: the pipeline spec, the synthetic source, the SQL steps on
//! DataFusion, and the workflow around them (catalog, audits, Write-Audit-Publish, daily and
//! backfill). Pure Rust with no browser dependency: the same code runs natively (CLI, tests)
//! and on wasm32 (the app, wasm-bindgen tests).

pub mod audit;
pub mod catalog;
pub mod chain;
pub mod control;
mod countries;
pub mod date;
pub mod ddl;
pub mod diff;
mod error;
pub mod export;
pub mod guard;
pub mod import;
pub mod lineage;
pub mod mock;
pub mod params;
pub mod permalink;
pub mod position;
pub mod profile;
pub mod run;
pub mod schedule;
pub mod source;
pub mod spark;
pub mod spec;
pub mod synthetic;
pub mod table;
pub mod wap;
mod windows;
pub mod wire;
pub mod workflow;

pub use audit::{check_audits, AuditFunction, AuditResult, WorkflowProblem};
pub use catalog::{Catalog, CatalogTable, RunKind, RunRecord, RunStatus};
pub use control::{Progress, RunControl};
pub use datafusion::arrow;
pub use date::RunDate;
pub use error::EngineError;
pub use mock::Mock;
pub use run::{run_pipeline, run_pipeline_with, Notice, PipelineRun, StepResult};
pub use schedule::{backfill_dates, daily_dates, DateState, ScheduleRun, ScheduleSummary};
pub use source::{resolve, resolve_now, NoFiles, SourceCache, SourceData, Sources};
pub use spec::{Params, PipelineSpec, SourceSpec, Step, SOURCE_TABLE, TARGET_TABLE};
pub use synthetic::SyntheticSpec;
pub use table::Table;
pub use wap::{run_main, JobId, JobRecord, JobStatus, MainRun, WapRun};
pub use workflow::{check_workflow, AuditSpec, Workflow};

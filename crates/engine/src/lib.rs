//! Dataflow Playground's engine: the pipeline spec, the synthetic source and the SQL steps on
//! DataFusion. Pure Rust with no browser dependency: the same code runs natively (CLI, tests)
//! and on wasm32 (the app, wasm-bindgen tests).

mod countries;
pub mod date;
pub mod ddl;
mod error;
pub mod import;
pub mod mock;
pub mod params;
pub mod permalink;
pub mod position;
pub mod run;
pub mod source;
pub mod spark;
pub mod spec;
pub mod synthetic;
pub mod table;

pub use datafusion::arrow;
pub use date::RunDate;
pub use error::EngineError;
pub use mock::Mock;
pub use run::{run_pipeline, Notice, PipelineRun, StepResult};
pub use source::SourceData;
pub use spec::{Params, PipelineSpec, SourceSpec, Step, SOURCE_TABLE, TARGET_TABLE};
pub use synthetic::SyntheticSpec;
pub use table::Table;

//! Recipe files rendered from a pipeline spec: the template gallery's projects. No browser
//! dependency and no file system: the app (wasm32) and the CLI both call it, and its output is
//! text, or zip bytes built in memory.
//!
//! ```no_run
//! use dataflow_templates::{render, zip_bytes, Options, Recipe};
//! let spec = dataflow_engine::PipelineSpec::sample();
//! let project = render(&spec, &Options::for_spec(Recipe::Pyspark, &spec))?;
//! for file in &project.files {
//!     println!("{} ({} bytes)", file.path, file.contents.len());
//! }
//! let zip: Vec<u8> = zip_bytes(&project)?;
//! # Ok::<(), dataflow_templates::TemplateError>(())
//! ```

mod error;
mod logic;
mod options;
mod project;
mod recipes;
mod target;
mod text;
mod zip;

use dataflow_engine::PipelineSpec;

pub use error::TemplateError;
pub use options::{OptionEdits, Options, Recipe, MAX_NAME_LEN};
pub use project::{FileLanguage, Project, ProjectFile, TreeEntry};
pub use zip::zip_bytes;

/// The Spark version the projects pin and are tested against.
pub const SPARK_VERSION: &str = recipes::SPARK_VERSION;

/// Renders the project of `options.recipe` for the user's spec: their steps (turned into the
/// recipe's idiom where they have a recognised shape, else kept as Spark SQL with a comment),
/// DDL and mocks, with the options' names and values.
///
/// The options are checked first ([`Options::validated`]): a normalised option is noted in
/// [`Project::notes`], an unusable one is an error, as is a spec that cannot become a working
/// project (no steps, a step name that is not an identifier, an unknown `${NAME}`, a DDL that does
/// not parse or does not write to `${TARGET_DB}`).
pub fn render(spec: &PipelineSpec, options: &Options) -> Result<Project, TemplateError> {
    let (options, mut notes) = options.validated()?;
    let ctx = recipes::Context::new(spec, &options)?;
    let files = match options.recipe {
        Recipe::SparkSql => recipes::spark_sql::files(&ctx),
        Recipe::Pyspark => recipes::pyspark::files(&ctx),
        Recipe::Scala => recipes::scala::files(&ctx),
        Recipe::Sparklyr => recipes::sparklyr::files(&ctx),
    };
    if options.recipe != Recipe::SparkSql {
        notes.extend(ctx.steps.iter().filter(|s| s.shape.is_none()).map(|s| {
            format!(
                "step {} stays Spark SQL in the {} recipe: it is not a shape written in its idiom",
                s.name, options.recipe
            )
        }));
    }
    Ok(Project::new(options, files, notes))
}

/// The default template of a recipe, for the gallery's diff: the article's sample pipeline
/// rendered with the same options (names, target db, top N) as the user's project.
pub fn render_default(options: &Options) -> Result<Project, TemplateError> {
    render(&PipelineSpec::sample(), options)
}

/// The whole transform as the one Spark SQL query a write job runs: every step becomes a CTE,
/// in order, and the query selects the last one. `${PARAM}` references stay for the scheduler.
///
/// Returns `None` for a spec without steps.
pub fn cte_query(spec: &PipelineSpec) -> Option<String> {
    let last = spec.steps.last()?;
    let ctes: Vec<String> = spec
        .steps
        .iter()
        .map(|step| format!("{} AS (\n{}\n)", step.name, text::indent(step.sql.trim(), "    ")))
        .collect();
    Some(format!("WITH {}\nSELECT * FROM {}", ctes.join("\n, "), last.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_query_chains_the_three_steps() {
        insta::assert_snapshot!(cte_query(&PipelineSpec::sample()).unwrap());
    }

    #[test]
    fn no_steps_no_query() {
        let spec = PipelineSpec { steps: vec![], ..PipelineSpec::sample() };
        assert_eq!(cte_query(&spec), None);
    }
}

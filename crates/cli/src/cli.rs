//! The command line's shape, declared once with clap's derive API: every command, flag, default and
//! help text lives here, so `--help`, did-you-mean errors and shell completions all read the same
//! declaration. Usage errors (an unknown flag, a missing argument) exit 2, as clap does.
//!
//! Values whose rules the engine or the templates own (dates, top N, parameters, steps, the
//! gallery's options) arrive here as text and are checked by those crates' functions when a
//! command runs (errors exit 1 with their messages); the recipe is parsed by `Recipe::parse`.

use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;
use dataflow_engine::spec::parse_steps_file;
use dataflow_engine::{PipelineSpec, SyntheticSpec};
use dataflow_templates::{Options, Recipe};

use crate::read_file;

/// The Dataflow Playground's engine on the command line: run the pipeline, test it on mocks and
/// write sample workflow projects.
#[derive(Debug, Parser)]
#[command(
    name = "dataflow",
    version,
    arg_required_else_help = true,
    after_help = "`dataflow COMMAND --help` shows a command's arguments and defaults.\n\
        Shell completions: `dataflow completions bash|zsh|fish`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the pipeline (the synthetic source or --source FILE) and print the last step as CSV
    #[command(after_help = "Findings of the DDL check and notices go to stderr; errors exit 1.\n\
        Rows are sorted by country_code, title_rank, title_id, as the app shows them.")]
    Run(RunArgs),
    /// Print the whole transform as one Spark SQL query (every step a CTE)
    Query,
    /// Compare two runs that differ in their steps, date or source: what changed in each step
    ///
    /// Each step both runs have is compared with the base run's: rows added, removed and changed
    /// (paired by the key), and per column how many cells changed, with the largest numeric
    /// changes. The last block is the output (the last step).
    #[command(after_help = "Rows are paired by --key, or by the workflow's primary key (the columns \
        of it a step has); a key that is not unique, or has NULLs, falls back to pairing whole rows, \
        and the summary says so.\n\
        Example: dataflow diff --steps dense_rank.sql --base-steps rank.sql --rows changed.csv")]
    Diff(DiffArgs),
    /// Print the profile of the source table or of a step's result, one line per column
    ///
    /// Per column: its type, NULLs (count and share), distinct values, min, max, the mean of
    /// numbers and the most frequent values.
    Profile(ProfileArgs),
    /// Print where each output column comes from: source columns, steps and expressions
    ///
    /// Read from the logical plans a run executes (no rows are read): one line per edge, from
    /// the output column back to the source table's columns, with the expression on the way.
    #[command(after_help = "Example: dataflow lineage --column view_hours\n\
        STEP_3.view_hours: from some_db.source_table: view_hours\n  \
        STEP_3.view_hours ← STEP_2.view_hours\n  \
        STEP_2.view_hours ← STEP_1.view_hours\n  \
        STEP_1.view_hours ← some_db.source_table.view_hours via sum(view_hours)")]
    Lineage(LineageArgs),
    /// Generate or check YAML mocks (one table each)
    #[command(subcommand)]
    Mock(MockCommand),
    /// Unit-test the transform on a project's mocks; print the diff, exit 1 on failure
    ///
    /// Runs the transform on DIR/src/mocks/some_db.source_table.yaml and compares its output with
    /// DIR/src/mocks/dataflow_sample_results.yaml (in any order, doubles within 1e-9).
    Test(TestArgs),
    /// Write sample projects from the template gallery
    #[command(subcommand)]
    Sample(SampleCommand),
    /// Print a shell completion script to stdout
    ///
    /// For example `dataflow completions bash > ~/.local/share/bash-completion/completions/dataflow`,
    /// or `dataflow completions zsh > "${fpath[1]}/_dataflow"`.
    Completions {
        /// The shell to complete in
        shell: Shell,
    },
}

/// The pipeline's steps and parameters, as `run`, `test` and `sample workflow` take them.
#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// The steps: SQL where each step starts with a line `-- step: NAME` [default: the article's three steps]
    #[arg(long, value_name = "FILE")]
    pub steps: Option<String>,
    #[arg(long, value_name = "YYYYMMDD", help = date_help())]
    pub date: Option<String>,
    /// Any parameter: date, top_n, TARGET_DB or one of your own (${NAME}); repeatable
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

impl PipelineArgs {
    /// The sample spec with the steps file, then the date, `top_n` and every `--param` applied.
    /// The engine checks each value (`Params::set`, `parse_steps_file`).
    pub fn spec(&self, top_n: Option<&str>) -> Result<PipelineSpec, String> {
        let mut spec = PipelineSpec::sample();
        if let Some(path) = &self.steps {
            spec.steps = parse_steps_file(&read_file(path)?).map_err(|e| format!("{path}: {e}"))?;
        }
        for (name, value) in [("date", self.date.as_deref()), ("top_n", top_n)] {
            if let Some(value) = value {
                spec.params.set(name, value).map_err(|e| e.to_string())?;
            }
        }
        for pair in &self.params {
            let (name, value) =
                pair.split_once('=').ok_or_else(|| format!("--param takes NAME=VALUE, got {pair:?}"))?;
            spec.params.set(name.trim(), value).map_err(|e| e.to_string())?;
        }
        Ok(spec)
    }
}

// The sample's values, shown as the flags' defaults: the engine and the templates own them.

fn date_help() -> String {
    format!("The run date (YYYYMMDD or YYYY-MM-DD) [default: {}]", PipelineSpec::sample().params.date)
}

fn top_n_help() -> String {
    format!("Titles kept per country [default: {}]", PipelineSpec::sample().params.top_n)
}

fn seed_help() -> String {
    let date = PipelineSpec::sample().params.date;
    format!("The synthetic source's seed [default: {}]", SyntheticSpec::ending_on(date).seed)
}

/// The options a project of the sample pipeline gets when no flag changes them.
fn sample_options() -> Options {
    Options::for_spec(Recipe::SparkSql, &PipelineSpec::sample())
}

/// What a run reads: its source, steps, parameters, top N and seed (`run`, `diff`, `profile`).
#[derive(Debug, Args)]
pub struct RunInputs {
    /// A CSV (with a header), newline-delimited JSON or Parquet file, or a YAML mock, as
    /// some_db.source_table [default: the synthetic source]
    #[arg(long, value_name = "FILE")]
    pub source: Option<String>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[arg(long, value_name = "N", allow_negative_numbers = true, help = top_n_help())]
    pub top_n: Option<String>,
    #[arg(long, value_name = "N", help = seed_help())]
    pub seed: Option<u64>,
}

impl RunInputs {
    /// The spec these flags describe ([`PipelineArgs::spec`], then the synthetic source's seed).
    pub fn spec(&self) -> Result<PipelineSpec, String> {
        let mut spec = self.pipeline.spec(self.top_n.as_deref())?;
        if let (dataflow_engine::SourceSpec::Synthetic(synthetic), Some(seed)) = (&mut spec.source, self.seed) {
            synthetic.seed = seed;
        }
        Ok(spec)
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: RunInputs,
    /// Print at most N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    // The new run's inputs.
    #[command(flatten)]
    pub inputs: RunInputs,
    /// The base run's steps file [default: the new run's steps]
    #[arg(long, value_name = "FILE")]
    pub base_steps: Option<String>,
    /// The base run's date [default: the new run's date]
    #[arg(long, value_name = "YYYYMMDD")]
    pub base_date: Option<String>,
    /// The base run's source file [default: the new run's source]
    #[arg(long, value_name = "FILE")]
    pub base_source: Option<String>,
    /// Pair rows by these columns in every step [default: the workflow's primary key]
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub key: Vec<String>,
    /// Write the output's added, removed and changed rows to FILE as CSV (base values in
    /// `base.COLUMN` beside the new ones)
    #[arg(long, value_name = "FILE")]
    pub rows: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Profile this step's result instead of the source
    #[arg(long, value_name = "NAME", conflicts_with = "suggest_audits")]
    pub step: Option<String>,
    /// Profile the output (the last step's result) and print the audits it suggests, as
    /// main.sch.yaml entries, each with the fact it comes from
    #[arg(long)]
    pub suggest_audits: bool,
    #[command(flatten)]
    pub inputs: RunInputs,
}

#[derive(Debug, Args)]
pub struct LineageArgs {
    /// Only this column: an output column's name, or STEP.COLUMN for any step's
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    #[command(flatten)]
    pub inputs: RunInputs,
}

#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// Print a YAML mock of the synthetic source's rows on the run date
    ///
    /// With --ddl FILE: an empty mock of the table the DDL declares.
    Generate(GenerateArgs),
    /// Check a mock (and, with --ddl FILE, against a DDL); exit 1 on findings
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// An empty mock of the table this DDL file declares, instead of the synthetic source's rows
    #[arg(long, value_name = "FILE")]
    pub ddl: Option<String>,
    #[arg(long, value_name = "YYYYMMDD", help = date_help())]
    pub date: Option<String>,
    #[arg(long, value_name = "N", help = seed_help())]
    pub seed: Option<u64>,
    /// Only these columns, in this order
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// The first N rows
    #[arg(long, value_name = "N", default_value_t = 10, conflicts_with = "top")]
    pub rows: usize,
    /// Instead of --rows: the top K rows by --order-by in each of the first --groups groups of
    /// --group-by, plus ties
    #[arg(long, value_name = "K")]
    pub top: Option<usize>,
    /// With --top: how many groups
    #[arg(long, value_name = "C", default_value_t = 2)]
    pub groups: usize,
    /// With --top: the column whose values make the groups
    #[arg(long, value_name = "COLUMN", default_value = "country_code")]
    pub group_by: String,
    /// With --top: the column the rows are ranked by (highest first)
    #[arg(long, value_name = "COLUMN", default_value = "view_hours")]
    pub order_by: String,
    /// With --top: exactly K rows per group, ties cut
    #[arg(long)]
    pub no_ties: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The YAML mock to check
    pub file: String,
    /// Also check it against the table this DDL file declares
    #[arg(long, value_name = "FILE")]
    pub ddl: Option<String>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The workflow directory (with src/mocks/some_db.source_table.yaml)
    pub dir: PathBuf,
    /// Write the expected mock from the current output (the first write of a test)
    #[arg(long)]
    pub update: bool,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    #[arg(long, value_name = "N", allow_negative_numbers = true, help = top_n_help())]
    pub top_n: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SampleCommand {
    /// Write a ready-to-run sample workflow project for RECIPE into PATH (or a zip)
    Workflow(WorkflowArgs),
}

#[derive(Debug, Args)]
pub struct WorkflowArgs {
    /// The language of the project's transform
    #[arg(value_parser = RecipeParser)]
    pub recipe: Recipe,
    /// The directory to write the files into [default: the current directory]
    #[arg(conflicts_with = "zip")]
    pub path: Option<PathBuf>,
    /// Write the project as a zip instead of files
    #[arg(long, value_name = "FILE")]
    pub zip: Option<PathBuf>,
    /// Overwrite existing files
    #[arg(long)]
    pub force: bool,
    /// The workflow's short name [default: dataflow_<recipe>_sample]
    #[arg(long, value_name = "NAME", alias = "workflow-shortname")]
    pub short_name: Option<String>,
    #[arg(long, value_name = "ID", help = format!(
        "The workflow's id (ids <ID>.main, <ID>.daily…) [default: {}]",
        sample_options().workflow_id
    ))]
    pub workflow_id: Option<String>,
    #[arg(long, value_name = "DB", help = format!(
        "The target table's database [default: {}]",
        sample_options().target_db
    ))]
    pub target_db: Option<String>,
    #[arg(long, value_name = "N", allow_negative_numbers = true, help = top_n_help())]
    pub top_n: Option<String>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// A recipe as `Recipe::parse` reads it (it owns the spellings and the message); the names of
/// `Recipe::ALL` are listed in the help and offered by completions.
#[derive(Debug, Clone)]
struct RecipeParser;

impl TypedValueParser for RecipeParser {
    type Value = Recipe;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Recipe, clap::Error> {
        let parse = |text: &str| Recipe::parse(text);
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Recipe::ALL.into_iter().map(|r| PossibleValue::new(r.name()).help(r.title()))))
    }
}

//! `dataflow`: the playground's engine on the command line.
//!
//! `cli` declares the commands and flags (clap); this file dispatches a parsed command to the
//! module that runs it. A command returns what goes to stdout, or a message for stderr (exit 1).

mod cli;
mod diff_cmd;
mod lineage_cmd;
mod mock_cmd;
mod profile_cmd;
mod run_cmd;
mod sample_cmd;
mod test_cmd;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use dataflow_engine::PipelineSpec;

use cli::{Cli, Command, MockCommand, SampleCommand};

fn main() -> ExitCode {
    // A usage error (unknown flag, missing argument) exits 2 here, with clap's message.
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("dataflow: {message}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command) -> Result<String, String> {
    match command {
        Command::Run(args) => run_cmd::run(&args),
        Command::Query => dataflow_templates::cte_query(&PipelineSpec::sample())
            .map(|q| format!("{q}\n"))
            .ok_or_else(|| "the pipeline has no steps".into()),
        Command::Diff(args) => diff_cmd::diff(&args),
        Command::Profile(args) => profile_cmd::profile(&args),
        Command::Lineage(args) => lineage_cmd::lineage(&args),
        Command::Mock(MockCommand::Generate(args)) => mock_cmd::generate_mock(args),
        Command::Mock(MockCommand::Validate(args)) => mock_cmd::validate_mock(&args),
        Command::Test(args) => test_cmd::test(&args),
        Command::Sample(SampleCommand::Workflow(args)) => sample_cmd::workflow(args),
        Command::Completions { shell } => completions(shell),
    }
}

/// The completion script clap_complete writes for `shell`, from the same declaration as `--help`.
fn completions(shell: clap_complete::Shell) -> Result<String, String> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dataflow", &mut script);
    String::from_utf8(script).map_err(|e| e.to_string())
}

pub(crate) fn read_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

//! The built `dataflow` binary's usage: help for the program and each command, usage errors that
//! suggest the right name (exit 2), the old flag spellings, and shell completion scripts.

use std::process::{Command, Output};

fn dataflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dataflow")).args(args).output().expect("the dataflow binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const COMMANDS: [&str; 6] = ["run", "query", "mock", "test", "sample", "completions"];

#[test]
fn help_lists_every_command() {
    for args in [&["--help"][..], &["help"], &["-h"]] {
        let out = dataflow(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        assert!(help.starts_with("The Dataflow Playground's engine on the command line"), "{help}");
        for command in COMMANDS {
            assert!(help.lines().any(|l| l.starts_with(&format!("  {command} "))), "{command}: {help}");
        }
    }
    let out = dataflow(&["--version"]);
    assert_eq!(text(&out.stdout), format!("dataflow {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_readme_shows_the_real_help() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme.find("`dataflow --help`:\n  ```text\n").expect("the README's CLI section shows the help");
    let block = &readme[start..].split("  ```").nth(1).unwrap()["text\n".len()..];
    let shown: Vec<&str> = block.lines().map(|l| l.strip_prefix("  ").unwrap_or(l)).collect();
    let help = text(&dataflow(&["--help"]).stdout);
    assert_eq!(shown, help.lines().collect::<Vec<_>>(), "paste `dataflow --help` into the README");
}

#[test]
fn no_command_shows_the_help_as_a_usage_error() {
    let out = dataflow(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Usage: dataflow <COMMAND>"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn each_command_has_its_help_with_arguments_and_defaults() {
    let cases: [(&[&str], &[&str]); 6] = [
        (&["run"], &["Usage: dataflow run [OPTIONS]", "--source <FILE>", "[default: 100]", "[default: 2022-01-01]"]),
        (&["query"], &["Usage: dataflow query"]),
        (&["mock", "generate"], &["--top <K>", "--rows <N>", "[default: 10]", "[default: country_code]"]),
        (&["mock", "validate"], &["Usage: dataflow mock validate [OPTIONS] <FILE>", "--ddl <FILE>"]),
        (&["test"], &["Usage: dataflow test [OPTIONS] <DIR>", "--update", "--param <NAME=VALUE>"]),
        (
            &["sample", "workflow"],
            &["<RECIPE> [PATH]", "spark-sql", "pyspark", "scala", "sparklyr", "[default: foo]", "--zip <FILE>"],
        ),
    ];
    for (command, wanted) in cases {
        let out = dataflow(&[command, &["--help"]].concat());
        assert!(out.status.success(), "{command:?}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        for want in wanted {
            assert!(help.contains(want), "{command:?} lacks {want:?}: {help}");
        }
    }
}

#[test]
fn a_misspelt_flag_or_command_is_a_usage_error_that_suggests_the_right_one() {
    let cases: [(&[&str], &str); 4] = [
        (&["run", "--top-m", "5"], "a similar argument exists: '--top-n'"),
        (&["run", "--sorce", "x.csv"], "a similar argument exists: '--source'"),
        (&["sampel", "workflow"], "a similar subcommand exists: 'sample'"),
        (&["mock", "validat", "x.yaml"], "a similar subcommand exists: 'validate'"),
    ];
    for (args, tip) in cases {
        let out = dataflow(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(tip), "{args:?}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_old_short_name_spelling_still_works() {
    let dir = std::env::temp_dir().join(format!("dataflow-usage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zip = dir.join("flow.zip");
    let out = dataflow(&["sample", "workflow", "sql", "--zip", zip.to_str().unwrap(), "--workflow-shortname", "old"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = Command::new("unzip").arg("-Z1").arg(&zip).output().expect("unzip runs");
    assert!(text(&listing.stdout).lines().all(|n| n.starts_with("old/")), "{}", text(&listing.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completions_for_each_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let out = dataflow(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains("dataflow"), "{shell}: {script}");
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        for flag in ["top-n", "workflow-id", "no-ties"] {
            assert!(script.contains(flag), "{shell} lacks {flag}");
        }
        // The recipes (RECIPE's possible values) where the shell completes a positional's values.
        if shell != "fish" {
            assert!(script.contains("sparklyr"), "{shell} lacks the recipes");
        }
    }
    let out = dataflow(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid value 'tcsh'"), "{}", text(&out.stderr));
}

//! The bad-input catalogue (`tests/bad_inputs.json`): every entry point's bad inputs, each with the
//! exact message a user sees. This runs them through the engine natively; `web/e2e/bad-inputs.test.mjs`
//! runs the same catalogue through the app in Chromium and checks the last good state stays.
//!
//! `BAD_INPUTS_PRINT=1 cargo test -p dataflow-integration-tests --test bad_inputs` prints what
//! the engine says for each entry (to write a new entry's message).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;

use base64::Engine as _;
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::import::{check_size, read_source, require_columns};
use dataflow_engine::mock::Mock;
use dataflow_engine::synthetic::source_schema;
use dataflow_engine::{check_workflow, permalink, run_pipeline, PipelineSpec, SourceData, SourceSpec, SyntheticSpec};
use dataflow_templates::{Options, Recipe};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Entry {
    id: String,
    route: String,
    input: String,
    message: String,
    name: Option<String>,
    size: Option<u64>,
    generate_bytes: Option<usize>,
    json: Option<String>,
    audit: Option<usize>,
    value: Option<serde_json::Value>,
    /// For `template_option`: the recipe chosen (pyspark when absent).
    recipe: Option<String>,
}

/// What the engine says for one entry: the error, or the findings (one per line).
async fn says(entry: &Entry, source: &SourceData) -> String {
    let run = |spec: PipelineSpec| async move {
        match run_pipeline(&spec, source).await {
            Ok(run) => format!("ran: {} rows", run.output().map_or(0, |o| o.row_count)),
            Err(e) => e.to_string(),
        }
    };
    let mut spec = PipelineSpec::sample();
    match entry.route.as_str() {
        "step_sql" => {
            spec.steps[2].sql = entry.input.clone();
            run(spec).await
        }
        "step1_sql" => {
            spec.steps[0].sql = entry.input.clone();
            run(spec).await
        }
        "step_name" => {
            spec.rename_step(2, &entry.input);
            run(spec).await
        }
        "param" => match spec.params.set(entry.name.as_deref().unwrap(), &entry.input) {
            Ok(()) => "accepted".into(),
            Err(e) => e.to_string(),
        },
        "ddl" => match parse_ddl(&entry.input, &spec.params) {
            Ok(_) => "parsed".into(),
            Err(e) => e.to_string(),
        },
        "mock_input" => {
            let yaml = match entry.generate_bytes {
                Some(n) => "#".repeat(n),
                None => entry.input.clone(),
            };
            match Mock::parse(&yaml) {
                Err(e) => e.to_string(),
                Ok(mock) => {
                    let mut findings = mock.findings();
                    findings.extend(mock.validate_against_schema(&source_schema()));
                    findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
                }
            }
        }
        "upload" => {
            let name = entry.name.as_deref().unwrap();
            match read_source(name, entry.input.as_bytes().to_vec()) {
                Err(e) => e.to_string(),
                Ok(data) => match require_columns(name, &data.schema, &spec) {
                    Err(e) => e.to_string(),
                    Ok(()) => "imported".into(),
                },
            }
        }
        "upload_size" => match check_size(entry.name.as_deref().unwrap(), entry.size.unwrap()) {
            Err(e) => e.to_string(),
            Ok(()) => "accepted".into(),
        },
        "permalink" => {
            let fragment = match &entry.json {
                Some(json) => {
                    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
                    e.write_all(json.as_bytes()).unwrap();
                    format!(
                        "{}{}",
                        entry.input,
                        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(e.finish().unwrap())
                    )
                }
                None => entry.input.clone(),
            };
            match permalink::decode(&fragment) {
                Err(e) => e.to_string(),
                Ok(_) => "opened".into(),
            }
        }
        "audit_param" => {
            let audit = &mut spec.workflow.audits[entry.audit.unwrap()];
            let name = entry.name.clone().unwrap();
            match &entry.value {
                Some(value) => {
                    audit.params.insert(name, value.clone());
                }
                None => {
                    audit.params.remove(&name);
                }
            }
            check_workflow(&spec, &source.schema).iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
        }
        "template_option" => {
            let recipe = Recipe::parse(entry.recipe.as_deref().unwrap_or("pyspark")).unwrap();
            let mut options = Options::for_spec(recipe, &spec);
            let text = entry.input.clone();
            match entry.name.as_deref().unwrap() {
                "short-name" => options.short_name = text,
                "workflow-id" => options.workflow_id = text,
                "target-db" => options.target_db = text,
                "top-n" => options.top_n = text.parse().unwrap(),
                other => panic!("{}: unknown option {other}", entry.id),
            }
            match options.validated() {
                Err(e) => e.to_string(),
                Ok(_) => "accepted".into(),
            }
        }
        other => panic!("{}: unknown route {other}", entry.id),
    }
}

#[tokio::test]
async fn every_bad_input_gets_its_exact_message() {
    let entries: Vec<Entry> = serde_json::from_str(include_str!("bad_inputs.json")).unwrap();
    assert!(entries.len() >= 40, "the catalogue has {} entries", entries.len());
    let mut spec = PipelineSpec::sample();
    spec.source =
        SourceSpec::Synthetic(SyntheticSpec { rows_per_day: 2_000, ..SyntheticSpec::ending_on(spec.params.date) });
    let source = dataflow_engine::resolve_now(&spec, &dataflow_engine::NoFiles).unwrap();
    let print = std::env::var_os("BAD_INPUTS_PRINT").is_some();
    let mut wrong = Vec::new();
    for entry in &entries {
        let said = says(entry, &source).await;
        if print {
            println!("{:<28} {said:?}", entry.id);
        }
        // Findings: the entry's message is one of the lines; errors: the whole message.
        let matches = if ["mock_input", "audit_param"].contains(&entry.route.as_str()) {
            said.lines().any(|l| l == entry.message)
        } else {
            said == entry.message
        };
        if !matches {
            wrong.push(format!("{}: expected {:?}\n  the engine says {said:?}", entry.id, entry.message));
        }
    }
    let mut ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), entries.len(), "catalogue ids are unique");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

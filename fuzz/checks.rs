#![allow(dead_code)] // each fuzz target uses one of the checks
//! What each fuzz target checks, shared by the fuzz targets (`fuzz/fuzz_targets`, cargo fuzz on
//! nightly) and the regression test that replays the kept corpora and crashes on stable
//! (`tests/fuzz_regressions.rs`). Every check returns normally for any input; a panic (or a
//! broken round trip, which panics here) is a finding.

use std::io::Write;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::workflow::{backfill_yaml, daily_yaml, main_yaml};
use dataflow_engine::{permalink, Mock, PipelineSpec};
use flate2::write::DeflateEncoder;
use flate2::Compression;

/// The permalink decoder. The first byte picks the route: the bytes as a fragment, or the bytes
/// packed as a link's JSON state (so the fuzzer reaches the spec reader, not only base64 and
/// inflate). A link that reads must encode to one that reads back to the same pipeline.
pub fn permalink(data: &[u8]) {
    let Some((&route, rest)) = data.split_first() else { return };
    let fragment = if route % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        if encoder.write_all(rest).is_err() {
            return;
        }
        let Ok(packed) = encoder.finish() else { return };
        format!("#v1.{}", URL_SAFE_NO_PAD.encode(packed))
    };
    if let Ok(shared) = permalink::decode(&fragment) {
        let again = permalink::encode(&shared).unwrap_or_else(|e| panic!("a link that reads does not encode: {e}"));
        let back = permalink::decode(&again).unwrap_or_else(|e| panic!("a re-encoded link does not read: {e}"));
        assert_eq!(back, shared, "a link's pipeline changed on a round trip");
    }
}

/// The mock YAML reader: parse, findings, and (when it reads) the Arrow conversion. A mock that
/// reads must write YAML that reads back to the same columns and rows.
pub fn mock_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mock) = Mock::parse(text) else { return };
    let findings = mock.findings();
    let _ = mock.to_source();
    let again = Mock::parse(&mock.to_yaml()).unwrap_or_else(|e| panic!("a mock's own YAML does not read: {e}"));
    assert_eq!(again.column_names(), mock.column_names(), "columns changed on a round trip");
    assert_eq!(again.rows.len(), mock.rows.len(), "the row count changed on a round trip");
    if findings.is_empty() {
        assert!(again.findings().is_empty(), "a clean mock's own YAML has findings: {:?}", again.findings());
    }
}

/// The DDL reader, with the sample's parameters; what reads also validates an empty output.
pub fn ddl(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let params = PipelineSpec::sample().params;
    if let Ok(table) = parse_ddl(text, &params) {
        let _ = Mock::empty_from_table(&table).to_yaml();
        let schema = dataflow_engine::arrow::datatypes::Schema::empty();
        let _ = dataflow_engine::ddl::validate_output(&table, &schema, &[]);
    }
}

/// The workflow files: the first byte picks which of the three files the rest replaces (the other
/// two are the sample's). Files that apply must render to files that apply to the same spec.
pub fn workflow_yaml(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let sample = PipelineSpec::sample();
    let mut files = [main_yaml(&sample), daily_yaml(&sample), backfill_yaml(&sample)];
    if let Some(file) = files.get_mut(usize::from(which % 3)) {
        *file = text.to_string();
    }
    let mut spec = sample.clone();
    if spec.apply_workflow_files(&files[0], &files[1], &files[2]).is_ok() {
        let _ = dataflow_engine::check_workflow(&spec, &dataflow_engine::synthetic::source_schema());
        let mut again = sample;
        again
            .apply_workflow_files(&main_yaml(&spec), &daily_yaml(&spec), &backfill_yaml(&spec))
            .unwrap_or_else(|e| panic!("workflow files this app wrote do not read: {e}"));
        assert_eq!(again, spec, "the workflow changed on a round trip");
    }
}

/// A step's SQL up to the parser, through the engine's guard (`engine::guard::parse`, which
/// `ParserState::parse` goes through): what the guard lets through must parse, or fail, quickly
/// (libFuzzer's -timeout catches a hang).
pub fn step_sql(data: &[u8]) {
    use std::sync::OnceLock;
    static STATE: OnceLock<dataflow_engine::run::ParserState> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = STATE.get_or_init(dataflow_engine::run::ParserState::new).parse(text);
}

//! The unit test's logic for the page: checking mocks as they are typed, generating an input mock,
//! running the unit test and making the expected mock from the current output.

use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::{expected_from_output, generate, run_unit_test, Sample, Selection, TestDiff};
use dataflow_engine::synthetic::source_schema;
use dataflow_engine::{run_pipeline, Mock, PipelineSpec, SourceData, SOURCE_TABLE, TARGET_TABLE};

use crate::view_model::RunFailure;

/// Which of the two mocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockSlot {
    /// `some_db.source_table.yaml`, the transform's input.
    Input,
    /// The expected output of the last step.
    Expected,
}

impl MockSlot {
    /// The mock's YAML in the spec.
    pub fn text(self, spec: &PipelineSpec) -> &str {
        match self {
            MockSlot::Input => &spec.mocks.input,
            MockSlot::Expected => &spec.mocks.expected,
        }
    }

    /// Replaces the mock's YAML in the spec.
    pub fn set(self, spec: &mut PipelineSpec, yaml: String) {
        match self {
            MockSlot::Input => spec.mocks.input = yaml,
            MockSlot::Expected => spec.mocks.expected = yaml,
        }
    }
}

/// What is wrong with a mock, one line per finding: the input against the source table's columns,
/// the expected output against the target table's DDL. `Err` when the YAML cannot be read at all.
pub fn check(slot: MockSlot, spec: &PipelineSpec) -> Result<(usize, Vec<String>), String> {
    let mock = Mock::parse(slot.text(spec)).map_err(|e| e.to_string())?;
    let mut findings = mock.findings();
    match slot {
        MockSlot::Input => findings.extend(mock.validate_against_schema(&source_schema())),
        MockSlot::Expected => {
            if let Ok(table) = parse_ddl(&spec.ddl, &spec.params) {
                findings.extend(mock.validate_against_table(&table));
            }
        }
    }
    findings.dedup();
    Ok((mock.rows.len(), findings.iter().map(ToString::to_string).collect()))
}

/// Runs the transform on the input mock and compares its last step with the expected mock.
pub async fn unit_test(spec: &PipelineSpec) -> Result<TestDiff, RunFailure> {
    let input = Mock::parse(&spec.mocks.input)?;
    let expected = Mock::parse(&spec.mocks.expected)?;
    Ok(run_unit_test(spec, &input, &expected).await?.diff)
}

/// The expected mock that the current transform gives on the input mock, keeping the expected
/// mock's primary key (the DDL's types and column order).
pub async fn expected_from_current(spec: &PipelineSpec) -> Result<String, RunFailure> {
    let source = Mock::parse(&spec.mocks.input)?.to_source()?;
    let run = run_pipeline(spec, &source).await?;
    let output = run.output().ok_or_else(|| RunFailure::general("the pipeline has no steps"))?;
    let key = Mock::parse(&spec.mocks.expected)
        .map(|m| m.primary_key)
        .unwrap_or_else(|_| vec!["country_code".into(), "title_id".into()]);
    let table = run.target.as_ref().ok();
    let mock = expected_from_output(TARGET_TABLE, &output.schema, &output.batches, table, &key)?;
    Ok(mock.to_yaml())
}

/// An input mock from the source's rows on the run date: the top `top` sessions of the first
/// `countries` countries by hours, plus any rows tied with the last one kept.
pub fn input_from_source(
    source: &SourceData,
    spec: &PipelineSpec,
    top: usize,
    countries: usize,
) -> Result<String, RunFailure> {
    let rows = source.rows_on(spec.params.date)?;
    let sample = Sample::TopPerGroup {
        group_by: "country_code".into(),
        groups: countries,
        order_by: "view_hours".into(),
        top,
        ties: true,
    };
    let mock = generate(SOURCE_TABLE, &source.schema, &rows, &Selection { columns: Vec::new(), sample })?;
    if mock.rows.is_empty() {
        return Err(RunFailure::general(format!("the source has no rows on the run date {}", spec.params.date)));
    }
    Ok(mock.to_yaml())
}

//! The unit test's logic for the page: checking mocks as they are typed, generating a mock from a table,
//! editing one as a grid,
//! running the unit test and making the expected mock from the current output.

use dataflow_engine::arrow::array::RecordBatch;
use dataflow_engine::arrow::datatypes::SchemaRef;
use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::{generate, make_expected, run_unit_test, Sample, Selection, TestDiff};
use dataflow_engine::synthetic::source_schema;
use dataflow_engine::{Mock, PipelineSpec, SOURCE_TABLE, TARGET_TABLE};

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
    /// The mock as the page names it.
    pub fn described(self) -> &'static str {
        match self {
            MockSlot::Input => "the input mock",
            MockSlot::Expected => "the expected mock",
        }
    }

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

/// A mock's checked state: its rows and findings, or why it does not read; and the first
/// problem's place (line, and column when known) for the editor to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Rows and findings (one line each), or the reason the YAML does not read.
    pub outcome: Result<(usize, Vec<String>), String>,
    /// The first problem: (line, column, message).
    pub first: Option<(u32, Option<u32>, String)>,
}

/// What is wrong with a mock, one line per finding (the input against the source table's columns,
/// the expected output against the target table's DDL; the outcome is `Err` when the YAML cannot be
/// read at all), with the first problem's place.
pub fn check_with_place(slot: MockSlot, spec: &PipelineSpec) -> Checked {
    let to_u32 = |n: usize| u32::try_from(n).ok();
    match Mock::parse(slot.text(spec)) {
        Err(e) => {
            let first = match &e {
                dataflow_engine::EngineError::Mock { line: Some(line), column, .. } => {
                    to_u32(*line).map(|l| (l, column.and_then(to_u32), e.to_string()))
                }
                _ => None,
            };
            Checked { outcome: Err(e.to_string()), first }
        }
        Ok(mock) => {
            let findings = findings_of(&mock, slot, spec);
            let first = findings
                .iter()
                .find_map(|f| f.at.and_then(|at| to_u32(at.line)).map(|line| (line, None, f.to_string())));
            let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
            Checked { outcome: Ok((mock.rows.len(), lines)), first }
        }
    }
}

fn findings_of(mock: &Mock, slot: MockSlot, spec: &PipelineSpec) -> Vec<dataflow_engine::mock::MockFinding> {
    let mut findings = mock.findings();
    match slot {
        MockSlot::Input => findings.extend(mock.validate_against_schema(&source_schema())),
        MockSlot::Expected => {
            if let Ok(table) = parse_ddl(&spec.ddl, &spec.params) {
                findings.extend(mock.validate_against_table(&table));
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    findings.retain(|f| seen.insert(f.to_string()));
    findings
}

/// Runs the transform on the input mock and compares its last step with the expected mock.
pub async fn unit_test(spec: &PipelineSpec) -> Result<TestDiff, RunFailure> {
    let input = Mock::parse(&spec.mocks.input)?;
    let expected = Mock::parse(&spec.mocks.expected)?;
    Ok(run_unit_test(spec, &input, &expected).await?.diff)
}

/// The expected mock that the current transform gives on the input mock, keeping the expected
/// mock's primary key (the engine's [`make_expected`]).
pub async fn expected_from_current(spec: &PipelineSpec) -> Result<String, RunFailure> {
    let input = Mock::parse(&spec.mocks.input)?;
    Ok(make_expected(spec, &input, Some(&spec.mocks.expected)).await?.to_yaml())
}

/// The table a mock is generated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableChoice {
    /// The current source table (synthetic or imported; the synthetic one when the source is the input mock).
    Source,
    /// A step's result in the last good run.
    Step(String),
}

/// What the generator is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateRequest {
    /// Where the rows come from.
    pub from: TableChoice,
    /// For the source: only the rows on the run date (the ones step 1 reads).
    pub run_date_only: bool,
    /// Which columns and rows.
    pub selection: Selection,
    /// Which mock to replace.
    pub into: MockSlot,
}

impl TableChoice {
    /// The choice in the generator's "From" list: `source`, or a step's name.
    pub fn from_option(value: &str) -> TableChoice {
        match value {
            "source" => TableChoice::Source,
            step => TableChoice::Step(step.to_string()),
        }
    }
}

/// The generator's form as the user left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorForm {
    /// `source`, or a step's name.
    pub from: String,
    /// For the source: only the run date's rows.
    pub run_date_only: bool,
    /// The chosen table's columns, in order.
    pub columns: Vec<String>,
    /// The columns the user unticked.
    pub unchecked: Vec<String>,
    /// The "top per group" rule (else the first `rows` rows).
    pub top_rule: bool,
    /// The first rule's row count.
    pub rows: usize,
    /// The top rule's grouping column, group count, order column, rows per group and ties.
    pub group_by: String,
    /// How many groups.
    pub groups: usize,
    /// The column the top rows are the largest of.
    pub order_by: String,
    /// Rows per group.
    pub top: usize,
    /// Whether ties with the last kept row are kept too.
    pub ties: bool,
    /// The mock to replace.
    pub into: MockSlot,
}

impl GeneratorForm {
    /// The request the form asks for, or why it cannot be made.
    pub fn request(&self) -> Result<GenerateRequest, String> {
        let columns: Vec<String> = self.columns.iter().filter(|c| !self.unchecked.contains(c)).cloned().collect();
        if columns.is_empty() {
            return Err("pick at least one column".into());
        }
        let sample = if self.top_rule {
            Sample::TopPerGroup {
                group_by: self.group_by.clone(),
                groups: self.groups,
                order_by: self.order_by.clone(),
                top: self.top,
                ties: self.ties,
            }
        } else {
            Sample::First { rows: self.rows }
        };
        Ok(GenerateRequest {
            from: TableChoice::from_option(&self.from),
            run_date_only: self.run_date_only,
            selection: Selection { columns, sample },
            into: self.into,
        })
    }
}

/// A mock's YAML from a table's rows. The input mock is named after the source table; the
/// expected one after the target table, with the DDL's types where the DDL reads.
pub fn generate_yaml(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    request: &GenerateRequest,
    spec: &PipelineSpec,
) -> Result<String, RunFailure> {
    let name = match request.into {
        MockSlot::Input => SOURCE_TABLE,
        MockSlot::Expected => TARGET_TABLE,
    };
    let mut mock = generate(name, schema, batches, &request.selection)?;
    if request.into == MockSlot::Expected {
        if let Ok(table) = parse_ddl(&spec.ddl, &spec.params) {
            mock = mock.with_types_from(&table);
        }
        mock.primary_key = kept_key(spec, &mock);
    }
    if mock.rows.is_empty() {
        return Err(RunFailure::general("the rule picked no rows: nothing to write"));
    }
    Ok(mock.to_yaml())
}

/// The expected mock's primary key, kept through a regeneration where its columns still exist.
pub fn kept_key(spec: &PipelineSpec, mock: &Mock) -> Vec<String> {
    let key = Mock::parse(&spec.mocks.expected).map(|m| m.primary_key).unwrap_or_default();
    if key.iter().all(|k| mock.column_index(k).is_some()) {
        key
    } else {
        Vec::new()
    }
}

/// How many rows the grid shows; larger mocks are edited as YAML past this.
pub const GRID_ROWS: usize = 200;

/// A mock as the grid shows it: column headers (`name TYPE`) and the cells as editable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridView {
    /// `name TYPE` per column.
    pub headers: Vec<String>,
    /// The first [`GRID_ROWS`] rows' cells as text (NULL as empty).
    pub rows: Vec<Vec<String>>,
    /// How many rows the mock has in all.
    pub total: usize,
}

/// The grid of a mock's YAML; `Err` when the YAML does not read.
pub fn grid_view(yaml: &str) -> Result<GridView, String> {
    let mock = Mock::parse(yaml).map_err(|e| e.to_string())?;
    let width = mock.columns.len();
    let rows = mock
        .rows
        .iter()
        .take(GRID_ROWS)
        .map(|r| (0..width).map(|i| r.cells.get(i).map(|c| c.value.edit_text()).unwrap_or_default()).collect())
        .collect();
    let headers = mock.columns.iter().map(|c| format!("{} {}", c.name, c.sql_type)).collect();
    Ok(GridView { headers, rows, total: mock.rows.len() })
}

/// One grid edit of a mock.
pub type MockEdit = Box<dyn FnOnce(&mut Mock) -> Result<(), String>>;

/// A grid edit: the mock's YAML after `edit`, rewritten in the standard layout.
pub fn edit_mock(yaml: &str, edit: impl FnOnce(&mut Mock) -> Result<(), String>) -> Result<String, String> {
    let mut mock = Mock::parse(yaml).map_err(|e| e.to_string())?;
    edit(&mut mock)?;
    Ok(mock.to_yaml())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> GeneratorForm {
        GeneratorForm {
            from: "source".into(),
            run_date_only: true,
            columns: vec!["title_id".into(), "country_code".into(), "view_hours".into()],
            unchecked: vec!["title_id".into()],
            top_rule: true,
            rows: 10,
            group_by: "country_code".into(),
            groups: 2,
            order_by: "view_hours".into(),
            top: 3,
            ties: true,
            into: MockSlot::Input,
        }
    }

    #[test]
    fn the_form_asks_for_the_ticked_columns_with_its_rule() {
        let request = form().request().expect("a request");
        assert_eq!(request.from, TableChoice::Source);
        assert_eq!(request.selection.columns, vec!["country_code".to_string(), "view_hours".to_string()]);
        assert_eq!(
            request.selection.sample,
            Sample::TopPerGroup {
                group_by: "country_code".into(),
                groups: 2,
                order_by: "view_hours".into(),
                top: 3,
                ties: true
            }
        );
        let first =
            GeneratorForm { from: "STEP_2".into(), top_rule: false, into: MockSlot::Expected, ..form() }.request();
        let first = first.expect("a request");
        assert_eq!(first.from, TableChoice::Step("STEP_2".into()));
        assert_eq!(first.selection.sample, Sample::First { rows: 10 });
        assert_eq!(first.into.described(), "the expected mock");
    }

    #[test]
    fn a_form_without_columns_asks_for_one() {
        let none = GeneratorForm { unchecked: form().columns, ..form() };
        assert_eq!(none.request(), Err("pick at least one column".to_string()));
    }
}

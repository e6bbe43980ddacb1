//! The pipeline spec: plain, serialisable data that describes a whole run.
//!
//! It is what the app holds in its state, what a permalink will encode and what the CLI reads.
//! Results are derived from it and never stored in it.

use serde::{Deserialize, Serialize};

use crate::date::RunDate;
use crate::EngineError;

/// The source table every sample pipeline reads.
pub const SOURCE_TABLE: &str = "some_db.source_table";
/// The article's target table.
pub const TARGET_TABLE: &str = "dataflow_sample_results";

/// One transform step: a named `SELECT` that later steps read by its name, as a CTE would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The name later steps use to read this step's result (`STEP_1`).
    pub name: String,
    /// The step's SQL, with `${PARAM}` references.
    pub sql: String,
}

/// Run parameters, as the workflow YAML passes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// `${TARGET_DB}`: the database of the target table.
    pub target_db: String,
    /// `${date}`: the run date (the article's `CURRENT_DATE`), expanded as `YYYY-MM-DD`.
    pub date: RunDate,
    /// `${top_n}`: how many titles per country to keep.
    pub top_n: u32,
    /// Any user-defined `${NAME}`, in name order.
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, String>,
}

/// Where `some_db.source_table` comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceSpec {
    /// The deterministic synthetic viewing table.
    Synthetic(crate::synthetic::SyntheticSpec),
    /// The input mock (`spec.mocks.input`): the unit test's source table.
    InputMock,
    /// A file the user imported (CSV, JSON or Parquet). Its rows live with the app, not in the spec.
    Imported {
        /// The file's name.
        file_name: String,
    },
}

/// Everything a user can change about a pipeline run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSpec {
    /// The transform steps, in run order.
    pub steps: Vec<Step>,
    /// The run parameters.
    pub params: Params,
    /// The target table's DDL, as the article writes it.
    pub ddl: String,
    /// The source table.
    pub source: SourceSpec,
    /// The unit test's mocks.
    #[serde(default = "Mocks::sample")]
    pub mocks: Mocks,
    /// The workflow around the transform: metadata, audits, daily and backfill settings.
    #[serde(default = "crate::workflow::Workflow::sample")]
    pub workflow: crate::workflow::Workflow,
}

/// The unit test's mocks, as YAML text (docs/mocks.md): the user's own words, comments and all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mocks {
    /// `src/mocks/some_db.source_table.yaml`: the transform's input.
    pub input: String,
    /// `src/mocks/dataflow_sample_results.yaml`: the rows the last step must give.
    pub expected: String,
}

impl Mocks {
    /// The sample workflow's mocks (`examples/sample/src/mocks`).
    pub fn sample() -> Self {
        Mocks {
            input: include_str!("../../../examples/sample/src/mocks/some_db.source_table.yaml").into(),
            expected: include_str!("../../../examples/sample/src/mocks/dataflow_sample_results.yaml").into(),
        }
    }
}

impl PipelineSpec {
    /// The article's sample: daily top-N titles per country, for 2022-01-01.
    pub fn sample() -> Self {
        let date = RunDate::from_ymd(2022, 1, 1).unwrap_or_default();
        PipelineSpec {
            steps: vec![
                Step { name: "STEP_1".into(), sql: STEP_1_SQL.into() },
                Step { name: "STEP_2".into(), sql: STEP_2_SQL.into() },
                Step { name: "STEP_3".into(), sql: STEP_3_SQL.into() },
            ],
            params: Params { target_db: "foo".into(), date, top_n: 100, extra: Default::default() },
            ddl: SAMPLE_DDL.trim_end().into(),
            source: SourceSpec::Synthetic(crate::synthetic::SyntheticSpec::ending_on(date)),
            mocks: Mocks::sample(),
            workflow: crate::workflow::Workflow::sample(),
        }
    }
}

/// Editing the steps: what the studio's add, remove, rename and move buttons do.
impl PipelineSpec {
    /// Appends a step that reads the last one, named `STEP_n` with the first free n; returns its index.
    pub fn add_step(&mut self) -> usize {
        let taken = |n: usize| self.steps.iter().any(|s| s.name.eq_ignore_ascii_case(&format!("STEP_{n}")));
        let n = (1..).find(|&n| !taken(n)).unwrap_or(1);
        let sql = match self.steps.last() {
            Some(last) => format!("SELECT *\nFROM {}", last.name),
            None => format!("SELECT *\nFROM {SOURCE_TABLE}"),
        };
        self.steps.push(Step { name: format!("STEP_{n}"), sql });
        self.steps.len() - 1
    }

    /// Removes the step at `index`, if there is one.
    pub fn remove_step(&mut self, index: usize) {
        if index < self.steps.len() {
            self.steps.remove(index);
        }
    }

    /// Swaps the step at `index` with the one before it (`up`) or after it.
    pub fn move_step(&mut self, index: usize, up: bool) {
        let other = if up { index.checked_sub(1) } else { index.checked_add(1) };
        if let Some(other) = other.filter(|&o| o < self.steps.len() && index < self.steps.len()) {
            self.steps.swap(index, other);
        }
    }

    /// Renames the step at `index`. The run checks that names are identifiers and distinct.
    pub fn rename_step(&mut self, index: usize, name: &str) {
        if let Some(step) = self.steps.get_mut(index) {
            step.name = name.trim().to_string();
        }
    }
}

/// Letters, digits and `_`, not starting with a digit (ASCII): what a step, a parameter or a
/// table the generated code names must be.
pub fn is_identifier(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl PipelineSpec {
    /// The one rule for step names, which the run and the generated projects both apply: at least
    /// one step, every name an identifier ([`is_identifier`]), no two alike (ignoring case, as SQL
    /// reads them).
    pub fn check_step_names(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err("the pipeline has no steps".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for step in &self.steps {
            let name = step.name.as_str();
            if !is_identifier(name) {
                return Err(format!(
                    "step name {name:?} is not an identifier (letters, digits and _, not starting with a digit)"
                ));
            }
            if !seen.insert(name.to_ascii_lowercase()) {
                return Err(format!("two steps are named {name}"));
            }
        }
        Ok(())
    }
}

/// The line that starts a step in a steps file: `-- step: NAME`.
const STEP_MARKER: &str = "-- step:";

/// Reads a steps file: SQL where each step starts with a line `-- step: NAME` (the CLI's `--steps`).
pub fn parse_steps_file(text: &str) -> Result<Vec<Step>, EngineError> {
    let mut steps: Vec<Step> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(name) = line.trim_start().strip_prefix(STEP_MARKER) {
            steps.push(Step { name: name.trim().into(), sql: String::new() });
        } else if let Some(step) = steps.last_mut() {
            step.sql.push_str(line);
            step.sql.push('\n');
        } else if !line.trim().is_empty() && !line.trim_start().starts_with("--") {
            return Err(EngineError::InvalidSpec(format!(
                "steps file, line {}: SQL before the first `{STEP_MARKER} NAME` line",
                number + 1
            )));
        }
    }
    if steps.is_empty() {
        return Err(EngineError::InvalidSpec(format!("steps file: no `{STEP_MARKER} NAME` line")));
    }
    for step in &mut steps {
        step.sql = step.sql.trim().to_string();
    }
    Ok(steps)
}

/// Writes steps as a steps file, which [`parse_steps_file`] reads back.
pub fn steps_file(steps: &[Step]) -> String {
    steps.iter().map(|s| format!("{STEP_MARKER} {}\n{}\n", s.name, s.sql.trim())).collect::<Vec<_>>().join("\n")
}

impl Default for PipelineSpec {
    fn default() -> Self {
        Self::sample()
    }
}

/// Step 1: on a daily basis, incrementally, sum up all viewing time of all movies and shows in every country.
pub const STEP_1_SQL: &str = "SELECT
    title_id
    , country_code
    , SUM(view_hours) AS view_hours
FROM some_db.source_table
WHERE playback_date = DATE '${date}'
GROUP BY
    title_id
    , country_code";

/// Step 2: rank all titles from most watched to least in every country.
pub const STEP_2_SQL: &str = "SELECT
    title_id
    , country_code
    , view_hours
    , RANK() OVER (
        PARTITION BY country_code
        ORDER BY view_hours DESC
    ) AS title_rank
FROM STEP_1";

/// Step 3: filter all titles to the top N.
pub const STEP_3_SQL: &str = "SELECT
    title_id
    , country_code
    , view_hours
    , title_rank
FROM STEP_2
WHERE title_rank <= ${top_n}";

/// The article's target table DDL (the sample workflow's `ddl/` file, trailing newline dropped).
pub const SAMPLE_DDL: &str = include_str!("../../../examples/sample/src/ddl/dataflow_sample_results.sql");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_remove_move_and_rename_steps() {
        let mut spec = PipelineSpec::sample();
        assert_eq!(spec.add_step(), 3);
        assert_eq!(spec.steps[3], Step { name: "STEP_4".into(), sql: "SELECT *\nFROM STEP_3".into() });
        spec.remove_step(1);
        assert_eq!(spec.add_step(), 3);
        assert_eq!(spec.steps[3].name, "STEP_2", "the first free name");
        spec.move_step(3, true);
        let names: Vec<&str> = spec.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["STEP_1", "STEP_3", "STEP_2", "STEP_4"]);
        spec.move_step(0, true);
        spec.move_step(3, false);
        spec.remove_step(9);
        spec.rename_step(0, " daily_sums ");
        let names: Vec<&str> = spec.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["daily_sums", "STEP_3", "STEP_2", "STEP_4"]);
        let mut empty = PipelineSpec { steps: vec![], ..PipelineSpec::sample() };
        empty.add_step();
        assert_eq!(empty.steps[0].sql, "SELECT *\nFROM some_db.source_table");
    }

    #[test]
    fn steps_files_round_trip_and_say_what_is_wrong() {
        let steps = PipelineSpec::sample().steps;
        assert_eq!(parse_steps_file(&steps_file(&steps)).unwrap(), steps);
        assert_eq!(
            parse_steps_file("-- my steps\nSELECT 1\n").unwrap_err().to_string(),
            "pipeline: steps file, line 2: SQL before the first `-- step: NAME` line"
        );
        assert!(parse_steps_file("").is_err());
    }
}

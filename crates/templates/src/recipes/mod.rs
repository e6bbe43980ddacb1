//! The recipes: each writes the project's files from one [`Context`] (the spec read once).

pub(crate) mod common;
pub(crate) mod idiom;
pub(crate) mod names;
pub(crate) mod pyspark;
pub(crate) mod python;
pub(crate) mod scala;
pub(crate) mod spark_sql;
pub(crate) mod sparklyr;

use std::collections::BTreeMap;

use dataflow_engine::params::substitute;
use dataflow_engine::{PipelineSpec, SOURCE_TABLE};

use crate::logic::{plan_steps, StepPlan, RUN_TIME_PARAMS};
use crate::target::Target;
use crate::{Options, TemplateError};

/// The Spark version every recipe builds and tests against (pinned: pyspark from PyPI, Spark's
/// Maven artefacts for Scala, `spark_install()` for sparklyr).
pub(crate) const SPARK_VERSION: &str = "4.1.1";

/// The first sparklyr that installs and connects to [`SPARK_VERSION`] (its versions.json lists
/// 4.1.1 from 1.9.4 on); it needs dplyr 1.0.9 and dbplyr 2.5.0, which the project's DESCRIPTION
/// asks for too.
pub(crate) const SPARKLYR_VERSION: &str = "1.9.4";

/// Everything the recipes need, read from the spec and the options once.
/// The shared parts of a recipe's transform file, see [`Context::transform_parts`].
pub(crate) struct TransformParts {
    /// Some step stays SQL: the file needs its params helper.
    pub sql_steps: bool,
    /// The "written in" comment line, or nothing.
    pub written: String,
    /// The target's columns as string literals, the partition last.
    pub columns: Vec<String>,
    /// The expression that adds the partition column, or nothing.
    pub with_partition: String,
}

pub(crate) struct Context<'a> {
    pub options: &'a Options,
    /// The spec with the options applied (target db, top N, workflow id and name): what the
    /// workflow files are rendered from.
    pub workflow_spec: PipelineSpec,
    pub steps: Vec<StepPlan>,
    pub target: Target,
    /// The run date of the unit test (the mocks' day), `YYYY-MM-DD`.
    pub run_date: String,
    /// The DDL with render-time parameters written in.
    pub ddl: String,
    pub input_mock: &'a str,
    pub expected_mock: &'a str,
    /// The parameters written into the code, `(name, value)`, in name order (`top_n` and the user's).
    pub written_params: Vec<(String, String)>,
}

impl<'a> Context<'a> {
    /// Reads the spec with the (validated) options.
    pub fn new(spec: &'a PipelineSpec, options: &'a Options) -> Result<Context<'a>, TemplateError> {
        let mut params = spec.params.clone();
        params.top_n = options.top_n;
        let mut values = params.values();
        // top_n first, then the user's parameters in name order.
        let mut written_params = vec![("top_n".to_string(), params.top_n.to_string())];
        written_params.extend(params.extra.iter().map(|(n, v)| (n.clone(), v.clone())));
        for p in RUN_TIME_PARAMS {
            values.insert(p.into(), format!("${{{p}}}"));
        }
        let target = Target::from_spec(spec)?;
        let ddl = substitute("DDL", spec.ddl.trim(), &values)?;
        let mut workflow_spec = spec.clone();
        workflow_spec.params.target_db = options.target_db.clone();
        workflow_spec.params.top_n = options.top_n;
        workflow_spec.workflow.id = options.workflow_id.clone();
        workflow_spec.workflow.name = options.short_name.clone();
        Ok(Context {
            options,
            workflow_spec,
            steps: plan_steps(spec, &values)?,
            target,
            run_date: spec.params.date.to_string(),
            ddl,
            input_mock: &spec.mocks.input,
            expected_mock: &spec.mocks.expected,
            written_params,
        })
    }

    /// `ddl/<table>.sql`.
    pub fn ddl_file(&self) -> String {
        format!("{}.sql", self.target.table)
    }

    /// `some_db.source_table.yaml`.
    pub fn input_mock_file(&self) -> String {
        format!("{SOURCE_TABLE}.yaml")
    }

    /// `<table>.yaml`: the expected output.
    pub fn expected_mock_file(&self) -> String {
        format!("{}.yaml", self.target.table)
    }

    /// The last step.
    pub fn last(&self) -> Option<&StepPlan> {
        self.steps.last()
    }

    /// `top_n = 100, min_hours = 0.5`.
    pub fn written_params_text(&self) -> String {
        self.written_params.iter().map(|(n, v)| format!("{n} = {v}")).collect::<Vec<_>>().join(", ")
    }

    /// What every recipe's transform file says around its steps, in the recipe's syntax: whether a
    /// step stays SQL (so the file needs its params helper), the "written in" comment (after
    /// `comment_lead`), the target's columns as string literals (`quote`), and the expression that
    /// adds the partition column (`partition`, given the column's name).
    pub fn transform_parts(
        &self,
        comment_lead: &str,
        quote: impl Fn(&str) -> String,
        partition: impl Fn(&str) -> String,
    ) -> TransformParts {
        let written = if self.written_params.is_empty() {
            String::new()
        } else {
            format!("{comment_lead}Written in, as set when the project was generated: {}.", self.written_params_text())
        };
        let mut columns: Vec<String> = self.target.columns.iter().map(|c| quote(c)).collect();
        let with_partition = match &self.target.partition {
            Some(column) => {
                columns.push(quote(column));
                partition(column)
            }
            None => String::new(),
        };
        TransformParts { sql_steps: self.steps.iter().any(|s| s.shape.is_none()), written, columns, with_partition }
    }

    /// The placeholders every recipe's files share.
    pub fn values(&self) -> BTreeMap<&'static str, String> {
        let o = self.options;
        BTreeMap::from([
            ("short_name", o.short_name.clone()),
            ("workflow_id", o.workflow_id.clone()),
            ("recipe", o.recipe.name().to_string()),
            ("target_db", o.target_db.clone()),
            ("target_table", self.target.table.clone()),
            ("run_date", self.run_date.clone()),
            ("ddl_file", self.ddl_file()),
            ("input_mock_file", self.input_mock_file()),
            ("expected_mock_file", self.expected_mock_file()),
            ("source_table", SOURCE_TABLE.to_string()),
            ("spark_version", SPARK_VERSION.to_string()),
            ("sparklyr_version", SPARKLYR_VERSION.to_string()),
            ("written_params", self.written_params_text()),
            ("partition_column", self.target.partition.clone().unwrap_or_default()),
        ])
    }

    /// Fills a file's placeholders with [`Context::values`] and `extra`.
    pub fn fill(&self, template: &str, extra: &[(&str, &str)]) -> String {
        let values = self.values();
        let mut pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend_from_slice(extra);
        crate::text::fill(template, &pairs)
    }

    /// One line per step, for a README: how each recipe runs it.
    pub fn step_lines(&self, idiom: &str) -> String {
        self.steps
            .iter()
            .map(|s| match (&s.shape, idiom) {
                (_, "") => format!("- `{}`: a CTE of the write query", s.name),
                (Some(_), idiom) => format!("- `{}`: {idiom}", s.name),
                (None, _) => format!(
                    "- `{}`: Spark SQL, as written (not one of the shapes turned into {idiom}: see the comment in the code)",
                    s.name
                ),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

//! The gallery's options, as `dataflow sample workflow --help` lists them: the recipe, the
//! workflow's short name and id, the target database and top N. Every option that ends up in a
//! path, an identifier or code is checked here: it is normalised where that is unambiguous
//! (`My Flow` → `my_flow`, with a note) and refused otherwise (`../`, quotes, non-ASCII).

use dataflow_engine::PipelineSpec;

use crate::TemplateError;

/// A recipe: the language the project's transform is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Recipe {
    /// `spark-sql`: the steps as one Spark SQL write (each step a CTE), tested with pytest.
    SparkSql,
    /// `pyspark`: the steps as PySpark DataFrame code, tested with pytest.
    Pyspark,
    /// `scala`: the steps as a Scala `object` on Spark's Dataset API, tested with ScalaTest (Gradle).
    Scala,
    /// `sparklyr`: the steps as an R script with sparklyr and dplyr, tested with testthat.
    Sparklyr,
}

impl Recipe {
    /// Every recipe, in the gallery's order.
    pub const ALL: [Recipe; 4] = [Recipe::SparkSql, Recipe::Pyspark, Recipe::Scala, Recipe::Sparklyr];

    /// The recipe's name on the command line (`spark-sql`, `pyspark`, `scala`, `sparklyr`).
    pub fn name(self) -> &'static str {
        match self {
            Recipe::SparkSql => "spark-sql",
            Recipe::Pyspark => "pyspark",
            Recipe::Scala => "scala",
            Recipe::Sparklyr => "sparklyr",
        }
    }

    /// A one-line description for the gallery's card.
    pub fn title(self) -> &'static str {
        match self {
            Recipe::SparkSql => "Spark SQL: the steps as one write query, each step a CTE; pytest unit test",
            Recipe::Pyspark => "PySpark: the steps as DataFrame code; pytest unit test",
            Recipe::Scala => "Scala: the steps as a Spark object; ScalaTest unit test, Gradle build",
            Recipe::Sparklyr => "R: the steps with sparklyr and dplyr; testthat unit test",
        }
    }

    /// The recipe a name gives (case-insensitive; `sparksql` and `sparkR`-style spellings too).
    pub fn parse(name: &str) -> Result<Recipe, TemplateError> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "spark-sql" | "sparksql" | "sql" => Ok(Recipe::SparkSql),
            "pyspark" | "python" => Ok(Recipe::Pyspark),
            "scala" => Ok(Recipe::Scala),
            "sparklyr" | "r" => Ok(Recipe::Sparklyr),
            _ => Err(TemplateError::Option {
                option: "recipe",
                message: format!("unknown recipe {name:?}: use spark-sql, pyspark, scala or sparklyr"),
            }),
        }
    }

    /// The word the recipe's default short name uses (`dataflow_sparksql_sample`).
    fn word(self) -> &'static str {
        match self {
            Recipe::SparkSql => "sparksql",
            Recipe::Pyspark => "pyspark",
            Recipe::Scala => "scala",
            Recipe::Sparklyr => "sparklyr",
        }
    }
}

impl std::fmt::Display for Recipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The options of one generated project ("adjusted to your environment").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The recipe.
    pub recipe: Recipe,
    /// The workflow's short name (`dataflow_pyspark_sample`): project, module and app names.
    pub short_name: String,
    /// The workflow's id in the scheduler (`dataflow_sample`; the files' ids are `<id>.main`…).
    pub workflow_id: String,
    /// The database of the target table (`${TARGET_DB}`'s value).
    pub target_db: String,
    /// How many titles per country the transform keeps (`${top_n}`'s value).
    pub top_n: u32,
}

/// The longest short name, workflow id or database name accepted.
pub const MAX_NAME_LEN: usize = 64;

impl Options {
    /// The options a recipe gets for a spec: the spec's target db, top N and workflow id, and
    /// the article's short name for the recipe (`dataflow_<recipe>_sample`).
    pub fn for_spec(recipe: Recipe, spec: &PipelineSpec) -> Options {
        let short_name = format!("dataflow_{}_sample", recipe.word());
        Options {
            recipe,
            workflow_id: spec.workflow.id.clone(),
            short_name,
            target_db: spec.params.target_db.clone(),
            top_n: spec.params.top_n,
        }
    }

    /// The options checked: each value as it will be used, and a note for each one that was
    /// normalised. Values that cannot be made safe are an error that says what is allowed.
    pub fn validated(&self) -> Result<(Options, Vec<String>), TemplateError> {
        let mut notes = Vec::new();
        let short_name = normalise_name("short-name", &self.short_name, &mut notes)?;
        if let Some(message) = crate::recipes::names::short_name_problem(self.recipe, &short_name) {
            return Err(TemplateError::Option { option: "short-name", message });
        }
        let workflow_id = workflow_id(&self.workflow_id, &mut notes)?;
        let target_db = normalise_name("target-db", &self.target_db, &mut notes)?;
        let top_n = top_n(&self.top_n.to_string())?;
        Ok((Options { recipe: self.recipe, short_name, workflow_id, target_db, top_n }, notes))
    }
}

/// `--top-n` by the engine's one rule for `${top_n}` ([`dataflow_engine::params::top_n`]).
fn top_n(text: &str) -> Result<u32, TemplateError> {
    dataflow_engine::params::top_n(text).map_err(|message| TemplateError::Option { option: "top-n", message })
}

/// What a user set over a recipe's default options, as typed (`None`: the default): the CLI's
/// flags and the gallery's fields. [`OptionEdits::options`] is the one place they are applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionEdits {
    /// `--workflow-shortname`.
    pub short_name: Option<String>,
    /// `--workflow-id`.
    pub workflow_id: Option<String>,
    /// `--target-db`.
    pub target_db: Option<String>,
    /// `--top-n`, as typed.
    pub top_n: Option<String>,
}

impl OptionEdits {
    /// The options for `recipe`: the spec's defaults ([`Options::for_spec`]) with the edits over
    /// them. A `--top-n` that is no whole number from 1 up is an error here; the other values are
    /// checked (and normalised) by [`Options::validated`] when the project is rendered.
    pub fn options(&self, recipe: Recipe, spec: &PipelineSpec) -> Result<Options, TemplateError> {
        let mut options = Options::for_spec(recipe, spec);
        if let Some(v) = &self.short_name {
            options.short_name.clone_from(v);
        }
        if let Some(v) = &self.workflow_id {
            options.workflow_id.clone_from(v);
        }
        if let Some(v) = &self.target_db {
            options.target_db.clone_from(v);
        }
        if let Some(v) = &self.top_n {
            options.top_n = top_n(v)?;
        }
        Ok(options)
    }
}

/// A name used as an identifier and in paths: lower-case ASCII letters, digits and `_`, starting
/// with a letter. Upper case is lowered and spaces and `-` become `_` (with a note); anything else
/// (`.`, `/`, quotes, non-ASCII) is refused.
fn normalise_name(option: &'static str, value: &str, notes: &mut Vec<String>) -> Result<String, TemplateError> {
    let refuse = |message: String| TemplateError::Option { option, message };
    let trimmed = value.trim();
    if let Some(bad) = trimmed.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '))) {
        return Err(refuse(format!("{value:?} has {bad:?}: use ASCII letters, digits and _ (spaces and - become _)")));
    }
    let mut name = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        let c = if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() };
        if !(c == '_' && name.ends_with('_')) {
            name.push(c);
        }
    }
    if !name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        return Err(refuse(format!("{value:?} must start with a letter")));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(refuse(format!("{value:?} is longer than {MAX_NAME_LEN} characters")));
    }
    if name != value {
        notes.push(format!("{option} {value:?} is used as {name:?}"));
    }
    Ok(name)
}

/// A workflow id: names as [`normalise_name`] allows, joined by single dots (`team.my_flow`).
fn workflow_id(value: &str, notes: &mut Vec<String>) -> Result<String, TemplateError> {
    let refuse = |message: String| TemplateError::Option { option: "workflow-id", message };
    let trimmed = value.trim();
    if trimmed.split('.').any(|part| part.trim().is_empty()) {
        return Err(refuse(format!("{value:?}: parts separated by single dots, none empty (no `..`)")));
    }
    let mut ignored = Vec::new();
    let parts = trimmed
        .split('.')
        .map(|part| normalise_name("workflow-id", part, &mut ignored))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| match e {
            TemplateError::Option { message, .. } => refuse(format!("in {value:?}: {message}")),
            other => other,
        })?;
    let id = parts.join(".");
    if id.len() > 2 * MAX_NAME_LEN {
        return Err(refuse(format!("{value:?} is longer than {} characters", 2 * MAX_NAME_LEN)));
    }
    if id != value {
        notes.push(format!("workflow-id {value:?} is used as {id:?}"));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        Options::for_spec(Recipe::Pyspark, &PipelineSpec::sample())
    }

    #[test]
    fn defaults_are_the_articles_names_and_valid() {
        let o = options();
        assert_eq!((o.short_name.as_str(), o.workflow_id.as_str()), ("dataflow_pyspark_sample", "dataflow_sample"));
        assert_eq!((o.target_db.as_str(), o.top_n), ("foo", 100));
        assert_eq!(o.validated().unwrap(), (o, vec![]));
    }

    #[test]
    fn edits_go_over_the_defaults_and_top_n_follows_the_engines_rule() {
        let spec = PipelineSpec::sample();
        assert_eq!(OptionEdits::default().options(Recipe::Pyspark, &spec).unwrap(), options());
        let edits = OptionEdits { target_db: Some("prod".into()), top_n: Some(" 7 ".into()), ..Default::default() };
        let edited = edits.options(Recipe::Pyspark, &spec).unwrap();
        assert_eq!((edited.target_db.as_str(), edited.top_n, edited.short_name), ("prod", 7, options().short_name));
        for typed in ["0", "ten", "2147483648"] {
            let edits = OptionEdits { top_n: Some(typed.into()), ..Default::default() };
            let message = edits.options(Recipe::Pyspark, &spec).unwrap_err().to_string();
            assert_eq!(message, format!("option top-n: must be a whole number from 1 to 2147483647, not {typed:?}"));
        }
    }

    #[test]
    fn recipes_parse_by_name() {
        for recipe in Recipe::ALL {
            assert_eq!(Recipe::parse(recipe.name()).unwrap(), recipe);
        }
        assert_eq!(Recipe::parse("SparkSQL").unwrap(), Recipe::SparkSql);
        assert_eq!(
            Recipe::parse("cobol").unwrap_err().to_string(),
            "option recipe: unknown recipe \"cobol\": use spark-sql, pyspark, scala or sparklyr"
        );
    }

    #[test]
    fn names_are_normalised_with_a_note_or_refused() {
        let o = Options { short_name: " My Flow-2 ".into(), workflow_id: "Team.My Flow".into(), ..options() };
        let (checked, notes) = o.validated().unwrap();
        assert_eq!((checked.short_name.as_str(), checked.workflow_id.as_str()), ("my_flow_2", "team.my_flow"));
        assert_eq!(
            notes,
            [
                "short-name \" My Flow-2 \" is used as \"my_flow_2\"",
                "workflow-id \"Team.My Flow\" is used as \"team.my_flow\""
            ]
        );

        let refused = [
            (Options { short_name: "../etc".into(), ..options() }, "option short-name: \"../etc\" has '.': use ASCII letters, digits and _ (spaces and - become _)"),
            (Options { short_name: "it's".into(), ..options() }, "option short-name: \"it's\" has '\\'': use ASCII letters, digits and _ (spaces and - become _)"),
            (Options { short_name: "flöw".into(), ..options() }, "option short-name: \"flöw\" has 'ö': use ASCII letters, digits and _ (spaces and - become _)"),
            (Options { short_name: "2fast".into(), ..options() }, "option short-name: \"2fast\" must start with a letter"),
            (Options { short_name: "  ".into(), ..options() }, "option short-name: \"  \" must start with a letter"),
            (Options { target_db: "foo; DROP".into(), ..options() }, "option target-db: \"foo; DROP\" has ';': use ASCII letters, digits and _ (spaces and - become _)"),
            (Options { target_db: "db\"x".into(), ..options() }, "option target-db: \"db\\\"x\" has '\"': use ASCII letters, digits and _ (spaces and - become _)"),
            (Options { workflow_id: "a..b".into(), ..options() }, "option workflow-id: \"a..b\": parts separated by single dots, none empty (no `..`)"),
            (Options { workflow_id: "../x".into(), ..options() }, "option workflow-id: \"../x\": parts separated by single dots, none empty (no `..`)"),
            (Options { workflow_id: "a/b.c".into(), ..options() }, "option workflow-id: in \"a/b.c\": \"a/b\" has '/': use ASCII letters, digits and _ (spaces and - become _)"),
            (Options { top_n: 0, ..options() }, "option top-n: must be a whole number from 1 to 2147483647, not \"0\""),
            (Options { short_name: "a".repeat(65), ..options() }, "is longer than 64 characters"),
        ];
        for (o, message) in refused {
            let error = o.validated().unwrap_err().to_string();
            assert!(error.ends_with(message), "{error}");
        }
    }
}

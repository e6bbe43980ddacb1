//! Every recipe's files for the sample pipeline and for a changed one (top N 10, a user
//! parameter, a fourth step that stays SQL): snapshots, substitutions, syntax where a checker
//! exists here (Python, TOML, INI; the mocks by the engine's reader), and the zip.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use dataflow_engine::spec::parse_steps_file;
use dataflow_engine::workflow::{parse_backfill, parse_daily, parse_main};
use dataflow_engine::{Mock, PipelineSpec};
use dataflow_templates::{render, render_default, zip_bytes, FileLanguage, Options, Project, Recipe};

/// The sample pipeline with top N 10, `min_hours = 0.5` and a fourth step (tests/spark/changed_steps.sql).
fn changed_spec() -> PipelineSpec {
    let mut spec = PipelineSpec::sample();
    spec.steps = parse_steps_file(include_str!("../../../tests/spark/changed_steps.sql")).unwrap();
    spec.params.set("top_n", "10").unwrap();
    spec.params.set("min_hours", "0.5").unwrap();
    spec
}

fn project(recipe: Recipe, spec: &PipelineSpec) -> Project {
    render(spec, &Options::for_spec(recipe, spec)).unwrap()
}

fn variants() -> Vec<(&'static str, PipelineSpec)> {
    vec![("sample", PipelineSpec::sample()), ("changed", changed_spec())]
}

#[test]
fn snapshots_of_every_file_of_every_recipe() {
    for (variant, spec) in variants() {
        for recipe in Recipe::ALL {
            let project = project(recipe, &spec);
            let paths: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
            insta::assert_snapshot!(format!("{recipe}-{variant}-files"), paths.join("\n"));
            for file in &project.files {
                let name = format!("{recipe}-{variant}-{}", file.path.replace('/', "__"));
                insta::assert_snapshot!(name, file.contents);
            }
        }
    }
}

#[test]
fn the_articles_layout() {
    for recipe in Recipe::ALL {
        let project = project(recipe, &PipelineSpec::sample());
        for path in [
            "README.md",
            "ddl/dataflow_sample_results.sql",
            "src/mocks/some_db.source_table.yaml",
            "src/mocks/dataflow_sample_results.yaml",
        ] {
            assert!(project.file(path).is_some(), "{recipe}: {path}");
        }
        let own: &[&str] = match recipe {
            Recipe::SparkSql => &["src/sparksql_write.sql", "src/test_sparksql_write.py", "tox.ini", "pyproject.toml"],
            Recipe::Pyspark => &["src/pyspark_write.py", "src/test_pyspark_write.py", "tox.ini", "pyproject.toml"],
            Recipe::Scala => &[
                "build.gradle",
                "src/main/scala/dataflow/DataflowScalaSample.scala",
                "src/test/scala/dataflow/DataflowScalaSampleTest.scala",
            ],
            Recipe::Sparklyr => &["src/sparklyr_write.R", "tests/testthat/test_sparklyr_write.R", "tests/testthat.R"],
        };
        for path in own {
            assert!(project.file(path).is_some(), "{recipe}: {path}");
        }
        assert!(project.files.iter().all(|f| f.is_safe_path()));
        assert!(project.notes.is_empty(), "{:?}", project.notes);
    }
}

/// Every placeholder filled, the options everywhere they belong, the parameters as the recipe takes them.
#[test]
fn every_file_has_the_expected_substitutions() {
    let spec = changed_spec();
    for recipe in Recipe::ALL {
        let options = Options {
            short_name: "stranger_data".into(),
            workflow_id: "team.stranger_data".into(),
            target_db: "sandbox".into(),
            ..Options::for_spec(recipe, &spec)
        };
        let project = render(&spec, &options).unwrap();
        for file in &project.files {
            assert!(!has_placeholder(&file.contents), "{recipe} {}: a placeholder is left", file.path);
            // The code has the values written in; the workflow files pass them as variables.
            let code = !file.path.ends_with(".sch.yaml");
            assert!(
                !code || (!file.contents.contains("${top_n}") && !file.contents.contains("${min_hours}")),
                "{recipe} {}",
                file.path
            );
            for default in [
                "dataflow_sparksql_sample",
                "dataflow_pyspark_sample",
                "dataflow_scala_sample",
                "dataflow_sparklyr_sample",
                "\"foo\"",
            ] {
                assert!(!file.contents.contains(default), "{recipe} {}: {default}", file.path);
            }
        }
        let text =
            |path: &str| project.file(path).map(|f| f.contents.clone()).unwrap_or_else(|| panic!("{recipe}: {path}"));
        let readme = text("README.md");
        assert!(readme.starts_with("# stranger_data\n\nDataflow sample workflow `team.stranger_data`"), "{readme}");
        assert!(readme.contains("`sandbox` here") && readme.contains("top_n = 10, min_hours = 0.5"), "{readme}");
        let ddl = text("ddl/dataflow_sample_results.sql");
        assert!(ddl.starts_with("CREATE TABLE IF NOT EXISTS ${TARGET_DB}.dataflow_sample_results"), "{ddl}");
        let (transform, test) = match recipe {
            Recipe::SparkSql => (text("src/sparksql_write.sql"), text("src/conftest.py")),
            Recipe::Pyspark => (text("src/pyspark_write.py"), text("src/conftest.py")),
            Recipe::Scala => (
                text("src/main/scala/dataflow/StrangerData.scala"),
                text("src/test/scala/dataflow/StrangerDataTest.scala"),
            ),
            Recipe::Sparklyr => (text("src/sparklyr_write.R"), text("tests/testthat/test_sparklyr_write.R")),
        };
        assert!(transform.contains("team.stranger_data"), "{recipe}");
        let main = text("main.sch.yaml");
        for expected in [
            "  TARGET_DB: sandbox\n",
            "  top_n: 10\n",
            "  min_hours: \"0.5\"\n",
            "  id: team.stranger_data.main\n",
            "  name: stranger_data\n",
        ] {
            assert!(main.contains(expected), "{recipe}: {expected:?} in\n{main}");
        }
        let script = match recipe {
            Recipe::SparkSql => "script: $S3{./src/sparksql_write.sql}",
            Recipe::Pyspark => "script: $S3{./src/pyspark_write.py}",
            Recipe::Scala => "script: $S3{./build/libs/stranger_data-0.1.0.jar}",
            Recipe::Sparklyr => "script: $S3{./src/sparklyr_write.R}",
        };
        assert!(main.contains(script), "{recipe}: the write job runs the recipe's own script\n{main}");
        assert!(text("daily.sch.yaml").contains("id: team.stranger_data.daily"));
        assert!(text("backfill.sch.yaml").contains("id: team.stranger_data.backfill"));
        assert!(test.contains("2022-01-01") && test.contains("sandbox"), "{recipe}: {test}");
        match recipe {
            Recipe::SparkSql => {
                assert!(transform.contains("WHERE title_rank <= 10\n"));
                assert!(
                    transform.contains("WHERE view_hours >= 0.5 AND country_code <> \"BR\""),
                    "the user's SQL as written"
                );
                assert!(transform.contains("WHERE playback_date = DATE '${date}'"));
                assert!(transform.contains("INSERT OVERWRITE TABLE ${TARGET_DB}.dataflow_sample_results\nPARTITION (date = DATE '${date}') BY NAME"));
            }
            Recipe::Pyspark => {
                assert!(transform.contains(".filter(F.col(\"title_rank\") <= 10)"), "{transform}");
                assert!(transform.contains("TARGET_DB = \"sandbox\""));
                assert!(transform.contains("# STEP_4: not one of the shapes"), "the SQL step says so");
                assert!(transform.contains("WHERE view_hours >= 0.5 AND country_code <> \\\"BR\\\""), "{transform}");
            }
            Recipe::Scala => {
                assert!(transform.contains(".filter(col(\"title_rank\") <= lit(10))"), "{transform}");
                assert!(
                    transform.contains("object StrangerData {") && transform.contains("val TargetDb = \"sandbox\"")
                );
                assert!(transform.contains("// STEP_4: not one of the shapes"));
                assert!(text("settings.gradle").contains("rootProject.name = 'stranger_data'"));
            }
            Recipe::Sparklyr => {
                assert!(transform.contains("filter(title_rank <= 10L)"), "{transform}");
                assert!(transform.contains("TARGET_DB <- \"sandbox\""));
                assert!(transform.contains("# STEP_4: not one of the shapes"));
                assert!(text("DESCRIPTION").starts_with("Package: stranger.data\n"));
            }
        }
    }
}

/// A `{{name}}` left unfilled.
fn has_placeholder(text: &str) -> bool {
    text.split("{{").skip(1).any(|rest| {
        rest.split_once("}}")
            .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    })
}

#[test]
fn a_step_that_stays_sql_is_noted() {
    let project = project(Recipe::Pyspark, &changed_spec());
    assert_eq!(
        project.notes,
        [
            "step STEP_4 stays Spark SQL in the pyspark recipe: it is not a shape written in its idiom",
            "step STEP_5 stays Spark SQL in the pyspark recipe: it is not a shape written in its idiom"
        ]
    );
    assert!(self::project(Recipe::SparkSql, &changed_spec()).notes.is_empty());
}

#[test]
fn the_default_template_has_the_users_options() {
    let options = Options { top_n: 7, ..Options::for_spec(Recipe::Scala, &changed_spec()) };
    let default = render_default(&options).unwrap();
    assert_eq!(default.options, options);
    let user = render(&changed_spec(), &options).unwrap();
    assert_eq!(default.files.len(), user.files.len());
    assert_ne!(default.files, user.files);
}

#[test]
fn bad_options_and_specs_are_refused_with_a_message() {
    let spec = PipelineSpec::sample();
    let options = Options::for_spec(Recipe::SparkSql, &spec);
    let error = |o: Options, s: &PipelineSpec| render(s, &o).unwrap_err().to_string();
    assert!(
        error(Options { short_name: "../../etc".into(), ..options.clone() }, &spec).starts_with("option short-name:")
    );
    assert!(error(Options { target_db: "db name\"".into(), ..options.clone() }, &spec).starts_with("option target-db:"));
    let no_steps = PipelineSpec { steps: vec![], ..spec.clone() };
    assert_eq!(error(options.clone(), &no_steps), "pipeline: the pipeline has no steps");
    let (normalised, notes) = (Options { short_name: "My Flow".into(), ..options }).validated().unwrap();
    let project = render(&spec, &normalised).unwrap();
    assert_eq!(project.options.short_name, "my_flow");
    assert_eq!(notes, ["short-name \"My Flow\" is used as \"my_flow\""]);
}

#[test]
fn languages_and_tree() {
    let project = project(Recipe::Pyspark, &PipelineSpec::sample());
    assert_eq!(project.file("src/pyspark_write.py").unwrap().language(), FileLanguage::Python);
    assert_eq!(project.file("tox.ini").unwrap().language(), FileLanguage::Ini);
    let tree: Vec<String> = project
        .tree()
        .iter()
        .map(|e| format!("{}{}{}", "  ".repeat(e.depth), e.name, if e.file.is_some() { "" } else { "/" }))
        .collect();
    insta::assert_snapshot!(tree.join("\n"));
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dataflow-templates-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_project(project: &Project, dir: &Path) {
    for file in &project.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
}

/// Python files compile (`py_compile`), TOML and INI files parse (Python's `tomllib` and
/// `configparser`), the workflow files read back with the engine's workflow parser, and the mocks
/// with the engine's mock reader, without findings. Scala and R cannot be compiled here (no Maven
/// Central, no CRAN).
#[test]
fn generated_files_are_valid_where_a_checker_exists() {
    const CHECK: &str = r#"
import configparser, pathlib, py_compile, sys, tomllib
for path in sys.argv[1:]:
    p = pathlib.Path(path)
    if p.suffix == ".py":
        py_compile.compile(path, doraise=True, cfile=path + "c")
    elif p.suffix == ".toml":
        tomllib.loads(p.read_text())
    elif p.suffix == ".ini":
        configparser.ConfigParser(interpolation=None).read_string(p.read_text())
print(len(sys.argv) - 1, "checked")
"#;
    let mut checked = BTreeSet::new();
    for (variant, spec) in variants() {
        for recipe in Recipe::ALL {
            let project = project(recipe, &spec);
            let dir = temp_dir(&format!("{recipe}-{variant}"));
            write_project(&project, &dir);
            let mut paths = Vec::new();
            for file in &project.files {
                match file.language() {
                    FileLanguage::Python | FileLanguage::Toml | FileLanguage::Ini => {
                        paths.push(dir.join(&file.path));
                        checked.insert(file.path.clone());
                    }
                    FileLanguage::Yaml => match file.path.as_str() {
                        "main.sch.yaml" => drop(parse_main(&file.contents).unwrap()),
                        "daily.sch.yaml" => drop(parse_daily(&file.contents).unwrap()),
                        "backfill.sch.yaml" => drop(parse_backfill(&file.contents).unwrap()),
                        _ => {
                            let mock = Mock::parse(&file.contents).unwrap();
                            assert_eq!(mock.findings(), vec![], "{}", file.path);
                        }
                    },
                    _ => {}
                }
            }
            if !paths.is_empty() {
                let out = Command::new("python3").arg("-c").arg(CHECK).args(&paths).output().expect("python3 runs");
                assert!(out.status.success(), "{recipe} {variant}: {}", String::from_utf8_lossy(&out.stderr));
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    assert!(checked.contains("src/pyspark_write.py") && checked.contains("src/test_sparksql_write.py"));
}

fn unzip_available() -> bool {
    Command::new("unzip").arg("-v").output().is_ok_and(|o| o.status.success())
}

/// The zip's entries are safe relative paths under the project's folder, and `unzip` extracts
/// them to the same bytes. The same project gives the same zip.
#[test]
fn zips_extract_with_unzip_to_the_same_bytes() {
    assert!(unzip_available(), "unzip is missing: scripts/setup.sh installs it");
    for recipe in Recipe::ALL {
        let project = project(recipe, &changed_spec());
        let bytes = zip_bytes(&project).unwrap();
        assert_eq!(bytes, zip_bytes(&project).unwrap(), "reproducible");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let root = project.options.short_name.clone();
        assert_eq!(archive.len(), project.files.len());
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            assert!(entry.enclosed_name().is_some(), "{name}");
            assert!(name.starts_with(&format!("{root}/")) && !name.contains("..") && !name.contains('\\'), "{name}");
            let mut contents = String::new();
            entry.read_to_string(&mut contents).unwrap();
            let file = project.file(name.strip_prefix(&format!("{root}/")).unwrap()).unwrap();
            assert_eq!(contents, file.contents);
        }
        let dir = temp_dir(&format!("unzip-{recipe}"));
        let zip_path = dir.join("project.zip");
        std::fs::write(&zip_path, &bytes).unwrap();
        let out = Command::new("unzip").arg("-q").arg(&zip_path).arg("-d").arg(dir.join("out")).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        for file in &project.files {
            let extracted = std::fs::read(dir.join("out").join(&root).join(&file.path)).unwrap();
            assert_eq!(extracted, file.contents.as_bytes(), "{}", file.path);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

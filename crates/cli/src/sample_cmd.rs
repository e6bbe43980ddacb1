//! `dataflow sample workflow RECIPE [PATH]`: the template gallery's project on disk (or as a zip),
//! as the article's `dataflow sample workflow` lands it.

use std::path::{Path, PathBuf};

use dataflow_engine::spec::parse_steps_file;
use dataflow_engine::PipelineSpec;
use dataflow_templates::{render, zip_bytes, OptionEdits, Project, Recipe};

use crate::read_file;

/// `sample workflow …`.
pub fn sample(args: &[String]) -> Result<String, String> {
    match args.split_first() {
        Some((cmd, rest)) if cmd == "workflow" => workflow(rest),
        Some((cmd, _)) => Err(format!("unknown sample command {cmd:?}: use sample workflow")),
        None => Err("sample needs a command: workflow".into()),
    }
}

/// What `sample workflow` was asked for.
struct WorkflowArgs {
    recipe: Recipe,
    path: Option<PathBuf>,
    zip: Option<PathBuf>,
    force: bool,
    spec: PipelineSpec,
    edits: OptionEdits,
}

fn parse_args(args: &[String]) -> Result<WorkflowArgs, String> {
    let mut recipe = None;
    let mut path = None;
    let mut parsed = WorkflowArgs {
        recipe: Recipe::SparkSql,
        path: None,
        zip: None,
        force: false,
        spec: PipelineSpec::sample(),
        edits: OptionEdits::default(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--short-name" | "--workflow-shortname" => parsed.edits.short_name = Some(value()?.clone()),
            "--workflow-id" => parsed.edits.workflow_id = Some(value()?.clone()),
            "--target-db" => parsed.edits.target_db = Some(value()?.clone()),
            "--top-n" => parsed.edits.top_n = Some(value()?.clone()),
            "--steps" => {
                let file = value()?;
                parsed.spec.steps = parse_steps_file(&read_file(file)?).map_err(|e| format!("{file}: {e}"))?;
            }
            "--date" => parsed.spec.params.set("date", value()?).map_err(|e| e.to_string())?,
            "--param" => {
                let pair = value()?;
                let (name, text) =
                    pair.split_once('=').ok_or_else(|| format!("--param takes NAME=VALUE, got {pair:?}"))?;
                parsed.spec.params.set(name.trim(), text).map_err(|e| e.to_string())?;
            }
            "--zip" => parsed.zip = Some(PathBuf::from(value()?)),
            "--force" => parsed.force = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag:?} for sample workflow\n\n{}", crate::HELP))
            }
            word if recipe.is_none() => recipe = Some(Recipe::parse(word).map_err(|e| e.to_string())?),
            word if path.is_none() => path = Some(PathBuf::from(word)),
            extra => return Err(format!("sample workflow takes RECIPE [PATH], got another: {extra:?}")),
        }
    }
    parsed.recipe = recipe.ok_or("sample workflow needs a RECIPE: spark-sql, pyspark, scala or sparklyr")?;
    if parsed.zip.is_some() && path.is_some() {
        return Err("give a PATH (files) or --zip FILE, not both".into());
    }
    parsed.path = path;
    Ok(parsed)
}

fn workflow(args: &[String]) -> Result<String, String> {
    let args = parse_args(args)?;
    let options = args.edits.options(args.recipe, &args.spec).map_err(|e| e.to_string())?;
    let project = render(&args.spec, &options).map_err(|e| e.to_string())?;
    for note in &project.notes {
        eprintln!("dataflow: note: {note}");
    }
    match &args.zip {
        Some(zip) => {
            if zip.exists() && !args.force {
                return Err(format!("{} exists: remove it or give --force", zip.display()));
            }
            let bytes = zip_bytes(&project).map_err(|e| e.to_string())?;
            std::fs::write(zip, &bytes).map_err(|e| format!("{}: {e}", zip.display()))?;
            Ok(format!("wrote {} ({} files, {} bytes)\n", zip.display(), project.files.len(), bytes.len()))
        }
        None => {
            let dir = args.path.unwrap_or_else(|| PathBuf::from("."));
            write_files(&project, &dir, args.force)?;
            Ok(format!(
                "wrote the {} workflow {} to {} ({} files)\n",
                project.options.recipe,
                project.options.short_name,
                dir.display(),
                project.files.len()
            ))
        }
    }
}

/// Writes every file under `dir`. Refuses an unsafe path, and an existing file unless `force`.
fn write_files(project: &Project, dir: &Path, force: bool) -> Result<(), String> {
    let mut targets = Vec::new();
    for file in &project.files {
        if !file.is_safe_path() {
            return Err(format!("refusing to write the unsafe path {:?}", file.path));
        }
        let target = dir.join(&file.path);
        if target.exists() && !force {
            return Err(format!("{} exists: remove it, choose another PATH or give --force", target.display()));
        }
        targets.push((target, &file.contents));
    }
    for (target, contents) in targets {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, contents).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

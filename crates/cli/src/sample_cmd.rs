//! `dataflow sample workflow RECIPE [PATH]`: the template gallery's project on disk (or as a zip),
//! as the article's `dataflow sample workflow` lands it.

use std::path::{Path, PathBuf};

use dataflow_templates::{render, zip_bytes, OptionEdits, Project};

use crate::cli::WorkflowArgs;

pub fn workflow(args: WorkflowArgs) -> Result<String, String> {
    let spec = args.pipeline.spec(None)?;
    let edits = OptionEdits {
        short_name: args.short_name,
        workflow_id: args.workflow_id,
        target_db: args.target_db,
        top_n: args.top_n,
    };
    let options = edits.options(args.recipe, &spec).map_err(|e| e.to_string())?;
    let project = render(&spec, &options).map_err(|e| e.to_string())?;
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

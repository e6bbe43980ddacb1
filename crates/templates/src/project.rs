//! A rendered project: its files in order, and what the gallery shows of them.

use crate::Options;

/// One file of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// The path relative to the project's root, `/`-separated (`src/mocks/some_db.source_table.yaml`).
    pub path: String,
    /// The file's text (UTF-8, `\n` line ends).
    pub contents: String,
}

impl ProjectFile {
    pub(crate) fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        ProjectFile { path: path.into(), contents: contents.into() }
    }

    /// Whether the path is a safe relative path: `/`-separated parts of ASCII letters, digits,
    /// `_`, `-` and `.`, none empty, `.` or `..` (so it cannot leave the project's folder).
    pub fn is_safe_path(&self) -> bool {
        is_safe_relative_path(&self.path)
    }

    /// The file's language, for highlighting.
    pub fn language(&self) -> FileLanguage {
        let name = self.path.rsplit('/').next().unwrap_or_default();
        match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("sql") => FileLanguage::Sql,
            Some("py") => FileLanguage::Python,
            Some("scala") => FileLanguage::Scala,
            Some("R") | Some("r") => FileLanguage::R,
            Some("yaml") | Some("yml") => FileLanguage::Yaml,
            Some("toml") => FileLanguage::Toml,
            Some("ini") => FileLanguage::Ini,
            Some("gradle") => FileLanguage::Groovy,
            Some("md") => FileLanguage::Markdown,
            _ => FileLanguage::Text,
        }
    }
}

/// What a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileLanguage {
    /// Spark SQL.
    Sql,
    /// Python.
    Python,
    /// Scala.
    Scala,
    /// R.
    R,
    /// YAML (mocks, workflow definitions).
    Yaml,
    /// TOML (`pyproject.toml`).
    Toml,
    /// INI (`tox.ini`).
    Ini,
    /// Groovy (`build.gradle`).
    Groovy,
    /// Markdown (`README.md`).
    Markdown,
    /// Anything else (`DESCRIPTION`).
    Text,
}

/// One line of a project's file tree: a directory or a file, at its depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    /// 0 for the project's root entries.
    pub depth: usize,
    /// The entry's own name (`mocks`, `README.md`).
    pub name: String,
    /// The file's path, for a file; `None` for a directory.
    pub file: Option<String>,
}

/// A rendered project: the options it was rendered with, its files in order, and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The options as used (validated and normalised).
    pub options: Options,
    /// The files: top-level files first, then directories, each sorted by name.
    pub files: Vec<ProjectFile>,
    /// What the user should know: options that were normalised, steps kept as SQL.
    pub notes: Vec<String>,
}

impl Project {
    pub(crate) fn new(options: Options, mut files: Vec<ProjectFile>, notes: Vec<String>) -> Self {
        files.sort_by_key(|a| tree_key(&a.path));
        Project { options, files, notes }
    }

    /// The file at `path`, if the project has it.
    pub fn file(&self, path: &str) -> Option<&ProjectFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The file tree as the gallery lists it, in the order of [`Project::files`]: each directory
    /// once, before its entries, then each file.
    pub fn tree(&self) -> Vec<TreeEntry> {
        let mut entries: Vec<TreeEntry> = Vec::new();
        let mut open: Vec<&str> = Vec::new();
        for file in &self.files {
            let parts: Vec<&str> = file.path.split('/').collect();
            let (name, dirs) = parts.split_last().unwrap_or((&"", &[]));
            let common = open.iter().zip(dirs).take_while(|(a, b)| a == b).count();
            open.truncate(common);
            for (depth, dir) in dirs.iter().enumerate().skip(common) {
                entries.push(TreeEntry { depth, name: dir.to_string(), file: None });
                open.push(dir);
            }
            entries.push(TreeEntry { depth: dirs.len(), name: name.to_string(), file: Some(file.path.clone()) });
        }
        entries
    }
}

/// Sorts a path as a tree lists it: within a directory, files before subdirectories, by name.
fn tree_key(path: &str) -> Vec<(bool, String)> {
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len().saturating_sub(1);
    parts.iter().enumerate().map(|(i, p)| (i < last, p.to_string())).collect()
}

/// See [`ProjectFile::is_safe_path`].
pub(crate) fn is_safe_relative_path(path: &str) -> bool {
    path.split('/').all(|p| {
        !p.is_empty()
            && p != "."
            && p != ".."
            && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    })
}

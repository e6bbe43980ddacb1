//! The project as a zip, built in memory (no file system: it runs in the browser too). Entries
//! have a fixed timestamp (1980-01-01) and fixed permissions, so the same project always gives
//! the same bytes.

use std::io::{Cursor, Write};

use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, DateTime, ZipWriter};

use crate::{Project, TemplateError};

/// The project's files as a zip archive, every file under one folder named after the project's
/// short name (`dataflow_pyspark_sample/README.md`), as `dataflow sample workflow` lands it.
///
/// Every entry name is checked to be a safe relative path (no `..`, no absolute path, no
/// backslash, ASCII only); a project whose paths are not is refused.
pub fn zip_bytes(project: &Project) -> Result<Vec<u8>, TemplateError> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let root = &project.options.short_name;
    for file in &project.files {
        let name = format!("{root}/{}", file.path);
        check_entry_name(&name)?;
        writer.start_file(name.as_str(), options).map_err(|e| TemplateError::Zip(format!("{name}: {e}")))?;
        writer.write_all(file.contents.as_bytes()).map_err(|e| TemplateError::Zip(format!("{name}: {e}")))?;
    }
    let cursor = writer.finish().map_err(|e| TemplateError::Zip(e.to_string()))?;
    Ok(cursor.into_inner())
}

/// A safe relative entry name: `/`-separated parts of ASCII letters, digits, `_`, `-` and `.`,
/// none empty, `.` or `..`.
pub(crate) fn check_entry_name(name: &str) -> Result<(), TemplateError> {
    if crate::project::is_safe_relative_path(name) {
        Ok(())
    } else {
        Err(TemplateError::Zip(format!("unsafe entry name {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_refused() {
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "a\\b", "ü", "a b", ""] {
            assert!(check_entry_name(bad).is_err(), "{bad}");
        }
        assert!(check_entry_name("p/src/mocks/some_db.source_table.yaml").is_ok());
    }
}

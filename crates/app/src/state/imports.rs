//! The imported file: the one being read, and the one read (its rows are not part of the spec,
//! so they live here). Reading checks the size first, parses in the engine's worker when there
//! is one, and checks that the file has the columns the steps need.

use std::sync::Arc;

use dataflow_engine::import::{check_size, read_source, require_columns};
use dataflow_engine::{PipelineSpec, SourceData};
use leptos::prelude::*;

/// The imports (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct ImportState {
    /// The imported file, by name.
    pub imported: RwSignal<Option<(String, Arc<SourceData>)>>,
    /// The file being read, while it is.
    pub importing: RwSignal<Option<String>>,
}

impl ImportState {
    /// Nothing imported.
    pub fn new() -> Self {
        ImportState { imported: RwSignal::new(None), importing: RwSignal::new(None) }
    }

    /// Reads `file` as a source table for `spec` and keeps it: its name, or why it cannot be used.
    pub async fn import(self, file: web_sys::File, spec: &PipelineSpec) -> Result<String, String> {
        let name = file.name();
        check_size(&name, file.size() as u64).map_err(|e| e.to_string())?;
        self.importing.set(Some(name.clone()));
        let result = read(&name, &file).await;
        self.importing.set(None);
        let source = result?;
        require_columns(&name, &source.schema, spec).map_err(|e| e.to_string())?;
        self.imported.set(Some((name.clone(), Arc::new(source))));
        Ok(name)
    }
}

impl Default for ImportState {
    fn default() -> Self {
        Self::new()
    }
}

/// A file's rows: parsed in the engine's worker (the page's thread stays free), else here. The
/// file is read once, unless a worker took its bytes and then failed to start.
async fn read(name: &str, file: &web_sys::File) -> Result<SourceData, String> {
    let mut buffer = crate::browser::read_buffer(file).await?;
    if let Some(parsed) = crate::engine_worker::import(name, &buffer).await {
        return parsed.map_err(|e| e.to_string());
    }
    if buffer.byte_length() == 0 && file.size() > 0.0 {
        buffer = crate::browser::read_buffer(file).await?;
    }
    read_source(name, js_sys::Uint8Array::new(&buffer).to_vec()).map_err(|e| e.to_string())
}

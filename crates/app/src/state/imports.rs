//! Reading an imported file: the one being read, shown while it is. Reading checks the size
//! first, parses in the engine's worker when there is one, and checks that the file has the
//! columns the steps need; the rows read are kept by the page's sources (`crate::source`).

use dataflow_engine::import::{check_size, read_source, require_columns};
use dataflow_engine::{PipelineSpec, SourceData};
use leptos::prelude::*;

/// The imports (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct ImportState {
    /// The file being read, while it is.
    pub importing: RwSignal<Option<String>>,
}

impl ImportState {
    /// Nothing imported.
    pub fn new() -> Self {
        ImportState { importing: RwSignal::new(None) }
    }

    /// Reads `file` as a source table for `spec`: its name and rows, or why it cannot be used.
    pub async fn import(self, file: web_sys::File, spec: &PipelineSpec) -> Result<(String, SourceData), String> {
        let name = file.name();
        check_size(&name, file.size() as u64).map_err(|e| e.to_string())?;
        self.importing.set(Some(name.clone()));
        let result = read(&name, &file).await;
        self.importing.set(None);
        let source = result?;
        require_columns(&name, &source.schema, spec).map_err(|e| e.to_string())?;
        Ok((name, source))
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
    if let Some(parsed) = crate::worker::import(name, &buffer).await {
        return parsed.map_err(|e| e.to_string());
    }
    if buffer.byte_length() == 0 && file.size() > 0.0 {
        buffer = crate::browser::read_buffer(file).await?;
    }
    read_source(name, js_sys::Uint8Array::new(&buffer).to_vec()).map_err(|e| e.to_string())
}

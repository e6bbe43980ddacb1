//! What the page and the engine's worker say to each other: one serde enum each way, so a
//! message is written and read by the compiler's rules rather than by field names in strings.
//!
//! A message is posted as `{ json, bytes }`: the enum as JSON text (small: a spec, a progress
//! count), and the bytes it carries, if any (an imported file's, or an outcome's
//! `dataflow_engine::wire` bytes: Arrow IPC), whose buffer is transferred, not copied.

use dataflow_engine::{PipelineSpec, Progress};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// Page → worker.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Run the pipeline (its source: the synthetic table, generated there, or the file it holds).
    Run {
        /// Names the answer.
        id: u32,
        /// What to run.
        spec: Box<PipelineSpec>,
    },
    /// Parse the file whose bytes the message carries, and hold its rows for runs.
    Import {
        /// Names the answer.
        id: u32,
        /// The file's name (its extension says how to read it).
        name: String,
    },
    /// Compare two runs whose step results the message carries (`dataflow_engine::wire`'s
    /// `encode_sides`); the answer is `encode_diff`'s bytes.
    Diff {
        /// Names the answer.
        id: u32,
        /// The spec of the newer run (its workflow's key pairs the rows).
        spec: Box<PipelineSpec>,
        /// The columns to pair rows by instead, if the user chose them.
        key: Option<Vec<String>>,
        /// How many changed rows of the output to list.
        max_rows: usize,
    },
    /// Stop run `id` at its next check.
    Cancel {
        /// The run.
        id: u32,
    },
}

/// Worker → page.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// The worker runs the module: requests are answered from now on.
    Ready,
    /// Where run `id` is (every 100 ms).
    Progress {
        /// The run.
        id: u32,
        /// Its progress.
        progress: Progress,
    },
    /// Request `id` ended; the message carries the outcome's `wire` bytes (a run's
    /// `encode_outcome`, an import's `encode_table`, a diff's `encode_diff`; an error is encoded
    /// there too).
    Done {
        /// The request.
        id: u32,
    },
}

/// `message` as posted, and what to transfer with it (the bytes' buffer).
pub fn encode<T: Serialize>(message: &T, bytes: Option<&Uint8Array>) -> Result<(JsValue, Array), String> {
    let json = serde_json::to_string(message).map_err(|e| e.to_string())?;
    let data = Object::new();
    let set = |name: &str, value: &JsValue| Reflect::set(&data, &JsValue::from_str(name), value).map(drop);
    set("json", &JsValue::from(json)).map_err(|_| "cannot build a message".to_string())?;
    let transfer = Array::new();
    if let Some(bytes) = bytes {
        set("bytes", bytes).map_err(|_| "cannot build a message".to_string())?;
        transfer.push(&bytes.buffer());
    }
    Ok((data.into(), transfer))
}

/// A posted message read back: the enum, and the bytes it carries.
pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Option<Uint8Array>), String> {
    let get = |name: &str| Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let json = get("json").as_string().ok_or("a message without its JSON")?;
    let message = serde_json::from_str(&json).map_err(|e| format!("cannot read a message: {e}"))?;
    Ok((message, get("bytes").dyn_into::<Uint8Array>().ok()))
}

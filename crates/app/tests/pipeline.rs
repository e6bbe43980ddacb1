//! The engine's `tests/pipeline.rs` (the sample pipeline and the Spark SQL corpus) in headless
//! Chromium: `cargo test -p dataflow-app --target wasm32-unknown-unknown --test pipeline`.
//!
//! Why here and not in the engine's package: built as a test of the app, it resolves the app's
//! dependency features (leptos's proc-macro features, `futures`' thread pool, …), so it uses the
//! very wasm32 build of DataFusion that `trunk build` links into the page. Built as the engine's
//! test it gets other features and DataFusion is compiled for wasm32 a second time (8 minutes of
//! every CI run). Natively, the same file runs as the engine's own test.

#[path = "../../engine/tests/pipeline.rs"]
mod pipeline;

//! The app's plain logic, natively: the files are `crates/app`'s own, included by path, so their
//! unit tests (error marks, progress text, line diff, the zip, lesson checks, the mock forms) run
//! in `cargo test` with the other native tests.
//!
//! Why not `cargo test -p dataflow-app`: built natively, the app resolves its own dependency
//! features (leptos's), and DataFusion is compiled natively a second time (over 20 minutes here).
//! These modules use only the engine and the templates, so this crate shares the workspace's one
//! native build. A module that starts to need the browser or leptos cannot be listed here, and the
//! build says so: that is the line between the app's logic and its view.

#[path = "../../app/src/changes.rs"]
pub mod changes;
#[path = "../../app/src/gallery.rs"]
pub mod gallery;
#[path = "../../app/src/lessons.rs"]
pub mod lessons;
#[path = "../../app/src/lineage_view.rs"]
pub mod lineage_view;
#[path = "../../app/src/mocks.rs"]
pub mod mocks;
#[path = "../../app/src/profiles.rs"]
pub mod profiles;
#[path = "../../app/src/view_model.rs"]
pub mod view_model;

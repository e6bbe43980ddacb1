//! The Dataflow Playground single-page app (Leptos CSR).
//!
//! Logic lives in plain structs and free async functions (`state`, `view_model`); the components
//! only read signals and dispatch. The engine does all the data work.

#[cfg(feature = "hooks")]
pub mod bench;
pub mod browser;
pub mod changes;
pub mod components;
pub mod editor;
pub mod gallery;
pub mod lessons;
pub mod lineage_view;
pub mod mocks;
pub mod panic;
pub mod persist;
pub mod profiles;
pub mod source;
pub mod state;
pub mod view_model;
pub mod warm_up;
pub mod worker;
pub mod workflow_state;
pub mod workflow_view;

pub use components::App;

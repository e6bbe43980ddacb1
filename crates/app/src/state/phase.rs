//! The phase every panel's engine work is in: one enum, so each panel reads its state alike.

use std::sync::Arc;

/// Where a piece of the engine's work for a panel is (a comparison, a profile, suggestions, a
/// lineage graph).
#[derive(Debug)]
pub enum Phase<T> {
    /// Not asked for, nothing to do, or cleared by a newer run.
    Idle,
    /// The engine is working on it.
    Working,
    /// Done.
    Ready(Arc<T>),
    /// It failed, in words.
    Failed(String),
}

// By hand: a derive would ask `T: Clone`, and the finished work is shared, not copied.
impl<T> Clone for Phase<T> {
    fn clone(&self) -> Self {
        match self {
            Phase::Idle => Phase::Idle,
            Phase::Working => Phase::Working,
            Phase::Ready(done) => Phase::Ready(done.clone()),
            Phase::Failed(e) => Phase::Failed(e.clone()),
        }
    }
}

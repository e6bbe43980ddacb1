//! What the lessons keep of the user: what they opened, and their progress (saved). The lessons'
//! rules are in [`crate::lessons`]; this is only their memory.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::lessons::Progress;

/// The lessons' memory (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct LessonState {
    /// What the user opened (`rows:STEP_1`, `plan:STEP_3`, `country:US`).
    pub seen: RwSignal<BTreeSet<String>>,
    /// Which lesson is open, and the done steps of each (saved).
    pub progress: RwSignal<Progress>,
}

impl LessonState {
    /// Nothing seen yet; `progress` as saved.
    pub fn new(progress: Progress) -> Self {
        LessonState { seen: RwSignal::new(BTreeSet::new()), progress: RwSignal::new(progress) }
    }

    /// Notes that the user opened something a lesson asks for (a change only the first time, so
    /// the lessons are not re-checked on every click).
    pub fn saw(self, what: String) {
        if !self.seen.with_untracked(|s| s.contains(&what)) {
            self.seen.update(|s| {
                s.insert(what);
            });
        }
    }

    /// Opens lesson `number` (1-based).
    pub fn open(self, number: usize) {
        self.progress.update(|p| p.open = Some(number));
    }

    /// Leaves the open lesson (it resumes where it was).
    pub fn leave(self) {
        self.progress.update(|p| p.open = None);
    }
}

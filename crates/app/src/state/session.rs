//! The saved session: saving every edit, what the page says about a link or the saved work, and
//! swapping back to the kept work after a link was opened. Storage itself is in
//! [`crate::persist`]; this decides what the page tells the user.

use dataflow_engine::permalink::Shared;
use leptos::prelude::*;

use crate::persist::SessionMessage;

/// The session's message (inside [`AppState`](crate::state::AppState)).
#[derive(Clone, Copy)]
pub struct SessionState {
    /// What the page says about a link, the saved work or saving.
    pub message: RwSignal<Option<SessionMessage>>,
}

impl SessionState {
    /// The message the page starts with.
    pub fn new(message: Option<SessionMessage>) -> Self {
        SessionState { message: RwSignal::new(message) }
    }

    /// Saves the work (called on every edit); says so once if the browser refuses.
    pub fn save(self, shared: &Shared) {
        if let Err(e) = crate::persist::save(shared) {
            if !matches!(self.message.get_untracked(), Some(SessionMessage::SaveFailed(_))) {
                self.message.set(Some(SessionMessage::SaveFailed(e)));
            }
        }
    }

    /// Keeps `current` and gives back the kept work (the caller puts it on screen); the message
    /// says which of the two is now on screen.
    pub fn swap_kept(self, current: &Shared) -> Result<Shared, String> {
        let kept = crate::persist::swap_kept(current)?;
        let message = match self.message.get_untracked() {
            Some(SessionMessage::WorkRestored) => SessionMessage::LinkOpened { kept: true },
            _ => SessionMessage::WorkRestored,
        };
        self.message.set(Some(message));
        Ok(kept)
    }

    /// Hides the message.
    pub fn dismiss(self) {
        self.message.set(None);
    }
}

//! Saving the user's work in localStorage as they edit, and opening permalinks, without ever
//! silently overwriting saved work. The stored form is the permalink encoding (versioned).

use dataflow_engine::permalink::{decode, encode, Shared};
use dataflow_engine::{PipelineSpec, SourceSpec};

use crate::browser;

/// Where the user's work is saved (web/loader.js reads it too: saved work hides the first screen's sample).
pub const WORK_KEY: &str = "dataflow-playground.work";
/// Where the user's work waits while a permalink they opened is on screen.
pub const KEPT_KEY: &str = "dataflow-playground.kept-work";

/// Where the lessons' progress is saved.
pub const LESSONS_KEY: &str = "dataflow-playground.lessons";

/// The saved lesson progress; `?lesson=N` in the address opens lesson N.
pub fn lesson_progress() -> crate::lessons::Progress {
    let mut progress: crate::lessons::Progress =
        browser::load(LESSONS_KEY).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    let count = crate::lessons::lessons().len();
    if let Some(n) =
        browser::query_param("lesson").and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=count).contains(n))
    {
        progress.open = Some(n);
    }
    progress
}

/// Saves the lessons' progress (a refusal only means it will not be resumed).
pub fn save_lesson_progress(progress: &crate::lessons::Progress) {
    if let Ok(text) = serde_json::to_string(progress) {
        let _ = browser::save(LESSONS_KEY, &text);
    }
}

/// What the page should say about how it started or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionMessage {
    /// A shared pipeline was opened; `kept` when the user's own different work was put aside.
    LinkOpened { kept: bool },
    /// The user went back to their own work; the shared pipeline waits to be opened again.
    WorkRestored,
    /// The link could not be read; the page shows the saved work (or the sample) instead.
    LinkFailed(String),
    /// The saved work used an imported file, whose rows are not saved.
    ImportNotKept(String),
    /// The browser refused to save.
    SaveFailed(String),
}

/// Where the page starts: the link in the URL, else the saved work, else the sample.
pub fn start() -> (Shared, Option<SessionMessage>) {
    let saved_text = browser::load(WORK_KEY);
    let saved = saved_text.as_deref().and_then(|text| decode(text).ok());
    let fragment = browser::fragment();
    let (shared, message) = if fragment.is_empty() {
        match saved {
            Some(saved) => (saved, None),
            None => (sample(), None),
        }
    } else {
        // The fragment is read once; from now on the saved work is the truth.
        browser::set_fragment(None);
        match decode(&fragment) {
            Ok(link) => {
                // Different saved work is put aside (kept only if the browser lets us save it).
                let kept = match (&saved, &saved_text) {
                    (Some(saved), Some(text)) if saved.spec != link.spec => browser::save(KEPT_KEY, text).is_ok(),
                    _ => false,
                };
                (link, Some(SessionMessage::LinkOpened { kept }))
            }
            Err(e) => (saved.unwrap_or_else(sample), Some(SessionMessage::LinkFailed(e.to_string()))),
        }
    };
    without_import(shared, message)
}

fn sample() -> Shared {
    Shared::new(PipelineSpec::sample(), "pipeline")
}

/// An imported file's rows are not saved or shared: the synthetic sample stands in, and the
/// page says which file to import again.
fn without_import(mut shared: Shared, message: Option<SessionMessage>) -> (Shared, Option<SessionMessage>) {
    if let Some(baseline) = shared.baseline.as_mut().filter(|b| matches!(b.source, SourceSpec::Imported { .. })) {
        baseline.source = PipelineSpec::sample().source;
    }
    if let SourceSpec::Imported { file_name } = &shared.spec.source {
        let name = file_name.clone();
        shared.spec.source = PipelineSpec::sample().source;
        return (shared, message.or(Some(SessionMessage::ImportNotKept(name))));
    }
    (shared, message)
}

/// Saves the work; the reason if the browser refused.
pub fn save(shared: &Shared) -> Result<(), String> {
    let text = encode(shared).map_err(|e| e.to_string())?;
    browser::save(WORK_KEY, &text)
}

/// Swaps the work on screen with the kept work: returns the kept one, and keeps `current`.
pub fn swap_kept(current: &Shared) -> Result<Shared, String> {
    let kept = browser::load(KEPT_KEY).ok_or("there is no kept work")?;
    let kept = decode(&kept).map_err(|e| e.to_string())?;
    browser::save(KEPT_KEY, &encode(current).map_err(|e| e.to_string())?)?;
    Ok(without_import(kept, None).0)
}

/// Whether there is kept work to go back to.
pub fn has_kept() -> bool {
    browser::load(KEPT_KEY).is_some()
}

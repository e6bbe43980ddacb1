//! The session banner: how the page started (a shared link, the saved work) or that saving
//! failed, with what the user can do about it. Its own component because it is about the
//! session, not the run, and has its own actions (swap the kept work, dismiss).

use leptos::prelude::*;

use crate::persist::SessionMessage;
use crate::state::AppState;

/// How the page started (a link, the saved work) or that saving failed, with what the user can do.
#[component]
pub fn SessionBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dismiss = move |_| state.session.dismiss();
    move || {
        state.session.message.get().map(|message| {
            let (text, swap) = match message {
                SessionMessage::LinkOpened { kept: true } => (
                    "You opened a shared pipeline. Your own work was kept, not overwritten.".to_string(),
                    Some("Back to my work"),
                ),
                SessionMessage::LinkOpened { kept: false } => ("You opened a shared pipeline.".to_string(), None),
                SessionMessage::WorkRestored => (
                    "Your own work is back. The shared pipeline is kept too.".to_string(),
                    Some("Open the shared pipeline again"),
                ),
                SessionMessage::LinkFailed(why) => (format!("This link could not be opened: {why}"), None),
                SessionMessage::ImportNotKept(name) => (
                    format!("Your work used the imported file {name}, whose rows are not saved: the synthetic sample stands in. Import it again to use it."),
                    None,
                ),
                SessionMessage::SaveFailed(why) => (format!("Your edits are not being saved: {why}"), None),
            };
            view! {
                <div class="banner notice" role="status" data-testid="session-banner">
                    <span>{text}</span>
                    " "
                    {swap
                        .map(|label| {
                            view! {
                                <button data-testid="swap-work" on:click=move |_| state.swap_kept()>
                                    {label}
                                </button>
                            }
                        })}
                    " "
                    <button aria-label="Dismiss" on:click=dismiss>
                        "✕"
                    </button>
                </div>
            }
        })
    }
}

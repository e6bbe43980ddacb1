//! Share (the whole pipeline as a link, copied) and Reset to sample (after a confirmation).

use dataflow_engine::permalink::{Shared, LONG_LINK_CHARS};
use dataflow_engine::PipelineSpec;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::AppState;
use crate::view_model::group_digits;

/// The Share and Reset buttons, and what they say.
#[component]
pub fn ShareBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The last link made, whether it was copied, or why there is none.
    let link = RwSignal::new(None::<Result<(String, bool), String>>);
    let confirming = RwSignal::new(false);
    let share = move |_| match state.share() {
        Ok(url) => {
            link.set(Some(Ok((url.clone(), false))));
            spawn_local(async move {
                let copied = crate::browser::copy(&url).await;
                link.set(Some(Ok((url, copied))));
            });
        }
        Err(e) => link.set(Some(Err(e))),
    };
    let reset = move |_| {
        confirming.set(false);
        link.set(None);
        state.load(Shared::new(PipelineSpec::sample(), "pipeline"));
    };
    let shown = move || {
        link.get().map(|made| match made {
            Err(why) => view! {
                <p class="finding bad" data-testid="share-error">
                    {why}
                </p>
            }
            .into_any(),
            Ok((url, copied)) => {
                let length = url.chars().count();
                let long = (length > LONG_LINK_CHARS).then(|| {
                    format!(
                        "Some chat tools cut links over {} characters; this one has {}. It still works pasted whole.",
                        group_digits(LONG_LINK_CHARS),
                        group_digits(length)
                    )
                });
                view! {
                    <div
                        class="share-popover"
                        role="dialog"
                        aria-label="Share link"
                        data-testid="share-popover"
                        on:keydown=move |e| {
                            if e.key() == "Escape" {
                                link.set(None)
                            }
                        }
                    >
                        <input
                            readonly
                            data-testid="share-link"
                            prop:value=url.clone()
                            aria-label="Link to this pipeline"
                            on:focus=move |e| {
                                event_target::<web_sys::HtmlInputElement>(&e).select();
                            }
                        />
                        <p class="stats" data-testid="share-status">
                            {if copied { "Copied to the clipboard. " } else { "Copy it from the box. " }}
                            {format!("{} characters; opening it runs this exact pipeline.", group_digits(length))}
                            {state
                                .changes
                                .pinned_spec
                                .with_untracked(Option::is_some)
                                .then_some(
                                    " It carries the pinned baseline too: it runs first, and the Changes panel shows what this pipeline changes.",
                                )}
                        </p>
                        {long
                            .map(|text| {
                                view! {
                                    <p class="finding bad" data-testid="share-long">
                                        {text}
                                    </p>
                                }
                            })}
                        <button on:click=move |_| link.set(None)>"Close"</button>
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <span class="share-bar">
            <button data-testid="share" title="Put the whole pipeline in a link and copy it" on:click=share>
                "Share"
            </button>
            <Show
                when=move || !confirming.get()
                fallback=move || {
                    view! {
                        <span class="confirm" data-testid="reset-confirm">
                            "Replace your pipeline with the sample? "
                            <button class="danger" data-testid="reset-yes" on:click=reset>
                                "Reset"
                            </button>
                            <button on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </span>
                    }
                }
            >
                <button
                    data-testid="reset"
                    title="Start again from the sample pipeline"
                    on:click=move |_| confirming.set(true)
                >
                    "Reset to sample"
                </button>
            </Show>
            {shown}
        </span>
    }
}

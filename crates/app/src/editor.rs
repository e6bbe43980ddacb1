//! The code editors' JavaScript side (`web/editor/index.js`, CodeMirror 6, bundled by esbuild into
//! the global `DataflowEditor`). Every call catches a JS exception, so a missing bundle is an error
//! the page shows, never a panic.

use leptos::prelude::{ArcRwSignal, Get, GetUntracked, Set};
use wasm_bindgen::prelude::*;

pub use crate::view_model::{ErrorMark, Language};

// The editors wait for the page's first result. Creating them (seven CodeMirror views, their
// layout, their vocabulary) takes 50–90 ms of the page's thread, and the first result needs
// none of it: on a repeat visit that is a tenth of the time to the first result (issue #17). So
// they are created once a run has ended and its result has painted ([`start_after_paint`], from
// the run's end in `state.rs`), or [`START_AT_THE_LATEST_MS`] after the page started if no run
// has ended by then (a long first run). Until then each editor's place shows its text.
thread_local! {
    static MAY_START: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// How long the editors wait for the first run's result at most.
pub const START_AT_THE_LATEST_MS: u32 = 1500;

/// Whether the editors may be created yet (tracked: an editor waiting for it is created when it
/// turns true).
pub fn may_start() -> bool {
    MAY_START.with(|started| started.get())
}

fn start() {
    MAY_START.with(|started| {
        if !started.get_untracked() {
            started.set(true);
        }
    });
}

/// Lets the editors be created after the next paint (a run's result is then on screen).
///
/// Scheduled after every run, even once the editors exist: a split build's first module holds
/// only the code its profiled first visit ran (web/tools/split.mjs), so this path must run on
/// every visit, whether it or [`start_at_the_latest`] comes first (a slow first run).
pub fn start_after_paint() {
    leptos::task::spawn_local(async {
        crate::browser::after_next_paint().await;
        start();
    });
}

/// Lets the editors be created [`START_AT_THE_LATEST_MS`] from now at the latest.
pub fn start_at_the_latest() {
    leptos::task::spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(START_AT_THE_LATEST_MS).await;
        start();
    });
}

#[wasm_bindgen(js_namespace = DataflowEditor)]
extern "C" {
    #[wasm_bindgen(catch, js_name = create)]
    fn js_create(
        parent: &web_sys::HtmlElement,
        doc: &str,
        language: &str,
        label: &str,
        on_change: &js_sys::Function,
        read_only: bool,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = setText)]
    fn js_set_text(view: &JsValue, text: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = markError)]
    fn js_mark_error(view: &JsValue, from: u32, to: u32, message: &str, focus: bool) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = clearMarks)]
    fn js_clear_marks(view: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = destroy)]
    fn js_destroy(view: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = setVocabulary)]
    fn js_set_vocabulary(keywords: &str, functions: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = setSchema)]
    fn js_set_schema(view: &JsValue, tables_json: &str) -> Result<(), JsValue>;
}

/// Gives the editors Spark's keywords and function names (the engine's lists), once.
fn set_vocabulary() -> Result<(), String> {
    static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        let keywords = dataflow_engine::spark::SPARK_KEYWORDS.iter().copied().collect::<Vec<_>>().join(" ");
        let functions = dataflow_engine::spark::SPARK_FUNCTIONS.iter().copied().collect::<Vec<_>>().join(" ");
        js_set_vocabulary(&keywords, &functions).map_err(message)
    })
    .clone()
}

/// Tables and their columns, offered as you type in an SQL editor.
pub type Tables = Vec<(String, Vec<String>)>;

impl Language {
    fn id(self) -> &'static str {
        match self {
            Language::Sql => "sql",
            Language::Yaml => "yaml",
            Language::Python => "python",
            Language::Scala => "scala",
            Language::R => "r",
            Language::Toml => "toml",
            Language::Ini => "ini",
            Language::Groovy => "groovy",
            Language::Text => "text",
        }
    }
}

/// One live CodeMirror view and the callback it calls on each edit (kept alive with it).
pub struct Editor {
    view: JsValue,
    _on_change: Closure<dyn Fn(String)>,
}

fn message(e: JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{e:?}"))
}

impl Editor {
    /// Creates an editor in `parent` holding `doc`; `on_change` gets the text after each user
    /// edit; a `read_only` one is a viewer.
    pub fn create(
        parent: &web_sys::HtmlElement,
        doc: &str,
        language: Language,
        label: &str,
        on_change: impl Fn(String) + 'static,
        read_only: bool,
    ) -> Result<Editor, String> {
        if language == Language::Sql {
            set_vocabulary()?;
        }
        let on_change = Closure::<dyn Fn(String)>::new(on_change);
        let view = js_create(parent, doc, language.id(), label, on_change.as_ref().unchecked_ref(), read_only)
            .map_err(message)?;
        Ok(Editor { view, _on_change: on_change })
    }

    /// Shows `text`, unless it already does (a user's own edit coming back).
    pub fn set_text(&self, text: &str) -> Result<(), String> {
        js_set_text(&self.view, text).map_err(message)
    }

    /// Offers `tables`' columns as you type (SQL editors only).
    pub fn set_schema(&self, tables: &Tables) -> Result<(), String> {
        // Pairs, in run order: the JS side offers the last table's columns without a prefix.
        js_set_schema(&self.view, &serde_json::json!(tables).to_string()).map_err(message)
    }

    /// Marks `mark` (or clears every mark); `focus` also puts the cursor on it.
    pub fn mark(&self, mark: Option<&ErrorMark>, focus: bool) -> Result<(), String> {
        match mark {
            Some(m) => js_mark_error(&self.view, m.from, m.to, &m.message, focus),
            None => js_clear_marks(&self.view),
        }
        .map_err(message)
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        // Nothing to do if it fails: the element is going away with the component.
        let _ = js_destroy(&self.view);
    }
}

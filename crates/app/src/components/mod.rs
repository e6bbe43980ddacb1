//! The page's components. Each reads `AppState` from context and only dispatches to it.

mod audit_row;
mod audits_editor;
mod catalog_panel;
mod catalog_table;
mod changes_panel;
mod code_editor;
mod dag_view;
mod data_grid;
mod downloads;
mod file_diff;
mod gallery_options;
mod gallery_parts;
mod gallery_tab;
mod generator_rows;
mod generator_table;
mod job_details;
mod lesson_panel;
mod lessons_view;
mod lineage_graph;
mod messages;
mod mock_editor;
mod mock_generator;
mod mock_grid;
mod mocks_tab;
mod params_panel;
mod pipeline_tab;
mod profile_panel;
mod publish_changes;
mod result_chart;
mod result_table;
mod session_banner;
mod share_bar;
mod source_picker;
mod step_card;
mod step_details;
mod suggested_audits;
mod tab_bar;
mod target_panel;
mod top_bar;
mod unit_test_panel;
mod workflow_files;
mod workflow_tab;

use leptos::ev;
use leptos::prelude::*;

use crate::state::{AppState, Tab};
pub use audits_editor::AuditsEditor;
pub use catalog_panel::{CatalogPanel, ScheduleProgress};
pub use changes_panel::ChangesPanel;
pub use code_editor::CodeEditor;
pub use dag_view::DagView;
pub use data_grid::DataGrid;
pub use downloads::Downloads;
pub use gallery_tab::GalleryTab;
pub use job_details::JobDetails;
pub use lesson_panel::LessonPanel;
pub use lessons_view::LearnTab;
pub use lineage_graph::LineageGraph;
pub use messages::{FailureBanner, Notices, RunSummary};
pub use mock_editor::MockEditor;
pub use mock_generator::MockGenerator;
pub use mock_grid::MockGrid;
use mocks_tab::MocksTab;
pub use params_panel::ParamsPanel;
use pipeline_tab::PipelineTab;
pub use profile_panel::ProfilePanel;
pub use publish_changes::PublishChanges;
pub use result_chart::ResultChart;
pub use result_table::ResultTable;
pub use session_banner::SessionBanner;
pub use share_bar::ShareBar;
pub use source_picker::SourcePicker;
pub use step_card::StepCard;
pub use suggested_audits::SuggestedAudits;
use tab_bar::TabBar;
pub use target_panel::TargetPanel;
pub use top_bar::TopBar;
pub use unit_test_panel::UnitTestPanel;
pub use workflow_files::WorkflowFiles;
pub use workflow_tab::WorkflowTab;

/// The whole page: top bar, the steps, the target table's DDL and the result.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    provide_context(crate::workflow_state::WorkflowState::new());
    // Ctrl+Enter / Cmd+Enter runs, wherever the focus is.
    let _ = window_event_listener(ev::keydown, move |e| {
        if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
            e.prevent_default();
            state.run();
        }
    });
    state.run();
    crate::editor::start_at_the_latest();
    // Every edit is saved as it happens. A link in the address bar is dropped once the pipeline
    // moves on from it, so a reload brings back the edits, not the link.
    Effect::new(move |previous: Option<()>| {
        state.spec.track();
        state.tab.track();
        state.save();
        if previous.is_some() && !crate::browser::fragment().is_empty() {
            crate::browser::set_fragment(None);
        }
    });
    view! {
        <TopBar />
        <main
            on:dragover=move |e| e.prevent_default()
            on:drop=move |e| {
                e.prevent_default();
                let file = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0));
                if let Some(file) = file {
                    state.import_file(file);
                }
            }
        >
            <SessionBanner />
            <FailureBanner />
            <TabBar />
            // Built with the page whichever tab is shown: every visit runs the pipeline, and its
            // result (the fingerprint a link is checked by) is there.
            <div role="tabpanel" class:hidden=move || state.tab.get() != Tab::Pipeline>
                <PipelineTab />
            </div>
            <TabPanel tab=Tab::Mocks class="mocks-tab">
                <MocksTab />
            </TabPanel>
            <TabPanel tab=Tab::Workflow>
                <WorkflowTab />
            </TabPanel>
            <TabPanel tab=Tab::Gallery>
                <GalleryTab />
            </TabPanel>
            <TabPanel tab=Tab::Learn>
                <LearnTab />
            </TabPanel>
        </main>
        <LessonPanel />
    }
}

/// A tab's panel (but the Pipeline tab's). Its content is built the first time the tab is shown,
/// not with the page: the first result does not wait for tabs the user has not opened (issue #17).
/// Once built it stays, hidden while another tab is shown, so each tab keeps its state.
#[component]
fn TabPanel(tab: Tab, #[prop(optional)] class: &'static str, children: ChildrenFn) -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = Memo::new(move |_| state.tab.get() == tab);
    let opened = Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || shown.get());
    view! {
        <div role="tabpanel" class=class class:hidden=move || !shown.get()>
            {move || opened.get().then(|| children())}
        </div>
    }
}

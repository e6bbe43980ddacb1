//! The Mocks tab: the input and expected mocks, the mock generator and the unit test. Its own
//! component so the page (`App`) only lays out the tabs; built when the tab is first shown, it
//! stays mounted while other tabs are shown.

use leptos::prelude::*;

use super::{MockEditor, MockGenerator, UnitTestPanel};
use crate::mocks::MockSlot;

/// The mocks the unit test runs on, and the test.
#[component]
pub fn MocksTab() -> impl IntoView {
    view! {
        <MockEditor
            which=MockSlot::Input
            file_name="some_db.source_table.yaml"
            about="The transform's input: rows of the source table."
        />
        <MockEditor
            which=MockSlot::Expected
            file_name="dataflow_sample_results.yaml"
            about="The rows the last step must give on the input mock."
        />
        <MockGenerator />
        <UnitTestPanel />
    }
}

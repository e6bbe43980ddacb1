//! The page's tabs: their ids (in links, the saved work and test ids) and titles.

/// The page's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Steps, parameters, DDL and the result.
    Pipeline,
    /// The mocks and the unit test.
    Mocks,
    /// Write-Audit-Publish, daily and backfill runs, the catalog.
    Workflow,
    /// The template gallery.
    Gallery,
    /// The onboarding lessons.
    Learn,
}

impl Tab {
    /// Every tab, in the order the page shows them.
    pub const ALL: [Tab; 5] = [Tab::Pipeline, Tab::Mocks, Tab::Workflow, Tab::Gallery, Tab::Learn];

    /// The tab's id in links and test ids.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Pipeline => "pipeline",
            Tab::Mocks => "mocks",
            Tab::Workflow => "workflow",
            Tab::Gallery => "gallery",
            Tab::Learn => "learn",
        }
    }

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Pipeline => "Pipeline",
            Tab::Mocks => "Mocks & unit test",
            Tab::Workflow => "Workflow (WAP)",
            Tab::Gallery => "Template gallery",
            Tab::Learn => "Learn",
        }
    }

    /// The tab with this id, if any.
    pub fn from_id(id: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.id() == id)
    }
}

//! Onboarding lessons tied to the live app. Each step is done when the app's real state says so
//! (never by a "next" button alone); a step counts only once the steps before it are done, and a
//! done step stays done. Progress is saved, so a lesson can be left and resumed; `?lesson=N`
//! opens lesson N.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// What a lesson can see of the app: a plain snapshot of its state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The tab on screen (`pipeline`, `mocks`, …).
    pub tab: String,
    /// `${top_n}` as set now.
    pub top_n: u32,
    /// `${top_n}` of the last run that finished.
    pub ran_top_n: Option<u32>,
    /// Rows of the last step in the last run that finished.
    pub output_rows: Option<usize>,
    /// Steps in the last run that finished.
    pub ran_steps: usize,
    /// What the user opened: `rows:STEP_1`, `plan:STEP_3`, `country:US`.
    pub seen: BTreeSet<String>,
    /// The last unit test: passed or not.
    pub unit_test: Option<bool>,
    /// Whether the expected mock differs from the sample's.
    pub expected_edited: bool,
    /// How the last run of main (in the Workflow tab) ended: `published`, `blocked`, `failed`.
    pub last_wap: Option<&'static str>,
}

/// One thing to do in a lesson.
pub struct LessonStep {
    /// What to do.
    pub task: &'static str,
    /// Why, or where to look.
    pub hint: &'static str,
    /// Whether the app's state shows it done.
    pub done: fn(&Facts) -> bool,
}

/// A guided lesson.
pub struct Lesson {
    /// What it teaches.
    pub title: &'static str,
    /// One sentence on why it matters.
    pub goal: &'static str,
    /// What to do, in order.
    pub steps: Vec<LessonStep>,
}

/// Every lesson, in order (lesson N is `lessons()[N - 1]`).
pub fn lessons() -> Vec<Lesson> {
    vec![
        Lesson {
            title: "Run the sample and read each step",
            goal: "The article's pipeline: sum the hours per title and country, rank them per country, keep the top N.",
            steps: vec![
                LessonStep {
                    task: "Let the sample pipeline run (it runs when the page opens; Run or Ctrl+Enter runs it again).",
                    hint: "The line under the tabs says how many source rows went in and how many came out.",
                    done: |f| f.ran_steps >= 3 && f.output_rows.is_some(),
                },
                LessonStep {
                    task: "Open STEP_1's \"Rows and columns\".",
                    hint: "One row per title and country: the hours of the run date, summed.",
                    done: |f| f.seen.contains("rows:STEP_1"),
                },
                LessonStep {
                    task: "Open STEP_2's \"Rows and columns\".",
                    hint:
                        "RANK() numbers the titles within each country; ties share a rank (sort by title_rank to see).",
                    done: |f| f.seen.contains("rows:STEP_2"),
                },
                LessonStep {
                    task: "Open STEP_3's \"Explain\".",
                    hint: "The plans show the filter on title_rank that keeps the top N.",
                    done: |f| f.seen.contains("plan:STEP_3"),
                },
            ],
        },
        Lesson {
            title: "Change top-N and see the effect",
            goal: "Parameters such as ${top_n} are set per run, as the workflow YAML passes them.",
            steps: vec![
                LessonStep {
                    task: "Set Top N to 10 in the top bar.",
                    hint: "The pipeline runs again on its own; STEP_3 keeps about a tenth of the rows.",
                    done: |f| f.top_n == 10 && f.ran_top_n == Some(10),
                },
                LessonStep {
                    task: "Pick a country in the result's filter.",
                    hint: "The chart shows that country's top titles by view hours.",
                    done: |f| f.seen.iter().any(|s| s.starts_with("country:")),
                },
                LessonStep {
                    task: "Set Top N back to 100.",
                    hint: "About 19,000 rows again: 190 countries × 100, plus ties.",
                    done: |f| f.top_n == 100 && f.ran_top_n == Some(100),
                },
            ],
        },
        Lesson {
            title: "Break an audit and watch Write-Audit-Publish block the publish",
            goal: "The write goes to staging; a failing blocking audit means nothing reaches readers.",
            steps: vec![
                LessonStep {
                    task: "Open the \"Workflow (WAP)\" tab.",
                    hint: "main's jobs: ddl → metadata → write → audit → publish → hwm.",
                    done: |f| f.tab == "workflow",
                },
                LessonStep {
                    task: "Run main: the audits pass, and the run date's partition is published.",
                    hint:
                        "The catalog shows the partition, the high-water mark and a fingerprint of the published rows.",
                    done: |f| f.last_wap == Some("published"),
                },
                LessonStep {
                    task: "Break it: give row_count_should_be_within a max of 10 (it is blocking), and run main again.",
                    hint: "The audits run on the staged partition, before anything is published.",
                    done: |f| f.last_wap == Some("blocked"),
                },
                LessonStep {
                    task: "Click the audit job to see which audit failed and its failing rows.",
                    hint: "publish and hwm were skipped: the catalog's fingerprint did not change.",
                    done: |f| f.last_wap == Some("blocked") && f.seen.contains("job:audit"),
                },
            ],
        },
        Lesson {
            title: "Write a mock and a failing unit test, then fix it",
            goal: "Mocks let you test the transform in seconds, without a warehouse.",
            steps: vec![
                LessonStep {
                    task: "Open the \"Mocks & unit test\" tab.",
                    hint: "The input mock is some_db.source_table; the expected mock is what the last step must give.",
                    done: |f| f.tab == "mocks",
                },
                LessonStep {
                    task: "Run the unit test: the sample passes.",
                    hint: "It runs the steps on the input mock and compares with the expected mock.",
                    done: |f| f.unit_test == Some(true),
                },
                LessonStep {
                    task: "Change a view_hours value in the expected mock (YAML or Grid) and run the test again.",
                    hint: "It fails, and the diff marks the cell that differs.",
                    done: |f| f.expected_edited && f.unit_test == Some(false),
                },
                LessonStep {
                    task: "Fix it: undo your change, or use \"Make expected from current output\", and run the test.",
                    hint: "A passing test is what CI would check before the job ships.",
                    done: |f| f.unit_test == Some(true),
                },
            ],
        },
        Lesson {
            title: "Generate and download a template",
            goal: "Take what you built to a real Spark project: the same logic in the recipe of your choice.",
            steps: vec![
                LessonStep {
                    task: "Open the \"Template gallery\" tab.",
                    hint: "Four recipes: Spark SQL, PySpark, Scala and sparklyr, all from your pipeline.",
                    done: |f| f.tab == "gallery",
                },
                LessonStep {
                    task: "Open a file of the project in the file tree (try the transform or main.sch.yaml).",
                    hint: "Tick \"diff against the default template\" to see what your edits changed.",
                    done: |f| f.seen.iter().any(|s| s.starts_with("file:")),
                },
                LessonStep {
                    task: "Download a recipe's zip.",
                    hint: "Unzip it and run its unit test (the README in the zip says how).",
                    done: |f| f.seen.iter().any(|s| s.starts_with("download:")),
                },
            ],
        },
    ]
}

/// The user's progress: the lesson on screen, and the done steps of each lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The open lesson (1-based), if any.
    pub open: Option<usize>,
    /// Done steps (0-based) by lesson (1-based).
    pub done: BTreeMap<usize, BTreeSet<usize>>,
}

impl Progress {
    /// Marks the steps `facts` shows done, in order: a step counts only when every step before
    /// it is done. Returns whether anything changed.
    pub fn advance(&mut self, facts: &Facts) -> bool {
        let Some(number) = self.open else { return false };
        let Some(lesson) = number.checked_sub(1).and_then(|i| lessons().into_iter().nth(i)) else { return false };
        let done = self.done.entry(number).or_default();
        let before = done.len();
        for (i, step) in lesson.steps.iter().enumerate() {
            if done.contains(&i) {
                continue;
            }
            if (step.done)(facts) {
                done.insert(i);
            } else {
                break;
            }
        }
        done.len() != before
    }

    /// The first step of the open lesson not yet done (`None` when it is finished).
    pub fn current(&self) -> Option<usize> {
        let number = self.open?;
        let total = lessons().get(number.checked_sub(1)?)?.steps.len();
        let done = self.done.get(&number);
        (0..total).find(|i| done.is_none_or(|d| !d.contains(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran_sample() -> Facts {
        Facts {
            tab: "pipeline".into(),
            top_n: 100,
            ran_top_n: Some(100),
            output_rows: Some(19_000),
            ran_steps: 3,
            ..Facts::default()
        }
    }

    fn seen(facts: &mut Facts, what: &str) {
        facts.seen.insert(what.to_string());
    }

    #[test]
    fn steps_count_only_in_order() {
        let mut progress = Progress { open: Some(1), ..Progress::default() };
        let mut facts = ran_sample();
        // STEP_3's plan opened before STEP_1's rows: only the run counts.
        seen(&mut facts, "plan:STEP_3");
        assert!(progress.advance(&facts));
        assert_eq!(progress.done.get(&1), Some(&BTreeSet::from([0])));
        assert_eq!(progress.current(), Some(1));
        seen(&mut facts, "rows:STEP_1");
        seen(&mut facts, "rows:STEP_2");
        assert!(progress.advance(&facts));
        assert_eq!(progress.current(), None, "all four steps done");
        assert!(!progress.advance(&facts), "nothing more to change");
    }

    #[test]
    fn a_done_step_stays_done() {
        let mut progress = Progress { open: Some(2), ..Progress::default() };
        let mut facts = ran_sample();
        facts.top_n = 10;
        facts.ran_top_n = Some(10);
        assert!(progress.advance(&facts));
        // Top N set back before the country step: the first step stays done.
        facts.top_n = 100;
        facts.ran_top_n = Some(100);
        assert!(!progress.advance(&facts));
        assert_eq!(progress.current(), Some(1));
    }

    #[test]
    fn top_n_counts_only_once_a_run_used_it() {
        let mut progress = Progress { open: Some(2), ..Progress::default() };
        let mut facts = ran_sample();
        facts.top_n = 10; // typed, not run yet
        assert!(!progress.advance(&facts));
        assert_eq!(progress.current(), Some(0));
    }

    #[test]
    fn the_unit_test_lesson_needs_a_failing_test_on_an_edited_mock() {
        let mut progress = Progress { open: Some(4), ..Progress::default() };
        let mut facts = Facts { tab: "mocks".into(), unit_test: Some(true), ..Facts::default() };
        assert!(progress.advance(&facts));
        assert_eq!(progress.current(), Some(2));
        // A failing test on the sample's own expected mock is not the edit the lesson asks for.
        facts.unit_test = Some(false);
        assert!(!progress.advance(&facts));
        facts.expected_edited = true;
        assert!(progress.advance(&facts));
        facts.unit_test = Some(true);
        assert!(progress.advance(&facts));
        assert_eq!(progress.current(), None);
    }

    #[test]
    fn no_lesson_open_or_an_unknown_one_changes_nothing() {
        let mut closed = Progress::default();
        assert!(!closed.advance(&ran_sample()));
        assert_eq!(closed.current(), None);
        let mut unknown = Progress { open: Some(lessons().len() + 1), ..Progress::default() };
        assert!(!unknown.advance(&ran_sample()));
        assert_eq!(unknown.current(), None);
        assert!(unknown.done.is_empty());
    }
}

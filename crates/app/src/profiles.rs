//! A table's profile (`dataflow_engine::profile`) and the audits it suggests
//! (`dataflow_engine::audit::suggest`) as the Profile panel reads them: plain data built once per
//! profile, with each histogram's bars laid out for a small SVG. The component only draws it.

use dataflow_engine::audit::suggest::SuggestedAudit;
use dataflow_engine::profile::{short, Histogram, TableProfile};
use dataflow_engine::table::group_digits;
use dataflow_engine::workflow::audit_yaml;
use dataflow_engine::AuditSpec;

/// A histogram's drawing area, in SVG units.
pub const CHART: (f64, f64) = (120.0, 32.0);

/// One bar of a histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge (the chart's bottom is [`CHART`]'s height).
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height (0 for an empty bin).
    pub height: f64,
    /// `1.5 to 2.0: 190 rows`, the bar's tooltip.
    pub title: String,
}

/// One column's line of the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnLine {
    /// The column's name.
    pub name: String,
    /// Its type, as Spark names it.
    pub data_type: String,
    /// `0 (0.0%)`.
    pub nulls: String,
    /// `190`, or empty when the type has no distinct count.
    pub distinct: String,
    /// `AD … ZW`, or empty.
    pub range: String,
    /// The mean of numbers, or empty.
    pub mean: String,
    /// `US (1,917), BR (1,320)`, or empty when no value repeats.
    pub top: String,
    /// The histogram's bars (numbers with more than one value).
    pub bars: Vec<Bar>,
}

/// The whole profile, as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileView {
    /// `STEP_3: 1,902 rows, 4 columns`.
    pub headline: String,
    /// One line per column, in the table's order.
    pub columns: Vec<ColumnLine>,
}

impl ProfileView {
    /// The panel's data for the profile of the table named `name`.
    pub fn new(name: &str, profile: &TableProfile) -> Self {
        let rows = profile.rows;
        let n = |v: u64| group_digits(v as usize);
        let columns = profile
            .columns
            .iter()
            .map(|c| ColumnLine {
                name: c.name.clone(),
                data_type: c.data_type.clone(),
                nulls: format!("{} ({:.1}%)", n(c.nulls), c.null_share(rows) * 100.0),
                distinct: c.distinct.map(n).unwrap_or_default(),
                range: match (&c.min, &c.max) {
                    (Some(lo), Some(hi)) => format!("{lo} … {hi}"),
                    _ => String::new(),
                },
                mean: c.mean.map(short).unwrap_or_default(),
                top: c.top.iter().map(|(v, count)| format!("{v} ({})", n(*count))).collect::<Vec<_>>().join(", "),
                bars: c.histogram.as_ref().map(bars).unwrap_or_default(),
            })
            .collect();
        let headline = format!("{name}: {}, {}", counted(rows, "row"), counted(profile.columns.len() as u64, "column"));
        ProfileView { headline, columns }
    }
}

/// A histogram's bars in a [`CHART`]-sized box, the tallest bin full height.
pub fn bars(histogram: &Histogram) -> Vec<Bar> {
    let (width, height) = CHART;
    let bins = histogram.counts.len().max(1);
    let tallest = histogram.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = (histogram.high - histogram.low) / bins as f64;
    let slot = width / bins as f64;
    histogram
        .counts
        .iter()
        .enumerate()
        .map(|(i, count)| {
            let h = *count as f64 / tallest * height;
            let from = histogram.low + step * i as f64;
            let to = if i + 1 == bins { histogram.high } else { from + step };
            Bar {
                x: slot * i as f64,
                y: height - h,
                width: (slot - 1.0).max(1.0),
                height: h,
                title: format!("{} to {}: {}", short(from), short(to), counted(*count, "row")),
            }
        })
        .collect()
}

/// A suggested audit as the panel lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionLine {
    /// The audit to add to the workflow.
    pub audit: AuditSpec,
    /// `because view_hours has no NULL in 1,902 rows`.
    pub because: String,
    /// The audit as `main.sch.yaml` will list it.
    pub yaml: String,
}

/// The panel's lines for the engine's suggestions.
pub fn suggestion_lines(suggested: &[SuggestedAudit]) -> Vec<SuggestionLine> {
    suggested
        .iter()
        .map(|s| SuggestionLine {
            audit: s.audit.clone(),
            because: format!("because {}", s.because),
            yaml: audit_yaml(&s.audit, 0),
        })
        .collect()
}

/// `1 row`, `1,902 rows`.
fn counted(n: u64, what: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {what}{s}", group_digits(n as usize))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use dataflow_engine::profile::ColumnProfile;

    #[test]
    fn bars_fill_the_chart_and_say_their_bin() {
        let h = Histogram { low: 0.0, high: 10.0, counts: vec![4, 0, 2, 0, 0, 0, 0, 0, 0, 1] };
        let b = bars(&h);
        assert_eq!(b.len(), 10);
        assert_eq!((b[0].y, b[0].height), (0.0, CHART.1));
        assert_eq!(b[1].height, 0.0);
        assert_eq!(b[2].height, CHART.1 / 2.0);
        assert_eq!(b[9].x, CHART.0 * 0.9);
        assert_eq!(b[0].title, "0 to 1: 4 rows");
        assert_eq!(b[9].title, "9 to 10: 1 row");
    }

    #[test]
    fn a_profile_reads_as_the_cli_prints_it() {
        let column = ColumnProfile {
            name: "view_hours".into(),
            data_type: "DOUBLE".into(),
            nulls: 1,
            distinct: Some(1234),
            min: Some("0.5".into()),
            max: Some("99.25".into()),
            mean: Some(3.0061234567),
            top: vec![("2.5".into(), 4873)],
            histogram: None,
        };
        let view = ProfileView::new("STEP_1", &TableProfile { rows: 4000, columns: vec![column] });
        assert_eq!(view.headline, "STEP_1: 4,000 rows, 1 column");
        let line = &view.columns[0];
        assert_eq!(
            (line.nulls.as_str(), line.distinct.as_str(), line.range.as_str(), line.mean.as_str(), line.top.as_str()),
            ("1 (0.0%)", "1,234", "0.5 … 99.25", "3.006123", "2.5 (4,873)")
        );
        assert!(line.bars.is_empty());
    }
}

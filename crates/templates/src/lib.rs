//! Recipe files rendered from a pipeline spec. No browser dependency: the app and the CLI both
//! call it, and its output is plain text (zip bytes come with the template gallery).

use dataflow_engine::PipelineSpec;

/// The whole transform as the one Spark SQL query a write job runs: every step becomes a CTE,
/// in order, and the query selects the last one. `${PARAM}` references stay for the scheduler.
///
/// Returns `None` for a spec without steps.
pub fn cte_query(spec: &PipelineSpec) -> Option<String> {
    let last = spec.steps.last()?;
    let ctes: Vec<String> =
        spec.steps.iter().map(|step| format!("{} AS (\n{}\n)", step.name, indent(step.sql.trim(), "    "))).collect();
    Some(format!("WITH {}\nSELECT * FROM {}", ctes.join("\n, "), last.name))
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| if line.is_empty() { String::new() } else { format!("{prefix}{line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_query_chains_the_three_steps() {
        insta::assert_snapshot!(cte_query(&PipelineSpec::sample()).unwrap());
    }

    #[test]
    fn no_steps_no_query() {
        let spec = PipelineSpec { steps: vec![], ..PipelineSpec::sample() };
        assert_eq!(cte_query(&spec), None);
    }
}

//! `dataflow mock generate` and `dataflow mock validate`: the engine's mocks on the command line.

use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::{generate, Sample, Selection};
use dataflow_engine::{Mock, PipelineSpec, RunDate, SourceData, SyntheticSpec, SOURCE_TABLE};

use crate::cli::{GenerateArgs, ValidateArgs};
use crate::read_file;

pub fn generate_mock(args: GenerateArgs) -> Result<String, String> {
    if let Some(path) = &args.ddl {
        let table = parse_ddl(&read_file(path)?, &PipelineSpec::sample().params).map_err(|e| format!("{path}: {e}"))?;
        return Ok(Mock::empty_from_table(&table).to_yaml());
    }
    let date = match &args.date {
        Some(text) => RunDate::parse(text).map_err(|e| e.to_string())?,
        None => PipelineSpec::sample().params.date,
    };
    // The run date's rows only: a one-day synthetic table has exactly the rows that day has in a longer one.
    let defaults = SyntheticSpec::ending_on(date);
    let spec = SyntheticSpec { first_date: date, days: 1, seed: args.seed.unwrap_or(defaults.seed), ..defaults };
    let source = SourceData::synthetic(&spec).map_err(|e| e.to_string())?;
    let sample = match args.top {
        Some(top) => Sample::TopPerGroup {
            group_by: args.group_by,
            groups: args.groups,
            order_by: args.order_by,
            top,
            ties: !args.no_ties,
        },
        None => Sample::First { rows: args.rows },
    };
    let columns = args.columns.iter().map(|c| c.trim().to_string()).collect();
    let selection = Selection { columns, sample };
    let mock = generate(SOURCE_TABLE, &source.schema, &source.batches, &selection).map_err(|e| e.to_string())?;
    Ok(mock.to_yaml())
}

pub fn validate_mock(args: &ValidateArgs) -> Result<String, String> {
    let file = &args.file;
    let mock = Mock::parse(&read_file(file)?).map_err(|e| format!("{file}: {e}"))?;
    let findings = match &args.ddl {
        Some(path) => {
            let table =
                parse_ddl(&read_file(path)?, &PipelineSpec::sample().params).map_err(|e| format!("{path}: {e}"))?;
            mock.validate_against_table(&table)
        }
        None => mock.findings(),
    };
    if findings.is_empty() {
        return Ok(format!("{file}: no findings ({} row(s))\n", mock.rows.len()));
    }
    let lines: Vec<String> = findings.iter().map(|f| format!("{file}: {f}")).collect();
    Err(format!("{} finding(s)\n{}", findings.len(), lines.join("\n")))
}

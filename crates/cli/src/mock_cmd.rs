//! `dataflow mock generate` and `dataflow mock validate`: the engine's mocks on the command line.

use dataflow_engine::ddl::parse_ddl;
use dataflow_engine::mock::{generate, Sample, Selection};
use dataflow_engine::{Mock, PipelineSpec, RunDate, SourceData, SyntheticSpec, SOURCE_TABLE};

use crate::{parse_number, read_file};

/// `mock generate …` or `mock validate …`.
pub fn mock(args: &[String]) -> Result<String, String> {
    match args.split_first() {
        Some((cmd, rest)) if cmd == "generate" => generate_mock(rest),
        Some((cmd, rest)) if cmd == "validate" => validate_mock(rest),
        Some((cmd, _)) => Err(format!("unknown mock command {cmd:?}: use mock generate or mock validate")),
        None => Err("mock needs a command: generate or validate".into()),
    }
}

/// What `mock generate` was asked for.
struct GenerateArgs {
    ddl: Option<String>,
    date: RunDate,
    seed: Option<u64>,
    columns: Vec<String>,
    rows: Option<usize>,
    top: Option<usize>,
    groups: usize,
    group_by: String,
    order_by: String,
    ties: bool,
}

fn generate_args(args: &[String]) -> Result<GenerateArgs, String> {
    let mut parsed = GenerateArgs {
        ddl: None,
        date: PipelineSpec::sample().params.date,
        seed: None,
        columns: Vec::new(),
        rows: None,
        top: None,
        groups: 2,
        group_by: "country_code".into(),
        order_by: "view_hours".into(),
        ties: true,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--ddl" => parsed.ddl = Some(value()?.clone()),
            "--date" => parsed.date = RunDate::parse(value()?).map_err(|e| e.to_string())?,
            "--seed" => parsed.seed = Some(parse_number(flag, value()?)?),
            "--columns" => parsed.columns = value()?.split(',').map(|c| c.trim().to_string()).collect(),
            "--rows" => parsed.rows = Some(parse_number(flag, value()?)?),
            "--top" => parsed.top = Some(parse_number(flag, value()?)?),
            "--groups" => parsed.groups = parse_number(flag, value()?)?,
            "--group-by" => parsed.group_by = value()?.clone(),
            "--order-by" => parsed.order_by = value()?.clone(),
            "--no-ties" => parsed.ties = false,
            other => return Err(format!("unknown option {other:?} for mock generate\n\n{}", crate::HELP)),
        }
    }
    if parsed.rows.is_some() && parsed.top.is_some() {
        return Err("give --rows N or --top K, not both".into());
    }
    Ok(parsed)
}

fn generate_mock(args: &[String]) -> Result<String, String> {
    let args = generate_args(args)?;
    if let Some(path) = &args.ddl {
        let table = parse_ddl(&read_file(path)?, &PipelineSpec::sample().params).map_err(|e| format!("{path}: {e}"))?;
        return Ok(Mock::empty_from_table(&table).to_yaml());
    }
    // The run date's rows only: a one-day synthetic table has exactly the rows that day has in a longer one.
    let defaults = SyntheticSpec::ending_on(args.date);
    let spec = SyntheticSpec { first_date: args.date, days: 1, seed: args.seed.unwrap_or(defaults.seed), ..defaults };
    let source = SourceData::synthetic(&spec).map_err(|e| e.to_string())?;
    let sample = match args.top {
        Some(top) => Sample::TopPerGroup {
            group_by: args.group_by,
            groups: args.groups,
            order_by: args.order_by,
            top,
            ties: args.ties,
        },
        None => Sample::First { rows: args.rows.unwrap_or(10) },
    };
    let selection = Selection { columns: args.columns, sample };
    let mock = generate(SOURCE_TABLE, &source.schema, &source.batches, &selection).map_err(|e| e.to_string())?;
    Ok(mock.to_yaml())
}

fn validate_mock(args: &[String]) -> Result<String, String> {
    let mut file = None;
    let mut ddl = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--ddl" => ddl = Some(it.next().ok_or("--ddl needs a value")?.clone()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag:?} for mock validate")),
            path if file.is_none() => file = Some(path.to_string()),
            extra => return Err(format!("mock validate takes one FILE, got another: {extra:?}")),
        }
    }
    let file = file.ok_or("mock validate needs a FILE")?;
    let mock = Mock::parse(&read_file(&file)?).map_err(|e| format!("{file}: {e}"))?;
    let findings = match &ddl {
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

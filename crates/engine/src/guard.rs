//! Text the SQL parser would take exponentially long on is refused before it reaches the parser.
//!
//! sqlparser 0.62 (DataFusion 55's) backtracks exponentially on some shapes: our DDL fuzzer found
//! `IF ~a.b.c.d…`, where each `.` doubles the time (30 of them: minutes). Upstream fixed this
//! family after 0.62 (apache/datafusion-sqlparser-rs#2344, #2350, #2352). Parsing is synchronous,
//! and in the browser a hang freezes the tab (and a link could carry such text), so steps, custom
//! audit queries and the DDL are first checked here, in linear time: the statement must start
//! with a keyword its place allows, and no name may have more than [`MAX_NAME_PARTS`] parts.
//!
//! [`parse`] is the one way text reaches sqlparser's parser: it checks, then parses. The parser's
//! entry points are listed in `clippy.toml`'s `disallowed-methods`, so a call anywhere else
//! (engine, templates, tests) fails the lint: unguarded parsing cannot be written by accident.

use datafusion::sql::sqlparser::ast::Statement;
use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

/// The keywords a query (a step, a custom audit) may start with.
pub const QUERY_START: &[&str] = &["SELECT", "WITH", "VALUES"];

/// The most `.`-separated parts a name may have (`catalog.db.table.column.field` is 5).
pub const MAX_NAME_PARTS: usize = 8;

/// Why text was refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The statement starts with this SQL keyword (upper-cased), which its place does not allow.
    Starts(String),
    /// A name has more than [`MAX_NAME_PARTS`] `.`-separated parts.
    LongName,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Starts(word) => write!(f, "it starts with {word}"),
            Refusal::LongName => write!(f, "a name has more than {MAX_NAME_PARTS} parts (a.b.c…)"),
        }
    }
}

/// How deep the parser may nest (sqlparser's own default; DataFusion's is the same).
pub const DEFAULT_RECURSION_LIMIT: usize = 50;

/// Why text was not parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseFailure {
    /// Refused before parsing.
    Refused(Refusal),
    /// The parser's own error, which says where.
    Syntax(ParserError),
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseFailure::Refused(refusal) => write!(f, "{refusal}"),
            ParseFailure::Syntax(e) => write!(f, "{e}"),
        }
    }
}

impl ParseFailure {
    /// As DataFusion reports it: the parser's error as `DataFusionError::SQL`, a refusal as a plan error.
    pub fn into_datafusion(self) -> datafusion::error::DataFusionError {
        match self {
            ParseFailure::Refused(refusal) => datafusion::error::DataFusionError::Plan(refusal.to_string()),
            ParseFailure::Syntax(e) => datafusion::error::DataFusionError::SQL(Box::new(e), None),
        }
    }
}

/// Checks `sql` ([`check_in`]), then parses its statements in `dialect`, nested at most
/// `recursion_limit` deep. `allowed` are the keywords a statement may start with in its place
/// ([`QUERY_START`] for a query).
pub fn parse(
    dialect: &dyn Dialect,
    sql: &str,
    allowed: &[&str],
    recursion_limit: usize,
) -> Result<Vec<Statement>, ParseFailure> {
    check_in(dialect, sql, allowed).map_err(ParseFailure::Refused)?;
    // The one call of the parser (see the module's doc).
    #[allow(clippy::disallowed_methods)]
    let parser = Parser::new(dialect).with_recursion_limit(recursion_limit).try_with_sql(sql);
    parser.and_then(|mut p| p.parse_statements()).map_err(ParseFailure::Syntax)
}

/// Checks `sql` before it is parsed: if its first word (after whitespace, comments and `(`) is an
/// SQL keyword, it must be one of `allowed`; and no dotted name may be too long. A first word
/// that is no keyword (a typo), and text that does not tokenize, are let through: the parser then
/// fails at once with its own message. `dialect` must be the one the text is then parsed with
/// (tokenizers differ: `$$…` is a string to one dialect and not to another).
fn check_in(dialect: &dyn Dialect, sql: &str, allowed: &[&str]) -> Result<(), Refusal> {
    let Ok(tokens) = Tokenizer::new(dialect, sql).tokenize() else { return Ok(()) };
    let meaningful = tokens.iter().filter(|t| !matches!(t, Token::Whitespace(_)));
    // Every statement's first word (after `;`s and `(`s) that is a keyword must be allowed:
    // the parser reads `;; IF …` as empty statements, then an IF statement.
    let mut at_start = true;
    for token in meaningful.clone() {
        match token {
            Token::SemiColon => at_start = true,
            Token::LParen => {}
            Token::Word(word) if at_start && word.keyword != Keyword::NoKeyword => {
                let keyword = word.value.to_ascii_uppercase();
                if !allowed.contains(&keyword.as_str()) {
                    return Err(Refusal::Starts(keyword));
                }
                at_start = false;
            }
            _ => at_start = false,
        }
    }
    // A chain is a run of tokens joined by `.`: its parts are the periods plus one.
    let mut parts = 1;
    let mut previous_period = false;
    for token in meaningful {
        let period = matches!(token, Token::Period);
        if period {
            parts += 1;
            if parts > MAX_NAME_PARTS {
                return Err(Refusal::LongName);
            }
        } else if !previous_period {
            parts = 1;
        }
        previous_period = period;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use datafusion::sql::sqlparser::dialect::GenericDialect;

    fn check(sql: &str, allowed: &[&str]) -> Result<(), Refusal> {
        check_in(&GenericDialect {}, sql, allowed)
    }

    const QUERY: &[&str] = QUERY_START;

    #[test]
    fn queries_and_names_people_write_pass() {
        assert_eq!(check("SELECT a.b, c.d.e.f FROM x.y.z -- IF", QUERY), Ok(()));
        assert_eq!(check("  -- a comment\n ((SELECT 1))", QUERY), Ok(()));
        assert_eq!(check("WITH s AS (SELECT 1) SELECT * FROM s", QUERY), Ok(()));
        assert_eq!(check("SELECT 1.5, 2.25 FROM t", QUERY), Ok(()));
        assert_eq!(check("'unterminated", QUERY), Ok(()), "the parser says what is wrong");
        assert_eq!(check("SELEC title_id FROM t", QUERY), Ok(()), "a typo: the parser says where");
    }

    #[test]
    fn the_shapes_that_hang_the_parser_are_refused() {
        let chain = format!("IF ~{}#", "a.".repeat(30));
        assert_eq!(check(&chain, QUERY), Err(Refusal::Starts("IF".into())));
        let selected = format!("SELECT {}x", "a.".repeat(30));
        assert_eq!(check(&selected, QUERY), Err(Refusal::LongName));
        let spaced = format!("SELECT {}x", "a . ".repeat(30));
        assert_eq!(check(&spaced, QUERY), Err(Refusal::LongName));
        assert_eq!(check("CREATE TABLE t (a INT)", QUERY), Err(Refusal::Starts("CREATE".into())));
        assert_eq!(check(";; ( IF(d.x", QUERY), Err(Refusal::Starts("IF".into())), "every statement");
        assert_eq!(check("SELECT 1; IF ~a.b", QUERY), Err(Refusal::Starts("IF".into())));
        assert_eq!(check("IF ~a.b", &["CREATE"]).unwrap_err().to_string(), "it starts with IF");
        // `$$` starts a string to the generic tokenizer (which then fails), not to Hive's.
        let hive = datafusion::sql::sqlparser::dialect::HiveDialect {};
        assert_eq!(check_in(&hive, "IF ~a.$$b", &["CREATE"]), Err(Refusal::Starts("IF".into())));
    }

    #[test]
    fn parse_checks_before_it_parses() {
        let generic = GenericDialect {};
        let parsed = parse(&generic, "SELECT 1; SELECT 2", QUERY, DEFAULT_RECURSION_LIMIT).unwrap();
        assert_eq!(parsed.len(), 2);
        let chain = format!("IF ~{}#", "a.".repeat(30));
        let refused = parse(&generic, &chain, QUERY, DEFAULT_RECURSION_LIMIT);
        assert_eq!(refused, Err(ParseFailure::Refused(Refusal::Starts("IF".into()))));
        assert!(matches!(parse(&generic, "SELECT (", QUERY, 50), Err(ParseFailure::Syntax(_))));
        let nested = format!("SELECT {}1{}", "(".repeat(20), ")".repeat(20));
        assert!(matches!(parse(&generic, &nested, QUERY, 5), Err(ParseFailure::Syntax(_))), "the limit holds");
    }
}

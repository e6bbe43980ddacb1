//! Text the SQL parser would take exponentially long on is refused before it reaches the parser.
//!
//! sqlparser 0.62 (DataFusion 55's) backtracks exponentially on some shapes: our DDL fuzzer found
//! `IF ~a.b.c.d…`, where each `.` doubles the time (30 of them: minutes). Upstream fixed this
//! family after 0.62 (apache/datafusion-sqlparser-rs#2344, #2350, #2352). Parsing is synchronous,
//! and in the browser a hang freezes the tab (and a link could carry such text), so steps, custom
//! audit queries and the DDL are first checked here, in linear time: the statement must start
//! with a keyword its place allows, and no name may have more than [`MAX_NAME_PARTS`] parts.

use datafusion::sql::sqlparser::dialect::{Dialect, GenericDialect};
use datafusion::sql::sqlparser::keywords::Keyword;
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

/// [`check_in`] for text parsed with the generic dialect (DataFusion's default: steps, audits).
pub fn check(sql: &str, allowed: &[&str]) -> Result<(), Refusal> {
    check_in(&GenericDialect {}, sql, allowed)
}

/// Checks `sql` before it is parsed: if its first word (after whitespace, comments and `(`) is an
/// SQL keyword, it must be one of `allowed`; and no dotted name may be too long. A first word
/// that is no keyword (a typo), and text that does not tokenize, are let through: the parser then
/// fails at once with its own message. `dialect` must be the one the text is then parsed with
/// (tokenizers differ: `$$…` is a string to one dialect and not to another).
pub fn check_in(dialect: &dyn Dialect, sql: &str, allowed: &[&str]) -> Result<(), Refusal> {
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
}

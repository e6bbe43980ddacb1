//! The SQL dialect steps are read in: sqlparser's Spark dialect, with three things it reads
//! differently from Apache Spark put right.
//!
//! - String literals read backslash escapes (`'\\d+'` is the regex `\d+`, `'a\tb'` has a tab), as
//!   Spark does by default (`spark.sql.parser.escapedStringLiterals=false`).
//! - `"text"` is a string literal, not an identifier (Spark's default, `spark.sql.ansi.doubleQuotedIdentifiers=false`).
//! - `a DIV b + c` is `(a DIV b) + c`: `DIV` binds like `*` and `/` (sqlparser's Spark dialect
//!   reads the whole rest of the expression as the divisor).
//!
//! Everything else is delegated to [`SparkSqlDialect`], so the text is tokenized and parsed the
//! same way everywhere: by [`crate::guard`] before parsing and by the parser itself.

use datafusion::sql::sqlparser::ast::{BinaryOperator, CastKind, DataType, ExactNumberInfo, Expr, Statement, Value};
use datafusion::sql::sqlparser::dialect::{Dialect, SparkSqlDialect};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};

use crate::guard;
use datafusion::sql::sqlparser::tokenizer::Token;

/// Spark SQL as Apache Spark 4 reads it (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct SparkDialect {
    /// Backslash escapes in string literals: on for a user's text; off to read back text that
    /// sqlparser printed (it prints a string's characters as they are, `\` as one backslash).
    escapes: bool,
}

impl SparkDialect {
    /// A user's Spark SQL.
    pub const TEXT: SparkDialect = SparkDialect { escapes: true };
    /// SQL that sqlparser printed from a statement read with [`SparkDialect::TEXT`].
    pub const PRINTED: SparkDialect = SparkDialect { escapes: false };
}

/// Reads back SQL that sqlparser printed from a statement read with [`SparkDialect::TEXT`] (the
/// rewrites build their pieces so): through [`guard::parse`] too, as every text is.
pub(crate) fn parse_printed(sql: &str) -> Result<Vec<Statement>, guard::ParseFailure> {
    guard::parse(&SparkDialect::PRINTED, sql, guard::QUERY_START, guard::DEFAULT_RECURSION_LIMIT)
}

impl Default for SparkDialect {
    fn default() -> Self {
        SparkDialect::TEXT
    }
}

const SPARK: SparkSqlDialect = SparkSqlDialect {};

impl Dialect for SparkDialect {
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        SPARK.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        SPARK.is_identifier_part(ch)
    }
    fn supports_string_literal_backslash_escape(&self) -> bool {
        self.escapes
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }
    fn supports_group_by_expr(&self) -> bool {
        true
    }
    fn supports_group_by_with_modifier(&self) -> bool {
        true
    }
    fn supports_lambda_functions(&self) -> bool {
        true
    }
    fn supports_struct_literal(&self) -> bool {
        true
    }
    fn supports_nested_comments(&self) -> bool {
        true
    }
    fn supports_long_type_as_bigint(&self) -> bool {
        true
    }
    fn supports_values_as_table_factor(&self) -> bool {
        true
    }
    fn require_interval_qualifier(&self) -> bool {
        true
    }
    fn supports_bang_not_operator(&self) -> bool {
        true
    }
    fn supports_select_item_multi_column_alias(&self) -> bool {
        true
    }
    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        true
    }

    /// `SELECT * EXCEPT (a, b)`: every column but these (Spark 4).
    fn supports_select_wildcard_except(&self) -> bool {
        true
    }

    /// Spark's typed number literals: `1.5D` (DOUBLE), `1F` (FLOAT), `10L` (BIGINT), `2S`
    /// (SMALLINT), `1Y` (TINYINT), `10BD` (DECIMAL): the suffix right after the digits.
    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        // `exists(array, x -> …)` is Spark's higher-order function, not EXISTS (subquery).
        let [word, open, next] = parser.peek_tokens::<3>();
        if let (Token::Word(w), Token::LParen) = (&word, &open) {
            let subquery = matches!(&next, Token::Word(n) if matches!(n.keyword, Keyword::SELECT | Keyword::WITH | Keyword::VALUES))
                || next == Token::LParen;
            if w.keyword == Keyword::EXISTS && w.quote_style.is_none() && !subquery {
                parser.next_token();
                let name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![
                    datafusion::sql::sqlparser::ast::Ident::new(w.value.clone()),
                ]);
                return Some(parser.parse_function(name));
            }
        }
        let [number, suffix] = parser.peek_tokens_with_location::<2>();
        let Token::Number(digits, _) = &number.token else { return None };
        let Token::Word(word) = &suffix.token else { return None };
        if word.quote_style.is_some() || suffix.span.start != number.span.end {
            return None;
        }
        let data_type = match word.value.to_ascii_uppercase().as_str() {
            "D" => DataType::Double(ExactNumberInfo::None),
            "F" => DataType::Float(ExactNumberInfo::None),
            "L" => DataType::BigInt(None),
            "S" => DataType::SmallInt(None),
            "Y" => DataType::TinyInt(None),
            "BD" if !digits.contains(['.', 'e', 'E']) => {
                DataType::Decimal(ExactNumberInfo::PrecisionAndScale(digits.len() as u64, 0))
            }
            "BD" => {
                // Already a DECIMAL (`configure` reads numbers with a point as decimals).
                let value = Expr::value(Value::Number(digits.clone(), false));
                parser.next_token();
                parser.next_token();
                return Some(Ok(value));
            }
            _ => return None,
        };
        let value = Expr::value(Value::Number(digits.clone(), false));
        parser.next_token();
        parser.next_token();
        Some(Ok(Expr::Cast { kind: CastKind::Cast, expr: Box::new(value), data_type, array: false, format: None }))
    }

    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, precedence: u8) -> Option<Result<Expr, ParserError>> {
        if !parser.parse_keyword(Keyword::DIV) {
            return None;
        }
        // `precedence` is DIV's own (as `*`): the divisor is what binds tighter than it.
        Some(parser.parse_subexpr(precedence).map(|right| Expr::BinaryOp {
            left: Box::new(expr.clone()),
            op: BinaryOperator::MyIntegerDivide,
            right: Box::new(right),
        }))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn parse(sql: &str) -> String {
        parse_statement(sql).to_string()
    }

    fn parse_statement(sql: &str) -> Statement {
        let limit = crate::guard::DEFAULT_RECURSION_LIMIT;
        crate::guard::parse(&SparkDialect::TEXT, sql, crate::guard::QUERY_START, limit).unwrap().remove(0)
    }

    #[test]
    fn reads_strings_and_div_as_spark_does() {
        assert_eq!(parse(r"SELECT '\\d+', 'a\'b'"), r"SELECT '\d+', 'a''b'");
        assert_eq!(parse(r#"SELECT "text", `col` FROM t"#), r#"SELECT "text", `col` FROM t"#);
        assert_eq!(parse("SELECT 7 DIV 2 + 1"), "SELECT 7 DIV 2 + 1");
        use datafusion::sql::sqlparser::ast::{SelectItem, SetExpr};
        let Statement::Query(query) = parse_statement("SELECT 7 DIV 2 + 1") else { panic!("a query") };
        let SetExpr::Select(select) = *query.body else { panic!("a SELECT") };
        let Some(SelectItem::UnnamedExpr(Expr::BinaryOp { op, .. })) = select.projection.first().cloned() else {
            panic!("a binary operation")
        };
        assert_eq!(op, BinaryOperator::Plus, "DIV binds tighter than +");
        assert_eq!(
            parse("SELECT 1.5D, 10L, 2S, 1Y, 3BD, x D"),
            "SELECT CAST(1.5 AS DOUBLE), 10L, CAST(2 AS SMALLINT), CAST(1 AS TINYINT), CAST(3 AS DECIMAL(1,0)), x AS D"
        );
    }
}

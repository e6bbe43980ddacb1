//! A step's errors as the user sees them: DataFusion's and the Spark layer's messages without the
//! wrappers a user does not need, placed in the step's own text (before `${NAME}` substitution),
//! or at the call of the function a message names.

use datafusion::error::DataFusionError;

use super::Prepared;
use crate::position::{offset_of, parser_pos, pos_of, TextPos};
use crate::spark::Refusal;
use crate::EngineError;

impl Prepared<'_> {
    /// A DataFusion error as a step error, with its place in the step's own text when known.
    pub(super) fn error(&self, e: &DataFusionError) -> EngineError {
        let at = e
            .iter()
            .filter_map(|e| e.diagnostic())
            .find_map(|d| d.span)
            .filter(|span| span.start.line > 0)
            .map(|span| TextPos {
                line: u32::try_from(span.start.line).unwrap_or(u32::MAX),
                column: u32::try_from(span.start.column).unwrap_or(u32::MAX),
            })
            .or_else(|| parser_pos(&e.to_string()))
            .and_then(|pos| offset_of(&self.sql, pos))
            .map(|offset| pos_of(&self.step.sql, self.map.to_input(offset)))
            // "found: EOF" has no place: the text ended too early, so point at its end.
            .or_else(|| {
                e.to_string().contains("found: EOF").then(|| pos_of(&self.step.sql, self.step.sql.trim_end().len()))
            });
        let message = step_message(e);
        // A Spark function's error names it (`date_format`): without a place, point at its call.
        let at = at.or_else(|| function_call(&self.step.sql, &message));
        EngineError::Step { step: self.step.name.clone(), message, at }
    }

    pub(super) fn fail(&self, message: String) -> EngineError {
        EngineError::Step { step: self.step.name.clone(), message, at: None }
    }

    /// What Spark refuses, at its place in the step's own text.
    pub(super) fn refused(&self, refusal: Refusal) -> EngineError {
        let at = refusal
            .at
            .and_then(|(line, column)| {
                offset_of(&self.sql, TextPos { line: u32::try_from(line).ok()?, column: u32::try_from(column).ok()? })
            })
            .map(|offset| pos_of(&self.step.sql, self.map.to_input(offset)));
        EngineError::Step { step: self.step.name.clone(), message: refusal.message, at }
    }
}

/// DataFusion's message for a step, without the wrappers a user does not need: a parser error
/// becomes "syntax error: …" (its place is shown apart), an optimizer rule's failure its cause.
fn step_message(e: &DataFusionError) -> String {
    match e.find_root() {
        DataFusionError::SQL(parser, _) => {
            let text = parser.to_string();
            let text = text.strip_prefix("sql parser error: ").unwrap_or(&text);
            let text = text.split(" at Line: ").next().unwrap_or(text);
            format!("syntax error: {}", text.replace("Expected: ", "expected "))
        }
        root if e.to_string().starts_with("Optimizer rule") => root.strip_backtrace(),
        _ => {
            let text = e.strip_backtrace();
            spark_class_message(&text).unwrap_or(text)
        }
    }
}

/// Where the function a message names in backquotes is first called in `sql` (`name(`).
fn function_call(sql: &str, message: &str) -> Option<TextPos> {
    let name = message
        .split('`')
        .nth(1)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))?;
    let lower = sql.to_ascii_lowercase();
    let needle = format!("{}(", name.to_ascii_lowercase());
    let offset = lower.match_indices(&needle).map(|(i, _)| i).find(|&i| {
        !lower.get(..i).and_then(|head| head.chars().next_back()).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })?;
    Some(pos_of(sql, offset))
}

/// The Spark layer's own message (`[ERROR_CLASS] …`) inside DataFusion's wrappers ("Error during
/// planning: Execution error: Function '…' user-defined coercion failed with: …"), without them.
fn spark_class_message(text: &str) -> Option<String> {
    let start = text.char_indices().find_map(|(i, c)| {
        let rest = text.get(i + 1..)?;
        let class: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_' || *c == '.').collect();
        (c == '[' && class.len() >= 3 && rest.get(class.len()..)?.starts_with(']')).then_some(i)
    })?;
    let message = text.get(start..)?;
    let message = message.split(". No function matches").next().unwrap_or(message);
    Some(message.lines().next().unwrap_or(message).trim_end_matches('.').to_string())
}

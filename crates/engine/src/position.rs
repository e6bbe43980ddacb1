//! Places in a step's text: 1-based line and column (in characters), as editors count them.

use serde::{Deserialize, Serialize};

/// A place in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPos {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

impl std::fmt::Display for TextPos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// The byte offset of a line and column in `text`, if the place exists (the end of a line counts).
pub fn offset_of(text: &str, pos: TextPos) -> Option<usize> {
    let mut line_start = 0;
    for (index, line) in text.split('\n').enumerate() {
        if index + 1 == pos.line as usize {
            let column = pos.column.checked_sub(1)? as usize;
            return match line.char_indices().nth(column) {
                Some((byte, _)) => Some(line_start + byte),
                None if column == line.chars().count() => Some(line_start + line.len()),
                None => None,
            };
        }
        line_start += line.len() + 1;
    }
    None
}

/// The line and column of a byte offset in `text` (clamped to the text).
pub fn pos_of(text: &str, offset: usize) -> TextPos {
    let mut line = 1u32;
    let mut column = 1u32;
    for (byte, ch) in text.char_indices() {
        if byte >= offset {
            break;
        }
        if ch == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    TextPos { line, column }
}

/// Finds sqlparser's "at Line: L, Column: C" in an error message.
pub fn parser_pos(message: &str) -> Option<TextPos> {
    let (_, rest) = message.rsplit_once("Line: ")?;
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(TextPos { line: line.trim().parse().ok()?, column: column.parse().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_agree() {
        let text = "SELECT\n  ü, x\nFROM t";
        for (offset, _) in text.char_indices() {
            let pos = pos_of(text, offset);
            assert_eq!(offset_of(text, pos), Some(offset), "{pos}");
        }
        assert_eq!(pos_of(text, 9), TextPos { line: 2, column: 3 });
        assert_eq!(offset_of(text, TextPos { line: 4, column: 1 }), None);
        assert_eq!(offset_of(text, TextPos { line: 1, column: 0 }), None);
    }

    #[test]
    fn reads_sqlparser_positions() {
        let message = "SQL error: ParserError(\"Expected: an expression, found: FROM at Line: 3, Column: 1\")";
        assert_eq!(parser_pos(message), Some(TextPos { line: 3, column: 1 }));
        assert_eq!(parser_pos("no place here"), None);
    }
}

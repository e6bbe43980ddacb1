//! Text helpers: filling a file's `{{name}}` placeholders, and writing user text as string
//! literals of each language, so that no value can break the code it lands in.

/// Replaces each `{{name}}` by its value. Placeholders without a value stay (tests check that
/// no generated file has one).
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// Indents every non-empty line by `prefix`.
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| if line.is_empty() { String::new() } else { format!("{prefix}{line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes `\`, the quote, and control characters as `\n`, `\t`, `\r` or `\u{…}`-style escapes.
fn escaped(text: &str, quote: char, keep_newlines: bool, control: fn(char) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&control(c)),
            c => out.push(c),
        }
    }
    out
}

fn python_control(c: char) -> String {
    format!("\\U{:08x}", u32::from(c))
}

fn r_control(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

fn scala_control(c: char) -> String {
    // Control characters are all in the Basic Multilingual Plane.
    format!("\\u{:04x}", u32::from(c))
}

/// A Python string literal: `"text"`.
pub(crate) fn py_str(text: &str) -> String {
    format!("\"{}\"", escaped(text, '"', false, python_control))
}

/// A multi-line Python string literal: `"""…"""`, every quote and backslash escaped.
pub(crate) fn py_block(text: &str) -> String {
    format!("\"\"\"\n{}\n\"\"\"", escaped(text, '"', true, python_control))
}

/// A Scala string literal: `"text"`.
pub(crate) fn scala_str(text: &str) -> String {
    format!("\"{}\"", escaped(text, '"', false, scala_control))
}

/// A multi-line Scala string: a raw `"""…"""` when the text allows it (no `"""`, no `\u`, no
/// control characters but newlines and tabs), else an escaped `"…"`.
pub(crate) fn scala_block(text: &str) -> String {
    let raw_ok = !text.contains("\"\"\"")
        && !text.contains("\\u")
        && !text.ends_with('"')
        && !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    if raw_ok {
        format!("\"\"\"\n{text}\n\"\"\"")
    } else {
        scala_str(text)
    }
}

/// An R string literal: `"text"` (newlines kept, R strings may span lines).
pub(crate) fn r_str(text: &str) -> String {
    format!("\"{}\"", escaped(text, '"', true, r_control))
}

/// An R string literal on one line.
pub(crate) fn r_str_line(text: &str) -> String {
    format!("\"{}\"", escaped(text, '"', false, r_control))
}

/// `StepName` → `StepName`, `dataflow_scala_sample` → `DataflowScalaSample`.
pub(crate) fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_what_would_break_them() {
        let nasty = "a \"quoted\" \\ path\n\u{1} ü '";
        assert_eq!(py_str(nasty), "\"a \\\"quoted\\\" \\\\ path\\n\\U00000001 ü '\"");
        assert_eq!(scala_str(nasty), "\"a \\\"quoted\\\" \\\\ path\\n\\u0001 ü '\"");
        assert_eq!(r_str_line(nasty), "\"a \\\"quoted\\\" \\\\ path\\n\\u{1} ü '\"");
        assert_eq!(py_block("x \"\"\" y"), "\"\"\"\nx \\\"\\\"\\\" y\n\"\"\"");
        assert_eq!(scala_block("SELECT 1"), "\"\"\"\nSELECT 1\n\"\"\"");
        assert_eq!(scala_block("x \"\"\" y"), "\"x \\\"\\\"\\\" y\"");
        assert_eq!(upper_camel("dataflow_scala_sample"), "DataflowScalaSample");
        assert_eq!(fill("{{a}} {{b}} {{a}}", &[("a", "1")]), "1 {{b}} 1");
    }
}

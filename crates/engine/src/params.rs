//! `${NAME}` substitution, done before planning, as the workflow scheduler would do it.

use std::collections::BTreeMap;

use crate::spec::is_identifier;
use crate::{EngineError, Params};

impl Params {
    /// Every parameter a step may use, by name: `TARGET_DB`, `date`, `top_n` and the user's own.
    pub fn values(&self) -> BTreeMap<String, String> {
        let mut values = self.extra.clone();
        values.insert("TARGET_DB".into(), self.target_db.clone());
        values.insert("date".into(), self.date.to_string());
        values.insert("top_n".into(), self.top_n.to_string());
        values
    }
}

impl Params {
    /// Sets a parameter by name, as `--param NAME=VALUE` or the workflow YAML gives it:
    /// `date` (YYYYMMDD or YYYY-MM-DD), `top_n` ([`top_n`]), `TARGET_DB`, or a
    /// user-defined name (letters, digits and `_`).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), EngineError> {
        let invalid = |message: String| EngineError::InvalidParameter { name: name.into(), message };
        match name {
            "date" => self.date = crate::RunDate::parse(value)?,
            "top_n" => self.top_n = top_n(value).map_err(invalid)?,
            "TARGET_DB" if is_identifier(value) => self.target_db = value.into(),
            "TARGET_DB" => return Err(invalid(format!("must be a database name, not {value:?}"))),
            _ if is_identifier(name) => {
                self.extra.insert(name.into(), value.into());
            }
            _ => return Err(invalid("a parameter name is letters, digits and _".into())),
        }
        Ok(())
    }
}

/// The largest `${top_n}`: Spark's `INT`, which the generated projects hold it in.
pub const MAX_TOP_N: u32 = i32::MAX as u32;

/// `${top_n}` read from text: a whole number from 1 to [`MAX_TOP_N`]. The one rule for it: a
/// run's parameter, the CLI's `--top-n` and the gallery's option all read it here.
pub fn top_n(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_TOP_N).contains(n))
        .ok_or_else(|| format!("must be a whole number from 1 to {MAX_TOP_N}, not {text:?}"))
}

/// Replaces every `${NAME}` in `text` by its value. `step` names the text in errors.
///
/// An unknown name or an unclosed `${` is an error; `$` on its own is left as it is.
pub fn substitute(step: &str, text: &str, values: &BTreeMap<String, String>) -> Result<String, EngineError> {
    substitute_mapped(step, text, values).map(|(out, _)| out)
}

/// Where each piece of a substituted text came from, to map error places back to what the user wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// (start in the output, start in the input, whether the piece is a parameter's value), in order.
    pieces: Vec<(usize, usize, bool)>,
}

impl SourceMap {
    /// The input offset an output offset came from: inside a parameter's value, the `${` that made it.
    pub fn to_input(&self, out_offset: usize) -> usize {
        let index = self.pieces.partition_point(|&(out, _, _)| out <= out_offset);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(out, input, false)) => input + (out_offset - out),
            Some(&(_, input, true)) => input,
            None => out_offset,
        }
    }
}

/// [`substitute`], also returning where each piece of the result came from.
pub fn substitute_mapped(
    step: &str,
    text: &str,
    values: &BTreeMap<String, String>,
) -> Result<(String, SourceMap), EngineError> {
    let mut out = String::with_capacity(text.len());
    let mut map = SourceMap::default();
    let mut rest = text;
    let mut consumed = 0;
    while let Some((before, after)) = rest.split_once("${") {
        map.pieces.push((out.len(), consumed, false));
        out.push_str(before);
        let Some((raw_name, tail)) = after.split_once('}') else {
            let offset = consumed + before.len();
            let at = crate::position::pos_of(text, offset);
            return Err(EngineError::UnclosedParameter { step: step.into(), offset, at });
        };
        let name = raw_name.trim();
        let Some(value) = values.get(name) else {
            return Err(EngineError::UnknownParameter { step: step.into(), name: name.into() });
        };
        map.pieces.push((out.len(), consumed + before.len(), true));
        out.push_str(value);
        consumed += before.len() + 2 + raw_name.len() + 1;
        rest = tail;
    }
    map.pieces.push((out.len(), consumed, false));
    out.push_str(rest);
    Ok((out, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<String, String> {
        crate::PipelineSpec::sample().params.values()
    }

    #[test]
    fn substitutes_known_names() {
        let sql = substitute("s", "x <= ${top_n} AND d = DATE '${date}' -- ${TARGET_DB}", &values()).unwrap();
        assert_eq!(sql, "x <= 100 AND d = DATE '2022-01-01' -- foo");
    }

    #[test]
    fn unknown_name_is_an_error_that_names_it() {
        let err = substitute("STEP_3", "WHERE r <= ${top_m}", &values()).unwrap_err();
        assert_eq!(err.to_string(), "step STEP_3: unknown parameter ${top_m}");
    }

    #[test]
    fn unclosed_reference_is_an_error() {
        let err = substitute("STEP_1", "SELECT 1 -- ${date", &values()).unwrap_err();
        let at = crate::position::TextPos { line: 1, column: 13 };
        assert_eq!(err, EngineError::UnclosedParameter { step: "STEP_1".into(), offset: 12, at });
    }

    #[test]
    fn lone_dollar_and_unicode_survive() {
        assert_eq!(substitute("s", "SELECT '$5 – ü'", &values()).unwrap(), "SELECT '$5 – ü'");
    }

    #[test]
    fn source_map_points_back_at_what_the_user_wrote() {
        let text = "a ${top_n} b ${date} c";
        let (out, map) = substitute_mapped("s", text, &values()).unwrap();
        assert_eq!(out, "a 100 b 2022-01-01 c");
        assert_eq!(map.to_input(0), 0);
        assert_eq!(map.to_input(3), 2, "inside a value: the ${{ that made it");
        assert_eq!(map.to_input(6), 11);
        assert_eq!(map.to_input(out.len() - 1), text.len() - 1);
    }

    #[test]
    fn set_checks_what_it_sets() {
        let mut params = crate::PipelineSpec::sample().params;
        params.set("top_n", "10").unwrap();
        params.set("date", "20220105").unwrap();
        params.set("min_hours", "0.5").unwrap();
        assert_eq!((params.top_n, params.date.to_string()), (10, "2022-01-05".to_string()));
        assert_eq!(substitute("s", "${min_hours}", &params.values()).unwrap(), "0.5");
        assert_eq!(
            params.set("top_n", "0").unwrap_err().to_string(),
            "parameter top_n: must be a whole number from 1 to 2147483647, not \"0\""
        );
        assert!(params.set("TARGET_DB", "x; DROP").is_err());
        assert!(params.set("bad name", "1").is_err());
    }
}

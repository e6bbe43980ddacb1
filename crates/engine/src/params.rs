//! `${NAME}` substitution, done before planning, as the workflow scheduler would do it.

use std::collections::BTreeMap;

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

/// Replaces every `${NAME}` in `text` by its value. `step` names the text in errors.
///
/// An unknown name or an unclosed `${` is an error; `$` on its own is left as it is.
pub fn substitute(step: &str, text: &str, values: &BTreeMap<String, String>) -> Result<String, EngineError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0;
    while let Some((before, after)) = rest.split_once("${") {
        out.push_str(before);
        let Some((raw_name, tail)) = after.split_once('}') else {
            return Err(EngineError::UnclosedParameter { step: step.into(), offset: consumed + before.len() });
        };
        let name = raw_name.trim();
        match values.get(name) {
            Some(value) => out.push_str(value),
            None => return Err(EngineError::UnknownParameter { step: step.into(), name: name.into() }),
        }
        consumed += before.len() + 2 + raw_name.len() + 1;
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
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
        assert_eq!(err, EngineError::UnclosedParameter { step: "STEP_1".into(), offset: 12 });
    }

    #[test]
    fn lone_dollar_and_unicode_survive() {
        assert_eq!(substitute("s", "SELECT '$5 – ü'", &values()).unwrap(), "SELECT '$5 – ü'");
    }
}

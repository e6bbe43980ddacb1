//! Permalinks: a whole pipeline (its spec and the view the user was on) in a URL fragment.
//!
//! A link is `#v1.` + URL-safe base64 of deflate(compact JSON). The JSON holds only what differs
//! from the v1 base spec, frozen in `permalink_v1_base.json`, so the default run's link is a few
//! dozen characters and a later version can still read every v1 link: a field the base lacks
//! takes the spec's serde default, and the base itself never changes.
//!
//! A link may also carry a pinned baseline (`b`: the fields in which it differs from the spec),
//! so whoever opens it sees "before and after": the baseline runs, is pinned, then the spec runs
//! and the Changes panel compares them. A link without one is what it always was.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde_json::{Map, Value};

use crate::{EngineError, PipelineSpec};

/// The version prefix of the links this code writes.
pub const PREFIX: &str = "v1.";
/// Links longer than this many characters are cut by some chat tools (the DuckDB shell cuts at
/// 3,841): the app says so, and still makes the link.
pub const LONG_LINK_CHARS: usize = 3_800;
/// The longest link read (characters after `#`): larger ones are refused before decoding.
pub const MAX_LINK_CHARS: usize = 4 * 1024 * 1024;
/// The most bytes a link's JSON may inflate to (a deflate bomb stops here).
pub const MAX_STATE_BYTES: usize = 16 * 1024 * 1024;

/// The v1 base: `PipelineSpec::sample()` as it was when v1 links were defined. Never edit it.
const V1_BASE: &str = include_str!("permalink_v1_base.json");

/// What a link carries: the spec, the view (tab) the user was on, and the pinned baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    /// The whole pipeline.
    pub spec: PipelineSpec,
    /// The selected view (`pipeline`, `mocks`, …); the app ignores one it does not know.
    pub view: String,
    /// The run the user pinned to compare with, if any.
    pub baseline: Option<PipelineSpec>,
}

impl Shared {
    /// A spec on a view, with no baseline.
    pub fn new(spec: PipelineSpec, view: &str) -> Self {
        Shared { spec, view: view.into(), baseline: None }
    }
}

/// The fields of `spec` (JSON) that differ from `base`'s.
fn changed_fields(base: &Map<String, Value>, spec: Map<String, Value>) -> Map<String, Value> {
    spec.into_iter().filter(|(key, value)| base.get(key) != Some(value)).collect()
}

fn as_object(spec: &PipelineSpec) -> Result<Map<String, Value>, EngineError> {
    match serde_json::to_value(spec).map_err(|e| link_error(e.to_string()))? {
        Value::Object(fields) => Ok(fields),
        _ => Err(link_error("a spec is not an object")),
    }
}

/// `base` with `changed`'s fields, read as a spec.
fn apply(mut base: Map<String, Value>, changed: &Map<String, Value>, what: &str) -> Result<PipelineSpec, EngineError> {
    for (key, value) in changed {
        base.insert(key.clone(), value.clone());
    }
    serde_json::from_value(Value::Object(base)).map_err(|e| link_error(format!("the link's {what} does not read: {e}")))
}

fn link_error(message: impl Into<String>) -> EngineError {
    EngineError::Permalink(message.into())
}

/// The base every v1 link is relative to, as JSON, with the current spec's defaults for fields
/// the base predates.
fn base() -> Result<Value, EngineError> {
    let spec: PipelineSpec =
        serde_json::from_str(V1_BASE).map_err(|e| link_error(format!("the v1 base does not read: {e}")))?;
    serde_json::to_value(spec).map_err(|e| link_error(e.to_string()))
}

/// The link fragment (without `#`) for `shared`.
pub fn encode(shared: &Shared) -> Result<String, EngineError> {
    let Value::Object(base) = base()? else { return Err(link_error("the v1 base is not an object")) };
    let spec = as_object(&shared.spec)?;
    let mut state = Map::new();
    if let Some(baseline) = &shared.baseline {
        state.insert("b".into(), Value::Object(changed_fields(&spec, as_object(baseline)?)));
    }
    state.insert("s".into(), Value::Object(changed_fields(&base, spec)));
    state.insert("v".into(), Value::String(shared.view.clone()));
    let json = serde_json::to_vec(&Value::Object(state)).map_err(|e| link_error(e.to_string()))?;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&json).map_err(|e| link_error(e.to_string()))?;
    let packed = encoder.finish().map_err(|e| link_error(e.to_string()))?;
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed)))
}

/// Reads a link fragment (with or without `#`). Every failure is a message for the user.
pub fn decode(fragment: &str) -> Result<Shared, EngineError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(link_error(format!(
            "the link is {} characters; the most this app reads is {MAX_LINK_CHARS}",
            fragment.len()
        )));
    }
    let Some(data) = fragment.strip_prefix(PREFIX) else {
        let version = fragment.split('.').next().unwrap_or_default();
        let numbered =
            version.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        return Err(if numbered {
            link_error(format!("the link is version {version}; this app reads v1 links"))
        } else {
            link_error("this is not a pipeline link (it should start with #v1.)")
        });
    };
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|e| link_error(format!("the link is damaged ({e})")))?;
    let mut json = Vec::new();
    let limit = u64::try_from(MAX_STATE_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    DeflateDecoder::new(packed.as_slice())
        .take(limit)
        .read_to_end(&mut json)
        .map_err(|e| link_error(format!("the link is damaged ({e})")))?;
    if json.len() > MAX_STATE_BYTES {
        return Err(link_error(format!("the link's pipeline is over {} MiB", MAX_STATE_BYTES / (1024 * 1024))));
    }
    let state: Value = serde_json::from_slice(&json).map_err(|e| link_error(format!("the link is damaged ({e})")))?;
    let view = state.get("v").and_then(Value::as_str).unwrap_or("pipeline").to_string();
    let Some(Value::Object(changed)) = state.get("s") else {
        return Err(link_error("the link holds no pipeline"));
    };
    let Value::Object(base) = base()? else { return Err(link_error("the v1 base is not an object")) };
    let spec = apply(base, changed, "pipeline")?;
    let baseline = match state.get("b") {
        None => None,
        Some(Value::Object(changed)) => Some(apply(as_object(&spec)?, changed, "baseline")?),
        Some(_) => return Err(link_error("the link's baseline does not read: it is not an object")),
    };
    Ok(Shared { spec, view, baseline })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Step;

    fn shared(spec: PipelineSpec) -> Shared {
        Shared::new(spec, "pipeline")
    }

    #[test]
    fn the_default_link_is_short_and_round_trips() {
        let link = encode(&shared(PipelineSpec::sample())).unwrap();
        assert!(link.starts_with("v1."));
        assert!(link.len() <= 1_000, "{} characters", link.len());
        assert_eq!(decode(&format!("#{link}")).unwrap(), shared(PipelineSpec::sample()));
    }

    #[test]
    fn a_v1_link_made_today_reads_forever() {
        let mut spec = PipelineSpec::sample();
        spec.params.set("top_n", "10").unwrap();
        let link = encode(&Shared::new(spec.clone(), "mocks")).unwrap();
        assert_eq!(decode(&link).unwrap(), decode(GOLDEN).unwrap());
        assert_eq!(decode(GOLDEN).unwrap(), Shared::new(spec, "mocks"));
    }

    /// Written by `encode` when v1 was defined: top_n 10, on the mocks tab. Never change it.
    const GOLDEN: &str =
        "v1.HcrBCoAgEATQf5mzgXr0Z2RL6yC2oksE4r-3BHMY5s3EQJho1Kn-LZFkBHjr_WadBgb5lU6Ky0CoX1li2vVzMisKt3gjOLuUH50rH2VgfQ";

    #[test]
    fn an_edited_spec_and_view_round_trip() {
        let mut spec = PipelineSpec::sample();
        spec.params.set("top_n", "10").unwrap();
        spec.params.set("region", "EMEA").unwrap();
        spec.steps
            .push(Step { name: "STEP_4".into(), sql: "SELECT \"ünï\" AS t, '${region}' AS r FROM STEP_3".into() });
        spec.ddl.push_str("\n-- edited");
        let link = encode(&Shared::new(spec.clone(), "mocks")).unwrap();
        assert_eq!(decode(&link).unwrap(), Shared::new(spec, "mocks"));
    }

    #[test]
    fn a_pinned_baseline_travels_as_its_difference_from_the_spec() {
        let mut spec = PipelineSpec::sample();
        spec.steps[1].sql = spec.steps[1].sql.replace("RANK()", "DENSE_RANK()");
        let plain = encode(&shared(spec.clone())).unwrap();
        let with = Shared { baseline: Some(PipelineSpec::sample()), ..shared(spec.clone()) };
        let link = encode(&with).unwrap();
        assert_eq!(decode(&link).unwrap(), with);
        // The baseline differs in one step: the link grows by far less than a second spec.
        assert!(link.len() < plain.len() + 400, "{} against {}", link.len(), plain.len());
        // A baseline that is not an object is refused, by name.
        let bad = format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(br#"{"s":{},"b":3}"#)));
        assert_eq!(
            decode(&bad).unwrap_err().to_string(),
            "permalink: the link's baseline does not read: it is not an object"
        );
    }

    #[test]
    fn a_64_kb_state_round_trips() {
        let mut spec = PipelineSpec::sample();
        let mut state = 0x2545_f491_u32;
        let noise: String = (0..64 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                char::from(b'a' + u8::try_from(state % 26).unwrap())
            })
            .collect();
        spec.steps.push(Step { name: "BIG".into(), sql: format!("SELECT '{noise}' AS x") });
        let link = encode(&shared(spec.clone())).unwrap();
        assert!(link.len() > LONG_LINK_CHARS);
        assert_eq!(decode(&link).unwrap().spec, spec);
    }

    #[test]
    fn bad_links_say_why() {
        let message = |link: &str| decode(link).unwrap_err().to_string();
        assert_eq!(message("#v2.abc"), "permalink: the link is version v2; this app reads v1 links");
        assert_eq!(message("#hello"), "permalink: this is not a pipeline link (it should start with #v1.)");
        assert!(message("#v1.*&^").starts_with("permalink: the link is damaged"), "{}", message("#v1.*&^"));
        assert!(message("#v1.AAAA").starts_with("permalink: the link is damaged"));
        let not_json = format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(b"[1,2")));
        assert!(message(&not_json).starts_with("permalink: the link is damaged"));
        let wrong_shape = format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(br#"{"s":{"steps":7}}"#)));
        assert!(message(&wrong_shape).starts_with("permalink: the link's pipeline does not read"));
        let bomb = format!("v1.{}", URL_SAFE_NO_PAD.encode(deflate(&vec![b' '; MAX_STATE_BYTES + 10])));
        assert_eq!(message(&bomb), "permalink: the link's pipeline is over 16 MiB");
        assert!(message(&format!("v1.{}", "A".repeat(MAX_LINK_CHARS))).contains("the most this app reads"));
    }

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut e = DeflateEncoder::new(Vec::new(), Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }
}

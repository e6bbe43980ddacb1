//! The first screen (index.html's `#boot`) shows the sample's steps and parameters while the
//! engine downloads, as plain HTML: nothing computes them there, so this test holds them equal to
//! the engine's sample (`PipelineSpec::sample`), which is what the app shows once it starts.

use dataflow_engine::spec::PipelineSpec;

fn index_html() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../index.html");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// The text of every `<pre data-boot-step="NAME">…</pre>`, in page order.
fn boot_steps(html: &str) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<pre data-boot-step=\"") {
        rest = &rest[at + "<pre data-boot-step=\"".len()..];
        let (name, after) = rest.split_once("\">").expect("the attribute ends");
        let (sql, after) = after.split_once("</pre>").expect("the pre ends");
        steps.push((name.to_string(), unescape(sql)));
        rest = after;
    }
    steps
}

/// The `value` of the input marked `data-boot-param="NAME"`.
fn boot_param(html: &str, name: &str) -> String {
    let marker = format!("data-boot-param=\"{name}\"");
    let input =
        html.split("<input").find(|tag| tag.contains(&marker)).unwrap_or_else(|| panic!("no input with {marker}"));
    let value = input.split("value=\"").nth(1).expect("a value");
    unescape(value.split('"').next().unwrap_or_default())
}

#[test]
fn the_first_screen_shows_the_samples_steps() {
    let html = index_html();
    let sample = PipelineSpec::sample();
    let shown = boot_steps(&html);
    let expected: Vec<(String, String)> = sample.steps.iter().map(|s| (s.name.clone(), s.sql.clone())).collect();
    assert_eq!(shown, expected, "index.html's #boot steps differ from PipelineSpec::sample()");
}

#[test]
fn the_first_screen_shows_the_samples_parameters() {
    let html = index_html();
    let params = PipelineSpec::sample().params;
    assert_eq!(boot_param(&html, "date"), params.date.to_string());
    assert_eq!(boot_param(&html, "top_n"), params.top_n.to_string());
}

//! Dataflow Playground in the browser: show a visible message on panic, then mount the app.

fn main() {
    dataflow_app::panic::install();
    leptos::mount::mount_to_body(dataflow_app::App);
}

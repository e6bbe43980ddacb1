//! Dataflow Playground in the browser: show a visible message on panic, mount the app, and let
//! it work offline.

fn main() {
    dataflow_app::panic::install();
    leptos::mount::mount_to_body(dataflow_app::App);
    dataflow_app::browser::register_service_worker();
}

//! Dataflow Playground in the browser: show a visible message on panic, mount the app, and let
//! it work offline.

fn main() {
    dataflow_app::panic::install();
    if dataflow_app::bench::is_bench_page() || dataflow_app::engine_worker::in_worker() {
        return; // web/bench drives the exports in dataflow_app::bench; the worker waits for runs.
    }
    leptos::mount::mount_to_body(dataflow_app::App);
    dataflow_app::browser::register_service_worker();
}

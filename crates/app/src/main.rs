//! Dataflow Playground in the browser: show a visible message on panic, mount the app, and let
//! it work offline.

fn main() {
    dataflow_app::panic::install();
    if dataflow_app::worker::in_worker() {
        return dataflow_app::worker::host::started(); // The worker waits for requests.
    }
    #[cfg(feature = "hooks")]
    if dataflow_app::bench::is_bench_page() {
        return; // web/bench drives the exports in dataflow_app::bench.
    }
    leptos::mount::mount_to_body(dataflow_app::App);
    dataflow_app::browser::register_service_worker();
}

//! Dataflow Playground in the browser: show a visible message on panic, mount the app, and let
//! it work offline.

fn main() {
    dataflow_app::panic::install();
    if dataflow_app::worker::in_worker() {
        if dataflow_app::warm_up::requested() {
            return dataflow_app::warm_up::start(); // It runs the sample once, for V8, and ends.
        }
        return dataflow_app::worker::host::started(); // The worker waits for requests.
    }
    #[cfg(feature = "hooks")]
    if dataflow_app::bench::is_bench_page() {
        return; // web/bench drives the exports in dataflow_app::bench.
    }
    leptos::mount::mount_to_body(dataflow_app::App);
    dataflow_app::browser::register_service_worker();
}

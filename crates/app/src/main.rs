//! Dataflow Playground in the browser: show a visible message on panic and mount the app (or,
//! in a worker, serve the page's requests).

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
    // web/loader.js registers the service worker once the first result has painted.
}

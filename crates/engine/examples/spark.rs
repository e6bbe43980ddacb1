//! Runs Spark SQL on the Spark corpus's tables (`tests/spark/corpus/tables`: plays, titles,
//! countries), as a step's text is planned, and prints the rows or the refusal:
//! `cargo run -p dataflow-engine --example spark -- "SELECT year(playback_date) FROM plays"`.
//! For trying the Spark layer by hand; `scripts/spark_corpus.sh` records Spark's own answers.

#![allow(clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
use dataflow_engine::Mock;

#[cfg(not(target_arch = "wasm32"))]
const TABLES: &[&str] = &[
    include_str!("../../../tests/spark/corpus/tables/plays.yaml"),
    include_str!("../../../tests/spark/corpus/tables/titles.yaml"),
    include_str!("../../../tests/spark/corpus/tables/countries.yaml"),
];

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let sql = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let ctx = dataflow_engine::run::new_context();
    for yaml in TABLES {
        let mock = Mock::parse(yaml).expect("a corpus table reads");
        ctx.register_batch(mock.table.as_str(), mock.to_batch().expect("converts")).expect("registered");
    }
    let frame = match dataflow_engine::spark::plan_query(&ctx, &sql).await {
        Ok(frame) => frame,
        Err(message) => return eprintln!("refused: {message}"),
    };
    for field in frame.schema().fields() {
        println!("{}: {}", field.name(), field.data_type());
    }
    match dataflow_engine::chain::collect(frame).await {
        Ok(batches) => {
            println!("{}", dataflow_engine::arrow::util::pretty::pretty_format_batches(&batches).expect("formats"))
        }
        Err(e) => eprintln!("failed: {}", e.strip_backtrace()),
    }
}

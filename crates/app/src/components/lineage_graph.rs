//! The steps' column lineage as an SVG graph: a column of boxes per table, curves labelled with
//! their expressions. Clicking a column highlights every path into it and lists the path in
//! words. It reads `LineageState` and dispatches the choice.

use std::sync::Arc;

use leptos::prelude::*;

use crate::lineage_view::{Graph, NODE_HEIGHT, NODE_WIDTH};
use crate::state::{AppState, Phase};

/// Where each column comes from.
#[component]
pub fn LineageGraph() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <details class="lineage" data-testid="lineage">
            <summary>"Column lineage: where each column comes from"</summary>
            {move || match state.lineage.graph.get() {
                Phase::Idle | Phase::Working => {
                    view! { <p class="stats">"The lineage is drawn after a run."</p> }.into_any()
                }
                Phase::Failed(e) => view! { <p class="finding bad">{e}</p> }.into_any(),
                Phase::Ready(graph) => view! { <Drawing graph /> }.into_any(),
            }}
        </details>
    }
}

#[component]
fn Drawing(graph: Arc<Graph>) -> impl IntoView {
    let lineage = expect_context::<AppState>().lineage;
    let on_path = Memo::new({
        let graph = graph.clone();
        move |_| lineage.chosen.get().map(|c| graph.path_of(&c)).unwrap_or_default()
    });
    let (width, height) = graph.size;
    let headers = graph
        .tables
        .iter()
        .map(|(name, x)| {
            view! {
                <text class="table-name" x=*x y=14>
                    {name.clone()}
                </text>
            }
        })
        .collect_view();
    let links = graph
        .links
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let (lx, ly) = link.label_at;
            view! {
                <g class="link" class:on-path=move || on_path.with(|(_, l)| l.contains(&i))>
                    <path d=link.path.clone()>
                        <title>{link.title.clone()}</title>
                    </path>
                    <text x=lx y=ly text-anchor="middle">
                        {link.label.clone()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let nodes = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let column = node.column.clone();
            let testid = format!("lineage-node-{}.{}", column.table, column.column);
            view! {
                <g
                    class="node"
                    class:on-path=move || on_path.with(|(n, _)| n.contains(&i))
                    data-testid=testid
                    on:click=move |_| lineage.choose(column.clone())
                >
                    <rect x=node.x y=node.y width=NODE_WIDTH height=NODE_HEIGHT rx=4 />
                    <text x=node.x + 6.0 y=node.y + 15.0>
                        {node.column.column.clone()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let path = move || {
        lineage.chosen.get().map(|c| {
            let lines = graph.describe(&c).into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
            view! {
                <ul class="lineage-path" data-testid="lineage-path">
                    {lines}
                </ul>
            }
        })
    };
    view! {
        <div class="grid-scroll">
            <svg
                class="lineage-graph"
                viewBox=format!("0 0 {width} {height}")
                width=width
                height=height
                role="img"
                aria-label="Column lineage"
            >
                {headers}
                {links}
                {nodes}
            </svg>
        </div>
        <p class="stats">"Click a column to see every path into it."</p>
        {path}
    }
}

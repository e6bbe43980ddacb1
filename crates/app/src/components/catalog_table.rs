//! One table of the catalog: its high-water mark, metadata, fingerprint, published partitions,
//! the staged one, and the newest partition's rows. Its own component because the catalog shows
//! one such card per table.

use leptos::prelude::*;

use super::DataGrid;
use crate::view_model::{group_digits, ResultQuery};
use crate::workflow_view::TableView;

/// A table's card in the catalog.
#[component]
pub fn CatalogTable(table: TableView) -> impl IntoView {
    let newest = table.newest.clone();
    view! {
        <div class="catalog-table" data-testid=format!("catalog-{}", table.name)>
            <h3>{table.name.clone()}</h3>
            <p class="stats" data-testid="catalog-hwm">
                {format!("High-water mark: {}", table.hwm.map_or("none yet".to_string(), |d| d.to_string()))}
            </p>
            <p class="stats">
                {format!(
                    "Owner {} · tags {} · lifetime {} days · key ({})",
                    table.metadata.owner,
                    table.metadata.tags.join(", "),
                    table.metadata.lifetime_days,
                    table.metadata.primary_key.join(", "),
                )}
            </p>
            <p class="stats">
                "Published data fingerprint " <code data-testid="catalog-fingerprint">{table.fingerprint.clone()}</code>
            </p>
            <table class="partitions" data-testid="catalog-partitions">
                <thead>
                    <tr>
                        <th>"date (published)"</th>
                        <th>"rows"</th>
                    </tr>
                </thead>
                <tbody>
                    {table
                        .partitions
                        .iter()
                        .map(|(d, rows)| {
                            view! {
                                <tr>
                                    <td>{d.to_string()}</td>
                                    <td>{group_digits(*rows)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {table
                .staged
                .map(|(d, rows)| {
                    view! {
                        <p class="stats">
                            {format!("Staged (audit state, never read): {d}, {} rows", group_digits(rows))}
                        </p>
                    }
                })}
            {newest
                .map(|newest| {
                    view! {
                        <details>
                            <summary>"The newest published partition's rows"</summary>
                            <DataGrid
                                table=Signal::derive(move || Some(newest.clone()))
                                query=RwSignal::new(ResultQuery::default())
                                testid="catalog-newest".to_string()
                            />
                        </details>
                    }
                })}
        </div>
    }
}

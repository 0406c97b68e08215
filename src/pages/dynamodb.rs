//! `/dynamodb`: the tables of the account the console acts in, and a table's items. Where
//! the person sees that a role's permissions replaced their own.

use leptos::prelude::*;

use crossrole_core::world::{attribute_text, item_columns, Item};

use crate::backend::CallScope;
use crate::components::failure::Failure;
use crate::components::page_heading::PageHeading;
use crate::components::require_sign_in::RequireSignIn;
use crate::query::use_query_param;
use crate::state::expect_console;

/// The DynamoDB page (signed-in only).
#[component]
pub fn DynamoDb() -> impl IntoView {
    view! {
        <RequireSignIn>
            <Tables />
        </RequireSignIn>
    }
}

#[component]
fn Tables() -> impl IntoView {
    let console = expect_console();
    let selected = use_query_param("table");

    // Each list has its own calls: a new load abandons the previous one, leaving the page
    // abandons both.
    let (table_calls, item_calls) = (CallScope::new(), CallScope::new());
    let tables = LocalResource::new(move || {
        let cancel = table_calls.begin();
        console.call(move |backend, credentials| async move {
            backend.list_tables(&credentials, &cancel).await
        })
    });
    let items = LocalResource::new(move || {
        let table = selected.get();
        let cancel = item_calls.begin();
        let scan = console.call(move |backend, credentials| async move {
            match table {
                Some(table) => backend
                    .scan(&credentials, table.clone(), &cancel)
                    .await
                    .map(|items| Some((table, items))),
                None => Ok(None),
            }
        });
        scan
    });

    let account = move || {
        console
            .acting()
            .map(|a| a.account_id().grouped())
            .unwrap_or_default()
    };

    view! {
        <section aria-labelledby="dynamodb-title">
            <PageHeading id="dynamodb-title" text="DynamoDB tables" />
            <p>"Tables in account " <strong>{account}</strong> ", as the current identity may see them."</p>
            <Transition fallback=|| view! { <p role="status">"Loading tables…"</p> }>
                {move || {
                    tables
                        .get()
                        .map(|result| match result {
                            Ok(names) => view! {
                                <ul class="table-list" aria-label="Tables">
                                    {names
                                        .into_iter()
                                        .map(|name| {
                                            let href = format!("/dynamodb?table={}", js_sys::encode_uri_component(&name));
                                            let shown = name.clone();
                                            // The table shown below is marked for assistive
                                            // technology as well as by its look.
                                            let current = move || {
                                                selected
                                                    .with(|t| t.as_deref() == Some(shown.as_str()))
                                                    .then_some("page")
                                            };
                                            view! {
                                                // A plain link: the router handles it, and it
                                                // needs no router context when rendered late.
                                                <li>
                                                    <a href=href aria-current=current>{name}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Err(error) => view! { <Failure what="list tables".to_owned() error /> }.into_any(),
                        })
                }}
            </Transition>
            <Transition fallback=|| view! { <p role="status">"Loading items…"</p> }>
                {move || {
                    items
                        .get()
                        .map(|result| match result {
                            Ok(None) => ().into_any(),
                            Ok(Some((table, items))) => view! { <ItemTable table items /> }.into_any(),
                            Err(error) => {
                                let what = format!("read {}", selected.get().unwrap_or_default());
                                view! { <Failure what error /> }.into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

/// A table's items as an HTML table; every value shown as text.
#[component]
fn ItemTable(
    /// The table's name.
    table: String,
    /// Its items.
    items: Vec<Item>,
) -> impl IntoView {
    let columns = item_columns(&[], &items);
    let caption = format!("{table}: {} items", items.len());
    view! {
        <table class="items">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    {columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {items
                    .iter()
                    .map(|item| {
                        view! {
                            <tr>
                                {columns
                                    .iter()
                                    .map(|c| {
                                        let text = item.get(c).map(attribute_text).unwrap_or_default();
                                        view! { <td>{text}</td> }
                                    })
                                    .collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

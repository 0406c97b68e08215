//! `/activity`: who signed in, switched and assumed which role, with MFA or not, from where,
//! and what was refused and why — the account's audit trail, newest first, read with
//! CloudTrail's LookupEvents through the backend (the mock and the emulator answer alike).
//! The filters are in the URL; core says each record as a row and keeps the filters.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crossrole_core::admin::activity::{ActivityFilter, ActivityRow, Outcome};

use crate::backend::CallScope;
use crate::components::failure::Failure;
use crate::components::page_heading::PageHeading;
use crate::components::require_sign_in::RequireSignIn;
use crate::state::expect_console;

/// The Activity page (signed-in only).
#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <RequireSignIn>
            <Activity />
        </RequireSignIn>
    }
}

#[component]
fn Activity() -> impl IntoView {
    let console = expect_console();
    let search = use_location().search;
    let filter = Memo::new(move |_| search.with(|s| ActivityFilter::from_query(s)));
    // The tokens of the pages before this one (the first page has none): Older pushes,
    // Newer pops. A new filter starts again at the first page.
    let tokens = RwSignal::new(Vec::<Option<String>>::new());
    let token = RwSignal::new(None::<String>);
    Effect::watch(
        move || filter.track(),
        move |_, _, _| {
            tokens.set(Vec::new());
            token.set(None);
        },
        false,
    );
    let calls = CallScope::new();
    let page = LocalResource::new(move || {
        let request = filter.get().request(token.get());
        let _who = console.acting();
        let cancel = calls.begin();
        console.call(move |backend, credentials| async move {
            backend.lookup_events(&credentials, request, &cancel).await
        })
    });
    let account = move || {
        console
            .acting()
            .map(|a| a.account_id().grouped())
            .unwrap_or_default()
    };
    view! {
        <section aria-labelledby="activity-title">
            <PageHeading id="activity-title" text="Activity" />
            <p>
                {move || format!("Who signed in, switched roles and was refused in account {}, newest first (the last 90 days), from the account's CloudTrail event history.", account())}
            </p>
            <Filters filter />
            <Transition fallback=|| view! { <p role="status">"Loading the activity…"</p> }>
                {move || {
                    page.get()
                        .map(|result| match result {
                            Ok(page) => {
                                let f = filter.get_untracked();
                                let rows: Vec<ActivityRow> = page
                                    .events
                                    .iter()
                                    .map(ActivityRow::of)
                                    .filter(|r| f.keeps(r))
                                    .collect();
                                let next = page.next_token.clone();
                                view! {
                                    <Rows rows />
                                    <Pager tokens token next />
                                }
                                    .into_any()
                            }
                            Err(error) => {
                                view! { <Failure what="look up the account's activity".to_owned() error /> }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

/// The filters: a person and a role (applied with "Apply filters"), and the outcome (at once).
#[component]
fn Filters(filter: Memo<ActivityFilter>) -> impl IntoView {
    let navigate = use_navigate();
    let person = RwSignal::new(filter.get_untracked().person.unwrap_or_default());
    let role = RwSignal::new(filter.get_untracked().role.unwrap_or_default());
    let go = move |outcome: Outcome| {
        let text = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let next = ActivityFilter {
            person: text(person.get_untracked()),
            role: text(role.get_untracked()),
            outcome,
        };
        navigate(&next.path(), NavigateOptions::default());
    };
    let apply = {
        let go = go.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            go(filter.get_untracked().outcome);
        }
    };
    let choose = move |e: leptos::ev::Event| go(Outcome::parse(&event_target_value(&e)));
    view! {
        <form class="form activity-filters" role="search" aria-label="Filter the activity" on:submit=apply>
            <label for="activity-person">"Person"</label>
            <input id="activity-person" type="text" autocomplete="off" bind:value=person />
            <label for="activity-role">"Role"</label>
            <input
                id="activity-role"
                type="text"
                autocomplete="off"
                placeholder="Name or ARN"
                bind:value=role
            />
            <label for="activity-outcome">"Outcome"</label>
            <select id="activity-outcome" on:change=choose>
                {[(Outcome::All, "All"), (Outcome::Allowed, "Allowed"), (Outcome::Refused, "Refused")]
                    .into_iter()
                    .map(|(o, label)| {
                        view! {
                            <option value=o.as_str() selected=move || filter.get().outcome == o>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <div class="form-actions">
                <button type="submit">"Apply filters"</button>
            </div>
        </form>
    }
}

/// The events as a table, or why there are none.
#[component]
fn Rows(rows: Vec<ActivityRow>) -> impl IntoView {
    let count = rows.len();
    let said = match count {
        0 => "No event matches.".to_owned(),
        1 => "1 event.".to_owned(),
        n => format!("{n} events."),
    };
    view! {
        <p role="status">{said}</p>
        <div class="table-scroll">
            <table class="items activity" aria-label="Activity">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"MFA"</th>
                        <th scope="col">"From"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let outcome = match &r.refused {
                                None => "Allowed".to_owned(),
                                Some(why) => format!("Refused: {why}"),
                            };
                            let mfa = match r.mfa {
                                Some(true) => "Yes",
                                Some(false) => "No",
                                None => "—",
                            };
                            view! {
                                <tr class=if r.refused.is_some() { "refused" } else { "" }>
                                    <td>
                                        <time datetime=r.when.clone()>{r.when.replace('T', " ").replace('Z', " UTC")}</time>
                                    </td>
                                    <td>{r.who}</td>
                                    <td>{r.what}</td>
                                    <td>{mfa}</td>
                                    <td>{r.from}</td>
                                    <td>{outcome}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "Newer" and "Older": the pages CloudTrail hands out, fifty events each.
#[component]
fn Pager(
    tokens: RwSignal<Vec<Option<String>>>,
    token: RwSignal<Option<String>>,
    next: Option<String>,
) -> impl IntoView {
    let has_next = next.is_some();
    let older = move |_| {
        tokens.update(|t| t.push(token.get_untracked()));
        token.set(next.clone());
    };
    let newer = move |_| {
        let previous = tokens.try_update(|t| t.pop()).flatten().flatten();
        token.set(previous);
    };
    view! {
        <div class="form-actions" role="group" aria-label="Pages">
            <button type="button" on:click=newer disabled=move || tokens.with(Vec::is_empty)>
                "Newer"
            </button>
            <span>{move || format!("Page {}", tokens.with(Vec::len) + 1)}</span>
            <button type="button" on:click=older disabled=!has_next>
                "Older"
            </button>
        </div>
    }
}

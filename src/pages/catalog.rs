//! `/catalog`: the Role catalog — import from `~/.aws/config` or AWS Extend Switch Roles'
//! configuration (pasted or from a file), every skipped line named, export in both formats,
//! and each entry to switch to, edit, remove or share. Core reads and writes the formats;
//! this page renders and forwards.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crossrole_core::announce::shown_account;
use crossrole_core::catalog::search::{filter, Searchable};
use crossrole_core::catalog::{export_aesr, export_aws_config, CatalogEntry};
use crossrole_core::colour::Colour;
use crossrole_core::link::parse_destination;
use crossrole_core::validation::DisplayName;

use std::collections::HashMap;

use crossrole_core::client::read_my_switches;
use crossrole_core::ops::access::Access;
use crossrole_core::wire::iam::IamRequest;

use crate::backend::{CallScope, Cancel};
use crate::catalog::{expect_catalogue, ImportReport};
use crate::components::colour_picker::colour_class;
use crate::components::colour_picker::ColourPicker;
use crate::components::copy_link::{copy_to_clipboard, on_this_site, NotCopied};
use crate::components::page_heading::PageHeading;
use crate::components::undo::{removed, Removed, UndoBar};
use crate::state::expect_console;

// Leptos's #[component] gives a pub(super) component `pub` builder methods.
#[allow(unreachable_pub)]
mod edit;
use edit::*;
#[allow(unreachable_pub)]
mod entries;
use entries::*;

/// The Role catalog page (available signed out too: it only reads and writes this browser's
/// catalog; switching needs a sign-in).
#[component]
pub fn CatalogPage() -> impl IntoView {
    let catalogue = expect_catalogue();
    let text = RwSignal::new(String::new());
    let report = RwSignal::new(None::<ImportReport>);
    let exported = RwSignal::new(None::<(&'static str, String)>);
    let console = expect_console();
    let listed = catalogue.entries();
    let targets = Signal::derive(move || {
        let mut t: Vec<(String, String)> = listed.with(|l| {
            l.iter()
                .map(|e| (e.account.to_string(), e.role.to_text()))
                .collect()
        });
        for h in console.history().get().entries() {
            let key = (h.account.to_string(), h.role.to_text());
            if !t.contains(&key) {
                t.push(key);
            }
        }
        t
    });
    let reach = use_reachability(targets);
    // Where each entry's copied link opens after the switch (optional): a page of crossrole.
    let open_at = RwSignal::new(String::new());
    let destination = Memo::new(move |_| open_at.with(|typed| parse_destination(typed)));
    let valid_destination = Signal::derive(move || destination.get().ok().flatten());
    let do_import = move |source: String| report.set(Some(catalogue.import(&source)));
    let on_file = move |e: leptos::ev::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let promise = file.text();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(content) => do_import(content.as_string().unwrap_or_default()),
                Err(_) => report.set(Some(ImportReport {
                    added: 0,
                    kept: 0,
                    skipped: Vec::new(),
                    unsaved: Some("The file could not be read.".into()),
                })),
            }
        });
    };
    view! {
        <section aria-labelledby="catalog-title">
            <PageHeading id="catalog-title" text="Role catalog" />
            <p>
                "Keep every role you use, beyond the last five: paste your " <code>"~/.aws/config"</code>
                " or your AWS Extend Switch Roles configuration. Keys and secrets in it are never imported."
            </p>
            <div class="form wide">
                <label for="catalog-config">"Configuration"</label>
                <textarea
                    id="catalog-config"
                    rows="8"
                    spellcheck="false"
                    placeholder="[profile prod]\nrole_arn = arn:aws:iam::222222222222:role/AccessToProdDynamoDB"
                    bind:value=text
                ></textarea>
                <label for="catalog-file">"Import file"</label>
                <input id="catalog-file" type="file" accept=".ini,.cfg,.conf,.txt,text/plain" on:change=on_file />
                <div class="form-actions">
                    <button type="button" class="primary" on:click=move |_| do_import(text.get_untracked())>
                        "Import"
                    </button>
                    <button
                        type="button"
                        on:click=move |_| exported.set(Some(("AWS config", export_aws_config(&catalogue.snapshot()))))
                    >
                        "Export AWS config"
                    </button>
                    <button
                        type="button"
                        on:click=move |_| exported.set(Some(("AESR", export_aesr(&catalogue.snapshot()))))
                    >
                        "Export AESR"
                    </button>
                </div>
                {move || report.get().map(|r| view! { <Report report=r /> })}
                {move || {
                    exported
                        .get()
                        .map(|(what, text)| {
                            view! {
                                <label for="catalog-export">{format!("Exported ({what})")}</label>
                                <textarea id="catalog-export" rows="8" readonly spellcheck="false" prop:value=text></textarea>
                            }
                        })
                }}
            </div>
            <div class="form wide">
                <label for="catalog-destination">"Copied links open at"</label>
                <input
                    id="catalog-destination"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="/dynamodb?table=GameScores"
                    aria-describedby="catalog-destination-hint"
                    aria-invalid=move || destination.with(Result::is_err).to_string()
                    bind:value=open_at
                />
                <p id="catalog-destination-hint" class="hint">
                    "Optional: a page of crossrole each entry's copied link opens after the switch."
                </p>
                {move || {
                    destination
                        .get()
                        .err()
                        .map(|e| view! { <p role="alert" class="field-error">{format!("{e}.")}</p> })
                }}
            </div>
            <Entries reach destination=valid_destination />
            <TeamSection reach destination=valid_destination />
            <HistoryEditor reach />
        </section>
    }
}

/// Whether the signed-in user may switch to each role, by (account, role) as written: asked
/// of the backend with the user's own session (crossrole's SimulateMySwitches), again when the
/// roles or the sign-in change. Empty on a backend that cannot say.
type Reach = HashMap<(String, String), Access>;

fn use_reachability(targets: Signal<Vec<(String, String)>>) -> LocalResource<Reach> {
    let console = expect_console();
    LocalResource::new(move || {
        let targets = targets.get();
        let base = console.base().get();
        let backend = console.backend();
        async move {
            let Some(base) = base else {
                return Reach::new();
            };
            if targets.is_empty() {
                return Reach::new();
            }
            let answer = backend
                .iam(
                    &base.credentials,
                    IamRequest::SimulateMySwitches {
                        targets: targets.clone(),
                    },
                    &Cancel::default(),
                )
                .await;
            match answer.ok().and_then(|xml| read_my_switches(200, &xml).ok()) {
                Some(cells) => targets.into_iter().zip(cells).collect(),
                None => Reach::new(),
            }
        }
    })
}

/// An entry's reachability mark: allowed, needs MFA, or denied and why (never hidden).
#[component]
fn ReachMark(reach: LocalResource<Reach>, account: String, role: String) -> impl IntoView {
    move || {
        let key = (account.clone(), role.clone());
        reach
            .get()
            .and_then(|r| r.get(&key).cloned())
            .map(|access| {
                let (class, text) = match &access {
                    Access::Allowed => ("reach allowed", "You can switch".to_owned()),
                    Access::AllowedWithMfa => (
                        "reach mfa",
                        "Needs MFA: sign in with your MFA device".to_owned(),
                    ),
                    Access::Denied(why) => ("reach denied", format!("Cannot switch: {why}")),
                };
                view! { <span class=class>{text}</span> }
            })
    }
}

/// What an import did: how many were added, and every line skipped.
#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let summary = format!(
        "Imported {} {}{}.",
        report.added,
        if report.added == 1 { "role" } else { "roles" },
        if report.kept > 0 {
            format!(
                " ({} already in the catalog were kept as they were)",
                report.kept
            )
        } else {
            String::new()
        }
    );
    view! {
        <p role="status">{summary}</p>
        {report.unsaved.map(|e| view! { <p role="alert" class="form-error">{format!("The catalog could not be saved: {e}")}</p> })}
        {(!report.skipped.is_empty())
            .then(|| {
                view! {
                    <h2 id="skipped-title">"Skipped lines"</h2>
                    <ul aria-labelledby="skipped-title">
                        {report.skipped.iter().map(|s| view! { <li>{s.to_string()}</li> }).collect_view()}
                    </ul>
                }
            })}
    }
}

/// The team's catalog (from `config.json`): what changed since last seen, and its entries,
/// read-only, beneath the person's own.
#[component]
fn TeamSection(reach: LocalResource<Reach>, destination: Signal<Option<String>>) -> impl IntoView {
    let catalogue = expect_catalogue();
    move || {
        catalogue.team().map(|team| {
            let body = match &team.catalog {
                Err(e) => view! { <p role="alert" class="form-error">{format!("The team catalog could not be read: {e}")}</p> }.into_any(),
                Ok(current) => {
                    let changes = current.changes_since(&crate::storage::team_catalog_seen());
                    let line = |what: &str, list: &[String]| {
                        (!list.is_empty()).then(|| view! { <li>{format!("{what}: {}", list.join(", "))}</li> })
                    };
                    let diff = if changes.is_empty() {
                        view! { <p>"No changes since you last looked."</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {line("Added", &changes.added)}
                                {line("Removed", &changes.removed)}
                                {line("Changed", &changes.changed)}
                            </ul>
                            <button type="button" on:click=move |_| catalogue.mark_team_seen()>
                                "Mark as seen"
                            </button>
                        }
                            .into_any()
                    };
                    view! {
                        <section aria-label="Team catalog changes" class="team-changes">
                            <h3>"Changes since you last looked"</h3>
                            {diff}
                        </section>
                        <ul class="catalog" aria-label="Team catalog">
                            {catalogue
                                .team_entries()
                                .into_iter()
                                .map(|entry| view! { <EntryRow entry reach destination read_only=true /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            };
            view! {
                <h2 id="team-title">"Team catalog"</h2>
                <p class="hint">{format!("From {}, read-only; your own entries come first.", team.path)}</p>
                {body}
            }
        })
    }
}

//! `/iam/grant?group=…&role=…`: Grant switch access — the policy that lets one of the
//! account's groups switch to a role (in this or another account), shown as JSON and attached
//! with one click (PutGroupPolicy); the group's members and inline policies, each removable.
//! The group and the role ARN are in the URL, so the page can be linked to.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crossrole_core::admin::{grant_as_code, grant_request, grant_switch_policy, PolicyOwner};
use crossrole_core::arn::Arn;
use crossrole_core::client::{read_group_members, read_groups};
use crossrole_core::wire::iam::IamRequest;

use crate::backend::Cancel;
use crate::components::export_code::{export_now, ExportAsCode};
use crate::components::failure::Failure;
use crate::components::inline_policies::InlinePolicies;
use crate::components::page_heading::PageHeading;
use crate::components::require_sign_in::RequireSignIn;
use crate::hooks::{use_iam, use_refusal};
use crate::query::use_query_param;
use crate::state::expect_console;

/// The Grant switch access page (signed-in only).
#[component]
pub fn Grant() -> impl IntoView {
    view! {
        <RequireSignIn>
            <GrantForm />
        </RequireSignIn>
    }
}

#[component]
fn GrantForm() -> impl IntoView {
    let console = expect_console();
    let navigate = use_navigate();
    let group = use_query_param("group");
    let role_arn = RwSignal::new(use_query_param("role").get_untracked().unwrap_or_default());
    let groups = use_iam(|| IamRequest::ListGroups, read_groups);
    let document = Memo::new(move |_| role_arn.with(|arn| grant_switch_policy(arn)));
    let tried = RwSignal::new(false);
    // Offered once there is a group and a role ARN, so it never fails.
    let export = export_now(move |format| {
        let group = group.get_untracked().unwrap_or_default();
        role_arn
            .with_untracked(|arn| grant_as_code(&group, arn, format))
            .unwrap_or_default()
    });
    // Bumped after a grant, so that the group's policies are read again.
    let granted = RwSignal::new(0usize);
    let grant = Action::new_local(move |(group, arn): &(String, String)| {
        let request = grant_request(group, arn);
        let (group, arn) = (group.clone(), arn.trim().to_owned());
        async move {
            let request = request.map_err(|e| e.to_string())?;
            console
                .call(move |backend, credentials| async move {
                    backend.iam(&credentials, request, &Cancel::default()).await
                })
                .await
                .map_err(|e| format!("Could not grant {group} the switch. {}", e.explanation()))?;
            granted.update(|n| *n += 1);
            Ok::<_, String>(format!("{group} may now switch to {arn}."))
        }
    });
    let problem = move || {
        if !tried.get() {
            return None;
        }
        match (group.get(), document.get()) {
            (None, _) => Some("Choose a group.".to_owned()),
            (_, Err(e)) => Some(e.to_string()),
            _ => None,
        }
    };
    // Offered only where the simulator does not say no.
    let refused = use_refusal(vec!["iam:PutGroupPolicy"], move || {
        group.get().and_then(|g| group_arn(&g))
    });
    let on_grant = move |_| {
        tried.set(true);
        if let (Some(group), Ok(_)) = (group.get_untracked(), document.get_untracked()) {
            grant.dispatch((group, role_arn.get_untracked()));
        }
    };
    let choose = move |e: leptos::ev::Event| {
        let chosen = event_target_value(&e);
        let mut url = "/iam/grant".to_owned();
        let mut query = Vec::new();
        if !chosen.is_empty() {
            query.push(format!("group={}", js_sys::encode_uri_component(&chosen)));
        }
        let arn = role_arn.get_untracked();
        if !arn.trim().is_empty() {
            query.push(format!("role={}", js_sys::encode_uri_component(arn.trim())));
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        navigate(&url, NavigateOptions::default());
    };

    let no_groups = move || {
        let here = console
            .acting()
            .map(|a| a.account_id().grouped())
            .unwrap_or_default();
        format!(
            "Account {here} has no IAM groups, and switch access is granted to a group. Create a group here for the people who will switch; or, if they are in another account, sign in to that account as its administrator and grant access from its own Grant switch access page (the role's account only trusts theirs)."
        )
    };

    view! {
        <section aria-labelledby="grant-title">
            <PageHeading id="grant-title" text="Grant switch access" />
            <p>
                "Let the members of one of this account's groups switch to a role, in this account or another. "
                "The role's own trust policy must trust this account too."
            </p>
            <p>
                <a href="/iam">"All roles"</a>
            </p>
            <div class="form wide">
                <Transition fallback=|| view! { <p role="status">"Loading groups…"</p> }>
                    {move || {
                        let choose = choose.clone();
                        groups
                            .get()
                            .map(|result| match result {
                                // Switch access is granted to a group: without one, say so
                                // and where the grant belongs instead of an empty list.
                                Ok(list) if list.is_empty() => {
                                    view! {
                                        <h2 id="grant-group-title">"Group"</h2>
                                        <p class="info-box" id="grant-no-groups">{no_groups()}</p>
                                    }
                                        .into_any()
                                }
                                Ok(list) => {
                                    view! {
                                        <label for="grant-group">"Group"</label>
                                        <select id="grant-group" on:change=choose>
                                            <option value="" selected=move || group.get().is_none()>
                                                "Choose a group"
                                            </option>
                                            {list
                                                .into_iter()
                                                .map(|g| {
                                                    let name = g.name.clone();
                                                    let value = g.name.clone();
                                                    view! {
                                                        <option
                                                            value=value
                                                            selected=move || group.get().as_deref() == Some(name.as_str())
                                                        >
                                                            {g.name}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    }
                                        .into_any()
                                }
                                Err(error) => {
                                    view! { <Failure what="list the groups".to_owned() error /> }.into_any()
                                }
                            })
                    }}
                </Transition>
                <label for="grant-role">"Role ARN"</label>
                <input
                    id="grant-role"
                    type="text"
                    placeholder="arn:aws:iam::123456789012:role/Name"
                    bind:value=role_arn
                    aria-invalid=move || problem().is_some().to_string()
                    aria-describedby="grant-problem"
                />
                {move || problem().map(|m| view! { <p class="field-error" role="alert" id="grant-problem">{m}</p> })}
                {move || {
                    document
                        .get()
                        .ok()
                        .map(|text| {
                            view! {
                                <h2 id="grant-policy">"Policy to attach"</h2>
                                <pre class="policy" aria-labelledby="grant-policy">{text}</pre>
                                {group
                                    .get()
                                    .map(|_| {
                                        view! {
                                            <p>"Or attach it where your accounts are managed: the same policy, as code."</p>
                                            <ExportAsCode export what="export the policy" />
                                        }
                                    })}
                            }
                        })
                }}
                {move || {
                    grant
                        .value()
                        .get()
                        .map(|outcome| match outcome {
                            Ok(done) => view! { <p role="status" class="done">{done}</p> }.into_any(),
                            Err(failure) => view! { <div class="form-error" role="alert">{failure}</div> }.into_any(),
                        })
                }}
                <div class="form-actions">
                    <button
                        type="button"
                        class="primary"
                        on:click=on_grant
                        aria-describedby="grant-refused"
                        disabled=move || grant.pending().get() || refused.with(Option::is_some)
                    >
                        {move || if grant.pending().get() { "Granting…" } else { "Grant" }}
                    </button>
                </div>
                <p class="hint" id="grant-refused">
                    {move || refused.get().map(|r| format!("Grant is not available: {r}"))}
                </p>
            </div>
            {move || group.get().map(|name| view! { <GroupFacts name granted /> })}
        </section>
    }
}

/// The ARN of the acting identity's account's group `name`, taken to be at the root path
/// (the page names groups by name only; the simulator answers for the ARN it is asked).
fn group_arn(name: &str) -> Option<String> {
    expect_console().acting().map(|a| {
        Arn::Group {
            account: a.account_id().clone(),
            path: Default::default(),
            name: name.to_owned(),
        }
        .to_string()
    })
}

/// A group's members and inline policies.
#[component]
fn GroupFacts(name: String, granted: RwSignal<usize>) -> impl IntoView {
    let group_arn = group_arn(&name).unwrap_or_default();
    let members = {
        let group = name.clone();
        use_iam(
            move || IamRequest::GetGroup {
                group: group.clone(),
            },
            read_group_members,
        )
    };
    view! {
        <h2>{format!("Members of {name}")}</h2>
        <Transition fallback=|| view! { <p role="status">"Loading members…"</p> }>
            {move || {
                members
                    .get()
                    .map(|result| match result {
                        Ok(users) if users.is_empty() => view! { <p>"No members."</p> }.into_any(),
                        Ok(users) => {
                            view! {
                                <ul aria-label="Members">
                                    {users.into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <Failure what="list the members".to_owned() error /> }.into_any(),
                    })
            }}
        </Transition>
        <h2>{format!("Policies of {name}")}</h2>
        <InlinePolicies
            owner=PolicyOwner::Group(name.clone())
            owner_arn=group_arn
            label=format!("Policies of {name}")
            changed=granted
        />
    }
}

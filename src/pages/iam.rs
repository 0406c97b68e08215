//! `/iam` and `/iam/role?name=…`: the administrator's view of the account's roles — who each
//! trusts, whether it requires MFA, its longest session — and a role's page with its ARN,
//! trust policy, permission policies and predefined switch link. Read through the backend's
//! IAM calls (the mock and the emulator answer alike) and core's readers; nothing here decides
//! anything about IAM.

use leptos::prelude::*;

use crossrole_core::admin::activity::{recent_sessions, sessions_request, ActivityFilter};
use crossrole_core::admin::{summarise_trust, switch_link, PolicyOwner, TrustSummary};
use crossrole_core::arn::Arn;
use crossrole_core::client::{read_attached_policies, read_role, read_role_as_code, read_roles};
use crossrole_core::ops::iam::RoleInfo;
use crossrole_core::ops::managed::Attachee;
use crossrole_core::ops::ErrorCode;
use crossrole_core::policy::Policy;
use crossrole_core::validation::{AccountRef, IamPath, RoleName};
use crossrole_core::wire::iam::{CodeFormat, IamRequest};

use crate::backend::{BackendError, CallScope};
use crate::components::confirm::{ConfirmDialog, Confirmation};
use crate::components::copy_link::{on_this_site, CopyLink};
use crate::components::export_code::ExportAsCode;
use crate::components::failure::Failure;
use crate::components::inline_policies::InlinePolicies;
use crate::components::page_heading::PageHeading;
use crate::components::require_sign_in::RequireSignIn;
use crate::hooks::{use_iam, use_iam_action};
use crate::query::use_query_param;
use crate::state::expect_console;

/// The trust summary of a role as IAM reported it.
fn trust_of(role: &RoleInfo) -> TrustSummary {
    Policy::from_value(&role.trust_policy)
        .map(|p| summarise_trust(&p))
        .unwrap_or_default()
}

/// The Roles page (signed-in only).
#[component]
pub fn Roles() -> impl IntoView {
    view! {
        <RequireSignIn>
            <RoleTable />
        </RequireSignIn>
    }
}

#[component]
fn RoleTable() -> impl IntoView {
    let roles = use_iam(|| IamRequest::ListRoles, read_roles);
    view! {
        <section aria-labelledby="roles-title">
            <PageHeading id="roles-title" text="Roles" />
            <p>
                <a href="/iam/create">"Create role"</a>
                " · "
                <a href="/iam/grant">"Grant switch access"</a>
                " · "
                <a href="/iam/access">"Access map"</a>
            </p>
            <ResetWorld />
            <Transition fallback=|| view! { <p role="status">"Loading roles…"</p> }>
                {move || {
                    roles
                        .get()
                        .map(|result| match result {
                            Ok(roles) => view! { <RoleRows roles /> }.into_any(),
                            Err(error) => view! { <Failure what="list the roles".to_owned() error /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

/// "Reset demo world", for a backend that keeps the administrator's changes in this browser
/// (the mock): forgets them and reloads, so the shipped world starts again.
#[component]
fn ResetWorld() -> impl IntoView {
    let console = expect_console();
    // Every change made here goes at once: asked first, naming what goes.
    let ask = RwSignal::new(None::<Confirmation>);
    let reset = move || {
        console.backend().reset_world();
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    console.backend().can_reset_world().then(|| {
        view! {
            <p class="hint">
                "The in-browser mock keeps your roles, groups' policies and managed policies in this browser. "
                <button
                    type="button"
                    on:click=move |_| {
                        ask.set(Some(Confirmation {
                            title: "Reset the demo world?".into(),
                            body: "Every role, group policy and managed policy created or changed in this browser goes, and the demo world starts again as shipped. Your sign-in, role history and catalog stay. This cannot be undone.".into(),
                            action: "Reset",
                        }));
                    }
                >
                    "Reset demo world"
                </button>
            </p>
            <ConfirmDialog ask confirmed=reset />
        }
    })
}

#[component]
fn RoleRows(roles: Vec<RoleInfo>) -> impl IntoView {
    view! {
        <table class="items" aria-labelledby="roles-title">
            <thead>
                <tr>
                    <th scope="col">"Role name"</th>
                    <th scope="col">"Path"</th>
                    <th scope="col">"Trusted accounts"</th>
                    <th scope="col">"MFA required"</th>
                    <th scope="col">"Maximum session"</th>
                    <th scope="col">"Last used"</th>
                </tr>
            </thead>
            <tbody>
                {roles
                    .into_iter()
                    .map(|role| {
                        let trust = trust_of(&role);
                        let href = format!("/iam/role?name={}", js_sys::encode_uri_component(&role.name));
                        let accounts = if trust.anyone {
                            "anyone".to_owned()
                        } else {
                            trust.accounts.join(", ")
                        };
                        view! {
                            <tr>
                                <th scope="row">
                                    <a href=href>{role.name.clone()}</a>
                                </th>
                                <td>{role.path.clone()}</td>
                                <td>{accounts}</td>
                                <td>{if trust.requires_mfa { "Yes" } else { "No" }}</td>
                                <td>{format!("{} h", role.max_session_duration / 3600)}</td>
                                <td>
                                    <LastUsed role=role.name.clone() />
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A role's page (signed-in only).
#[component]
pub fn RolePage() -> impl IntoView {
    view! {
        <RequireSignIn>
            <RoleDetail />
        </RequireSignIn>
    }
}

#[component]
fn RoleDetail() -> impl IntoView {
    let name = use_query_param("name");
    let role = use_iam(
        move || IamRequest::GetRole {
            role: name.get().unwrap_or_default(),
        },
        read_role,
    );
    view! {
        <section aria-labelledby="role-title">
            <PageHeading id="role-title" text=Signal::derive(move || name.get().unwrap_or_default()) />
            <p>
                <a href="/iam">"All roles"</a>
            </p>
            <Transition fallback=|| view! { <p role="status">"Loading the role…"</p> }>
                {move || {
                    role.get()
                        .map(|result| match result {
                            Ok(role) => view! { <RoleFacts role /> }.into_any(),
                            Err(error) => view! { <Failure what="read the role".to_owned() error /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

/// The predefined switch link of `role`, on this site.
fn link_of(role: &RoleInfo) -> Option<String> {
    let Ok(Arn::Role { account, .. }) = role.arn.parse::<Arn>() else {
        return None;
    };
    let path = IamPath::parse(&role.path).ok()?;
    let name = RoleName::parse(&role.name).ok()?;
    Some(on_this_site(&switch_link(
        &AccountRef::Id(account),
        &path,
        &name,
        None,
        None,
    )))
}

#[component]
fn RoleFacts(role: RoleInfo) -> impl IntoView {
    let trust = trust_of(&role);
    let link = link_of(&role).unwrap_or_default();
    let trust_text = serde_json::to_string_pretty(&role.trust_policy).unwrap_or_default();
    let name = role.name.clone();
    let export = use_iam_action(
        move |format: &CodeFormat| IamRequest::GetRoleAsCode {
            role: name.clone(),
            format: *format,
        },
        read_role_as_code,
    );
    view! {
        <dl class="facts">
            <dt>"ARN"</dt>
            <dd>
                <code>{role.arn.clone()}</code>
            </dd>
            <dt>"Trusted accounts"</dt>
            <dd>{if trust.anyone { "anyone".to_owned() } else { trust.accounts.join(", ") }}</dd>
            <dt>"MFA required"</dt>
            <dd>{if trust.requires_mfa { "Yes" } else { "No" }}</dd>
            <dt>"External ID required"</dt>
            <dd>{if trust.requires_external_id { "Yes" } else { "No" }}</dd>
            <dt>"Maximum session"</dt>
            <dd>{format!("{} h", role.max_session_duration / 3600)}</dd>
            <dt>"Last used"</dt>
            <dd>{last_used_text(&role)}</dd>
            <dt>"Permissions boundary"</dt>
            <dd>{role.permissions_boundary.clone().unwrap_or_else(|| "None".to_owned())}</dd>
        </dl>
        <h2>"Predefined link"</h2>
        <p>"Share it with the people who may switch: it opens the Switch Role page filled in."</p>
        <CopyLink label="Switch role link" id="switch-link" link=link />
        <h2>"Trust policy"</h2>
        <pre class="policy">{trust_text}</pre>
        <h2>"Attached policies"</h2>
        <AttachedPolicies role=role.name.clone() />
        <h2>"Permission policies"</h2>
        <InlinePolicies
            owner=PolicyOwner::Role(role.name.clone())
            owner_arn=role.arn.clone()
            label="Permission policies".to_owned()
            changed=Signal::stored(0)
        />
        <h2 id="role-sessions">"Recent sessions"</h2>
        <RecentSessions role_arn=role.arn.clone() />
        <h2>"Role as code"</h2>
        <p>
            "The role with its trust, permission policies, attached policies and boundary, to manage where your accounts are managed."
        </p>
        <ExportAsCode export what="export the role" />
    }
}

/// When a role was last used, as GetRole reports it.
fn last_used_text(role: &RoleInfo) -> String {
    role.last_used
        .map_or_else(|| "Never".to_owned(), |t| t.to_iso8601())
}

/// A role's "last used", which IAM gives GetRole and not ListRoles: read per row.
#[component]
fn LastUsed(role: String) -> impl IntoView {
    let used = use_iam(
        move || IamRequest::GetRole { role: role.clone() },
        read_role,
    );
    move || {
        used.get().map(|result| match result {
            Ok(role) => last_used_text(&role),
            Err(_) => "Unknown".to_owned(),
        })
    }
}

/// The managed policies attached to a role (ListAttachedRolePolicies).
#[component]
fn AttachedPolicies(role: String) -> impl IntoView {
    let attached = use_iam(
        move || IamRequest::ListAttachedPolicies {
            target: Attachee::Role(role.clone()),
        },
        read_attached_policies,
    );
    view! {
        <Transition fallback=|| view! { <p role="status">"Loading attached policies…"</p> }>
            {move || {
                attached
                    .get()
                    .map(|result| match result {
                        Ok(list) if list.is_empty() => view! { <p>"None."</p> }.into_any(),
                        Ok(list) => {
                            view! {
                                <ul aria-label="Attached policies">
                                    {list
                                        .into_iter()
                                        .map(|(name, arn)| view! { <li title=arn>{name}</li> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <Failure what="list the attached policies".to_owned() error /> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The role's recent sessions: its AssumeRole calls, allowed or refused, newest first, from the
/// account's audit trail (for identities that may look it up).
#[component]
fn RecentSessions(role_arn: String) -> impl IntoView {
    let console = expect_console();
    let calls = CallScope::new();
    let request = sessions_request(&role_arn);
    let page = LocalResource::new(move || {
        let request = request.clone();
        let cancel = calls.begin();
        console.call(move |backend, credentials| async move {
            backend.lookup_events(&credentials, request, &cancel).await
        })
    });
    let all = ActivityFilter {
        role: Some(role_arn.clone()),
        ..ActivityFilter::default()
    }
    .path();
    view! {
        <Transition fallback=|| view! { <p role="status">"Loading the sessions…"</p> }>
            {move || {
                page.get()
                    .map(|result| match result {
                        Ok(page) => {
                            let rows = recent_sessions(&page.events, 10);
                            if rows.is_empty() {
                                return view! { <p>"No one has switched to this role in the last 90 days."</p> }
                                    .into_any();
                            }
                            view! {
                                <ul class="sessions" aria-labelledby="role-sessions">
                                    {rows
                                        .into_iter()
                                        .map(|r| {
                                            let outcome = r
                                                .refused
                                                .map_or_else(|| "allowed".to_owned(), |why| format!("refused: {why}"));
                                            let session = r.session.unwrap_or_default();
                                            view! {
                                                <li>
                                                    <time datetime=r.when.clone()>{r.when.replace('T', " ").replace('Z', " UTC")}</time>
                                                    {format!(" — session {session}, by {}, {outcome}", r.who)}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(BackendError::Refused { code: ErrorCode::AccessDenied, .. }) => {
                            view! {
                                <p class="hint">
                                    "Recent sessions are shown to those who may look the account's events up (cloudtrail:LookupEvents)."
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <Failure what="look up the role's sessions".to_owned() error /> }.into_any()
                        }
                    })
            }}
        </Transition>
        <p>
            <a href=all>"All activity with this role"</a>
        </p>
    }
}

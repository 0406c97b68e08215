//! `/iam/access`: the access map — for each user and group of the account, each role that
//! trusts the account, "Allowed", "Allowed with MFA" or "Denied" and why, as the engine decides it
//! before anyone clicks; and "what if": a draft trust policy or group policy tried on a copy,
//! listing the cells it would turn. The backend computes it (crossrole's IAM extension
//! `SimulateSwitchAccess`); a backend without it is told apart from a refusal.

use leptos::prelude::*;

use crossrole_core::admin::activity::{ActivityFilter, Outcome};
use crossrole_core::admin::trust_document;
use crossrole_core::arn::Arn;
use crossrole_core::client::read_switch_access;
use crossrole_core::ops::access::{Access, AccessMap, CellChange, Holder, WhatIf};
use crossrole_core::ops::ErrorCode;
use crossrole_core::wire::iam::IamRequest;

use crate::backend::{BackendError, Cancel};
use crate::components::failure::Failure;
use crate::components::page_heading::PageHeading;
use crate::components::require_sign_in::RequireSignIn;
use crate::hooks::{read_iam, use_iam};
use crate::state::expect_console;

/// The Access map page (signed-in only).
#[component]
pub fn AccessMapPage() -> impl IntoView {
    view! {
        <RequireSignIn>
            <Map />
        </RequireSignIn>
    }
}

/// Whether the backend lacks the access map altogether (an AWS endpoint, moto).
fn unsupported(error: &BackendError) -> bool {
    match error {
        BackendError::Refused { code, .. } => *code == ErrorCode::InvalidAction,
        BackendError::Failed { code, .. } => {
            code.contains("InvalidAction") || code.contains("UnknownOperation")
        }
        _ => false,
    }
}

/// The role's name and account, as a column header reads.
fn role_label(arn: &str) -> String {
    match arn.parse::<Arn>() {
        Ok(Arn::Role { account, name, .. }) => format!("{name} ({})", account.grouped()),
        _ => arn.to_owned(),
    }
}

#[component]
fn Map() -> impl IntoView {
    let map = use_iam(
        || IamRequest::SimulateSwitchAccess { what_if: None },
        read_switch_access,
    );
    view! {
        <section aria-labelledby="access-title">
            <PageHeading id="access-title" text="Access map" />
            <p>
                "Who in this account, and what each group grants, may switch to which role, decided "
                "as AssumeRole would decide it: the user's and groups' policies, the organization's "
                "SCPs and the role's trust policy. "
                "Focus a cell to read why."
            </p>
            <p>
                <a href="/iam">"All roles"</a>
            </p>
            <Transition fallback=|| view! { <p role="status">"Working out who may switch…"</p> }>
                {move || {
                    map.get()
                        .map(|result| match result {
                            Ok(map) => view! { <MapAndWhatIf map /> }.into_any(),
                            Err(error) if unsupported(&error) => {
                                view! {
                                    <div class="form-error" role="alert">
                                        "This backend cannot work out the access map: it needs IAM simulation of role switches "
                                        "(crossrole's SimulateSwitchAccess), which the in-browser mock and the crossrole emulator answer."
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(error) => {
                                view! { <Failure what="work out the access map".to_owned() error /> }.into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

/// What a draft would change: the map under it, or why it could not be tried.
type Tried = Result<AccessMap, BackendError>;

#[component]
fn MapAndWhatIf(map: AccessMap) -> impl IntoView {
    let console = expect_console();
    let try_draft = Action::new_local(move |change: &WhatIf| {
        let change = change.clone();
        async move {
            console
                .call(move |backend, credentials| async move {
                    let xml = backend
                        .iam(
                            &credentials,
                            IamRequest::SimulateSwitchAccess {
                                what_if: Some(change),
                            },
                            &Cancel::default(),
                        )
                        .await?;
                    read_iam(&xml, read_switch_access)
                })
                .await
        }
    });
    let base = StoredValue::new(map.clone());
    // Each cell's change under the draft tried last, if any.
    let changes = Memo::new(move |_| match try_draft.value().get() {
        Some(Ok(after)) => base.with_value(|m| m.changes(&after)),
        _ => Vec::new(),
    });
    view! {
        <AccessTable map changes />
        <WhatIfForm map=base try_draft />
        {move || {
            try_draft
                .value()
                .get()
                .map(|tried: Tried| match tried {
                    Ok(_) if changes.with(Vec::is_empty) => {
                        view! { <p role="status">"The draft would change no cell."</p> }.into_any()
                    }
                    Ok(_) => {
                        view! {
                            <h2 id="changes-title">"What the draft would change"</h2>
                            <ul aria-labelledby="changes-title">
                                {move || {
                                    changes
                                        .get()
                                        .into_iter()
                                        .map(|CellChange { holder, role, after }| {
                                            let before = base
                                                .with_value(|m| m.cell_of(&holder, &role).map(|c| c.label()))
                                                .unwrap_or("not on the map");
                                            view! {
                                                <li>
                                                    {format!(
                                                        "{holder} → {}: {before} would become {}. {}",
                                                        role_label(&role),
                                                        after.label(),
                                                        after.reason(),
                                                    )}
                                                </li>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <Failure what="try the draft".to_owned() error /> }.into_any(),
                })
        }}
    }
}

/// The map as a table: a row header per user, then per group, a column header per role, each
/// cell's reason in its accessible description and in a tooltip shown on focus and hover.
#[component]
fn AccessTable(map: AccessMap, changes: Memo<Vec<CellChange>>) -> impl IntoView {
    if map.roles.is_empty() {
        return view! { <p>"No role in any account trusts this account."</p> }.into_any();
    }
    let roles = map.roles.clone();
    // Each row: whose it is, what kind of row, who it concerns (the header's tooltip), cells.
    // "Groups: a, b" (or `none` when there are none), for a header's tooltip.
    let listed = |label: &str, none: &str, names: &[String]| {
        if names.is_empty() {
            none.to_owned()
        } else {
            format!("{label}: {}", names.join(", "))
        }
    };
    let users = map.rows.iter().map(|row| {
        let groups = listed("Groups", "In no group", &row.groups);
        (
            Holder::User(row.user.clone()),
            "",
            groups,
            row.cells.clone(),
        )
    });
    let groups = map.groups.iter().map(|group| {
        let members = listed("Members", "No members", &group.members);
        (
            Holder::Group(group.group.clone()),
            " (group)",
            members,
            group.cells.clone(),
        )
    });
    let rows: Vec<_> = users.chain(groups).collect();
    let has_groups = !map.groups.is_empty();
    view! {
        <div class="table-scroll">
            <table class="items access-map">
                <caption>"Access map"</caption>
                <thead>
                    <tr>
                        <th scope="col">"User or group"</th>
                        {roles.iter().map(|r| view! { <th scope="col">{role_label(r)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, (holder, kind, about, cells))| {
                            let name = match &holder {
                                Holder::User(name) | Holder::Group(name) => name.clone(),
                            };
                            view! {
                                <tr>
                                    <th scope="row" title=about>
                                        {name}
                                        <span class="row-kind">{kind}</span>
                                    </th>
                                    {cells
                                        .into_iter()
                                        .zip(roles.clone())
                                        .enumerate()
                                        .map(|(j, (cell, role))| {
                                            // A user's cell links to the switches that actually happened.
                                            let activity = match &holder {
                                                Holder::User(user) => Some(ActivityFilter {
                                                    person: Some(user.clone()),
                                                    role: Some(role.clone()),
                                                    outcome: Outcome::All,
                                                }),
                                                Holder::Group(_) => None,
                                            };
                                            view! { <AccessCell id=format!("access-{i}-{j}") cell holder=holder.clone() role changes activity /> }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {has_groups
            .then(|| {
                view! {
                    <p class="hint">
                        "A group's row is what membership alone allows: a member with no policy of its own and with an MFA device. A trust policy cannot name a group."
                    </p>
                }
            })}
    }
    .into_any()
}

/// One cell: its label, its reason as a tooltip (also its accessible description), and what
/// the draft tried last would make of it.
#[component]
fn AccessCell(
    id: String,
    cell: Access,
    holder: Holder,
    role: String,
    changes: Memo<Vec<CellChange>>,
    activity: Option<ActivityFilter>,
) -> impl IntoView {
    let link = activity.map(|f| {
        let who = f.person.clone().unwrap_or_default();
        let label = format!("Activity of {who} with {}", role_label(&role));
        view! {
            <a class="cell-activity" href=f.path() aria-label=label>
                "Activity"
            </a>
        }
    });
    let class = match cell {
        Access::Allowed => "access allowed",
        Access::AllowedWithMfa => "access mfa",
        Access::Denied(_) => "access denied",
    };
    let becoming = Memo::new(move |_| {
        changes.with(|c| {
            c.iter()
                .find(|c| c.holder == holder && c.role == role)
                .map(|c| format!(" With the draft: {}.", c.after.label()))
        })
    });
    let described = id.clone();
    view! {
        <td
            tabindex="0"
            class=move || {
                if becoming.with(Option::is_some) { format!("{class} would-change") } else { class.to_owned() }
            }
            aria-describedby=described
        >
            {cell.label()}
            {link}
            <span class="tooltip" role="tooltip" id=id>
                {cell.reason()}
                {move || becoming.get()}
            </span>
        </td>
    }
}

/// Which draft the what-if form holds.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// A role's trust policy (its ARN).
    Trust(String),
    /// An inline policy of a group (its name).
    Group(String),
    /// An inline policy of a user (their name).
    User(String),
}

impl Target {
    fn from_value(value: &str) -> Option<Target> {
        match value.split_once(':') {
            Some(("trust", arn)) => Some(Target::Trust(arn.to_owned())),
            Some(("group", group)) => Some(Target::Group(group.to_owned())),
            Some(("user", user)) => Some(Target::User(user.to_owned())),
            _ => None,
        }
    }
}

/// "What if": a draft trust policy for a role on the map, or a draft inline policy for one of
/// the map's groups or users, tried without saving it.
#[component]
fn WhatIfForm(map: StoredValue<AccessMap>, try_draft: Action<WhatIf, Tried>) -> impl IntoView {
    let roles = map.with_value(|m| m.roles.clone());
    let users: Vec<String> = map.with_value(|m| m.rows.iter().map(|r| r.user.clone()).collect());
    let groups: Vec<String> =
        map.with_value(|m| m.groups.iter().map(|g| g.group.clone()).collect());
    let console = expect_console();
    let account = console
        .acting()
        .map(|a| a.account_id().clone())
        .expect("the page is for the signed-in");
    let target = RwSignal::new(roles.first().map(|r| Target::Trust(r.clone())));
    let policy_name = RwSignal::new("WhatIf".to_owned());
    // A trust policy draft starts from the role's current one (the map carries it), so that
    // "Show changes" before any edit changes nothing; one the map lacks, from a policy
    // trusting this account without MFA. A new inline policy starts from one allowing the
    // first role on the map.
    let trust_fallback =
        serde_json::to_string_pretty(&trust_document(&account, false, None)).unwrap_or_default();
    let trust_start = move |arn: &str| {
        map.with_value(|m| m.trust_policy(arn).map(str::to_owned))
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|doc| serde_json::to_string_pretty(&doc).ok())
            .unwrap_or_else(|| trust_fallback.clone())
    };
    let identity_start = roles
        .first()
        .and_then(|r| crossrole_core::admin::grant_switch_policy(r).ok())
        .unwrap_or_default();
    let draft = RwSignal::new(roles.first().map(|r| trust_start(r)).unwrap_or_default());
    let choose = move |e: leptos::ev::Event| {
        let chosen = Target::from_value(&event_target_value(&e));
        draft.set(match &chosen {
            Some(Target::Group(_) | Target::User(_)) => identity_start.clone(),
            Some(Target::Trust(arn)) => trust_start(arn),
            None => String::new(),
        });
        target.set(chosen);
    };
    let on_try = move |_| {
        let change = match target.get_untracked() {
            Some(Target::Trust(role_arn)) => WhatIf::TrustPolicy {
                role_arn,
                document: draft.get_untracked(),
            },
            Some(Target::Group(group)) => WhatIf::GroupPolicy {
                group,
                name: policy_name.get_untracked(),
                document: Some(draft.get_untracked()),
            },
            Some(Target::User(user)) => WhatIf::UserPolicy {
                user,
                name: policy_name.get_untracked(),
                document: Some(draft.get_untracked()),
            },
            None => return,
        };
        try_draft.dispatch(change);
    };
    // The map's own groups and users: no other call to make.
    let identity_options = groups
        .iter()
        .map(|g| (format!("group:{g}"), format!("Inline policy of group {g}")))
        .chain(
            users
                .iter()
                .map(|u| (format!("user:{u}"), format!("Inline policy of user {u}"))),
        )
        .map(|(value, text)| view! { <option value=value>{text}</option> })
        .collect_view();
    view! {
        <h2>"What if"</h2>
        <p>"Try a draft before saving it: the map says which cells it would change. Nothing is saved."</p>
        <div class="form wide">
            <label for="whatif-target">"Draft"</label>
            <select id="whatif-target" on:change=choose>
                {roles
                    .iter()
                    .map(|r| {
                        view! {
                            <option value=format!("trust:{r}")>{format!("Trust policy of {}", role_label(r))}</option>
                        }
                    })
                    .collect_view()}
                {identity_options}
            </select>
            <Show when=move || matches!(target.get(), Some(Target::Group(_) | Target::User(_)))>
                <label for="whatif-name">"Policy name"</label>
                <input id="whatif-name" type="text" bind:value=policy_name />
            </Show>
            <label for="whatif-policy">"Draft policy JSON"</label>
            <textarea
                id="whatif-policy"
                rows="12"
                spellcheck="false"
                bind:value=draft
            ></textarea>
            <div class="form-actions">
                <button type="button" class="primary" on:click=on_try disabled=move || try_draft.pending().get()>
                    "Show changes"
                </button>
            </div>
        </div>
    }
}

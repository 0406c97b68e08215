//! `/iam/create`: the Create role wizard, in the console's steps — the role and who may switch
//! to it, its permissions, then a review of the exact JSON documents before anything is sent —
//! and, once created, the role's ARN and its predefined switch link. Core checks every field
//! (`crossrole_core::admin`), builds the documents and runs the calls (CreateRole, then
//! PutRolePolicy, rolled back when the second fails); this page renders and forwards.

use leptos::{html, prelude::*};

use crossrole_core::admin::{
    template_policy, CreateFailure, DraftField, Permissions, RoleDraft, RolePlan, WizardStep,
};
use crossrole_core::client::read_roles;
use crossrole_core::colour::Colour;
use crossrole_core::link::{default_display_name, RoleRef};
use crossrole_core::validation::{AccountId, AccountRef, DisplayName};
use crossrole_core::wire::iam::IamRequest;

use crate::backend::{BackendError, CallScope, Cancel};
use crate::components::colour_picker::ColourPicker;
use crate::components::copy_link::{on_this_site, CopyLink};
use crate::components::failure::Failure;
use crate::components::page_heading::PageHeading;
use crate::components::require_sign_in::RequireSignIn;
use crate::hooks::{read_iam, use_refusal};
use crate::state::expect_console;

// Leptos's #[component] gives a pub(super) component `pub` builder methods.
#[allow(unreachable_pub)]
mod created;
use created::*;

// Leptos's #[component] gives a pub(super) component `pub` builder methods.
#[allow(unreachable_pub)]
mod fields;
use fields::*;
#[allow(unreachable_pub)]
mod review;
use review::*;

/// The Create role page (signed-in only).
#[component]
pub fn CreateRole() -> impl IntoView {
    view! {
        <RequireSignIn>
            <Wizard />
        </RequireSignIn>
    }
}

/// What the wizard needs to know first: where the role will live and what is there already.
#[derive(Clone, Debug)]
struct Setting {
    /// The acting identity's account, where the role is created.
    account: AccountId,
    /// The backend's region, for the tables' ARNs.
    region: String,
    /// The account's role names (a new name must differ in more than case).
    roles: Vec<String>,
    /// The account's tables, or why they could not be listed.
    tables: Result<Vec<String>, BackendError>,
}

#[component]
fn Wizard() -> impl IntoView {
    let console = expect_console();
    let calls = CallScope::new();
    let resource = LocalResource::new(move || {
        let cancel = calls.begin();
        let account = console.acting().map(|a| a.account_id().clone());
        console.call(move |backend, credentials| async move {
            let account = account.ok_or(BackendError::NotSignedIn)?;
            let region = backend.region().await?;
            let xml = backend
                .iam(&credentials, IamRequest::ListRoles, &cancel)
                .await?;
            let roles = read_iam(&xml, read_roles)?
                .into_iter()
                .map(|r| r.name)
                .collect();
            let tables = backend.list_tables(&credentials, &cancel).await;
            Ok(Setting {
                account,
                region,
                roles,
                tables,
            })
        })
    });
    view! {
        <section aria-labelledby="create-title">
            <PageHeading id="create-title" text="Create role" />
            <p>
                <a href="/iam">"All roles"</a>
            </p>
            <Transition fallback=|| view! { <p role="status">"Loading the account…"</p> }>
                {move || {
                    resource
                        .get()
                        .map(|result| match result {
                            Ok(setting) => {
                                view! { <Steps setting again=move || resource.refetch() /> }
                                    .into_any()
                            }
                            Err(error) => {
                                view! { <Failure what="prepare a new role".to_owned() error /> }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

/// Which permissions the radio group chose. The custom text is kept apart, so going back and
/// forth between the choices loses nothing typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Full,
    ReadOnly,
    Custom,
}

/// The wizard's fields, each kept exactly as typed.
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    path: RwSignal<String>,
    trusted: RwSignal<String>,
    require_mfa: RwSignal<bool>,
    require_external_id: RwSignal<bool>,
    external_id: RwSignal<String>,
    choice: RwSignal<Choice>,
    policy_json: RwSignal<String>,
    tables: RwSignal<Vec<String>>,
    hours: RwSignal<String>,
    every_resource: RwSignal<bool>,
}

impl Fields {
    fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            path: RwSignal::new(String::new()),
            trusted: RwSignal::new(String::new()),
            require_mfa: RwSignal::new(true),
            require_external_id: RwSignal::new(false),
            external_id: RwSignal::new(String::new()),
            choice: RwSignal::new(Choice::ReadOnly),
            policy_json: RwSignal::new(String::new()),
            tables: RwSignal::new(Vec::new()),
            hours: RwSignal::new("1".to_owned()),
            every_resource: RwSignal::new(false),
        }
    }

    /// The draft as it stands, for core to check.
    fn draft(self) -> RoleDraft {
        RoleDraft {
            name: self.name.get(),
            path: self.path.get(),
            trusted_account: self.trusted.get(),
            require_mfa: self.require_mfa.get(),
            external_id: self
                .require_external_id
                .get()
                .then(|| self.external_id.get()),
            permissions: match self.choice.get() {
                Choice::Full => Permissions::DynamoDbFullAccess,
                Choice::ReadOnly => Permissions::DynamoDbReadOnly,
                Choice::Custom => Permissions::Custom(self.policy_json.get()),
            },
            tables: self.tables.get(),
            // Not a whole number of hours: 0, which core refuses with its sentence.
            max_session_hours: self.hours.get().trim().parse().unwrap_or(0),
            every_resource: self.every_resource.get(),
        }
    }
}

#[component]
fn Steps(setting: Setting, again: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let console = expect_console();
    let fields = Fields::new();
    let Setting {
        account,
        region,
        roles,
        tables,
    } = setting;
    let checked = {
        let (account, region) = (account.to_string(), region.clone());
        Memo::new(move |_| fields.draft().check_among(&account, &region, &roles))
    };
    let step = RwSignal::new(WizardStep::Role);
    // At the review, Create role is offered only where the simulator does not say no.
    let refused = use_refusal(vec!["iam:CreateRole", "iam:PutRolePolicy"], move || {
        (step.get() == WizardStep::Review)
            .then(|| checked.get().ok().map(|p| p.arn))
            .flatten()
    });
    // The furthest step whose Next was pressed: its fields' problems show from then on.
    let tried = RwSignal::new(None::<WizardStep>);
    let problem = move |field: DraftField| {
        Signal::derive(move || {
            let tried = tried.get()?;
            if field.step() > tried {
                return None;
            }
            checked.with(|c| c.as_ref().err()?.of(field).map(str::to_owned))
        })
    };
    let heading = NodeRef::<html::H2>::new();
    // Each step's heading takes the focus, so that a screen reader says where the person is.
    Effect::watch(
        move || step.get(),
        move |_, _, _| {
            request_animation_frame(move || {
                // The page may be gone by the next frame.
                if let Some(Some(h)) = heading.try_get_untracked() {
                    let _ = h.focus();
                }
            })
        },
        false,
    );
    let next = move |_| {
        let at = step.get_untracked();
        let blocked = checked.with_untracked(|c| c.as_ref().err().is_some_and(|p| p.blocks(at)));
        if blocked {
            tried.set(Some(tried.get_untracked().map_or(at, |t| t.max(at))));
        } else {
            step.set(at.next());
        }
    };
    let create = Action::new_local(move |plan: &RolePlan| {
        let plan = plan.clone();
        async move {
            let sent = plan.clone();
            let outcome = console
                .call(move |backend, credentials| async move {
                    Ok(sent
                        .create(|request| {
                            let (backend, credentials) = (backend.clone(), credentials.clone());
                            // Never abandoned half-way: leaving the page must not leave a role
                            // without its permissions.
                            async move {
                                backend
                                    .iam(&credentials, request, &Cancel::default())
                                    .await
                                    .map(drop)
                            }
                        })
                        .await)
                })
                .await;
            match outcome {
                Ok(Ok(())) => Ok(plan),
                Ok(Err(failure)) => Err(failure),
                Err(error) => Err(CreateFailure::NotCreated(error)),
            }
        }
    });
    // After a failed rollback: send the permissions again to finish the role.
    let finish = Action::new_local(move |plan: &RolePlan| {
        let plan = plan.clone();
        async move {
            let request = plan.permissions_request();
            console
                .call(move |backend, credentials| async move {
                    backend.iam(&credentials, request, &Cancel::default()).await
                })
                .await
                .map(|_| plan)
        }
    });
    let created = move || match (create.value().get(), finish.value().get()) {
        (Some(Ok(plan)), _) | (_, Some(Ok(plan))) => Some(plan),
        _ => None,
    };
    let busy = move || create.pending().get() || finish.pending().get();
    let back = move |_| {
        create.value().set(None);
        step.update(|s| *s = s.back());
    };

    let tables = StoredValue::new(tables);
    let tables_view = move || match tables.get_value() {
        Ok(names) => view! { <TableChoices names fields /> }.into_any(),
        Err(error) => view! {
            <Failure what="list the account's tables".to_owned() error />
            <p class="hint">"Choose \"Custom policy\" to name resources yourself."</p>
        }
        .into_any(),
    };
    let place = StoredValue::new((account.to_string(), region));
    let template_text = move || {
        place.with_value(|(account, region)| {
            template_policy(
                fields.choice.get_untracked() == Choice::ReadOnly,
                &fields.tables.get_untracked(),
                account,
                region,
            )
        })
    };
    let link_account = account.clone();

    view! {
        <Show
            when=move || created().is_none()
            fallback=move || {
                created()
                    .map(|plan| {
                        view! { <Created plan account=link_account.clone() again /> }
                    })
            }
        >
            <ol class="steps" aria-label="Steps">
                <StepName step this=WizardStep::Role label="Role and trust" />
                <StepName step this=WizardStep::Permissions label="Permissions" />
                <StepName step this=WizardStep::Review label="Review and create" />
            </ol>
            {move || match step.get() {
                WizardStep::Role => {
                    view! {
                        <div class="form wide">
                            <h2 node_ref=heading tabindex="-1">"Step 1 of 3: Role and trust"</h2>
                            <TextField label="Role name" id="role-name" value=fields.name problem=problem(DraftField::Name) hint="Letters, digits and +=,.@_- (up to 64)." />
                            <TextField label="Path" id="role-path" value=fields.path problem=problem(DraftField::Path) hint="Optional, e.g. /ops/ (default /)." />
                            <TextField
                                label="Trusted account ID"
                                id="role-trusted"
                                value=fields.trusted
                                problem=problem(DraftField::TrustedAccount)
                                hint="The 12-digit account whose people may switch to the role (this account's own id is allowed too)."
                            />
                            <CheckField label="Require MFA" id="role-mfa" value=fields.require_mfa />
                            <CheckField label="Require external ID" id="role-external" value=fields.require_external_id />
                            <Show when=move || fields.require_external_id.get()>
                                <TextField label="External ID" id="role-external-id" value=fields.external_id problem=problem(DraftField::ExternalId) />
                            </Show>
                            <div class="form-actions">
                                <button type="button" class="primary" on:click=next>
                                    "Next"
                                </button>
                            </div>
                        </div>
                    }
                        .into_any()
                }
                WizardStep::Permissions => {
                    view! {
                        <div class="form wide">
                            <h2 node_ref=heading tabindex="-1">"Step 2 of 3: Permissions"</h2>
                            <fieldset class="choices">
                                <legend id="role-permissions-label">"Permissions"</legend>
                                <div role="radiogroup" aria-labelledby="role-permissions-label">
                                    <ChoiceField label="DynamoDB full access" id="role-full" choice=Choice::Full fields on_custom=template_text />
                                    <ChoiceField label="DynamoDB read-only" id="role-read" choice=Choice::ReadOnly fields on_custom=template_text />
                                    <ChoiceField label="Custom policy" id="role-custom" choice=Choice::Custom fields on_custom=template_text />
                                </div>
                            </fieldset>
                            <Show
                                when=move || fields.choice.get() == Choice::Custom
                                fallback=move || {
                                    view! {
                                        {tables_view}
                                        <FieldProblem id="role-tables-error" problem=problem(DraftField::Tables) />
                                    }
                                }
                            >
                                <label for="role-policy">"Policy JSON"</label>
                                <textarea
                                    id="role-policy"
                                    rows="14"
                                    spellcheck="false"
                                    bind:value=fields.policy_json
                                    aria-invalid=move || problem(DraftField::PolicyJson).get().is_some().to_string()
                                    aria-describedby="role-policy-error"
                                ></textarea>
                                <FieldProblem id="role-policy-error" problem=problem(DraftField::PolicyJson) />
                            </Show>
                            <CheckField label="Apply to every resource" id="role-every" value=fields.every_resource />
                            <label for="role-hours">"Maximum session duration (hours)"</label>
                            <input
                                id="role-hours"
                                type="number"
                                min="1"
                                max="12"
                                bind:value=fields.hours
                                aria-invalid=move || problem(DraftField::MaxSession).get().is_some().to_string()
                                aria-describedby="role-hours-error"
                            />
                            <FieldProblem id="role-hours-error" problem=problem(DraftField::MaxSession) />
                            <div class="form-actions">
                                <button type="button" on:click=back>
                                    "Back"
                                </button>
                                <button type="button" class="primary" on:click=next>
                                    "Next"
                                </button>
                            </div>
                        </div>
                    }
                        .into_any()
                }
                WizardStep::Review => {
                    view! {
                        <div class="form wide">
                            <h2 node_ref=heading tabindex="-1">"Step 3 of 3: Review and create"</h2>
                            {move || checked.get().ok().map(|plan| view! { <Review plan /> })}
                            {move || {
                                create
                                    .value()
                                    .get()
                                    .and_then(Result::err)
                                    .map(|failure| {
                                        let half_made = matches!(failure, CreateFailure::HalfMade { .. });
                                        view! {
                                            <div class="form-error" role="alert">
                                                {failure.to_string()}
                                            </div>
                                            <Show when=move || half_made>
                                                <button
                                                    type="button"
                                                    disabled=busy
                                                    on:click=move |_| {
                                                        if let Ok(plan) = checked.get_untracked() {
                                                            finish.dispatch(plan);
                                                        }
                                                    }
                                                >
                                                    "Finish creating the role"
                                                </button>
                                            </Show>
                                        }
                                    })
                            }}
                            {move || {
                                finish
                                    .value()
                                    .get()
                                    .and_then(Result::err)
                                    .map(|error| {
                                        view! {
                                            <div class="form-error" role="alert">
                                                {format!("The role's permissions could not be added. {}", error.explanation())}
                                            </div>
                                        }
                                    })
                            }}
                            <div class="form-actions">
                                <button type="button" on:click=back disabled=busy>
                                    "Back"
                                </button>
                                <button
                                    type="button"
                                    class="primary"
                                    aria-describedby="create-refused"
                                    disabled=move || busy() || refused.with(Option::is_some)
                                    on:click=move |_| {
                                        if let Ok(plan) = checked.get_untracked() {
                                            create.dispatch(plan);
                                        }
                                    }
                                >
                                    {move || if create.pending().get() { "Creating…" } else { "Create role" }}
                                </button>
                            </div>
                            <p class="hint" id="create-refused">
                                {move || refused.get().map(|r| format!("Create role is not available: {r}"))}
                            </p>
                        </div>
                    }
                        .into_any()
                }
            }}
        </Show>
    }
}

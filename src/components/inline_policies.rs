//! A role's or a group's inline policies, each shown as JSON with a "Remove" button
//! (DeleteRolePolicy or DeleteGroupPolicy, as core's `PolicyOwner` builds them). Remove asks
//! first, naming the policy; where IAM's simulator says the acting identity may not remove
//! (an SCP, a boundary, no permission), the button is disabled with the reason instead.

use leptos::prelude::*;

use crossrole_core::admin::PolicyOwner;
use crossrole_core::client::{read_policy_document, read_policy_names};

use crate::backend::{BackendError, CallScope, Cancel};
use crate::components::confirm::{ConfirmDialog, Confirmation};
use crate::components::failure::Failure;
use crate::hooks::{read_iam, use_refusal};
use crate::state::expect_console;

/// The inline policies of `owner`, read again whenever `changed` changes or one is removed.
#[component]
pub fn InlinePolicies(
    /// Whose policies.
    owner: PolicyOwner,
    /// The owner's ARN (what the simulator is asked about).
    owner_arn: String,
    /// The list's accessible name.
    label: String,
    /// Bumped by the page when it changed the policies itself (a grant).
    #[prop(into)]
    changed: Signal<usize>,
) -> impl IntoView {
    let console = expect_console();
    let calls = CallScope::new();
    let removed = RwSignal::new(0usize);
    let listed = {
        let owner = owner.clone();
        LocalResource::new(move || {
            changed.track();
            removed.track();
            let cancel = calls.begin();
            let owner = owner.clone();
            console.call(move |backend, credentials| async move {
                let xml = backend
                    .iam(&credentials, owner.list_request(), &cancel)
                    .await?;
                let mut policies = Vec::new();
                for name in read_iam(&xml, read_policy_names)? {
                    let xml = backend
                        .iam(&credentials, owner.get_request(&name), &cancel)
                        .await?;
                    let (name, document) = read_iam(&xml, read_policy_document)?;
                    policies.push((
                        name,
                        serde_json::to_string_pretty(&document).unwrap_or_default(),
                    ));
                }
                Ok(policies)
            })
        })
    };
    // Whether the acting identity may remove them, as IAM's simulator says.
    let refused = use_refusal(vec![owner.delete_action()], move || Some(owner_arn.clone()));
    let ask = RwSignal::new(None::<Confirmation>);
    let asked_for = RwSignal::new(None::<String>);
    let described_owner = owner.described();
    let remove = Action::new_local(move |name: &String| {
        let request = owner.delete_request(name);
        let name = name.clone();
        async move {
            console
                .call(move |backend, credentials| async move {
                    backend.iam(&credentials, request, &Cancel::default()).await
                })
                .await
                .map(|_| removed.update(|n| *n += 1))
                .map_err(|error| (name, error))
        }
    });
    let failure =
        move || {
            remove.value().get().and_then(Result::err).map(
                |(name, error): (String, BackendError)| {
                    view! { <Failure what=format!("remove {name}") error /> }
                },
            )
        };
    view! {
        {failure}
        <ConfirmDialog
            ask
            confirmed=move || {
                if let Some(name) = asked_for.get_untracked() {
                    remove.dispatch(name);
                }
            }
        />
        <Transition fallback=|| view! { <p role="status">"Loading policies…"</p> }>
            {move || {
                let label = label.clone();
                listed
                    .get()
                    .map(|result| match result {
                        Ok(policies) if policies.is_empty() => {
                            view! { <p>"No inline policies."</p> }.into_any()
                        }
                        Ok(policies) => {
                            view! {
                                <ul class="policies" aria-label=label>
                                    {policies
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, (name, text))| {
                                            let id = format!("inline-policy-{i}");
                                            let why = format!("inline-policy-{i}-why");
                                            let removing = name.clone();
                                            let owner = described_owner.clone();
                                            let why_text = why.clone();
                                            view! {
                                                <li>
                                                    <div class="policy-head">
                                                        <strong id=id.clone()>{name}</strong>
                                                        <button
                                                            type="button"
                                                            aria-describedby=format!("{id} {why}")
                                                            disabled=move || remove.pending().get() || refused.with(Option::is_some)
                                                            on:click=move |_| {
                                                                asked_for.set(Some(removing.clone()));
                                                                ask.set(Some(Confirmation {
                                                                    title: format!("Remove inline policy {removing}?"),
                                                                    body: format!(
                                                                        "{removing} is deleted from {owner} at once, and what it allows stops. This cannot be undone: copy its JSON first if it may be needed again."
                                                                    ),
                                                                    action: "Remove",
                                                                }));
                                                            }
                                                        >
                                                            "Remove"
                                                        </button>
                                                    </div>
                                                    <p class="hint" id=why_text>
                                                        {move || refused.get().map(|r| format!("Remove is not available: {r}"))}
                                                    </p>
                                                    <pre class="policy">{text}</pre>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <Failure what="read the policies".to_owned() error /> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

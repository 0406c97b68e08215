//! `/switchrole`: the Switch Role page, pre-filled by predefined links.

use leptos::{ev, prelude::*};
use leptos_router::hooks::{use_location, use_navigate};

use crossrole_core::colour::Colour;
use crossrole_core::form::{FormProblems, SwitchForm, SwitchTarget};
use crossrole_core::link::{parse_query, LinkField};
use crossrole_core::validation::InvalidField;

use crate::backend::CallScope;
use crate::components::colour_picker::ColourPicker;
use crate::components::copy_link::{on_this_site, CopyLink};
use crate::components::page_heading::{focus_page_heading, PageHeading};
use crate::components::require_sign_in::RequireSignIn;
use crate::state::expect_console;

/// The Switch Role page: the first-run explanation the first time, then the form.
#[component]
pub fn SwitchRole() -> impl IntoView {
    let console = expect_console();
    view! {
        <RequireSignIn>
            <Show when=move || console.base().with(Option::is_some) fallback=NoUser>
                <Show when=move || console.first_run_seen().get() fallback=FirstRun>
                    <SwitchRoleForm />
                </Show>
            </Show>
        </RequireSignIn>
    }
}

/// A role opened by a sign-in link has no user to switch with (the console always switches
/// with the user's session): said, with the way to one.
#[component]
fn NoUser() -> impl IntoView {
    view! {
        <section aria-labelledby="switchrole-title">
            <PageHeading id="switchrole-title" text="Switch Role" />
            <p class="info-box">
                "This tab's role session came from a sign-in link, with no user behind it to switch from. "
                "To switch roles, sign out from the identity menu and sign in as your user."
            </p>
        </section>
    }
}

/// The first-run page: what switching roles is, with a button to go on to the form.
#[component]
fn FirstRun() -> impl IntoView {
    let console = expect_console();
    view! {
        <section aria-labelledby="firstrun-title" class="first-run">
            <PageHeading id="firstrun-title" text="Switch Role" />
            <p>
                "Switching roles lets you manage resources in another AWS account with one sign-in. "
                "An administrator of that account creates a role you may use and gives you its account and role name, "
                "often as a link that fills in this form."
            </p>
            <p>
                "While you use a role, you have its permissions and only those; your own come back when you choose "
                <em>"Back to"</em> " your user name in the identity menu. "
                <a
                    href="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-console.html"
                    rel="noopener noreferrer"
                    target="_blank"
                >
                    "Learn more about switching roles"
                </a>
                "."
            </p>
            <button
                type="button"
                class="primary"
                on:click=move |_| {
                    console.see_first_run();
                    // The form replaces this page: its heading takes the focus.
                    focus_page_heading();
                }
            >
                "Switch Role"
            </button>
        </section>
    }
}

/// The form's fields, each kept exactly as typed.
#[derive(Clone, Copy)]
struct Fields {
    account: RwSignal<String>,
    role: RwSignal<String>,
    display_name: RwSignal<String>,
    colour: RwSignal<Option<Colour>>,
}

impl Fields {
    fn new(form: SwitchForm) -> Self {
        Self {
            account: RwSignal::new(form.account),
            role: RwSignal::new(form.role),
            display_name: RwSignal::new(form.display_name),
            colour: RwSignal::new(form.colour),
        }
    }

    /// The form as it stands, for core to check.
    fn form(self) -> SwitchForm {
        SwitchForm {
            account: self.account.get(),
            role: self.role.get(),
            display_name: self.display_name.get(),
            colour: self.colour.get(),
        }
    }
}

/// What the page shows under each field: core's problem with it, as a sentence.
#[derive(Clone, Debug, Default, PartialEq)]
struct Problems {
    account: Option<String>,
    role: Option<String>,
    display_name: Option<String>,
    colour: Option<String>,
}

impl From<&FormProblems> for Problems {
    fn from(p: &FormProblems) -> Self {
        let text = |e: &Option<InvalidField>| e.as_ref().map(ToString::to_string);
        Problems {
            account: text(&p.account),
            role: text(&p.role),
            display_name: text(&p.display_name),
            colour: None,
        }
    }
}

/// The form: Account, Role, Display Name, Color; Switch Role and Cancel.
#[component]
fn SwitchRoleForm() -> impl IntoView {
    let console = expect_console();
    let navigate = use_navigate();
    let search = use_location().search;

    // A predefined link fills the form once; from then on the fields are the person's.
    let link = search.with_untracked(|q| parse_query(q));
    let link_colour_error = link.error(LinkField::Colour).map(ToString::to_string);
    // Where to go once switched (a path on this site, or nothing: an off-site one is refused).
    let destination = link.link.destination.clone();
    let destination_error = link.error(LinkField::Destination).map(ToString::to_string);
    let initial = SwitchForm::from_link(&link);
    let from_link = !initial.is_blank();
    let fields = Fields::new(initial);

    let form = Memo::new(move |_| fields.form());
    let checked = Memo::new(move |_| form.with(SwitchForm::check));
    // Problems show once the person tries to switch, or at once for a link's bad fields.
    let show_problems = RwSignal::new(from_link || link_colour_error.is_some());
    let problems = Memo::new(move |_| {
        let mut p = match (show_problems.get(), checked.get()) {
            (true, Err(problems)) => Problems::from(&problems),
            _ => Problems::default(),
        };
        // A colour only a link can give wrongly; it is dropped, and said so until one is picked.
        if fields.colour.get().is_none() {
            p.colour = link_colour_error.clone();
        }
        p
    });

    // The predefined link for what the form holds, on this site (and the same destination).
    let shared_destination = destination.clone();
    let share = Memo::new(move |_| {
        form.with(|f| f.share_link(shared_destination.as_deref()))
            .map(|path| on_this_site(&path))
    });
    let suggestion = move || {
        form.with(SwitchForm::suggested_display_name)
            .map_or_else(|| "RoleName @ account".to_owned(), |d| d.to_string())
    };

    // The form's own calls: its Cancel, and leaving the page, abandon these and no other.
    let calls = CallScope::new();
    let after = destination.clone().unwrap_or_else(|| "/".to_owned());
    let switch = Action::new_local(move |req: &SwitchTarget| {
        let req = req.clone();
        let navigate = navigate.clone();
        let after = after.clone();
        let cancel = calls.begin();
        async move {
            let outcome = console.switch_to(req.clone(), cancel).await;
            if outcome.is_ok() {
                navigate(&after, Default::default());
            }
            outcome.map_err(|e| (req, e))
        }
    });
    let pending = switch.pending();
    let on_submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        show_problems.set(true);
        if let Ok(target) = checked.get_untracked() {
            if !pending.get_untracked() {
                switch.dispatch(target);
            }
        }
    };
    // A role the backend just refused is not one to share (until the form names another).
    let refused_here = Memo::new(move |_| {
        switch.value().with(|v| match (v, checked.get()) {
            (Some(Err((req, e))), Ok(now)) => e.is_refusal() && req.same_role(&now),
            _ => false,
        })
    });
    let failure = move || match switch.value().get() {
        Some(Err((req, e))) => Some(view! {
            <div class="form-error" role="alert">
                <strong>
                    {format!("Could not switch to {} in account {}.", req.role.to_text(), req.account)}
                </strong>
                " "
                {e.explanation()}
            </div>
        }),
        _ => None,
    };
    let cancel_navigate = use_navigate();

    let field_error = move |id: &'static str, which: fn(&Problems) -> Option<String>| {
        move || {
            problems
                .with(which)
                .map(|m| view! { <p class="field-error" id=id>{m}</p> })
        }
    };
    let invalid = move |which: fn(&Problems) -> Option<String>| {
        move || {
            if problems.with(which).is_some() {
                "true"
            } else {
                "false"
            }
        }
    };

    view! {
        <section aria-labelledby="switchrole-title">
            <PageHeading id="switchrole-title" text="Switch Role" />
            <p>
                "Enter the account and role an administrator gave you. The display name and color "
                "show in the navigation bar while you use the role."
            </p>
            <form class="form" on:submit=on_submit novalidate aria-busy=move || pending.get().to_string()>
                <label for="switch-account">"Account"</label>
                <input
                    id="switch-account"
                    type="text"
                    placeholder="Account ID or alias"
                    bind:value=fields.account
                    aria-invalid=invalid(|p| p.account.clone())
                    aria-describedby="switch-account-error"
                />
                {field_error("switch-account-error", |p| p.account.clone())}
                <label for="switch-role">"Role"</label>
                <input
                    id="switch-role"
                    type="text"
                    placeholder="Role name, e.g. path/RoleName"
                    bind:value=fields.role
                    aria-invalid=invalid(|p| p.role.clone())
                    aria-describedby="switch-role-error"
                />
                {field_error("switch-role-error", |p| p.role.clone())}
                <label for="switch-display">"Display Name"</label>
                <input
                    id="switch-display"
                    type="text"
                    placeholder=suggestion
                    bind:value=fields.display_name
                    aria-invalid=invalid(|p| p.display_name.clone())
                    aria-describedby="switch-display-error"
                />
                {field_error("switch-display-error", |p| p.display_name.clone())}
                <ColourPicker legend="Color" id_prefix="switch-colour" colour=fields.colour />
                {field_error("switch-colour-error", |p| p.colour.clone())}
                {destination
                    .clone()
                    .map(|d| view! { <p class="hint">"After switching you go to " <code>{d}</code> "."</p> })}
                {destination_error
                    .map(|e| view! { <p class="field-error" role="alert">{format!("The link's destination was not used: {e}.")}</p> })}
                {failure}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Switching…" } else { "Switch Role" }}
                    </button>
                    // While switching, Cancel abandons the call and keeps the form; else it leaves.
                    <button
                        type="button"
                        on:click=move |_| {
                            if pending.get_untracked() {
                                calls.cancel();
                            } else {
                                cancel_navigate("/", Default::default());
                            }
                        }
                    >
                        "Cancel"
                    </button>
                </div>
            </form>
            <Show when=move || share.with(Option::is_some) && !refused_here.get()>
                <h2>"Share this role"</h2>
                <CopyLink label="Predefined link" id="switch-share" link=Signal::derive(move || share.get().unwrap_or_default()) />
            </Show>
            <Show when=move || refused_here.get()>
                <h2>"Share this role"</h2>
                <p class="hint">
                    "No link to share: switching to this role was refused. Share it once the switch works, so that others are not sent to the same refusal."
                </p>
            </Show>
        </section>
    }
}

//! The role just created: its ARN, what to do next, and its predefined switch link.

use super::*;

/// The role, created: its ARN and the predefined link, with a display name and colour chosen
/// here (core's link builder writes it).
#[component]
pub(super) fn Created(
    plan: RolePlan,
    account: AccountId,
    again: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let display = RwSignal::new(String::new());
    let colour = RwSignal::new(None::<Colour>);
    let set_up = plan.set_up(&account);
    let account = AccountRef::Id(account);
    let suggestion = default_display_name(
        &RoleRef {
            path: plan.path.clone(),
            name: plan.name.clone(),
        },
        &account,
    )
    .to_string();
    let display_problem = Signal::derive(move || {
        display.with(|d| {
            let d = d.trim();
            (!d.is_empty())
                .then(|| DisplayName::parse(d).err().map(|e| e.to_string()))
                .flatten()
        })
    });
    let role_href = format!(
        "/iam/role?name={}",
        js_sys::encode_uri_component(plan.name.as_str())
    );
    let arn = plan.arn.clone();
    let grant_href = format!(
        "/iam/grant?role={}",
        js_sys::encode_uri_component(&plan.arn)
    );
    let link = Signal::derive(move || {
        let name = display.with(|d| DisplayName::parse(d.trim()).ok());
        on_this_site(&plan.switch_link(&account, name.as_ref(), colour.get()))
    });
    let heading = NodeRef::<html::H2>::new();
    heading.on_load(|h| {
        let _ = h.focus();
    });
    view! {
        <div class="form wide">
            <h2 node_ref=heading tabindex="-1">"Role created"</h2>
            <p role="status">"The role is ready. A switch to it needs two halves:"</p>
            <ol class="set-up" aria-label="Set-up">
                <li>{set_up.done}</li>
                <li>
                    {set_up.to_do} " " <a href=grant_href>"Grant switch access"</a>
                </li>
                <li>"Then share the role's link below with the people who may switch to it."</li>
            </ol>
            <dl class="facts">
                <dt>"ARN"</dt>
                <dd>
                    <code>{arn}</code>
                </dd>
            </dl>
            <p>
                <a href=role_href>"View the role"</a>
            </p>
            <label for="created-display">"Display name"</label>
            <input
                id="created-display"
                type="text"
                placeholder=suggestion
                bind:value=display
                aria-invalid=move || display_problem.get().is_some().to_string()
                aria-describedby="created-display-error"
            />
            <FieldProblem id="created-display-error" problem=display_problem />
            <ColourPicker legend="Color" id_prefix="created-colour" colour />
            <CopyLink label="Switch role link" id="switch-link" link />
            <div class="form-actions">
                <button type="button" on:click=move |_| again()>
                    "Create another role"
                </button>
            </div>
        </div>
    }
}

//! The wizard's labelled fields: text, check box, choice, and the table chooser, each with
//! its problem said beside it.

use super::*;

/// One step in the list of steps; the current one is marked for assistive technology.
#[component]
pub(super) fn StepName(
    step: RwSignal<WizardStep>,
    this: WizardStep,
    label: &'static str,
) -> impl IntoView {
    view! { <li aria-current=move || (step.get() == this).then_some("step")>{label}</li> }
}

/// A field's problem, in an alert, once there is one.
#[component]
pub(super) fn FieldProblem(id: &'static str, problem: Signal<Option<String>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|m| view! { <p class="field-error" role="alert" id=id>{m}</p> })
    }
}

/// A labelled textbox with its hint and problem.
#[component]
pub(super) fn TextField(
    label: &'static str,
    id: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] problem: Option<Signal<Option<String>>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let problem = problem.unwrap_or_default();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {error_id}");
    view! {
        <label for=id>{label}</label>
        {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
        <input
            id=id
            type="text"
            autocomplete="off"
            bind:value=value
            aria-invalid=move || problem.get().is_some().to_string()
            aria-describedby=described
        />
        {move || {
            problem
                .get()
                .map(|m| view! { <p class="field-error" role="alert" id=error_id.clone()>{m}</p> })
        }}
    }
}

/// A labelled checkbox.
#[component]
pub(super) fn CheckField(
    label: &'static str,
    id: &'static str,
    value: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="check">
            <input id=id type="checkbox" bind:checked=value />
            <label for=id>{label}</label>
        </div>
    }
}

/// One of the Permissions radios. Choosing "Custom policy" with nothing typed yet starts the
/// text from the template chosen before, so the administrator edits rather than writes.
#[component]
pub(super) fn ChoiceField(
    label: &'static str,
    id: &'static str,
    choice: Choice,
    fields: Fields,
    on_custom: impl Fn() -> String + 'static,
) -> impl IntoView {
    let choose = move |_| {
        if choice == Choice::Custom && fields.policy_json.with_untracked(|p| p.trim().is_empty()) {
            fields.policy_json.set(on_custom());
        }
        fields.choice.set(choice);
    };
    view! {
        <div class="check">
            <input
                id=id
                type="radio"
                name="role-permissions"
                prop:checked=move || fields.choice.get() == choice
                on:change=choose
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// The account's tables as checkboxes, each named after its table.
#[component]
pub(super) fn TableChoices(names: Vec<String>, fields: Fields) -> impl IntoView {
    view! {
        <fieldset class="choices">
            <legend>"Tables"</legend>
            <p class="hint">"The permissions apply to the chosen tables only."</p>
            {names
                .into_iter()
                .map(|name| {
                    let id = format!("role-table-{name}");
                    let label_for = id.clone();
                    let (mine, toggled) = (name.clone(), name.clone());
                    view! {
                        <div class="check">
                            <input
                                id=id
                                type="checkbox"
                                prop:checked=move || fields.tables.with(|t| t.contains(&mine))
                                on:change=move |e| {
                                    let on = event_target_checked(&e);
                                    fields.tables.update(|t| {
                                        t.retain(|n| *n != toggled);
                                        if on {
                                            t.push(toggled.clone());
                                        }
                                    });
                                }
                            />
                            <label for=label_for>{name}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

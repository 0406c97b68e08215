//! "Export as CloudFormation" and "Export as Terraform": what an administrator designs here,
//! written as code to take where real accounts are managed. Core writes the text (or, for a
//! role that exists, the backend's GetRoleAsCode does, with core's code); this shows it in a
//! read-only box and copies it.

use crossrole_core::wire::iam::CodeFormat;
use leptos::prelude::*;

use crate::backend::BackendError;
use crate::components::copy_link::CopyButton;
use crate::components::failure::Failure;

/// How a format is named on its button, its box and its copy button.
fn names(format: CodeFormat) -> (&'static str, &'static str, &'static str) {
    match format {
        CodeFormat::CloudFormation => (
            "Export as CloudFormation",
            "CloudFormation template (YAML)",
            "Copy CloudFormation",
        ),
        CodeFormat::Terraform => (
            "Export as Terraform",
            "Terraform configuration (HCL)",
            "Copy Terraform",
        ),
    }
}

/// Two buttons, "Export as CloudFormation" and "Export as Terraform"; the one chosen shows its
/// text in a labelled read-only box with a copy button. `export` writes the text (a backend
/// call, or core's text at once); `what` says what failed to be exported ("export the role").
#[component]
pub fn ExportAsCode(
    /// Writes the text in a format.
    export: Action<CodeFormat, Result<String, BackendError>>,
    /// What a failure could not do, as [`Failure`] says it.
    what: &'static str,
) -> impl IntoView {
    let shown = RwSignal::new(None::<CodeFormat>);
    let button = move |format: CodeFormat| {
        view! {
            <button
                type="button"
                aria-controls="code-export"
                aria-expanded=move || (shown.get() == Some(format)).to_string()
                on:click=move |_| {
                    shown.set(Some(format));
                    export.dispatch(format);
                }
            >
                {names(format).0}
            </button>
        }
    };
    let panel = move || {
        let format = shown.get()?;
        if export.pending().get() {
            return Some(view! { <p role="status">"Writing the code…"</p> }.into_any());
        }
        let (_, label, copy) = names(format);
        Some(match export.value().get()? {
            Ok(code) => {
                let rows = code.lines().count().clamp(4, 24);
                view! {
                    <label for="code-export-text">{label}</label>
                    <textarea
                        id="code-export-text"
                        class="code-export"
                        readonly
                        wrap="off"
                        spellcheck="false"
                        rows=rows
                        prop:value=code.clone()
                    ></textarea>
                    <div class="copy-link">
                        <CopyButton text=Signal::stored(code.clone()) label=copy what="the code" />
                    </div>
                }
                .into_any()
            }
            Err(error) => view! { <Failure what=what.to_owned() error /> }.into_any(),
        })
    };
    view! {
        <div class="form-actions">
            {button(CodeFormat::CloudFormation)} {button(CodeFormat::Terraform)}
        </div>
        <div id="code-export">{panel}</div>
    }
}

/// An [`ExportAsCode`] action for text core writes at once (nothing to call).
pub fn export_now(
    write: impl Fn(CodeFormat) -> String + 'static,
) -> Action<CodeFormat, Result<String, BackendError>> {
    Action::new_local(move |format: &CodeFormat| {
        let text = write(*format);
        async move { Ok(text) }
    })
}

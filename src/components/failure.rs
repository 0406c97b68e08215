//! A backend call's failure as the person reads it: access denied or something else, why, and
//! who the console is acting as.

use leptos::prelude::*;

use crate::backend::BackendError;
use crate::state::expect_console;

/// An access-denied or other failure, with its reason.
#[component]
pub fn Failure(
    /// What was being done ("list tables", "read GameScores").
    what: String,
    /// Why it failed.
    error: BackendError,
) -> impl IntoView {
    let console = expect_console();
    let acting = move || match (console.role().get(), console.base().get()) {
        (Some(role), _) => format!(
            "You are acting as {} (role {}).",
            role.display_name, role.session.role.name
        ),
        (None, Some(base)) => format!("You are acting as {}.", base.user),
        _ => String::new(),
    };
    let denied = matches!(
        &error,
        BackendError::Refused {
            code: crossrole_core::ops::ErrorCode::AccessDenied,
            ..
        }
    );
    view! {
        <div class="form-error" role="alert">
            <strong>{if denied { "Access denied" } else { "Something went wrong" }}</strong>
            {format!(": could not {what}. {} ", error.explanation())}
            {acting}
        </div>
    }
}

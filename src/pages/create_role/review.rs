//! The review step: what will be created, and the exact documents sent.

use super::*;
use crate::components::export_code::{export_now, ExportAsCode};
use crossrole_core::admin::RoleAsCode;

/// The review: what will be created, and the exact documents sent.
#[component]
pub(super) fn Review(plan: RolePlan) -> impl IntoView {
    let code = RoleAsCode::from_plan(&plan);
    let export = export_now(move |format| code.text(format));
    view! {
        <dl class="facts">
            <dt>"Role name"</dt>
            <dd>{plan.name.to_string()}</dd>
            <dt>"Path"</dt>
            <dd>{plan.path.to_string()}</dd>
            <dt>"ARN"</dt>
            <dd>
                <code>{plan.arn.clone()}</code>
            </dd>
            <dt>"Maximum session"</dt>
            <dd>{format!("{} h", plan.max_session_duration / 3600)}</dd>
        </dl>
        {plan
            .warnings
            .iter()
            .map(|w| view! { <p class="warning">{w.to_string()}</p> })
            .collect_view()}
        <h3 id="review-trust">"Trust policy"</h3>
        <pre class="policy" aria-labelledby="review-trust">
            {plan.trust_policy.clone()}
        </pre>
        <h3 id="review-permissions">{format!("Permission policy {}", plan.permission_policy_name)}</h3>
        <pre class="policy" aria-labelledby="review-permissions">
            {plan.permission_policy.clone()}
        </pre>
        <h3>"Role as code"</h3>
        <p>"Or create it where your accounts are managed: the same role, as code."</p>
        <ExportAsCode export what="export the role" />
    }
}

//! The IAM pages' reads and the Create role wizard: each invalid input, the review, and a
//! create that fails half-way.

use super::*;

/// The in-browser mock answers the IAM pages' calls in IAM's XML, read with core's client
/// readers as the emulator's answers are.
#[wasm_bindgen_test]
pub(crate) async fn the_mock_answers_iam_in_iam_s_xml() {
    clear_storage();
    let backend = MockBackend::in_page();
    let admin = prod_admin_on(&backend).await;
    let xml = backend
        .iam(
            &admin,
            crossrole_core::wire::iam::IamRequest::ListRoles,
            &Cancel::default(),
        )
        .await
        .expect("ListRoles");
    let roles = crossrole_core::client::read_roles(200, &xml).unwrap();
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["AccessToProdDynamoDB", "ProdOperator"]);
}

impl Mounted {
    pub(crate) fn heading_text(&self) -> String {
        self.text_of("h2")
    }

    pub(crate) fn has_alert(&self, part: &str) -> bool {
        self.alerts().iter().any(|a| a.contains(part))
    }

    pub(crate) async fn click_and_see(&self, button: &str, what: &str, done: impl FnMut() -> bool) {
        self.button(button).click();
        until(what, done).await;
    }
}

/// ProdAdmin on the Create role page, with `backend`.
pub(crate) async fn create_role_page(backend: Rc<dyn Backend>) -> Mounted {
    // Signed out, the page sends the person to sign in and back.
    let app = mount_with("/iam/create", backend);
    sign_in_to(
        &app,
        "example-prod",
        "ProdAdmin",
        "prodadmin-Pa55word!",
        false,
    )
    .await;
    until("the wizard", || {
        app.heading_text().starts_with("Step 1 of 3")
    })
    .await;
    app
}

/// Fills the first step with `name` trusting `account` (MFA stays required) and presses Next.
pub(crate) async fn fill_role_step(app: &Mounted, name: &str, account: &str) {
    type_into(&app.field("Role name"), name);
    type_into(&app.field("Trusted account ID"), account);
    app.button("Next").click();
    for _ in 0..5 {
        leptos::task::tick().await;
    }
}

/// The wizard filled as the walk-through does (Billing read-only), on its review step.
pub(crate) async fn to_review_step(app: &Mounted) {
    to_permissions_step(app).await;
    app.field("Billing").click();
    app.click_and_see("Next", "the review", || {
        app.heading_text().starts_with("Step 3 of 3")
    })
    .await;
}

pub(crate) async fn to_permissions_step(app: &Mounted) {
    fill_role_step(app, "AccessToProdBilling", "111111111111").await;
    until("step 2", || app.heading_text().starts_with("Step 2 of 3")).await;
}

/// A bad role name is shown and blocks the first step.
#[wasm_bindgen_test]
pub(crate) async fn create_role_a_bad_name_blocks_the_first_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    fill_role_step(&app, "bad name!", "111111111111").await;
    until("the name's problem", || app.has_alert("Role name")).await;
    assert!(app.heading_text().starts_with("Step 1 of 3"));
    assert_eq!(
        app.field("Role name")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        app.field("Role name").value(),
        "bad name!",
        "what was typed is kept"
    );
}

/// A bad account id is shown and blocks the first step.
#[wasm_bindgen_test]
pub(crate) async fn create_role_a_bad_account_id_blocks_the_first_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    fill_role_step(&app, "AccessToProdBilling", "11111111111x").await;
    until("the account's problem", || app.has_alert("12 digits")).await;
    assert!(app.heading_text().starts_with("Step 1 of 3"));
    type_into(&app.field("Trusted account ID"), "111111111111");
    app.click_and_see("Next", "step 2", || {
        app.heading_text().starts_with("Step 2 of 3")
    })
    .await;
}

/// A name an existing role has (in another case) is shown and blocks the first step.
#[wasm_bindgen_test]
pub(crate) async fn create_role_a_duplicate_name_blocks_the_first_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    fill_role_step(&app, "accessToProdDynamoDB", "111111111111").await;
    until("the duplicate", || {
        app.has_alert("AccessToProdDynamoDB already exists")
    })
    .await;
    assert!(app.heading_text().starts_with("Step 1 of 3"));
}

/// Malformed policy JSON is shown, with where it is wrong, and blocks the second step.
#[wasm_bindgen_test]
pub(crate) async fn create_role_malformed_policy_json_blocks_the_second_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    to_permissions_step(&app).await;
    app.field("Billing").click();
    app.field("Custom policy").click();
    until("the Policy JSON textbox", || {
        app.find("#role-policy").is_some()
    })
    .await;
    let area = app.find("#role-policy").unwrap();
    let started = area.unchecked_ref::<web_sys::HtmlTextAreaElement>().value();
    assert!(
        started.contains("table/Billing"),
        "custom starts from the template: {started}"
    );
    type_into_area(&area, "{\"Version\": \"2012-10-17\", \"Statement\": [}");
    app.button("Next").click();
    until("the JSON's problem", || !app.alerts().is_empty()).await;
    assert!(
        app.heading_text().starts_with("Step 2 of 3"),
        "{:?}",
        app.alerts()
    );
    assert!(app.has_alert("line 1"), "{:?}", app.alerts());
}

/// A wildcard resource is shown and blocks the second step until the administrator
/// narrows it or consents.
#[wasm_bindgen_test]
pub(crate) async fn create_role_a_wildcard_resource_blocks_the_second_step() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let app = create_role_page(Rc::new(MockBackend::in_page())).await;
    to_permissions_step(&app).await;
    app.button("Next").click();
    until("the wildcard's problem", || app.has_alert("every table")).await;
    assert!(app.heading_text().starts_with("Step 2 of 3"));
    app.field("Custom policy").click();
    until("the Policy JSON textbox", || {
        app.find("#role-policy").is_some()
    })
    .await;
    type_into_area(
        &app.find("#role-policy").unwrap(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}"#,
    );
    app.button("Next").click();
    until("the custom wildcard's problem", || {
        app.has_alert("every resource")
    })
    .await;
    assert!(app.heading_text().starts_with("Step 2 of 3"));
    app.field("Apply to every resource").click();
    app.click_and_see("Next", "the review", || {
        app.heading_text().starts_with("Step 3 of 3")
    })
    .await;
    assert!(
        app.text_of(".warning").contains("every resource"),
        "the review warns"
    );
}

/// The administrator's walk-through, on the page: the review shows the exact documents, Create role
/// makes the role, and the predefined link carries the display name and colour chosen.
#[wasm_bindgen_test]
pub(crate) async fn create_role_reviews_the_documents_creates_and_links() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let backend = Rc::new(MockBackend::in_page());
    let app = create_role_page(backend.clone()).await;
    to_review_step(&app).await;
    let documents: Vec<String> = app
        .find_all("pre.policy")
        .iter()
        .map(|p| p.text_content().unwrap_or_default())
        .collect();
    assert!(
        documents[0].contains("aws:MultiFactorAuthPresent")
            && documents[0].contains("111111111111:root")
    );
    assert!(documents[1].contains("arn:aws:dynamodb:us-west-2:222222222222:table/Billing"));
    app.click_and_see("Create role", "created", || {
        app.heading_text() == "Role created"
    })
    .await;
    assert!(app
        .text_of(".facts")
        .contains("arn:aws:iam::222222222222:role/AccessToProdBilling"));
    type_into(&app.field("Display name"), "Billing (read)");
    app.find("#created-colour-83d4e8")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    let link = || app.field("Switch role link").value();
    until("the link", || link().contains("color=83d4e8")).await;
    assert!(
        link().ends_with("/switchrole?account=222222222222&roleName=AccessToProdBilling&displayName=Billing+%28read%29&color=83d4e8"),
        "{}",
        link()
    );
}

/// A failure injected between CreateRole and PutRolePolicy leaves no half-made role.
#[wasm_bindgen_test]
pub(crate) async fn create_role_a_failed_put_role_policy_leaves_no_role() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let backend = Gated::failing(&["PutRolePolicy"]);
    let app = create_role_page(backend.clone()).await;
    to_review_step(&app).await;
    app.click_and_see("Create role", "the failure", || {
        app.has_alert("nothing was left half-made")
    })
    .await;
    assert!(
        app.has_alert("PutRolePolicy was lost"),
        "{:?}",
        app.alerts()
    );
    assert!(!app.has_button("Finish creating the role"));
    assert!(!roles_of(&backend.inner)
        .await
        .contains(&"AccessToProdBilling".to_owned()));
    // The review is still there: Create role again succeeds.
    app.click_and_see("Create role", "created", || {
        app.heading_text() == "Role created"
    })
    .await;
    assert!(roles_of(&backend.inner)
        .await
        .contains(&"AccessToProdBilling".to_owned()));
}

/// When the rollback fails too, the page says so and its retry finishes the role.
#[wasm_bindgen_test]
pub(crate) async fn create_role_a_failed_rollback_offers_the_retry_that_finishes() {
    // Before the mock starts: it reads what an earlier test kept.
    clear_storage();
    let backend = Gated::failing(&["PutRolePolicy", "DeleteRole"]);
    let app = create_role_page(backend.clone()).await;
    to_review_step(&app).await;
    app.click_and_see("Create role", "the half-made report", || {
        app.has_alert("Retry to finish it")
    })
    .await;
    app.click_and_see("Finish creating the role", "created", || {
        app.heading_text() == "Role created"
    })
    .await;
    let admin = prod_admin_on(&backend.inner).await;
    let xml = backend
        .inner
        .iam(
            &admin,
            crossrole_core::wire::iam::IamRequest::ListRolePolicies {
                role: "AccessToProdBilling".into(),
            },
            &Cancel::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        crossrole_core::client::read_policy_names(200, &xml).unwrap(),
        ["AccessToProdBillingPermissions"]
    );
}

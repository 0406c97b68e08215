//! Sessions that end and are renewed, and DynamoDB as the acting identity.

use super::*;

#[wasm_bindgen_test]
pub(crate) async fn dynamodb_shows_items_or_access_denied() {
    let app = mount_at("/dynamodb?table=DevScores");
    sign_in(&app, "David", "david-Pa55word!", false).await;
    until("DevScores items", || {
        app.text_of("table caption") == "DevScores: 3 items"
    })
    .await;
    drop(app);
    let app = mount_with("/dynamodb?table=Payroll", Rc::new(MockBackend::in_page()));
    until("access denied", || {
        app.alerts().iter().any(|a| a.contains("Access denied"))
    })
    .await;
    assert!(app.find("table.items").is_none());
}

#[wasm_bindgen_test]
pub(crate) async fn an_ended_role_session_returns_to_the_user_and_an_ended_sign_in_to_sign_in() {
    clear_storage();
    let backend = Rc::new(MockBackend::in_page());
    let app = mount_with("/switchrole", backend.clone());
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;

    // The role session ends behind the console's back; its next call finds out.
    backend.sign_out(&credentials_at(
        &stored_session()["role"]["session"]["credentials"],
    ));
    drop(app);
    let app = mount_with("/dynamodb", backend.clone());
    until("back to David", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ example-corp")
    })
    .await;
    until("told so", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Your role session has ended. You are back to David."))
    })
    .await;

    // Then the sign-in session ends too: back to the sign-in page.
    backend.sign_out(&credentials_at(&stored_session()["base"]["credentials"]));
    drop(app);
    let app = mount_with("/dynamodb", backend);
    until("signed out", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .contains("Not signed in")
    })
    .await;
    until("told so", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Your session has expired. Sign in again."))
    })
    .await;
    until("the sign-in page", || app.find("#signin-account").is_some()).await;
}

/// The Identity menu counts the role session down ("Expires in M:SS"), warns once
/// in a live region in its last five minutes, and Renew gets a fresh session on the page.
#[wasm_bindgen_test]
pub(crate) async fn the_role_session_counts_down_warns_and_renews() {
    clear_storage();
    // Signed out, Switch Role sends the person to sign in and back.
    let app = mount_with("/switchrole", Gated::short_sessions(240));
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "example-prod", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    let warning = || app.text_of(".identity-warning");
    until("the warning", || warning().contains("less than 5 minutes")).await;
    assert_eq!(
        app.find(".identity-warning")
            .unwrap()
            .get_attribute("role")
            .as_deref(),
        Some("status")
    );
    app.open_menu().await;
    let expiry = app.text_of(".identity-expiry");
    assert!(
        expiry.starts_with("Expires in 3:") || expiry == "Expires in 4:00",
        "{expiry}"
    );
    let before = role_key_in_tab().expect("a role session");
    app.menu_item("Renew").click();
    until("renewed", || role_key_in_tab().is_some_and(|k| k != before)).await;
    assert!(
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION"),
        "still in the role"
    );
}

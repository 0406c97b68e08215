//! The Switch Role page, predefined links, switching and Back, and what a held or refused
//! call leaves.

use super::*;

#[wasm_bindgen_test]
pub(crate) async fn a_predefined_link_prefills_as_text_and_marks_bad_fields() {
    let app = mount_at("/signin");
    sign_in(&app, "David", "david-Pa55word!", true).await;
    storage::mark_first_run_seen();
    drop(app);
    let app = mount_with(
        "/switchrole?account=Not%20An%20Account&roleName=AccessToProdDynamoDB&displayName=%3Cimg%20src%3Dx%3EProd&color=123456",
        Rc::new(MockBackend::in_page()),
    );
    until("the form", || app.find("#switch-account").is_some()).await;
    until("prefilled", || {
        app.field("Role").value() == "AccessToProdDynamoDB"
    })
    .await;
    assert_eq!(app.field("Display Name").value(), "<img src=x>Prod");
    assert!(app.find("section img").is_none(), "never parsed as HTML");
    assert_eq!(
        app.field("Account")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        app.field("Role").get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    assert!(app
        .text_of("#switch-account-error")
        .starts_with("Account must be a 12-digit ID"));
    assert!(app
        .text_of("#switch-colour-error")
        .starts_with("Color must be one of"));
    assert!(
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ "),
        "a link never switches"
    );
}

#[wasm_bindgen_test]
pub(crate) async fn switching_shows_the_role_in_its_colour_and_back_returns() {
    let app = mount_at("/switchrole");
    sign_in(&app, "David", "david-Pa55word!", true).await;
    until("first run", || {
        app.find("h1")
            .is_some_and(|h| h.text_content().unwrap() == "Switch Role")
    })
    .await;
    assert!(
        app.find("#switch-account").is_none(),
        "first run shows no form yet"
    );
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    assert!(app.menu_button().class_name().contains("colour-red"));
    assert!(storage::first_run_seen());
    app.open_menu().await;
    assert_eq!(
        app.menu_item_names(),
        [
            "Switch role",
            "Copy account ID",
            "PRODUCTION",
            "Renew",
            "Back to David",
            "Sign out"
        ]
    );
    assert!(app.text_of("[role=menu]").contains("Signed in as David"));
    app.menu_item("Back to David").click();
    until("back to David", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("David @ example-corp")
    })
    .await;
    assert!(!app.menu_button().class_name().contains("colour-red"));
    // The history keeps the role; switching from it needs no form.
    app.open_menu().await;
    app.menu_item("PRODUCTION").click();
    until("in the role again", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
}

#[wasm_bindgen_test]
pub(crate) async fn a_refused_switch_is_an_alert_and_keeps_base_session_and_form() {
    let app = mount_at("/switchrole");
    sign_in(&app, "David", "david-Pa55word!", false).await;
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until("an alert", || {
        app.alerts().iter().any(|a| a.contains("Could not switch"))
    })
    .await;
    let alert = app
        .alerts()
        .into_iter()
        .find(|a| a.contains("Could not switch"))
        .unwrap();
    assert!(alert.contains("requires MFA at sign-in"), "{alert}");
    assert_eq!(app.field("Display Name").value(), "PRODUCTION");
    assert!(app
        .menu_button()
        .text_content()
        .unwrap()
        .starts_with("David @ example-corp"));
}

/// Each call has its own cancel. A switch from the history, started while
/// the Switch Role form's own switch is in flight, survives the form's Cancel (before, Cancel
/// aborted every call in flight).
#[wasm_bindgen_test]
pub(crate) async fn a_history_switch_survives_a_cancel_of_another_call() {
    clear_storage();
    let stored = r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"}]}"#;
    store_history(stored);
    let (backend, mut openers) = Gated::new(&["AccessToProdDynamoDB", "SensitiveDataAccess"]);
    let app = mount_with("/switchrole", backend);
    sign_in(&app, "David", "david-Pa55word!", true).await;
    // The form's switch waits at its gate…
    submit_switch(&app, "111111111111", "SensitiveDataAccess", "").await;
    until("the form is switching", || app.has_button("Switching…")).await;
    // …while a switch from the history starts and waits at its own.
    app.open_menu().await;
    app.menu_item("PRODUCTION").click();
    // Cancel on the form abandons the form's call only.
    app.button("Cancel").click();
    until("the form's call is cancelled", || {
        app.alerts().iter().any(|a| a.contains("Cancelled."))
    })
    .await;
    let history_gate = openers.remove(0);
    history_gate.send(()).unwrap();
    until("the history switch finished", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("PRODUCTION")
    })
    .await;
    assert!(
        !app.alerts()
            .iter()
            .any(|a| a.contains("Could not switch role")),
        "{:?}",
        app.alerts()
    );
}

#[wasm_bindgen_test]
pub(crate) async fn switching_shows_progress_and_cannot_be_pressed_twice() {
    clear_storage();
    let (backend, mut openers) = Gated::new(&["AccessToProdDynamoDB"]);
    let open_gate = openers.remove(0);
    let app = mount_with("/switchrole", backend);
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "example-prod", "AccessToProdDynamoDB", "").await;
    until("progress", || app.has_button("Switching…")).await;
    let busy = app.button("Switching…");
    assert!(busy
        .unchecked_ref::<web_sys::HtmlButtonElement>()
        .disabled());
    assert_eq!(
        app.find("form")
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    open_gate.send(()).unwrap();
    until("in the role", || {
        app.menu_button()
            .text_content()
            .unwrap()
            .starts_with("AccessToProdDynamoDB @ example-prod")
    })
    .await;
}

#[wasm_bindgen_test]
pub(crate) async fn corrupt_history_is_recovered_and_valid_entries_kept() {
    clear_storage();
    let stored = r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"},
        {"account":"<script>","role":{"path":"/","name":"Bad"},"displayName":"Bad"}]}"#;
    store_history(stored);
    let app = mount_with("/signin", Rc::new(MockBackend::in_page()));
    until("a notice", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("unreadable role history entry removed"))
    })
    .await;
    sign_in(&app, "David", "david-Pa55word!", true).await;
    app.open_menu().await;
    assert_eq!(
        app.menu_item_names(),
        ["Switch role", "Copy account ID", "PRODUCTION", "Sign out"]
    );
    let repaired = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(!repaired.contains("<script>"), "{repaired}");

    // Wholly unreadable: reset, with a notice, and the page still works.
    drop(app);
    storage::local_set(storage::HISTORY_KEY, "{not json").unwrap();
    let app = mount_with("/", Rc::new(MockBackend::in_page()));
    until("a notice", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("could not be read and was reset"))
    })
    .await;
}

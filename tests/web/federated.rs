//! A role session opened by a sign-in link, with no user behind it: shown as the role, with
//! no Back, Renew or Switch role, and its end signs the tab out. On a backend without the
//! federation endpoint (the mock), the landing page says so, its token gone from the address.

use super::*;

/// Leaves only the role in the tab's stored session, as a sign-in link leaves it.
fn forget_the_user() {
    let mut tab = stored_session();
    tab.as_object_mut().unwrap().remove("base");
    storage::session_set(storage::CONSOLE_SESSION_KEY, &tab).unwrap();
}

#[wasm_bindgen_test]
pub(crate) async fn a_role_without_a_user_has_no_back_and_its_end_signs_out() {
    clear_storage();
    let backend = Rc::new(MockBackend::in_page());
    let app = mount_with("/switchrole", backend.clone());
    sign_in(&app, "David", "david-Pa55word!", true).await;
    submit_switch(&app, "222222222222", "AccessToProdDynamoDB", "PRODUCTION").await;
    until_acting_as(&app, "PRODUCTION").await;
    drop(app);
    forget_the_user();

    let app = mount_with("/", backend.clone());
    until_acting_as(&app, "PRODUCTION").await;
    app.open_menu().await;
    let items = app.menu_item_names();
    assert!(items.iter().any(|i| i == "Sign out"), "{items:?}");
    for absent in ["Back to David", "Renew", "Switch role"] {
        assert!(!items.iter().any(|i| i == absent), "{absent} in {items:?}");
    }
    assert!(app
        .text_of(".identity-summary")
        .contains("Signed in from a link"));
    drop(app);

    let app = mount_with("/switchrole", backend.clone());
    until("Switch Role says why not", || {
        app.text_of("main").contains("came from a sign-in link")
    })
    .await;
    assert!(app.find("#switch-account").is_none());
    drop(app);

    // The role session ends: with no user to go back to, the tab is signed out.
    backend.sign_out(&credentials_at(
        &stored_session()["role"]["session"]["credentials"],
    ));
    let app = mount_with("/dynamodb", backend);
    until_acting_as(&app, "Not signed in").await;
    until("told so", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Your session has expired. Sign in again."))
    })
    .await;
}

#[wasm_bindgen_test]
pub(crate) async fn the_landing_page_takes_the_token_out_of_the_address_and_says_what_failed() {
    let app = mount_at("/federated-signin#token=s3cr3t-token&destination=%2Fdynamodb");
    until("the mock cannot sign in from a link", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("work with the emulator backend"))
    })
    .await;
    let location = web_sys::window().unwrap().location();
    assert_eq!(location.hash().unwrap(), "");
    assert_eq!(location.pathname().unwrap(), "/federated-signin");
    assert!(app.find("a[href='/signin']").is_some());
    drop(app);

    let app = mount_at("/federated-signin#error=ExpiredSigninToken");
    until("an expired link is told", || {
        app.alerts().iter().any(|a| a.contains("has expired"))
    })
    .await;
}

/// The landing page with a backend that exchanges the link: the role as the catalog shows it
/// (name and colour), a history entry, and the destination in place of the landing page.
#[wasm_bindgen_test]
pub(crate) async fn a_sign_in_link_lands_in_the_role_as_the_catalog_shows_it() {
    clear_storage();
    store_catalog(
        &crossrole_core::catalog::import(
            "[ops]\naws_account_id = 222222222222\nrole_name = ops/ProdOperator\ncolor = 83d4e8\n",
        )
        .catalog,
    );
    let app = mount_with(
        "/federated-signin#token=t0ken&destination=%2Fdynamodb%3Ftable%3DGameScores",
        Gated::failing(&[]),
    );
    until_acting_as(&app, "ops").await;
    let location = web_sys::window().unwrap().location();
    until("at the destination", || {
        location.pathname().unwrap() == "/dynamodb"
    })
    .await;
    assert_eq!(location.search().unwrap(), "?table=GameScores");
    assert_eq!(location.hash().unwrap(), "");
    assert!(app.menu_button().class_name().contains("in-role"));
    let history = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(
        history.contains("ProdOperator") && history.contains("222222222222"),
        "{history}"
    );
}

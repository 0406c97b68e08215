//! The Role catalog (import, edit, copy a link), the role history's editing, and whether the
//! user can switch to each entry.

use super::*;

/// The catalog page imports a configuration, names the lines it skipped, and each
/// entry can be edited and removed.
#[wasm_bindgen_test]
pub(crate) async fn the_catalog_imports_reports_skipped_lines_edits_and_removes() {
    let app = mount_at("/catalog");
    until("the catalog page", || app.text_of("h1") == "Role catalog").await;
    let config = app.find("#catalog-config").unwrap();
    type_into_area(
        &config,
        &format!(
            "{CATALOG_CONFIG}aws_secret_access_key = hidden\n[profile broken]\nrole_arn = nope\n"
        ),
    );
    app.button("Import").click();
    until("the report", || {
        app.text_of("section [role=status]")
            .starts_with("Imported 2 roles")
    })
    .await;
    let skipped = app.text_of("ul[aria-labelledby=skipped-title]");
    assert!(
        skipped.contains("Line 11: aws_secret_access_key: credentials are never imported"),
        "{skipped}"
    );
    assert!(
        skipped.contains("Line 13: role_arn \"nope\" is not a role ARN"),
        "{skipped}"
    );
    let stored = storage::local_get(storage::CATALOG_KEY).unwrap().unwrap();
    assert!(!stored.contains("hidden"), "no secret is kept");

    let names = || {
        app.find_all(".catalog-head strong")
            .iter()
            .map(|s| s.text_content().unwrap())
            .collect::<Vec<_>>()
    };
    until("the entries", || names().len() == 2).await;
    app.button("Edit").click();
    until("the editor", || app.find("[id^=edit-name-]").is_some()).await;
    let name: HtmlInputElement = app.find("[id^=edit-name-]").unwrap().unchecked_into();
    type_into(&name, "Production (GameScores)");
    app.button("Save").click();
    until("renamed", || {
        names().contains(&"Production (GameScores)".to_owned())
    })
    .await;
    let before = names().len();
    app.button("Remove").click();
    until("removed", || names().len() == before - 1).await;
    app.button("Export AESR").click();
    let export_text = || {
        app.find("#catalog-export")
            .map(|e| e.unchecked_into::<web_sys::HtmlTextAreaElement>().value())
            .unwrap_or_default()
    };
    until("the export", || !export_text().is_empty()).await;
    let exported = export_text();
    assert!(
        exported.contains("aws_account_id = 111111111111")
            || exported.contains("aws_account_id = 222222222222"),
        "{exported}"
    );
}

/// Every catalog entry can copy a predefined link carrying a destination; one that
/// is not a page of crossrole is refused in an alert and never put in a link.
#[wasm_bindgen_test]
pub(crate) async fn a_catalog_entry_copies_a_link_with_its_destination() {
    clear_storage();
    let copied = capture_clipboard();
    let app = mount_at("/catalog");
    until("the catalog page", || app.text_of("h1") == "Role catalog").await;
    type_into_area(&app.find("#catalog-config").unwrap(), CATALOG_CONFIG);
    app.button("Import").click();
    until("the entries", || app.find_all(".catalog-entry").len() == 2).await;
    let copy_production = || {
        app.find_all(".catalog-entry")
            .into_iter()
            .find(|e| e.text_content().unwrap_or_default().contains("PRODUCTION"))
            .and_then(|e| {
                e.query_selector_all("button").ok().map(|buttons| {
                    (0..buttons.length())
                        .filter_map(|i| buttons.item(i))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == "Copy link")
            .unwrap()
            .unchecked_into::<HtmlElement>()
            .click()
    };

    let open_at: HtmlInputElement = app.field("Copied links open at");
    type_into(&open_at, "https://evil.example/");
    until("the refusal", || {
        app.alerts()
            .iter()
            .any(|a| a.contains("Destination must be a path on this site"))
    })
    .await;
    copy_production();
    until("copied", || copied().is_some()).await;
    let link = copied().unwrap();
    assert!(link.contains("/switchrole?account=222222222222"), "{link}");
    assert!(
        !link.contains("destination") && !link.contains("evil"),
        "{link}"
    );

    type_into(&open_at, "/dynamodb?table=GameScores");
    until("no refusal", || app.alerts().is_empty()).await;
    copy_production();
    until("copied with the destination", || {
        copied().is_some_and(|l| l.contains("destination="))
    })
    .await;
    let link = copied().unwrap();
    assert!(
        link.ends_with(
            "/switchrole?account=222222222222&roleName=AccessToProdDynamoDB\
             &displayName=PRODUCTION&color=f2b0a9&destination=%2Fdynamodb%3Ftable%3DGameScores"
        ),
        "{link}"
    );
}

impl Mounted {
    /// Opens the rename form of the catalog page's first history entry and types `name`
    /// (not yet saved).
    pub(crate) async fn rename_first_in_history(&self, name: &str) {
        self.find_all("ul[aria-label='Role history'] button")
            .into_iter()
            .find(|b| b.text_content().unwrap().trim() == "Rename")
            .expect("a Rename button")
            .unchecked_into::<HtmlElement>()
            .click();
        until("the rename form", || {
            self.find("[id^=rename-][id$=-name]").is_some()
        })
        .await;
        type_into(
            &self
                .find("[id^=rename-][id$=-name]")
                .unwrap()
                .unchecked_into(),
            name,
        );
    }
}

/// The history is the person's — rename and recolour, pin to the catalog, remove,
/// and how many to keep — saved for every tab.
#[wasm_bindgen_test]
pub(crate) async fn the_history_can_be_renamed_recoloured_pinned_removed_and_resized() {
    clear_storage();
    store_history(
        r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"},
        {"account":"111111111111","role":{"path":"/","name":"SensitiveDataAccess"},"displayName":"Payroll"}]}"#,
    );
    let app = mount_with("/catalog", Rc::new(MockBackend::in_page()));
    until("the history", || {
        app.find("ul[aria-label='Role history'] li").is_some()
    })
    .await;
    let names = || {
        app.find_all("ul[aria-label='Role history'] .catalog-head strong")
            .iter()
            .map(|s| s.text_content().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(), ["PRODUCTION", "Payroll"]);
    let in_history = |name: &str| -> HtmlElement {
        app.find_all("ul[aria-label='Role history'] button")
            .into_iter()
            .find(|b| b.text_content().unwrap().trim() == name)
            .unwrap()
            .unchecked_into()
    };
    app.rename_first_in_history("Prod (GameScores)").await;
    app.find("[id^=rename-][id$=-colour-b7ca9d]")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    app.button("Save").click();
    until("renamed", || {
        names().first().map(String::as_str) == Some("Prod (GameScores)")
    })
    .await;
    let stored = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(
        stored.contains("Prod (GameScores)") && stored.contains("b7ca9d"),
        "{stored}"
    );

    in_history("Pin to catalog").click();
    until("pinned", || {
        app.find_all("ul[aria-labelledby=entries-title] .catalog-head strong")
            .iter()
            .any(|s| s.text_content().unwrap() == "Prod (GameScores)")
    })
    .await;
    assert!(in_history("Pin to catalog")
        .unchecked_ref::<web_sys::HtmlButtonElement>()
        .disabled());

    let size: HtmlInputElement = app.field("History size");
    type_into(&size, "1");
    app.button("Keep this many").click();
    until("resized", || names().len() == 1).await;
    in_history("Remove").click();
    until("removed", || names().is_empty()).await;
}

/// An edit is made onto the history as stored now: when another tab emptied it (and its
/// storage event has not arrived), renaming an entry of this tab's stale copy brings nothing
/// back.
#[wasm_bindgen_test]
pub(crate) async fn an_edit_never_brings_back_entries_another_tab_removed() {
    clear_storage();
    store_history(
        r#"{"version":1,"entries":[
        {"account":"222222222222","role":{"path":"/","name":"AccessToProdDynamoDB"},"displayName":"PRODUCTION","color":"f2b0a9"}]}"#,
    );
    let app = mount_with("/catalog", Rc::new(MockBackend::in_page()));
    until("the history", || {
        app.find("ul[aria-label='Role history'] li").is_some()
    })
    .await;
    // Another tab removed the last entry: written straight to the store, so no storage event
    // reaches this tab.
    store_history(r#"{"version":1,"entries":[]}"#);
    app.rename_first_in_history("Renamed too late").await;
    app.button("Save").click();
    until("the tab follows the store", || {
        app.find("ul[aria-label='Role history'] li").is_none()
    })
    .await;
    let stored = storage::local_get(storage::HISTORY_KEY).unwrap().unwrap();
    assert!(
        !stored.contains("AccessToProdDynamoDB") && !stored.contains("Renamed too late"),
        "{stored}"
    );
}

/// Each catalog and history entry says whether the signed-in user can switch to
/// it — needs MFA, denied and why — computed by the engine, and nothing is hidden.
#[wasm_bindgen_test]
pub(crate) async fn catalog_and_history_entries_show_whether_the_user_can_switch() {
    clear_storage();
    store_catalog(
        &crossrole_core::catalog::import(&format!(
            "{CATALOG_CONFIG}\n[profile operator]\nrole_arn = arn:aws:iam::222222222222:role/ops/ProdOperator\n"
        ))
        .catalog,
    );
    store_history(
        r#"{"version":1,"entries":[
        {"account":"333333333333","role":{"path":"/","name":"Elsewhere"},"displayName":"Elsewhere"}]}"#,
    );
    let app = mount_with("/signin", Rc::new(MockBackend::in_page()));
    sign_in(&app, "David", "david-Pa55word!", false).await;
    go_to("/catalog");
    drop(app);
    let app = mount_with("/catalog", Rc::new(MockBackend::in_page()));
    let mark = |name: &str| {
        app.find_all(".catalog-entry")
            .into_iter()
            .find(|li| {
                li.query_selector("strong")
                    .ok()
                    .flatten()
                    .and_then(|s| s.text_content())
                    .as_deref()
                    == Some(name)
            })
            .and_then(|li| li.query_selector(".reach").ok().flatten())
            .and_then(|m| m.text_content())
            .unwrap_or_default()
    };
    until("the marks", || !mark("PRODUCTION").is_empty()).await;
    assert_eq!(
        mark("PRODUCTION"),
        "Needs MFA: sign in with your MFA device"
    );
    assert!(
        mark("operator").starts_with("Cannot switch: No identity policy allows sts:AssumeRole"),
        "{}",
        mark("operator")
    );
    assert!(
        mark("Elsewhere").starts_with("Cannot switch:"),
        "the history's entry too: {}",
        mark("Elsewhere")
    );
    assert_eq!(app.find_all(".catalog-entry").len(), 4, "nothing is hidden");
}

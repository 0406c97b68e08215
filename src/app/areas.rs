//! The console's areas: pages whose code is not part of the first download.
//!
//! The command palette's dialog is one too (it was 38 kB of the first download's 416 kB gzip).
//! The pages are in three chunks, as AWS ships each service's console apart: IAM (the administrator's pages:
//! Roles, a role's page, Create role, Grant switch access, the access map, which lead to one
//! another), the role catalog, and DynamoDB. One chunk per page was measured first: 13 to 26
//! files for a page's first visit (wasm-split puts the code each set of pages shares in a
//! chunk of its own) and 107–168 ms from click to heading without the code fetched ahead;
//! three chunks make it 3 files and 52–63 ms, for 40–70 kB more gzip on the first visit of an
//! administrator's page.
//!
//! In the split release build (`--features split`, `scripts/build-release.sh`) each area's page
//! is behind a `wasm_split` function: `wasm-split` moves it, and everything only it reaches,
//! into a chunk of its own, fetched the first time the area is needed. In every other build
//! (`trunk serve`, the browser tests) every page is in the main module and ready from the start
//! ([`Area::ready`]): nothing provides the chunks' imports there, so the split is switched on
//! only where the release build runs `wasm-split`.
//!
//! An area is fetched ahead when it is likely next (a link to it is pointed at or focused, or
//! the browser is idle after the first render); a page whose code is here renders in the same
//! frame as the navigation, and one whose chunk cannot be fetched says so, with a Reload button.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use leptos::prelude::*;

use crate::components::command_palette::{expect_palette, PaletteDialog};
use crate::components::page_heading::PageHeading;
use crate::pages::{
    access_map::AccessMapPage,
    activity::ActivityPage,
    catalog::CatalogPage,
    create_role::CreateRole,
    dynamodb::DynamoDb,
    grant::Grant,
    iam::{RolePage, Roles},
};

/// Builds an area's page. A plain function pointer: it is `Copy`, so the loaded page can be
/// kept and built again on every visit, and in the split build it points into the chunk.
pub type Page = fn() -> AnyView;

/// An area's chunk could not be fetched or started (offline, or gone after a new deploy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

/// The fetch of an area's page: in the split build it loads the area's chunk first.
type Fetch = fn() -> Pin<Box<dyn Future<Output = Result<Page, ChunkUnavailable>>>>;

/// One area: how to fetch its page, and the page once fetched.
#[derive(Debug)]
pub struct Area {
    /// The chunk's name, as `wasm-split` names its file (`split_<name>.wasm`, then
    /// `split_<name>-<hash>.wasm` in the release build).
    pub chunk: &'static str,
    fetch: Fetch,
    ready: OnceLock<Page>,
    /// The page, where it is part of the main module (every build but the split one).
    here: Option<Page>,
}

impl Area {
    #[cfg(feature = "split")]
    const fn new(chunk: &'static str, fetch: Fetch) -> Self {
        Self {
            chunk,
            fetch,
            ready: OnceLock::new(),
            here: None,
        }
    }

    /// An area whose page is in the main module: ready from the start.
    #[cfg(not(feature = "split"))]
    const fn here(chunk: &'static str, page: Page) -> Self {
        Self {
            chunk,
            fetch: || Box::pin(std::future::ready(Err(ChunkUnavailable))),
            ready: OnceLock::new(),
            here: Some(page),
        }
    }

    /// The page, if its code is already here.
    pub fn ready(&self) -> Option<Page> {
        self.here.or_else(|| self.ready.get().copied())
    }

    /// The page, fetching its chunk first when needed. A failed fetch is not remembered: the
    /// next call tries again.
    pub async fn load(&'static self) -> Result<Page, ChunkUnavailable> {
        if let Some(page) = self.ready() {
            return Ok(page);
        }
        let page = (self.fetch)().await?;
        Ok(*self.ready.get_or_init(|| page))
    }
}

// One function and one [`Area`] per page: `wasm_split` needs a plain function, and its two
// forms differ (the split one is made `async` by the macro, the other is written `async`).
// The chunk is named once, for both.
macro_rules! pages {
    ($($(#[$doc:meta])* $area:ident: $name:ident in $chunk:ident => $page:path;)*) => {$(
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name() -> Result<Page, ChunkUnavailable> {
            Ok(|| $page().into_any())
        }
        #[cfg(feature = "split")]
        $(#[$doc])*
        pub static $area: Area = Area::new(stringify!($chunk), || Box::pin($name()));
        #[cfg(not(feature = "split"))]
        $(#[$doc])*
        pub static $area: Area = Area::here(stringify!($chunk), || $page().into_any());
    )*};
}

pages! {
    /// IAM's Roles list.
    ROLES: roles in iam => Roles;
    /// A role's page.
    ROLE_PAGE: role_page in iam => RolePage;
    /// Create role.
    CREATE_ROLE: create_role in iam => CreateRole;
    /// Grant switch access.
    GRANT: grant in iam => Grant;
    /// The access map.
    ACCESS_MAP: access_map in iam => AccessMapPage;
    /// The account's activity (its audit trail).
    ACTIVITY: activity in iam => ActivityPage;
    /// The role catalog.
    CATALOG: catalog in catalog => CatalogPage;
    /// DynamoDB.
    DYNAMODB: dynamodb in dynamodb => DynamoDb;
    /// The command palette's dialog.
    PALETTE: palette_dialog in palette => PaletteDialog;
}

/// Every area, in the order the idle prefetch fetches them: the palette (a shortcut away from
/// every page), then the ones a link in the navigation bar leads to.
pub static ALL: [&Area; 9] = [
    &PALETTE,
    &DYNAMODB,
    &CATALOG,
    &ROLES,
    &ROLE_PAGE,
    &CREATE_ROLE,
    &GRANT,
    &ACCESS_MAP,
    &ACTIVITY,
];

/// The area a console path shows, if it is one (the routes in [`super::Shell`] use the same
/// paths).
pub fn area_at(path: &str) -> Option<&'static Area> {
    match path.trim_end_matches('/') {
        "/iam" => Some(&ROLES),
        "/iam/role" => Some(&ROLE_PAGE),
        "/iam/create" => Some(&CREATE_ROLE),
        "/iam/grant" => Some(&GRANT),
        "/iam/access" => Some(&ACCESS_MAP),
        "/activity" => Some(&ACTIVITY),
        "/catalog" => Some(&CATALOG),
        "/dynamodb" => Some(&DYNAMODB),
        _ => None,
    }
}

/// Fetches an area's code ahead of a likely visit; a failure is left for the visit to report.
pub fn prefetch(area: &'static Area) {
    if area.ready().is_none() {
        leptos::task::spawn_local(async move {
            let _ = area.load().await;
        });
    }
}

/// An area's page: at once when its code is here (the end-to-end tests watch that its fallback
/// never shows then), otherwise after its chunk arrives (a status line meanwhile), or an alert
/// with a Reload button when the chunk cannot be fetched.
pub fn area_view(area: &'static Area) -> AnyView {
    loaded_view(
        area,
        || view! { <p class="loading" role="status">"Loading the page…"</p> }.into_any(),
        || view! { <AreaUnavailable /> }.into_any(),
    )
}

/// The command palette's dialog, as [`area_view`] a page (nothing shows while its code is on
/// its way: a few tens of milliseconds, at most once).
pub fn palette_view() -> AnyView {
    loaded_view(
        &PALETTE,
        || ().into_any(),
        || view! { <PaletteUnavailable /> }.into_any(),
    )
}

fn loaded_view(area: &'static Area, waiting: fn() -> AnyView, failed: fn() -> AnyView) -> AnyView {
    // A page whose code is here is built directly, not inside a `Suspense`: a `Suspense` keeps
    // its children's view alive until its own effect's task next runs, so when the page was
    // taken down (the palette closed, the console unmounted) with an update on its way, that
    // update reached the page's views after its signals were disposed (a panic; seen in the
    // browser tests whenever the palette's first opening in a run was also its last).
    if let Some(page) = area.ready() {
        return page();
    }
    let loaded = LocalResource::new(move || area.load());
    view! {
        <Suspense fallback=waiting>
            {move || {
                loaded
                    .get()
                    .map(|loaded| match loaded {
                        Ok(page) => page(),
                        Err(ChunkUnavailable) => failed(),
                    })
            }}
        </Suspense>
    }
    .into_any()
}

/// Why a chunk is missing, and what to do, in the words of [`AreaUnavailable`] and
/// [`PaletteUnavailable`].
const RELOAD_ADVICE: &str = "Its code could not be fetched: the console may have been updated \
     since this tab opened it, or the network is unavailable. Reload to fetch the current \
     console; your sign-in, role history and settings are kept.";

fn reload(_: leptos::ev::MouseEvent) {
    let _ = window().location().reload();
}

/// Said when an area's code cannot be fetched: most often the console was updated since this
/// tab loaded it (the old files are gone), or the network is down. Reloading fetches the
/// current console; everything the person keeps is in storage, so nothing is lost.
#[component]
fn AreaUnavailable() -> impl IntoView {
    view! {
        <PageHeading text="This page could not be loaded" />
        <div class="form-error" role="alert">
            <p>{RELOAD_ADVICE}</p>
            <button type="button" on:click=reload>
                "Reload"
            </button>
        </div>
    }
}

/// Said in place of the palette when its code cannot be fetched.
#[component]
fn PaletteUnavailable() -> impl IntoView {
    let palette = expect_palette();
    view! {
        <div class="palette-backdrop" on:click=move |_| palette.close()></div>
        <div class="palette" role="alertdialog" aria-modal="true" aria-labelledby="palette-failed">
            <h2 id="palette-failed">"The command palette could not be loaded"</h2>
            <p>{RELOAD_ADVICE}</p>
            <button type="button" on:click=reload>
                "Reload"
            </button>
            <button type="button" on:click=move |_| palette.close()>
                "Close"
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_area_path_names_its_area_and_the_shell_paths_none() {
        let chunk = |path| area_at(path).map(|area| area.chunk);
        assert_eq!(chunk("/iam"), Some("iam"));
        assert_eq!(chunk("/iam/role"), Some("iam"));
        assert_eq!(chunk("/iam/create"), Some("iam"));
        assert_eq!(chunk("/iam/grant"), Some("iam"));
        assert_eq!(chunk("/iam/access"), Some("iam"));
        assert_eq!(chunk("/catalog/"), Some("catalog"));
        assert_eq!(chunk("/dynamodb"), Some("dynamodb"));
        for shell in ["/", "/signin", "/switchrole", "/iam/other", "/catalogue"] {
            assert_eq!(chunk(shell), None, "{shell}");
        }
        // The idle fetch covers every page.
        for path in [
            "/iam",
            "/iam/role",
            "/iam/create",
            "/iam/grant",
            "/iam/access",
            "/catalog",
            "/dynamodb",
        ] {
            let area = area_at(path).expect(path);
            assert!(ALL.iter().any(|a| std::ptr::eq(*a, area)), "{path}");
        }
    }
}

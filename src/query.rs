//! The page's query parameters, decoded once (`crossrole_core::link::query_param` over the
//! router's raw search string), instead of the router's query map, which decodes a second
//! time and so changes text such as `%2541` before anyone sees it.

use crossrole_core::link::query_param;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The first value of `key` in the current URL's query, following navigation.
pub fn use_query_param(key: &'static str) -> Memo<Option<String>> {
    let search = use_location().search;
    Memo::new(move |_| search.with(|s| query_param(s, key)))
}

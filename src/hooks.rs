//! Small hooks the pages share.

use std::time::Duration;

use leptos::prelude::*;

/// Runs `tick` every `period` while the calling component lives (the timer is cleared when
/// it is cleaned up). Like leptos-use's `use_interval_fn`, without the dependency.
pub fn use_interval(period: Duration, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, period) {
        on_cleanup(move || handle.clear());
    }
}

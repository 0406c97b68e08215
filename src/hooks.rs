//! Small hooks the pages share.

use std::time::Duration;

use crossrole_core::admin::{first_refusal, permission_check};
use crossrole_core::client::{read_evaluation_results, ClientError};
use crossrole_core::wire::iam::IamRequest;
use leptos::prelude::*;

use crate::backend::{BackendError, CallScope, Cancel};
use crate::state::{expect_console, Console};

/// Runs `tick` every `period` while the calling component lives (the timer is cleared when
/// it is cleaned up). Like leptos-use's `use_interval_fn`, without the dependency.
pub fn use_interval(period: Duration, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, period) {
        on_cleanup(move || handle.clear());
    }
}

/// Reads an IAM answer the backend handed over (always a success's XML).
pub fn read_iam<T>(
    xml: &str,
    reader: fn(u16, &str) -> Result<T, ClientError>,
) -> Result<T, BackendError> {
    reader(200, xml).map_err(BackendError::from)
}

/// One IAM call as the acting identity, read with `reader`: what every hook below runs.
fn call_iam<T>(
    console: Console,
    request: IamRequest,
    cancel: Cancel,
    reader: fn(u16, &str) -> Result<T, ClientError>,
) -> impl std::future::Future<Output = Result<T, BackendError>> {
    console.call(move |backend, credentials| async move {
        let xml = backend.iam(&credentials, request, &cancel).await?;
        read_iam(&xml, reader)
    })
}

/// One IAM call as the acting identity, read with `reader`: a resource that asks again when
/// the identity (or anything `request` reads) changes, and abandons its call when the component
/// goes away. Every admin page reads IAM this way.
pub fn use_iam<T: 'static>(
    request: impl Fn() -> IamRequest + 'static,
    reader: fn(u16, &str) -> Result<T, ClientError>,
) -> LocalResource<Result<T, BackendError>> {
    let console = expect_console();
    let calls = CallScope::new();
    LocalResource::new(move || call_iam(console, request(), calls.begin(), reader))
}

/// One IAM call on demand (a button's), as the acting identity, read with `reader`; abandoned
/// when the component that asked goes away.
pub fn use_iam_action<I: 'static, T: 'static>(
    request: impl Fn(&I) -> IamRequest + 'static,
    reader: fn(u16, &str) -> Result<T, ClientError>,
) -> Action<I, Result<T, BackendError>> {
    let console = expect_console();
    let calls = CallScope::new();
    Action::new_local(move |input: &I| call_iam(console, request(input), calls.begin(), reader))
}

/// Why the acting identity may not do `actions` on the resource `resource` names, as IAM's
/// simulator answers (an SCP, a boundary, an explicit deny, no permission): so that an action
/// is shown disabled with its reason instead of offered and refused. `None` while asking, when
/// allowed, with no resource, or when the simulator cannot be asked (no permission to
/// simulate: then the action is offered, and a refusal says why).
pub fn use_refusal(
    actions: Vec<&'static str>,
    resource: impl Fn() -> Option<String> + 'static,
) -> Signal<Option<String>> {
    let console = expect_console();
    let calls = CallScope::new();
    let answer = LocalResource::new(move || {
        let cancel = calls.begin();
        let request = resource().zip(console.acting()).map(|(resource, acting)| {
            permission_check(&acting.policy_source(), &actions, &resource)
        });
        async move {
            let request = request?;
            let results = call_iam(console, request, cancel, read_evaluation_results)
                .await
                .ok()?;
            first_refusal(&results)
        }
    });
    Signal::derive(move || answer.get().flatten())
}

//! `/signin`: console sign-in.

use leptos::{ev, prelude::*};
use leptos_router::components::Redirect;

use crossrole_core::announce::headed_for;
use crossrole_core::link::safe_return_path;

use crate::backend::{CallScope, SignInForm, SignInMethod};
use crate::components::page_heading::PageHeading;
use crate::query::use_query_param;
use crate::state::expect_console;

/// The sign-in page: account, user name, password and MFA code, or for an STS endpoint an
/// access key (and optionally an MFA device and code). With a backend that has demo users (the
/// mock), a "Demo accounts" panel lists them with David's current MFA code. After signing in,
/// the person goes where `?next=` says (a path on this site only), else home.
#[component]
pub fn SignIn() -> impl IntoView {
    let console = expect_console();
    let next_param = use_query_param("next");
    let next = Memo::new(move |_| {
        next_param
            .get()
            .and_then(|n| safe_return_path(&n).map(str::to_owned))
            .unwrap_or_else(|| "/".to_owned())
    });

    let account = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let mfa_code = RwSignal::new(String::new());
    let access_key_id = RwSignal::new(String::new());
    let secret_access_key = RwSignal::new(String::new());
    let mfa_serial = RwSignal::new(String::new());
    let method = console.backend().sign_in_method();

    let calls = CallScope::new();
    let sign_in = Action::new_local(move |form: &SignInForm| {
        let form = form.clone();
        let cancel = calls.begin();
        async move {
            console.sign_in(form, cancel).await?;
            // Signed in: the password is not needed any more (kept on failure, so that the
            // person can correct the other fields). The form may already be gone: try_set.
            password.try_set(String::new());
            Ok::<(), crate::backend::BackendError>(())
        }
    });
    // Several sessions: at most five identities at once across tabs, and the others named
    // so that a second sign-in does not take one over by mistake.
    let open_tabs = crate::tabs::expect_open_tabs();
    let full = move || !open_tabs.may_sign_in();
    let on_submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        if full() {
            return;
        }
        sign_in.dispatch(SignInForm {
            account: account.get_untracked(),
            user: user.get_untracked(),
            password: password.get_untracked(),
            access_key_id: access_key_id.get_untracked(),
            secret_access_key: secret_access_key.get_untracked(),
            mfa_serial: mfa_serial.get_untracked(),
            mfa_code: mfa_code.get_untracked(),
        });
        // The secret has been handed to the backend, which forgets it after one exchange.
        secret_access_key.set(String::new());
    };
    let pending = sign_in.pending();
    let error = move || match sign_in.value().get() {
        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
        _ => None,
    };

    // The demo codes change with each 30-second TOTP step: the console's clock ticks every
    // second, and the mock is asked again when the step it falls in changes.
    let clock = console.clock();
    let step = Memo::new(move |_| clock.get().seconds().div_euclid(30));
    let demo = LocalResource::new(move || {
        step.track();
        let backend = console.backend();
        async move {
            // No demo panel is better than an error here: sign-in itself reports a broken mock.
            backend
                .demo_users(clock.get_untracked())
                .await
                .unwrap_or_default()
        }
    });
    let demo_users = move || demo.get().unwrap_or_default();

    view! {
        <Show
            when=move || !console.signed_in()
            // Where to go is read once, when signed in: the redirect itself changes the query.
            fallback=move || view! { <Redirect path=next.get_untracked() /> }
        >
            <section aria-labelledby="signin-title" class="signin">
                <PageHeading id="signin-title" text="Sign in" />
                {move || {
                    next_param
                        .get()
                        .and_then(|n| headed_for(&n))
                        .map(|text| view! { <p class="info-box" id="signin-headed-for">{text}</p> })
                }}
                {move || {
                    let others = open_tabs.others();
                    (!others.is_empty())
                        .then(|| {
                            let names = others
                                .iter()
                                .filter_map(|t| t.label.clone())
                                .collect::<Vec<_>>()
                                .join(", ");
                            view! { <p class="hint">{format!("Signed in in other tabs: {names}. This tab signs in on its own.")}</p> }
                        })
                }}
                {move || {
                    full()
                        .then(|| {
                            view! {
                                <p class="form-error" role="alert">
                                    "Five sessions are open in other tabs already: sign out in one of them to sign in here."
                                </p>
                            }
                        })
                }}
                <form class="form" on:submit=on_submit novalidate>
                    {match method {
                        SignInMethod::Password => {
                            view! {
                                <label for="signin-account">"Account ID or alias"</label>
                                <input
                                    id="signin-account"
                                    type="text"
                                    autocomplete="organization"
                                    bind:value=account
                                />
                                <label for="signin-user">"IAM user name"</label>
                                <input
                                    id="signin-user"
                                    type="text"
                                    autocomplete="username"
                                    bind:value=user
                                />
                                <label for="signin-password">"Password"</label>
                                <input
                                    id="signin-password"
                                    type="password"
                                    autocomplete="current-password"
                                    bind:value=password
                                />
                            }
                                .into_any()
                        }
                        SignInMethod::AccessKey => {
                            view! {
                                <label for="signin-key">"Access key ID"</label>
                                <input
                                    id="signin-key"
                                    type="text"
                                    autocomplete="username"
                                    spellcheck="false"
                                    bind:value=access_key_id
                                />
                                <label for="signin-secret">"Secret access key"</label>
                                <input
                                    id="signin-secret"
                                    type="password"
                                    autocomplete="off"
                                    aria-describedby="signin-secret-hint"
                                    bind:value=secret_access_key
                                />
                                <p id="signin-secret-hint" class="hint">
                                    "Used once to get a temporary session, then forgotten."
                                </p>
                                <label for="signin-serial">"MFA device serial number"</label>
                                <input
                                    id="signin-serial"
                                    type="text"
                                    spellcheck="false"
                                    aria-describedby="signin-serial-hint"
                                    bind:value=mfa_serial
                                />
                                <p id="signin-serial-hint" class="hint">
                                    "Optional: empty means arn:aws:iam::<account>:mfa/<user>."
                                </p>
                            }
                                .into_any()
                        }
                    }}
                    <label for="signin-mfa">"MFA code"</label>
                    <input
                        id="signin-mfa"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        aria-describedby="signin-mfa-hint"
                        bind:value=mfa_code
                    />
                    <p id="signin-mfa-hint" class="hint">
                        "Six digits from your MFA device; leave empty to sign in without MFA."
                    </p>
                    {error}
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || pending.get()>
                            {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                        </button>
                        <Show when=move || pending.get()>
                            <button type="button" on:click=move |_| calls.cancel()>
                                "Cancel"
                            </button>
                        </Show>
                    </div>
                </form>
                <Show when=move || !demo_users().is_empty()>
                    <section class="demo-accounts" aria-labelledby="demo-title">
                        <h2 id="demo-title">"Demo accounts"</h2>
                        <p class="hint">
                            "The in-browser mock's made-up users. Codes change every 30 seconds."
                        </p>
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"Account"</th>
                                    <th scope="col">"User"</th>
                                    <th scope="col">"Password"</th>
                                    <th scope="col">"MFA code"</th>
                                    <th scope="col">
                                        <span class="visually-hidden">"Fill in"</span>
                                    </th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    demo_users()
                                        .into_iter()
                                        .map(|d| {
                                            let fill = d.clone();
                                            let label = format!("Use {} @ {}", d.user, d.account);
                                            view! {
                                                <tr>
                                                    <td>{d.account}</td>
                                                    <td>{d.user}</td>
                                                    <td>
                                                        <code>{d.password}</code>
                                                    </td>
                                                    <td>
                                                        <code class="mfa-code">{d.mfa_code.unwrap_or_else(|| "—".into())}</code>
                                                    </td>
                                                    <td>
                                                        <button
                                                            type="button"
                                                            aria-label=label
                                                            on:click=move |_| {
                                                                account.set(fill.account.clone());
                                                                user.set(fill.user.clone());
                                                                password.set(fill.password.clone());
                                                                mfa_code.set(fill.mfa_code.clone().unwrap_or_default());
                                                            }
                                                        >
                                                            "Use"
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                    </section>
                </Show>
            </section>
        </Show>
    }
}

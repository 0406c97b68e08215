//! `/signin`: console sign-in.

use leptos::{ev, prelude::*};
use leptos_router::{components::Redirect, hooks::use_query_map};

use crossrole_core::link::safe_return_path;

use crate::backend::{now, SignInForm};
use crate::state::expect_console;

/// The sign-in page: account, user name, password and MFA code. With a backend that has demo
/// users (the mock), a "Demo accounts" panel lists them with David's current MFA code. After
/// signing in, the person goes where `?next=` says (a path on this site only), else home.
#[component]
pub fn SignIn() -> impl IntoView {
    let console = expect_console();
    let query = use_query_map();
    let next = Memo::new(move |_| {
        query
            .with(|q| q.get("next"))
            .and_then(|n| safe_return_path(&n).map(str::to_owned))
            .unwrap_or_else(|| "/".to_owned())
    });

    let account = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let mfa_code = RwSignal::new(String::new());

    let sign_in = Action::new_local(move |form: &SignInForm| {
        let form = form.clone();
        let backend = console.backend();
        async move {
            let session = backend.sign_in(form).await?;
            console.notice.set(None);
            console.base.set(Some(session));
            Ok::<(), crate::backend::BackendError>(())
        }
    });
    let on_submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        sign_in.dispatch(SignInForm {
            account: account.get_untracked(),
            user: user.get_untracked(),
            password: password.get_untracked(),
            mfa_code: mfa_code.get_untracked(),
        });
    };
    let pending = sign_in.pending();
    let error = move || match sign_in.value().get() {
        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
        _ => None,
    };

    // The demo codes change every 30 seconds: re-read them each second.
    let clock = RwSignal::new(now());
    let timer =
        set_interval_with_handle(move || clock.set(now()), std::time::Duration::from_secs(1));
    on_cleanup(move || {
        if let Ok(t) = timer {
            t.clear();
        }
    });
    let demo_users = move || console.backend().demo_users(clock.get());

    view! {
        <Show
            when=move || console.base.with(Option::is_none)
            fallback=move || view! { <Redirect path=next.get() /> }
        >
            <section aria-labelledby="signin-title" class="signin">
                <h1 id="signin-title">"Sign in"</h1>
                <form class="form" on:submit=on_submit novalidate>
                    <label for="signin-account">"Account ID or alias"</label>
                    <input
                        id="signin-account"
                        type="text"
                        autocomplete="organization"
                        bind:value=account
                    />
                    <label for="signin-user">"IAM user name"</label>
                    <input id="signin-user" type="text" autocomplete="username" bind:value=user />
                    <label for="signin-password">"Password"</label>
                    <input
                        id="signin-password"
                        type="password"
                        autocomplete="current-password"
                        bind:value=password
                    />
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
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
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

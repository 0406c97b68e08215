//! The in-browser mock's engine, in a Web Worker: `crossrole_core::mock::MockHost` answering
//! the console's calls (`src/backend/mock.rs`), one message of JSON text each way.
//!
//! Trunk builds it beside the console (`data-type="worker"` in `index.html`); the console
//! starts it only when `config.json` chooses the mock, so a console served with an HTTP
//! backend never downloads the engine, and the mock's work never blocks the page.

use std::cell::RefCell;

use crossrole_core::mock::{MockHost, MockReply};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let mut seed = [0u8; 32];
    // Without the browser's random source there is no safe fallback for credentials: the
    // worker stops, and the console reports that the mock stopped.
    getrandom::getrandom(&mut seed).expect("the worker provides crypto.getRandomValues");
    let engine = RefCell::new((MockHost::new(), ChaCha20Rng::from_seed(seed)));
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let reply = {
            let (host, rng) = &mut *engine.borrow_mut();
            host.handle(rng, &text)
        };
        // Posting a string to the page that made this worker cannot fail while it exists.
        let _ = reply_to.post_message(&JsValue::from_str(&reply));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The listener lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(&MockReply::ready()));
}

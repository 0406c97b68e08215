//! Browser tests: the console's components in headless Chromium (wasm-bindgen-test).
//!
//! Each test mounts the console on the in-browser mock (or a gated wrapper of it, to hold a
//! backend call open) into a fresh container at a chosen URL, with fresh storage, and acts on
//! it the way a person would: by role and accessible name, with clicks, keys and typing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use crossrole::app::Shell;
use crossrole::backend::mock::MockBackend;
use crossrole::backend::{
    Backend, BackendError, BackendFuture, BaseSession, Cancel, RoleSession, SignInForm,
};
use crossrole::storage;
use crossrole_core::link::RoleRef;
use crossrole_core::totp::Totp;
use crossrole_core::validation::AccountRef;
use crossrole_core::world::{Credentials, Item};
use futures::channel::oneshot;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

// The harness (mounting, acting, reading) first; then one module a page or concern.
mod gated;
mod harness;
use gated::Gated;
use harness::*;

mod catalog_and_history;
mod command_palette;
mod create_role;
mod federated;
mod grant_and_access_map;
mod sessions;
mod sign_in_and_menu;
mod switch_role;

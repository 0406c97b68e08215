//! crossrole: a cross-account role-switching console.
//!
//! The library holds the Leptos UI (app, pages and components); the domain lives in
//! [`crossrole_core`], which has no browser dependency.
//!
//! # Layers
//!
//! Pages use components, components use the console's state, hooks and the backend, and all
//! of them use core; never the other way round, and no two modules use each other (the test
//! command checks it: `crates/layers`):
//!
//! 1. Browser plumbing: [`storage`], [`query`].
//! 2. The backend: [`backend`].
//! 3. The console's state and hooks: [`config`], [`state`], [`catalog`], [`tabs`], [`hooks`].
//! 4. Components: [`components`].
//! 5. Pages: [`pages`].
//! 6. The app: [`app`].
//!
//! Files of [`pages`] never import one another.

#![warn(missing_docs, unreachable_pub, missing_debug_implementations)]

pub mod app;
pub mod backend;
pub mod catalog;
pub mod components;
pub mod config;
pub mod hooks;
pub mod pages;
pub mod query;
pub mod state;
pub mod storage;
pub mod tabs;

pub use app::App;

//! crossrole: a cross-account role-switching console.
//!
//! The library holds the Leptos UI (app, pages and components); the domain lives in
//! [`crossrole_core`], which has no browser dependency.

#![warn(missing_docs)]

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

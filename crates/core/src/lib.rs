//! The pure domain of crossrole.
//!
//! No browser or framework dependency: the in-browser mock and the emulator server both
//! run this crate, so they can never disagree. Time, when needed, comes in as a parameter.

#![warn(missing_docs)]

pub mod admin;
pub mod arn;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod config;
pub mod ct;
pub mod demo;
pub mod expiry;
pub mod fault;
pub mod form;
pub mod history;
pub mod link;
pub mod mock;
pub mod ops;
pub mod palette;
pub mod policy;
pub mod service;
pub mod sessions;
pub mod sigv4;
pub mod tabs;
pub mod totp;
pub mod validation;
pub mod wire;
pub mod world;

/// The product's name as the console shows it.
pub const PRODUCT_NAME: &str = "crossrole";

//! The pure domain of crossrole.
//!
//! No browser or framework dependency: the in-browser mock and the emulator server both
//! run this crate, so they can never disagree. Time, when needed, comes in as a parameter.
//!
//! # Layers
//!
//! Each module uses only modules of its own layer or the layers before it, and no two
//! modules use each other (the test command checks it: `crates/layers`):
//!
//! 1. Vocabulary: [`ct`], [`clock`], [`fault`], [`validation`], [`colour`],
//!    [`service_name`].
//! 2. Identifiers and crypto: [`arn`], [`link`], [`sigv4`], [`totp`].
//! 3. The user's side: [`history`], [`form`], [`catalog`], [`tabs`], [`expiry`], [`announce`].
//! 4. The policy language: [`policy`].
//! 5. The world: [`world`].
//! 6. Operations: [`ops`].
//! 7. Wire protocols: [`wire`].
//! 8. Adapters: [`client`], [`admin`], [`endpoint`], [`config`], [`demo`].
//! 9. The mock host: [`mock`].

#![warn(missing_docs, unreachable_pub, missing_debug_implementations)]

pub mod admin;
pub mod announce;
pub mod arn;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod colour;
pub mod config;
pub mod ct;
pub mod demo;
pub mod endpoint;
pub mod expiry;
pub mod fault;
pub mod form;
pub mod history;
pub mod link;
pub mod mock;
pub mod ops;
pub mod policy;
pub mod service_name;
pub mod sigv4;
pub mod tabs;
pub mod totp;
pub mod validation;
pub mod wire;
pub mod world;

/// The product's name as the console shows it.
pub const PRODUCT_NAME: &str = "crossrole";

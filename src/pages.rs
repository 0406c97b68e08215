//! One module per route.

pub mod access_map;
pub mod activity;
pub mod catalog;
pub mod create_role;
pub mod dynamodb;
pub mod federated;
pub mod grant;
pub mod home;
pub mod iam;
pub mod not_found;
pub mod sign_in;
pub mod switch_role;

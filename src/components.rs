//! Reusable pieces of the console's chrome.

pub mod announcer;
pub mod colour_picker;
pub mod command_palette;
pub mod confirm;
pub mod copy_link;
pub mod export_code;
pub mod failure;
pub mod identity_menu;
pub mod inline_policies;
pub mod nav_bar;
pub mod notice;
pub mod page_heading;
pub mod require_sign_in;
pub mod undo;
pub mod visual_mode;

//! Reusable pieces of the console's chrome.

pub mod identity_menu;
pub mod nav_bar;

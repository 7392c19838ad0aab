//! What every page shares: the layout context, static assets, error pages, the home page and the language switch.

pub mod assets;
pub mod chart;
pub mod errors;
pub mod export;
pub mod headers;
pub mod layout;
pub mod pages;
pub mod reads;
pub mod words;

pub use layout::{Page, render, render_with_status};

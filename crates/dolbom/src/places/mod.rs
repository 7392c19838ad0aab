//! Places: care facilities and community groups, their geo search (an in-memory R-tree kept current from the
//! change log), the map of the district, and the pages providers and group leaders keep up to date.

pub mod api;
pub mod classes;
pub mod demo;
pub mod filter;
pub mod group_store;
pub mod hours;
pub mod import;
pub mod index;
pub mod leader;
pub mod map;
pub mod model;
pub mod pages;
pub mod photo_store;
pub mod photos;
pub mod provider;
pub mod query;
pub mod slots;
pub mod store;
pub mod sync;

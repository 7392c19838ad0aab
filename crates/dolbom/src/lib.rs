//! dolbom (돌봄): the care and welfare platform a Korean 시·군·구 runs for its people. See docs/ARCHITECTURE.md.

pub mod api;
pub mod app;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod care;
pub mod children;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
pub mod files;
pub mod i18n;
pub mod jobs;
pub mod keys;
pub mod ledger;
pub mod notify;
pub mod people;
pub mod places;
pub mod routes;
pub mod server;
pub mod waitlist;
pub mod web;

//! Community spaces (issue #9): rooms, 공동육아나눔터 and halls residents book by the slot. A slot is held by one
//! booking only because each held slot is a row whose primary key is (space, slot start): the database refuses the
//! second holder, whatever the timing, on SQLite and PostgreSQL alike. Rules (opening hours and closed days, the slot
//! grid, the longest booking, the hours a person may hold per week, who may book, approval, fee, cancelling) are
//! checked in `rules`, pure.

pub mod api;
pub mod booking_routes;
pub mod demo;
pub mod edit;
pub mod edit_routes;
pub mod fees;
pub mod hold;
pub mod live;
pub mod manage;
pub mod manage_routes;
pub mod routes;
pub mod rules;
pub mod space_store;
pub mod store;
pub mod waits;
pub mod week;

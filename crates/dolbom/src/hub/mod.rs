//! The community hub (issue #10): groups' boards with posts, photos and comments, and the best-practice contest
//! (우수사례 경연대회) scored like a grant review. Officials' pages live in `crate::content`.

pub mod board_routes;
pub mod board_store;
pub mod contest_official;
pub mod contest_routes;
pub mod contest_store;
pub mod demo;
pub mod post_routes;

//! The community hub (issue #10): groups' boards with posts, photos and comments.

pub mod board_routes;
pub mod board_store;
pub mod post_routes;

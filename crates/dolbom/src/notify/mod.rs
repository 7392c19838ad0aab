//! Notifications: an in-app inbox per account, and an outbox of SMS and e-mail messages that delivery adapters
//! read (each row sent once, retried on failure). The text is a catalog key with its arguments, rendered in the
//! recipient's language when shown or sent.

pub mod routes;
pub mod store;

pub use store::{Notification, deliver_outbox, latest, send, send_in};

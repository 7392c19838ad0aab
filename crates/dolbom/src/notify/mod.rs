//! Notifications: an in-app inbox per account, and an outbox of e-mail that the background tick sends through
//! the configured SMTP server (each row sent once, retried later on failure). The text is a catalog key with its
//! arguments, rendered in the recipient's language when shown or sent; each person chooses whether they also get
//! e-mail, and in which language (their account's).

pub mod delivery;
pub mod mail;
pub mod routes;
pub mod settings;
pub mod store;

pub use delivery::{Delivery, deliver_outbox};
pub use mail::Mailer;
pub use store::{Notification, latest, send, send_in};

//! Background jobs on a table: notifications, expiring offers, reminders, housekeeping.
//!
//! A job is claimed by one worker at a time. On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so several
//! processes never run one job twice; on SQLite the single writer gives the same guarantee. A failed job is retried
//! with exponential back-off until it has used its attempts, then it is kept as `dead` for someone to look at.

mod runner;
mod store;

pub use runner::{Handler, HandlerFuture, Runner};
pub use store::{Job, JobStatus, NewJob, claim, complete, enqueue, fail, get, renew, retry_delay_millis};

/// The job kinds the platform itself runs.
pub mod kinds {
    /// Deletes expired sessions; re-enqueues itself hourly.
    pub const SESSION_CLEANUP: &str = "session_cleanup";
    /// Deletes access-log entries past their retention; re-enqueues itself daily.
    pub const ACCESS_LOG_PURGE: &str = "access_log_purge";
    /// Deletes the records erased accounts kept, once their retention ends; re-enqueues itself daily.
    pub const RECORDS_PURGE: &str = "records_purge";
}

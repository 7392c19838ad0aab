//! Waitlists and seat allocation (issue #7): priority rules as data so far; the allocation itself is the pure
//! `allocation` crate (`dolbom allocate`). The database-backed waitlist, rounds and offers come next.

pub mod priority;

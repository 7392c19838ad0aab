//! Seat allocation for care centres: child-proposing deferred acceptance (Gale–Shapley), which gives a stable
//! allocation (no child and centre would both rather have each other than what they got) and is strategy-proof
//! for families (listing centres in true order of preference is always best). Centres order the children who
//! chose them by their own `ranking` when they give one, otherwise by priority class (1 first), then points
//! (more first), then a lottery number derived from a seed published before the round, so anyone can re-run
//! the round and get the same result. Every child's outcome is explained.
//!
//! The input and output are JSON (see the README): [`Input`] → [`allocate`] → [`Output`].

mod explain;
mod input;
mod lottery;
mod places;
mod rounds;

pub use explain::{ChoiceOutcome, Explanation};
pub use input::{Center, Child, Input, InputError, MAX_CHOICES, Mixed};
pub use lottery::lottery_number;
pub use rounds::{Output, allocate};

#[cfg(test)]
mod band_tests;
#[cfg(test)]
mod tests;

//! Welfare eligibility as data.
//!
//! Every service carries [`Rules`]: criteria on age (만 나이), residence, household size, income as a percentage of
//! the year's 기준 중위소득, assets, household facts (disability, single parent, multicultural, …), children and
//! benefits already received. [`evaluate`] answers eligible / not eligible / unknown with a [`Reason`] per
//! criterion and, where the answer is not yes, the [`WhatIf`] that would change it. [`screen`] is the same verdict
//! without reasons, for screening many profiles against many services ([`screen_many`]).
//!
//! Pure: no IO, no clock. The caller computes ages on the date that matters and renders reasons in its language.

mod benefit;
mod evaluate;
pub mod generate;
mod median;
mod profile;
mod rules;

pub use benefit::{Benefit, BenefitSet};
pub use evaluate::{Outcome, Reason, Screened, Status, Verdict, WhatIf, evaluate, screen, screen_many};
pub use median::{MedianIncome, MedianIncomeError};
pub use profile::{Fact, Facts, Needed, Profile, ProfileError};
pub use rules::{Criterion, RuleError, Rules};

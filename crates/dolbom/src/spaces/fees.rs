//! Who pays for a space, and how much: the fee per hour, and the exemptions (감면 대상) a space grants. A booker
//! claims one of the space's exemptions; the manager checks the proof at the desk, as 공유누리 does, so the claim is
//! kept with the booking. A group's exemption needs a group leader's account.

use crate::auth::Role;

/// The exemptions a space may grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exemption {
    /// 국민기초생활보장 수급자.
    BasicLivelihood,
    /// 차상위계층.
    NearPoverty,
    /// 등록 장애인.
    Disability,
    /// 국가유공자.
    NationalMerit,
    /// 다자녀 가정.
    ManyChildren,
    /// 만 65세 이상.
    Senior,
    /// 등록된 공동체(모임): booked by its leader.
    RegisteredGroup,
}

pub const ALL: [Exemption; 7] = [
    Exemption::BasicLivelihood,
    Exemption::NearPoverty,
    Exemption::Disability,
    Exemption::NationalMerit,
    Exemption::ManyChildren,
    Exemption::Senior,
    Exemption::RegisteredGroup,
];

impl Exemption {
    pub fn code(self) -> &'static str {
        match self {
            Exemption::BasicLivelihood => "basic_livelihood",
            Exemption::NearPoverty => "near_poverty",
            Exemption::Disability => "disability",
            Exemption::NationalMerit => "national_merit",
            Exemption::ManyChildren => "many_children",
            Exemption::Senior => "senior",
            Exemption::RegisteredGroup => "registered_group",
        }
    }

    pub fn parse(code: &str) -> Option<Exemption> {
        ALL.into_iter().find(|e| e.code() == code.trim())
    }

    /// The catalog key of its name.
    pub fn label_key(self) -> String {
        format!("space-exempt-{}", self.code().replace('_', "-"))
    }
}

/// The exemptions a space grants, as stored (codes separated by commas); unknown codes are dropped.
pub fn parse_list(stored: &str) -> Vec<Exemption> {
    let mut out: Vec<Exemption> = stored.split(',').filter_map(Exemption::parse).collect();
    out.dedup();
    out
}

pub fn to_stored(list: &[Exemption]) -> String {
    ALL.into_iter().filter(|e| list.contains(e)).map(Exemption::code).collect::<Vec<_>>().join(",")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    /// The space does not grant this exemption (or there is no such exemption).
    #[error("not an exemption of this space")]
    NotGranted,
    /// The group exemption is claimed by an account that does not lead a group.
    #[error("only a group's leader claims the group exemption")]
    NotAGroup,
}

/// What a booking costs: per hour, in whole KRW (rounded down), nothing under a claimed exemption the space grants;
/// with the exemption kept (empty when none is claimed).
pub fn charge(
    fee_krw_per_hour: i64,
    granted: &[Exemption],
    claim: &str,
    role: Role,
    minutes: u32,
) -> Result<(i64, Option<Exemption>), FeeError> {
    if claim.trim().is_empty() {
        return Ok((fee_krw_per_hour * i64::from(minutes) / 60, None));
    }
    let exemption = Exemption::parse(claim).filter(|e| granted.contains(e)).ok_or(FeeError::NotGranted)?;
    if exemption == Exemption::RegisteredGroup && role != Role::GroupLeader {
        return Err(FeeError::NotAGroup);
    }
    Ok((0, Some(exemption)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_is_per_hour_unless_an_exemption_the_space_grants_is_claimed() {
        let granted = parse_list("disability, registered_group,bogus");
        assert_eq!(granted, vec![Exemption::Disability, Exemption::RegisteredGroup]);
        assert_eq!(charge(5_000, &granted, "", Role::Resident, 90), Ok((7_500, None)));
        assert_eq!(charge(5_000, &granted, "disability", Role::Resident, 90), Ok((0, Some(Exemption::Disability))));
        assert_eq!(charge(5_000, &granted, "senior", Role::Resident, 60), Err(FeeError::NotGranted));
        assert_eq!(charge(5_000, &granted, "<script>", Role::Resident, 60), Err(FeeError::NotGranted));
        assert_eq!(charge(5_000, &granted, "registered_group", Role::Resident, 60), Err(FeeError::NotAGroup));
        assert_eq!(
            charge(5_000, &granted, "registered_group", Role::GroupLeader, 60),
            Ok((0, Some(Exemption::RegisteredGroup)))
        );
    }

    #[test]
    fn the_stored_list_keeps_one_order() {
        assert_eq!(to_stored(&[Exemption::Senior, Exemption::BasicLivelihood]), "basic_livelihood,senior");
        assert_eq!(parse_list(&to_stored(&ALL)), ALL.to_vec());
    }
}

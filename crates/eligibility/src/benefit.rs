//! Benefits a household already receives: some services require one (차상위 → 바우처), others exclude it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// 기초생활보장 생계급여
    LivelihoodAid,
    /// 의료급여
    MedicalAid,
    /// 주거급여
    HousingAid,
    /// 교육급여
    EducationAid,
    /// 차상위계층
    NearPoor,
    /// 기초연금
    BasicPension,
    /// 장애인연금
    DisabilityPension,
    /// 한부모가족 아동양육비
    SingleParentSupport,
    /// 아동수당
    ChildAllowance,
    /// 부모급여
    ParentBenefit,
    /// 긴급복지지원
    EmergencyAid,
    /// 노인맞춤돌봄서비스
    ElderlyCare,
}

impl Benefit {
    pub const ALL: [Benefit; 12] = [
        Benefit::LivelihoodAid,
        Benefit::MedicalAid,
        Benefit::HousingAid,
        Benefit::EducationAid,
        Benefit::NearPoor,
        Benefit::BasicPension,
        Benefit::DisabilityPension,
        Benefit::SingleParentSupport,
        Benefit::ChildAllowance,
        Benefit::ParentBenefit,
        Benefit::EmergencyAid,
        Benefit::ElderlyCare,
    ];

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of benefits as a bit set: screening tests it in one instruction. Serialized as a list of names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BenefitSet(u32);

impl BenefitSet {
    pub fn of(benefits: &[Benefit]) -> BenefitSet {
        BenefitSet(benefits.iter().fold(0, |bits, b| bits | b.bit()))
    }

    pub fn contains(self, benefit: Benefit) -> bool {
        self.0 & benefit.bit() != 0
    }

    pub fn intersects(self, other: BenefitSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Benefit> {
        Benefit::ALL.into_iter().filter(move |b| self.contains(*b))
    }
}

impl Serialize for BenefitSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for BenefitSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<BenefitSet, D::Error> {
        let list = Vec::<Benefit>::deserialize(deserializer)?;
        Ok(BenefitSet::of(&list))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_round_trip_as_lists_of_names() {
        let set = BenefitSet::of(&[Benefit::NearPoor, Benefit::BasicPension]);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"["near_poor","basic_pension"]"#);
        assert_eq!(serde_json::from_str::<BenefitSet>(&json).unwrap(), set);
        assert!(set.intersects(BenefitSet::of(&[Benefit::NearPoor])));
        assert!(!set.intersects(BenefitSet::of(&[Benefit::LivelihoodAid])));
    }
}

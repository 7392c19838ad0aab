//! Eligibility rules for the directory's services: written by hand from the 선정기준 of well-known services, and
//! otherwise derived from the service's own 생애주기 and 가구상황 tags (복지로's targeting), which screens coarsely
//! but never wrongly rules a household out for a fact the tags do not state.

use eligibility::{Benefit, BenefitSet, Criterion, Fact, Rules};

use super::taxonomy::{HOUSEHOLD, LIFE_STAGE};

/// The 기준 중위소득 year the rules refer to.
pub const MEDIAN_YEAR: i32 = 2026;

fn age(min: Option<u32>, max: Option<u32>) -> Criterion {
    Criterion::Age { min, max }
}

fn income_percent(max_percent: u32) -> Criterion {
    Criterion::IncomeAtMostPercentOfMedian { max_percent }
}

fn fact(fact: Fact) -> Criterion {
    Criterion::Fact { fact, required: true }
}

fn receives(benefits: &[Benefit]) -> Criterion {
    Criterion::ReceivesAnyOf { benefits: BenefitSet::of(benefits) }
}

const BASIC_LIVELIHOOD: [Benefit; 4] =
    [Benefit::LivelihoodAid, Benefit::MedicalAid, Benefit::HousingAid, Benefit::EducationAid];
const LOW_INCOME: [Benefit; 5] =
    [Benefit::LivelihoodAid, Benefit::MedicalAid, Benefit::HousingAid, Benefit::EducationAid, Benefit::NearPoor];

/// 저소득: receiving a 기초생활 benefit or 차상위, or income at most 50 % of the median (the 차상위 line).
fn low_income() -> Criterion {
    Criterion::AnyOf { criteria: vec![receives(&LOW_INCOME), income_percent(50)] }
}

/// A monthly income limit for one person and for a couple (기초연금, 장애인연금 선정기준액).
fn single_or_couple_limit(single: i64, couple: i64) -> Criterion {
    let limit = |min, max, max_krw| Criterion::AllOf {
        criteria: vec![Criterion::HouseholdSize { min, max }, Criterion::IncomeAtMostKrw { max_krw }],
    };
    Criterion::AnyOf { criteria: vec![limit(None, Some(1), single), limit(Some(2), None, couple)] }
}

/// Rules written from the 2026 선정기준 of services residents ask about most (복지로 service ids).
pub fn known(source_id: &str) -> Option<Vec<Criterion>> {
    let criteria = match source_id {
        // 기초연금: 만 65세 이상, 소득인정액이 선정기준액 이하 (2026: 단독 247만원, 부부 395.2만원).
        "bokjiro:WLF00001164" => vec![age(Some(65), None), single_or_couple_limit(2_470_000, 3_952_000)],
        // 장애인연금: 만 18세 이상 중증장애인, 소득인정액이 선정기준액 이하.
        "bokjiro:WLF00003249" => {
            vec![age(Some(18), None), fact(Fact::Disability), single_or_couple_limit(2_470_000, 3_952_000)]
        }
        // 아동수당: 만 8세 미만 아동.
        "bokjiro:WLF00001171" => vec![age(None, Some(7))],
        // 부모급여: 0~23개월 아동.
        "bokjiro:WLF00004657" => vec![age(None, Some(1))],
        // 첫만남이용권: 출생 아동.
        "bokjiro:WLF00004656" => vec![age(None, Some(0))],
        // 한부모가족 아동양육비: 한부모·조손, 기준 중위소득 63% 이하, 만 18세 미만 자녀.
        "bokjiro:WLF00001068" => vec![
            Criterion::AnyOf { criteria: vec![fact(Fact::SingleParent), fact(Fact::GrandparentFamily)] },
            income_percent(63),
            Criterion::YoungestChildAgeAtMost { max: 17 },
        ],
        // 생계급여 32%, 의료급여 40%, 주거급여 48%, 교육급여 50% (교육급여는 학생 자녀가 있는 가구).
        "bokjiro:WLF00001132" => vec![income_percent(32)],
        "bokjiro:WLF00000102" => vec![income_percent(40)],
        "bokjiro:WLF00003201" => vec![income_percent(48)],
        "bokjiro:WLF00001089" => vec![income_percent(50), Criterion::ChildrenAtLeast { min: 1 }],
        // 청년월세 특별지원: 만 19~34세, 청년가구 기준 중위소득 60% 이하.
        "bokjiro:WLF00004661" => vec![age(Some(19), Some(34)), income_percent(60)],
        // 청년내일저축계좌: 만 19~34세, 일하는 청년, 기준 중위소득 100% 이하.
        "bokjiro:WLF00000060" => vec![age(Some(19), Some(34)), fact(Fact::Employed), income_percent(100)],
        // 긴급복지 생계지원: 기준 중위소득 75% 이하, 재산 대도시 2억 4,100만원 이하.
        "bokjiro:WLF00003180" => vec![income_percent(75), Criterion::AssetsAtMost { max_krw: 241_000_000 }],
        // 노인맞춤돌봄서비스: 만 65세 이상 기초생활수급자·차상위·기초연금 수급자.
        "bokjiro:WLF00003191" => vec![
            age(Some(65), None),
            receives(&[Benefit::LivelihoodAid, Benefit::MedicalAid, Benefit::NearPoor, Benefit::BasicPension]),
        ],
        // 아이돌봄 서비스: 만 12세 이하 아동이 있는 가구.
        "bokjiro:WLF00000024" => vec![Criterion::YoungestChildAgeAtMost { max: 12 }],
        // 에너지바우처: 생계·의료·주거·교육급여 수급 가구.
        "bokjiro:WLF00000072" => vec![receives(&BASIC_LIVELIHOOD)],
        // 저소득층 기저귀·조제분유: 만 2세 미만 영아, 기초생활·차상위·한부모 가구.
        "bokjiro:WLF00000092" => vec![
            Criterion::YoungestChildAgeAtMost { max: 1 },
            Criterion::AnyOf { criteria: vec![receives(&LOW_INCOME), fact(Fact::SingleParent)] },
        ],
        // 장애아동수당: 만 18세 미만 장애아동, 기초생활·차상위 가구.
        "bokjiro:WLF00003198" => vec![age(None, Some(17)), fact(Fact::Disability), receives(&LOW_INCOME)],
        // 다문화가족 지원사업: 다문화가족.
        "bokjiro:WLF00000837" => vec![fact(Fact::Multicultural)],
        // 노원구 청년일경험 지원: 노원구 거주 만 18~39세 미취업 청년.
        "gov24:310000000107" => vec![
            Criterion::Residence { prefixes: vec!["11350".into()] },
            age(Some(18), Some(39)),
            Criterion::Fact { fact: Fact::Employed, required: false },
        ],
        _ => return None,
    };
    Some(criteria)
}

/// 만 나이 covered by a 복지로 생애주기.
fn stage_ages(code: &str) -> Option<(u32, Option<u32>)> {
    Some(match code {
        "infant" => (0, Some(6)),
        "child" => (7, Some(12)),
        "youth" => (13, Some(18)),
        "young_adult" => (19, Some(39)),
        "middle_age" => (40, Some(64)),
        "senior" => (65, None),
        _ => return None,
    })
}

/// The age range spanning every tagged stage, or none when the stages cover every age.
fn age_from_stages(codes: &[&str]) -> Option<Criterion> {
    let ranges: Vec<_> = codes.iter().filter_map(|c| stage_ages(c)).collect();
    let min = ranges.iter().map(|r| r.0).min()?;
    let max = if ranges.iter().any(|r| r.1.is_none()) { None } else { ranges.iter().filter_map(|r| r.1).max() };
    (min > 0 || max.is_some()).then(|| age((min > 0).then_some(min), max))
}

fn household_criterion(code: &str) -> Option<Criterion> {
    Some(match code {
        "low_income" => low_income(),
        "disability" => fact(Fact::Disability),
        "single_parent" => Criterion::AnyOf { criteria: vec![fact(Fact::SingleParent), fact(Fact::GrandparentFamily)] },
        "multicultural" => Criterion::AnyOf { criteria: vec![fact(Fact::Multicultural), fact(Fact::Defector)] },
        "many_children" => Criterion::ChildrenAtLeast { min: 2 },
        "veteran" => fact(Fact::Veteran),
        _ => return None,
    })
}

/// Rules from the 생애주기 and 가구상황 terms (`taxonomy:code`): the age span of the stages, and any one of the
/// household situations. `None` when the tags say nothing that can be checked.
pub fn from_terms(terms: &[String]) -> Option<Vec<Criterion>> {
    let codes = |taxonomy: &str| -> Vec<&str> {
        terms.iter().filter_map(|t| t.strip_prefix(taxonomy)?.strip_prefix(':')).collect()
    };
    let mut criteria = Vec::new();
    criteria.extend(age_from_stages(&codes(LIFE_STAGE)));
    // Nested "any of" lists read badly and mean the same as one flat list.
    let mut situations: Vec<Criterion> = codes(HOUSEHOLD)
        .into_iter()
        .filter_map(household_criterion)
        .flat_map(|c| match c {
            Criterion::AnyOf { criteria } => criteria,
            other => vec![other],
        })
        .collect();
    match situations.len() {
        0 => {}
        1 => criteria.push(situations.remove(0)),
        _ => criteria.push(Criterion::AnyOf { criteria: situations }),
    }
    (!criteria.is_empty()).then_some(criteria)
}

/// The rules of a service: hand-written when known, else derived from its terms.
pub fn for_service(source_id: Option<&str>, terms: &[String]) -> Option<Rules> {
    let criteria = source_id.and_then(known).or_else(|| from_terms(terms))?;
    Some(Rules { median_year: MEDIAN_YEAR, criteria })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn stages_become_an_age_span() {
        let criteria = from_terms(&terms(&["life_stage:infant", "life_stage:child"])).unwrap();
        assert_eq!(criteria, vec![age(None, Some(12))]);
        let seniors = from_terms(&terms(&["life_stage:middle_age", "life_stage:senior"])).unwrap();
        assert_eq!(seniors, vec![age(Some(40), None)]);
        assert_eq!(
            from_terms(&terms(&["life_stage:infant", "life_stage:senior"])),
            None,
            "every age: nothing to check"
        );
    }

    #[test]
    fn situations_that_are_choices_themselves_flatten_into_one_list() {
        let criteria = from_terms(&terms(&["household:single_parent", "household:veteran"])).unwrap();
        assert_eq!(
            criteria,
            vec![Criterion::AnyOf {
                criteria: vec![fact(Fact::SingleParent), fact(Fact::GrandparentFamily), fact(Fact::Veteran)]
            }]
        );
    }

    #[test]
    fn several_situations_are_any_of_them() {
        let criteria = from_terms(&terms(&["household:disability", "household:veteran", "theme:care"])).unwrap();
        assert_eq!(criteria, vec![Criterion::AnyOf { criteria: vec![fact(Fact::Disability), fact(Fact::Veteran)] }]);
    }

    #[test]
    fn every_known_rule_is_valid() {
        let median = eligibility::MedianIncome::official();
        for id in ["bokjiro:WLF00001164", "bokjiro:WLF00001068", "bokjiro:WLF00000092", "gov24:310000000107"] {
            let rules = for_service(Some(id), &[]).unwrap();
            assert!(rules.validate(&median).is_ok(), "{id}");
        }
    }
}

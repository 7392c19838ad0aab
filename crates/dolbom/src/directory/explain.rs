//! Criteria, verdicts and what-ifs in the resident's language: "월 소득이 2,392,013원 이하이면 대상입니다".

use eligibility::{BenefitSet, Criterion, Fact, Needed, Status, WhatIf};

use super::check::{BENEFIT_CODES, benefit_key, fact_key};
use crate::i18n::{self, Locale};

fn won(amount: i64) -> String {
    i18n::group_thousands(amount)
}

fn fact_name(locale: Locale, fact: Fact) -> String {
    let code = serde_json::to_value(fact).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    i18n::t(locale, &fact_key(&code))
}

fn benefit_names(locale: Locale, benefits: BenefitSet) -> String {
    let names: Vec<String> = BENEFIT_CODES
        .iter()
        .filter(|(_, b)| benefits.contains(*b))
        .map(|(code, _)| i18n::t(locale, &benefit_key(code)))
        .collect();
    names.join(", ")
}

fn range(locale: Locale, prefix: &str, min: Option<u32>, max: Option<u32>) -> String {
    let (min, max) = (min.map(|v| v.to_string()), max.map(|v| v.to_string()));
    match (min, max) {
        (Some(lo), Some(hi)) => i18n::t_args(locale, &format!("{prefix}-between"), &[("min", &lo), ("max", &hi)]),
        (Some(lo), None) => i18n::t_args(locale, &format!("{prefix}-min"), &[("min", &lo)]),
        (None, Some(hi)) => i18n::t_args(locale, &format!("{prefix}-max"), &[("max", &hi)]),
        (None, None) => String::new(),
    }
}

/// The criterion as a short condition: "만 65세 이상", "기준 중위소득 63% 이하".
pub fn criterion(locale: Locale, c: &Criterion) -> String {
    match c {
        Criterion::Age { min, max } => range(locale, "crit-age", *min, *max),
        Criterion::Residence { prefixes } => {
            i18n::t_args(locale, "crit-residence", &[("places", &prefixes.join(", "))])
        }
        Criterion::HouseholdSize { min, max } => range(locale, "crit-household", *min, *max),
        Criterion::IncomeAtMostPercentOfMedian { max_percent } => {
            i18n::t_args(locale, "crit-income-percent", &[("percent", &max_percent.to_string())])
        }
        Criterion::IncomeAtMostKrw { max_krw } => i18n::t_args(locale, "crit-income-krw", &[("limit", &won(*max_krw))]),
        Criterion::AssetsAtMost { max_krw } => i18n::t_args(locale, "crit-assets", &[("limit", &won(*max_krw))]),
        Criterion::Fact { fact, required: true } => fact_name(locale, *fact),
        Criterion::Fact { fact, required: false } => {
            i18n::t_args(locale, "crit-not", &[("condition", &fact_name(locale, *fact))])
        }
        Criterion::ChildrenAtLeast { min } => i18n::t_args(locale, "crit-children", &[("min", &min.to_string())]),
        Criterion::YoungestChildAgeAtMost { max } => {
            i18n::t_args(locale, "crit-youngest-child", &[("max", &max.to_string())])
        }
        Criterion::ReceivesAnyOf { benefits } => {
            i18n::t_args(locale, "crit-receives", &[("benefits", &benefit_names(locale, *benefits))])
        }
        Criterion::ReceivesNoneOf { benefits } => {
            i18n::t_args(locale, "crit-receives-none", &[("benefits", &benefit_names(locale, *benefits))])
        }
        Criterion::AnyOf { criteria } => {
            let list: Vec<String> = criteria.iter().map(|c| criterion(locale, c)).collect();
            i18n::t_args(locale, "crit-any-of", &[("list", &list.join(" / "))])
        }
        Criterion::AllOf { criteria } => {
            let list: Vec<String> = criteria.iter().map(|c| criterion(locale, c)).collect();
            list.join(", ")
        }
    }
}

fn needed_name(locale: Locale, needed: &Needed) -> String {
    match needed {
        Needed::Fact(fact) => i18n::t_args(locale, "needed-fact", &[("fact", &fact_name(locale, *fact))]),
        other => {
            let code = serde_json::to_value(other)
                .ok()
                .and_then(|v| v.get("needed").and_then(|n| n.as_str()).map(str::to_string))
                .unwrap_or_default();
            i18n::t(locale, &format!("needed-{}", code.replace('_', "-")))
        }
    }
}

fn condition(locale: Locale, w: &WhatIf) -> String {
    match w {
        WhatIf::AgeBetween { min, max } => range(locale, "crit-age", *min, *max),
        WhatIf::LiveIn { prefixes } => i18n::t_args(locale, "crit-residence", &[("places", &prefixes.join(", "))]),
        WhatIf::HouseholdSizeBetween { min, max } => range(locale, "crit-household", *min, *max),
        WhatIf::IncomeAtMost { limit_krw, .. } | WhatIf::IncomeAtMostKrw { limit_krw } => {
            i18n::t_args(locale, "cond-income", &[("limit", &won(*limit_krw))])
        }
        WhatIf::AssetsAtMost { limit_krw } => i18n::t_args(locale, "crit-assets", &[("limit", &won(*limit_krw))]),
        WhatIf::Fact { fact, required: true } => fact_name(locale, *fact),
        WhatIf::Fact { fact, required: false } => {
            i18n::t_args(locale, "crit-not", &[("condition", &fact_name(locale, *fact))])
        }
        WhatIf::ChildrenAtLeast { min } => i18n::t_args(locale, "crit-children", &[("min", &min.to_string())]),
        WhatIf::YoungestChildAgeAtMost { max } => {
            i18n::t_args(locale, "crit-youngest-child", &[("max", &max.to_string())])
        }
        WhatIf::Receive { benefits } => {
            i18n::t_args(locale, "crit-receives", &[("benefits", &benefit_names(locale, *benefits))])
        }
        WhatIf::NotReceive { benefits } => {
            i18n::t_args(locale, "crit-receives-none", &[("benefits", &benefit_names(locale, *benefits))])
        }
        WhatIf::AnyOf { options } => {
            let list: Vec<String> = options.iter().map(|o| condition(locale, o)).collect();
            i18n::t_args(locale, "crit-any-of", &[("list", &list.join(" / "))])
        }
        WhatIf::AllOf { conditions } => conditions.iter().map(|o| condition(locale, o)).collect::<Vec<_>>().join(", "),
        WhatIf::Tell { needed } => needed.iter().map(|n| needed_name(locale, n)).collect::<Vec<_>>().join(", "),
    }
}

/// What would change the answer: "월 소득이 2,392,013원 이하이면 대상입니다" or "월 소득을 알려 주시면 확인할 수 있습니다".
pub fn what_if(locale: Locale, w: &WhatIf) -> String {
    match w {
        WhatIf::Tell { .. } => i18n::t_args(locale, "what-if-tell", &[("facts", &condition(locale, w))]),
        _ => i18n::t_args(locale, "what-if-meet", &[("condition", &condition(locale, w))]),
    }
}

/// Catalog key of a criterion's status.
pub fn status_key(status: Status) -> &'static str {
    match status {
        Status::Met => "status-met",
        Status::NotMet => "status-not-met",
        Status::Missing => "status-missing",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn income_what_ifs_read_as_the_brief_asks() {
        let w = WhatIf::IncomeAtMost { limit_krw: 2_392_013, household_size: 1, percent: 100 };
        assert_eq!(what_if(Locale::Ko, &w), "월 소득이 2,392,013원 이하이면 대상입니다.");
        assert_eq!(what_if(Locale::En, &w), "You would qualify with a monthly income of at most ₩2,392,013.");
    }

    #[test]
    fn missing_facts_say_what_to_tell() {
        let w = WhatIf::Tell { needed: vec![Needed::MonthlyIncome, Needed::Fact(Fact::SingleParent)] };
        assert_eq!(what_if(Locale::Ko, &w), "월 소득, 한부모가족 여부를 알려 주시면 확인할 수 있습니다.");
    }

    #[test]
    fn criteria_read_as_conditions() {
        assert_eq!(criterion(Locale::Ko, &Criterion::Age { min: Some(65), max: None }), "만 65세 이상");
        assert_eq!(
            criterion(Locale::Ko, &Criterion::IncomeAtMostPercentOfMedian { max_percent: 63 }),
            "월 소득이 기준 중위소득의 63% 이하"
        );
    }
}

//! The Korean taxonomies of the directory. Term ids are `taxonomy:code`, stable across instances, so exports and
//! imports between municipalities line up.

pub struct TaxonomyDef {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// (code, Korean name)
    pub terms: &'static [(&'static str, &'static str)],
}

pub const PROVIDER: &str = "provider";
pub const LIFE_STAGE: &str = "life_stage";
pub const HOUSEHOLD: &str = "household";
pub const THEME: &str = "theme";
pub const SUPPORT_TYPE: &str = "support_type";
pub const SUPPORT_CYCLE: &str = "support_cycle";

pub const DONATION: &str = "donation";

pub const TAXONOMIES: [TaxonomyDef; 7] = [
    TaxonomyDef {
        id: PROVIDER,
        name: "제공주체",
        description: "Who provides the service: central government, the municipality, or a private body",
        terms: &[("central", "중앙부처"), ("local", "지자체"), ("private", "민간")],
    },
    TaxonomyDef {
        id: LIFE_STAGE,
        name: "생애주기",
        description: "Stage of life the service is for (복지로 생애주기)",
        terms: &[
            ("pregnancy", "임신·출산"),
            ("infant", "영유아"),
            ("child", "아동"),
            ("youth", "청소년"),
            ("young_adult", "청년"),
            ("middle_age", "중장년"),
            ("senior", "노년"),
        ],
    },
    TaxonomyDef {
        id: HOUSEHOLD,
        name: "가구상황",
        description: "Household situation the service is for (복지로 가구상황)",
        terms: &[
            ("low_income", "저소득"),
            ("disability", "장애인"),
            ("single_parent", "한부모·조손"),
            ("multicultural", "다문화·탈북민"),
            ("many_children", "다자녀"),
            ("veteran", "보훈대상자"),
        ],
    },
    TaxonomyDef {
        id: THEME,
        name: "관심주제",
        description: "What the service is about (복지로 관심주제, with 돌봄 for care)",
        terms: &[
            ("living", "생활지원"),
            ("housing", "주거"),
            ("jobs", "일자리"),
            ("culture", "문화·여가"),
            ("safety", "안전·위기"),
            ("pregnancy", "임신·출산"),
            ("childcare", "보육"),
            ("education", "교육"),
            ("adoption", "입양·위탁"),
            ("care", "보호·돌봄"),
            ("finance", "서민금융"),
            ("legal", "법률"),
            ("energy", "에너지"),
            ("physical_health", "신체건강"),
            ("mental_health", "정신건강"),
        ],
    },
    TaxonomyDef {
        id: SUPPORT_TYPE,
        name: "지원형태",
        description: "The form support takes",
        terms: &[
            ("cash", "현금"),
            ("in_kind", "현물"),
            ("service", "서비스"),
            ("voucher", "이용권"),
            ("loan", "융자·대여"),
            ("reduction", "감면"),
            ("residential", "시설입소"),
            ("volunteering", "자원봉사"),
            ("other", "기타"),
        ],
    },
    TaxonomyDef {
        id: SUPPORT_CYCLE,
        name: "지원주기",
        description: "How often support is given",
        terms: &[
            ("once", "1회성"),
            ("weekly", "주"),
            ("monthly", "월"),
            ("quarterly", "분기"),
            ("half_yearly", "반기"),
            ("yearly", "년"),
            ("as_needed", "수시"),
        ],
    },
    TaxonomyDef {
        id: DONATION,
        name: "기부",
        description: "For donation programmes: how to give, and the tax benefit (the attribute's value holds the text)",
        terms: &[("how_to_give", "기부 방법"), ("tax_benefit", "세제 혜택")],
    },
];

pub fn term_id(taxonomy: &str, code: &str) -> String {
    format!("{taxonomy}:{code}")
}

/// The code of the term of `taxonomy` whose Korean name is `name` (spaces ignored: "임신 · 출산" is 임신·출산).
pub fn code_by_name(taxonomy: &str, name: &str) -> Option<&'static str> {
    let wanted: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    TAXONOMIES.iter().find(|t| t.id == taxonomy)?.terms.iter().find(|(_, n)| *n == wanted).map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_sources_find_their_terms() {
        assert_eq!(code_by_name(LIFE_STAGE, "임신 · 출산"), Some("pregnancy"));
        assert_eq!(code_by_name(HOUSEHOLD, "다문화·탈북민"), Some("multicultural"));
        assert_eq!(code_by_name(THEME, "보호·돌봄"), Some("care"));
        assert_eq!(code_by_name(THEME, "없는주제"), None);
    }

    #[test]
    fn codes_are_unique_within_each_taxonomy() {
        for t in TAXONOMIES {
            let mut codes: Vec<_> = t.terms.iter().map(|(c, _)| *c).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), t.terms.len(), "{}", t.id);
        }
    }
}

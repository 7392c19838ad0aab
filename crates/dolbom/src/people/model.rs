use chrono::NaiveDate;
use serde::Serialize;

/// `김민지` → `김*지`, `남궁민수` → `남**수`, `이솔` → `이*`: enough to tell rows apart, not enough to identify.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct HouseholdSummary {
    pub id: String,
    pub adm_cd2: String,
    pub area_name: String,
    /// Masked name of the head of household.
    pub head: String,
    pub members: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ResidentRecord {
    pub id: String,
    pub household_id: String,
    pub name: String,
    #[schema(value_type = String, format = Date)]
    pub birth_date: NaiveDate,
    /// 만 나이 today (Asia/Seoul).
    pub age: i32,
    pub sex: String,
    pub relation: String,
    pub phone: Option<String>,
    /// `YYMMDD-N******`; the full number is never shown.
    pub rrn_masked: Option<String>,
    pub address: String,
    pub adm_cd2: String,
    pub area_name: String,
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn names_keep_first_and_last_syllable() {
        assert_eq!(mask_name("김민지"), "김*지");
        assert_eq!(mask_name("남궁민수"), "남**수");
        assert_eq!(mask_name("이솔"), "이*");
        assert_eq!(mask_name("A"), "*");
        assert_eq!(mask_name(""), "");
    }
}

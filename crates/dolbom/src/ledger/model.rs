//! A link as staff enter it, checked at the edge: dates read, the period in order, the amount whole KRW.

use chrono::NaiveDate;

use crate::error::FieldErrors;

/// A link as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    pub household_id: String,
    #[serde(default)]
    pub service_id: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub amount_krw: String,
    #[serde(default)]
    pub in_kind: String,
    /// Why to go ahead although the same support overlaps.
    #[serde(default)]
    pub reason: String,
}

/// A checked link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLink {
    pub household_id: String,
    pub service_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub amount_krw: Option<i64>,
    pub in_kind: String,
    pub reason: String,
}

impl LinkForm {
    pub fn check(&self) -> Result<NewLink, FieldErrors> {
        let mut errors = FieldErrors::default();
        let date = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let (starts_on, ends_on) = (date(&self.starts_on), date(&self.ends_on));
        if starts_on.is_none() {
            errors.add("starts_on", "field-date-invalid");
        }
        if ends_on.is_none() {
            errors.add("ends_on", "field-date-invalid");
        }
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.add("ends_on", "ledger-error-period-reversed");
        }
        let amount = self.amount_krw.trim().replace(',', "");
        let amount_krw = if amount.is_empty() { None } else { amount.parse::<i64>().ok().filter(|n| *n >= 0) };
        if !amount.is_empty() && amount_krw.is_none() {
            errors.add("amount_krw", "ledger-error-amount");
        }
        if amount_krw.is_none() && self.in_kind.trim().is_empty() {
            errors.add("amount_krw", "ledger-error-nothing-given");
        }
        for (field, value) in [("household_id", &self.household_id), ("service_id", &self.service_id)] {
            if value.trim().is_empty() {
                errors.add(field, "field-required");
            }
        }
        let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else { return Err(errors) };
        errors.into_result(NewLink {
            household_id: self.household_id.trim().to_string(),
            service_id: self.service_id.trim().to_string(),
            starts_on,
            ends_on,
            amount_krw,
            in_kind: self.in_kind.trim().to_string(),
            reason: self.reason.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(starts: &str, ends: &str, amount: &str) -> LinkForm {
        LinkForm {
            household_id: "h".into(),
            service_id: "s".into(),
            starts_on: starts.into(),
            ends_on: ends.into(),
            amount_krw: amount.into(),
            ..LinkForm::default()
        }
    }

    #[test]
    fn a_period_must_run_forward_and_something_must_be_given() {
        let ok = form("2026-12-01", "2027-02-28", "100,000").check().unwrap();
        assert_eq!((ok.amount_krw, ok.ends_on.to_string()), (Some(100_000), "2027-02-28".to_string()));
        let reversed = form("2027-02-28", "2026-12-01", "100000").check().unwrap_err();
        assert_eq!(reversed.code("ends_on"), Some("ledger-error-period-reversed"));
        assert_eq!(
            form("2026-12-01", "2026-12-31", "-5").check().unwrap_err().code("amount_krw"),
            Some("ledger-error-amount")
        );
        assert_eq!(
            form("2026-12-01", "2026-12-31", "").check().unwrap_err().code("amount_krw"),
            Some("ledger-error-nothing-given")
        );
        assert_eq!(form("12/01", "2026-12-31", "1").check().unwrap_err().code("starts_on"), Some("field-date-invalid"));
    }
}

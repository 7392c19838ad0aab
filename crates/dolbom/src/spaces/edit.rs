//! A manager's form for a space, read into what the store saves: every field checked at once, each problem named
//! on its field. Pure, so every rule of the form is a unit test.

use serde::Deserialize;

use super::fees::{self, Exemption};
use super::rules::{Rules, WhoMayBook};
use super::store::{NewSpace, Space};
use crate::error::FieldErrors;
use crate::places::hours::{DAYS, Span, WeeklyHours};

pub const KINDS: [&str; 5] = ["community_room", "co_parenting", "hall", "study", "other"];
pub const SLOTS: [u16; 3] = [30, 60, 120];
pub const WHO: [&str; 3] = ["residents", "groups", "everyone"];

/// The form as typed. Hours are `09:00-18:00` per day (0 Monday … 6 Sunday, 7 public holidays), empty when closed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SpaceForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub adm_cd2: String,
    #[serde(default)]
    pub address: String,
    /// The point on the map; empty for the middle of the 행정동.
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub equipment: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub slot_minutes: String,
    #[serde(default)]
    pub max_booking_minutes: String,
    #[serde(default)]
    pub max_week_hours: String,
    #[serde(default)]
    pub who_may_book: String,
    #[serde(default)]
    pub needs_approval: String,
    #[serde(default)]
    pub fee_krw_per_hour: String,
    #[serde(default)]
    pub fee_exempt: Vec<String>,
    #[serde(default)]
    pub cancel_hours: String,
    #[serde(default)]
    pub hours: Vec<String>,
}

/// A space as its manager's form leaves it, owned until saved.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub name: String,
    pub kind: String,
    pub adm_cd2: String,
    pub address: String,
    /// Typed on the form; `None` leaves it to the 행정동.
    pub point: Option<(f64, f64)>,
    pub capacity: i32,
    pub equipment: String,
    pub accessibility: String,
    pub description: String,
    pub fee_exempt: String,
    pub rules: Rules,
    pub hours: WeeklyHours,
}

impl Draft {
    /// What the store saves, at the point on the map given.
    pub fn to_new<'a>(&'a self, organization_id: Option<&'a str>, (lat, lon): (f64, f64)) -> NewSpace<'a> {
        NewSpace {
            organization_id,
            name: &self.name,
            kind: &self.kind,
            adm_cd2: &self.adm_cd2,
            address: &self.address,
            lat,
            lon,
            capacity: self.capacity,
            equipment: &self.equipment,
            accessibility: &self.accessibility,
            description: &self.description,
            fee_exempt: &self.fee_exempt,
            rules: self.rules.clone(),
        }
    }
}

impl SpaceForm {
    pub fn from_space(s: &Space) -> SpaceForm {
        let r = &s.rules;
        SpaceForm {
            name: s.name.clone(),
            kind: s.kind.clone(),
            adm_cd2: s.adm_cd2.clone(),
            address: s.address.clone(),
            lat: format!("{:.6}", s.lat),
            lon: format!("{:.6}", s.lon),
            capacity: s.capacity.to_string(),
            equipment: s.equipment.clone(),
            accessibility: s.accessibility.clone(),
            description: s.description.clone(),
            slot_minutes: r.slot_minutes.to_string(),
            max_booking_minutes: r.max_booking_minutes.to_string(),
            max_week_hours: (r.max_week_minutes / 60).to_string(),
            who_may_book: r.who_may_book.as_str().to_string(),
            needs_approval: if r.needs_approval { "1".into() } else { String::new() },
            fee_krw_per_hour: r.fee_krw_per_hour.to_string(),
            fee_exempt: fees::parse_list(&s.fee_exempt).into_iter().map(|e| e.code().to_string()).collect(),
            cancel_hours: r.cancel_hours.to_string(),
            hours: s.hours.0.iter().map(|h| h.map(|s| s.label().replace('–', "-")).unwrap_or_default()).collect(),
        }
    }

    /// A new space's form: open weekdays 09:00–18:00, hour slots, three hours a booking, six a week.
    pub fn blank() -> SpaceForm {
        let mut hours = vec!["09:00-18:00".to_string(); 5];
        hours.resize(DAYS, String::new());
        SpaceForm {
            kind: "community_room".into(),
            capacity: "10".into(),
            slot_minutes: "60".into(),
            max_booking_minutes: "180".into(),
            max_week_hours: "6".into(),
            who_may_book: "residents".into(),
            fee_krw_per_hour: "0".into(),
            cancel_hours: "24".into(),
            hours,
            ..SpaceForm::default()
        }
    }

    pub fn hour(&self, day: &usize) -> &str {
        self.hours.get(*day).map(String::as_str).unwrap_or_default()
    }

    pub fn grants(&self, e: &Exemption) -> bool {
        self.fee_exempt.iter().any(|c| c == e.code())
    }

    /// The space the form describes, or every field that is wrong. `is_area` says whether a 행정동 code is ours.
    pub fn read(&self, is_area: impl Fn(&str) -> bool) -> Result<Draft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = |errors: &mut FieldErrors, field: &'static str, value: &str, max: usize| {
            let value = value.trim();
            if value.chars().count() > max {
                errors.add(field, "field-text-too-long");
            }
            value.to_string()
        };
        let name = text(&mut errors, "name", &self.name, 100);
        let address = text(&mut errors, "address", &self.address, 200);
        for (field, value) in [("name", &name), ("address", &address)] {
            if value.is_empty() {
                errors.add(field, "field-required");
            }
        }
        if !KINDS.contains(&self.kind.as_str()) {
            errors.add("kind", "field-choice-invalid");
        }
        if !is_area(&self.adm_cd2) {
            errors.add("adm_cd2", "field-choice-invalid");
        }
        let number =
            |errors: &mut FieldErrors, field: &'static str, value: &str, range: std::ops::RangeInclusive<i64>| {
                match value.trim().replace(',', "").parse::<i64>() {
                    Ok(n) if range.contains(&n) => Some(n),
                    _ => {
                        errors.add(field, "field-number-invalid");
                        None
                    }
                }
            };
        let capacity = number(&mut errors, "capacity", &self.capacity, 1..=2_000);
        let slot = number(&mut errors, "slot_minutes", &self.slot_minutes, 30..=120)
            .map(|n| n as u16)
            .filter(|n| SLOTS.contains(n));
        if slot.is_none() && !errors.has("slot_minutes") {
            errors.add("slot_minutes", "field-choice-invalid");
        }
        let longest = number(&mut errors, "max_booking_minutes", &self.max_booking_minutes, 30..=1_440);
        let week = number(&mut errors, "max_week_hours", &self.max_week_hours, 1..=168);
        let fee = number(&mut errors, "fee_krw_per_hour", &self.fee_krw_per_hour, 0..=1_000_000);
        let cancel = number(&mut errors, "cancel_hours", &self.cancel_hours, 0..=720);
        if let (Some(slot), Some(longest)) = (slot, longest)
            && longest % i64::from(slot) != 0
        {
            errors.add("max_booking_minutes", "space-error-edit-grid");
        }
        if let (Some(longest), Some(week)) = (longest, week)
            && week * 60 < longest
        {
            errors.add("max_week_hours", "space-error-edit-week");
        }
        let who = WhoMayBook::parse(&self.who_may_book);
        if who.is_none() {
            errors.add("who_may_book", "field-choice-invalid");
        }
        let mut granted = Vec::new();
        for code in &self.fee_exempt {
            match Exemption::parse(code) {
                Some(e) => granted.push(e),
                None => errors.add("fee_exempt", "field-choice-invalid"),
            }
        }
        let hours = self.read_hours(&mut errors, slot.unwrap_or(30));
        let point = self.read_point(&mut errors);
        let (Some(capacity), Some(slot), Some(longest), Some(week), Some(fee), Some(cancel), Some(who)) =
            (capacity, slot, longest, week, fee, cancel, who)
        else {
            return Err(errors);
        };
        let rules = Rules {
            slot_minutes: slot,
            max_booking_minutes: longest as u16,
            max_week_minutes: (week * 60) as u32,
            who_may_book: who,
            needs_approval: self.needs_approval == "1",
            fee_krw_per_hour: fee,
            cancel_hours: cancel as u32,
        };
        let draft = Draft {
            name,
            kind: self.kind.clone(),
            adm_cd2: self.adm_cd2.clone(),
            address,
            point,
            capacity: capacity as i32,
            equipment: text(&mut errors, "equipment", &self.equipment, 500),
            accessibility: text(&mut errors, "accessibility", &self.accessibility, 500),
            description: text(&mut errors, "description", &self.description, 2_000),
            fee_exempt: fees::to_stored(&granted),
            rules,
            hours,
        };
        errors.into_result(draft)
    }

    /// Both coordinates or neither; within Korea.
    fn read_point(&self, errors: &mut FieldErrors) -> Option<(f64, f64)> {
        let (lat, lon) = (self.lat.trim(), self.lon.trim());
        if lat.is_empty() && lon.is_empty() {
            return None;
        }
        let lat = lat.parse::<f64>().ok().filter(|v| (33.0..=39.0).contains(v));
        let lon = lon.parse::<f64>().ok().filter(|v| (124.0..=132.0).contains(v));
        if lat.is_none() {
            errors.add("lat", "space-error-edit-point");
        }
        if lon.is_none() {
            errors.add("lon", "space-error-edit-point");
        }
        lat.zip(lon)
    }

    /// Opening hours on the slot grid (a slot must fit between opening and closing).
    fn read_hours(&self, errors: &mut FieldErrors, slot: u16) -> WeeklyHours {
        let mut days = [None; DAYS];
        for (day, out) in days.iter_mut().enumerate() {
            let typed = self.hour(&day).trim();
            if typed.is_empty() {
                continue;
            }
            match Span::parse(typed) {
                Ok(span) if span.opens % slot == 0 && span.closes % slot == 0 => *out = Some(span),
                Ok(_) => errors.add(format!("hours-{day}"), "space-error-edit-hours-grid"),
                Err(_) => errors.add(format!("hours-{day}"), "place-error-hours"),
            }
        }
        if days.iter().all(Option::is_none) && !errors.0.iter().any(|e| e.field.starts_with("hours-")) {
            errors.add("hours-0", "space-error-edit-no-hours");
        }
        WeeklyHours(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(code: &str) -> bool {
        code == "1135056000"
    }

    fn filled() -> SpaceForm {
        SpaceForm {
            name: " 월계동 나눔터 ".into(),
            adm_cd2: "1135056000".into(),
            address: "월계로 1".into(),
            fee_exempt: vec!["senior".into(), "disability".into()],
            fee_krw_per_hour: "5,000".into(),
            ..SpaceForm::blank()
        }
    }

    #[test]
    fn a_filled_form_reads_into_the_space_and_its_rules() {
        let d = filled().read(ours).unwrap();
        assert_eq!(d.name, "월계동 나눔터");
        assert_eq!((d.rules.slot_minutes, d.rules.max_booking_minutes, d.rules.max_week_minutes), (60, 180, 360));
        assert_eq!((d.rules.fee_krw_per_hour, d.fee_exempt.as_str()), (5_000, "disability,senior"));
        assert_eq!(d.hours.0[0].map(|s| (s.opens, s.closes)), Some((540, 1080)));
        assert!(d.hours.0[5].is_none(), "closed on Saturdays unless typed");
        assert_eq!(d.point, None, "the middle of the 행정동 unless typed");
        let typed: Vec<String> =
            d.hours.0.iter().map(|h| h.map(|s| s.label().replace('–', "-")).unwrap_or_default()).collect();
        assert_eq!(typed, filled().hours, "the hours read back as typed");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let mut f = filled();
        f.name = " ".into();
        f.kind = "bar".into();
        f.adm_cd2 = "2611051000".into();
        f.capacity = "0".into();
        f.slot_minutes = "45".into();
        f.max_week_hours = "many".into();
        f.fee_exempt = vec!["everyone".into()];
        f.hours[1] = "아침".into();
        f.lat = "37.6".into();
        let e = f.read(ours).unwrap_err();
        for (field, code) in [
            ("name", "field-required"),
            ("kind", "field-choice-invalid"),
            ("adm_cd2", "field-choice-invalid"),
            ("capacity", "field-number-invalid"),
            ("slot_minutes", "field-choice-invalid"),
            ("max_week_hours", "field-number-invalid"),
            ("fee_exempt", "field-choice-invalid"),
            ("hours-1", "place-error-hours"),
            ("lon", "space-error-edit-point"),
        ] {
            assert_eq!(e.code(field), Some(code), "{field}");
        }
    }

    #[test]
    fn rules_that_cannot_be_booked_are_refused() {
        let mut f = filled();
        f.max_booking_minutes = "90".into();
        f.max_week_hours = "1".into();
        f.hours[0] = "09:30-18:00".into();
        let e = f.read(ours).unwrap_err();
        assert_eq!(e.code("max_booking_minutes"), Some("space-error-edit-grid"));
        assert_eq!(e.code("max_week_hours"), Some("space-error-edit-week"));
        assert_eq!(e.code("hours-0"), Some("space-error-edit-hours-grid"));
        let mut closed = filled();
        closed.hours = vec![String::new(); DAYS];
        assert_eq!(closed.read(ours).unwrap_err().code("hours-0"), Some("space-error-edit-no-hours"));
    }
}

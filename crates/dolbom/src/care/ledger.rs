//! The matcher's ledger: the care promised so far (a facility's places used per day and clock hour, a caregiver's
//! booked times and weekly minutes) and the rules a provider must keep to take one more application.

use std::collections::HashMap;

use chrono::{Datelike, Duration, IsoWeek, NaiveDate};

use super::matcher::{Booking, Need, Provider, ProviderKind, Reason};
use crate::places::hours::WeeklyHours;

pub(super) fn days_of(need: &Need) -> impl Iterator<Item = NaiveDate> + '_ {
    (0..need.days.max(1)).map(move |i| need.first_day + Duration::days(i64::from(i)))
}

/// Whether the hours (a facility's opening, a caregiver's availability) cover the care asked on every day.
fn covers(hours: &WeeklyHours, need: &Need) -> bool {
    days_of(need).all(|day| {
        let span = hours.span_on(day.and_hms_opt(12, 0, 0).unwrap_or_default());
        span.is_some_and(|s| s.opens <= need.start && need.end <= s.closes)
    })
}

/// Care promised so far: a facility's places used per day and hour, a caregiver's booked times and weekly minutes.
pub(super) struct Ledger {
    used: HashMap<(usize, NaiveDate, u8), u32>,
    busy: HashMap<usize, Vec<(NaiveDate, u16, u16)>>,
    weekly: HashMap<(usize, IsoWeek), u32>,
}

impl Ledger {
    pub(super) fn new(providers: &[Provider], booked: &[Booking]) -> Ledger {
        let mut ledger = Ledger { used: HashMap::new(), busy: HashMap::new(), weekly: HashMap::new() };
        for b in booked.iter().filter(|b| b.provider < providers.len()) {
            ledger.add(providers, b.provider, b.day, b.start, b.end);
        }
        ledger
    }

    fn add(&mut self, providers: &[Provider], p: usize, day: NaiveDate, start: u16, end: u16) {
        match providers[p].kind {
            ProviderKind::Facility { .. } => {
                for hour in hours(start, end) {
                    *self.used.entry((p, day, hour)).or_default() += 1;
                }
            }
            ProviderKind::Caregiver { .. } => {
                self.busy.entry(p).or_default().push((day, start, end));
                *self.weekly.entry((p, day.iso_week())).or_default() += u32::from(end.saturating_sub(start));
            }
        }
    }

    pub(super) fn book(&mut self, providers: &[Provider], p: usize, need: &Need) {
        for day in days_of(need) {
            self.add(providers, p, day, need.start, need.end);
        }
    }

    /// How many more applications like this one the provider can take, or the first rule that stops it.
    pub(super) fn room(&self, provider: &Provider, p: usize, need: &Need) -> Result<u32, Reason> {
        if need.refused_by.contains(&provider.id) {
            return Err(Reason::Declined);
        }
        match &provider.kind {
            ProviderKind::Facility { kind, min_age_months, max_age_months, places } => {
                if !need.service.rules().facility_kinds.contains(&kind.as_str()) {
                    return Err(Reason::OtherService);
                }
                if !(*min_age_months..=*max_age_months).contains(&need.age_months) {
                    return Err(Reason::Age);
                }
                if !covers(&provider.hours, need) {
                    return Err(Reason::Closed);
                }
                let most_used = days_of(need)
                    .flat_map(|day| hours(need.start, need.end).map(move |h| (day, h)))
                    .map(|(day, h)| self.used.get(&(p, day, h)).copied().unwrap_or(0))
                    .max()
                    .unwrap_or(0);
                match places.saturating_sub(most_used) {
                    0 => Err(Reason::Full),
                    room => Ok(room),
                }
            }
            ProviderKind::Caregiver { sex, languages, qualifications, weekly_limit_minutes } => {
                if !need.requires.iter().all(|q| qualifications.iter().any(|h| h == q)) {
                    return Err(Reason::Qualification);
                }
                let sex_ok = need.caregiver_sex.as_ref().is_none_or(|s| s == sex);
                let language_ok = need.language.as_ref().is_none_or(|l| languages.contains(l));
                if !sex_ok || !language_ok {
                    return Err(Reason::Preference);
                }
                if !covers(&provider.hours, need) {
                    return Err(Reason::Closed);
                }
                let busy = self.busy.get(&p).map_or(&[][..], Vec::as_slice);
                // By clock hour, as the database holds a caregiver's time: 09:00–10:30 and 10:30–12:00 share 10 o'clock.
                let asked: Vec<u8> = hours(need.start, need.end).collect();
                let overlaps = days_of(need)
                    .any(|day| busy.iter().any(|&(d, s, e)| d == day && hours(s, e).any(|h| asked.contains(&h))));
                if overlaps {
                    return Err(Reason::Busy);
                }
                let minutes = u32::from(need.end.saturating_sub(need.start));
                let over = days_of(need).any(|day| {
                    let week = self.weekly.get(&(p, day.iso_week())).copied().unwrap_or(0);
                    week + minutes * days_in_week(need, day.iso_week()) > *weekly_limit_minutes
                });
                if over { Err(Reason::Workload) } else { Ok(1) }
            }
        }
    }
}

fn days_in_week(need: &Need, week: IsoWeek) -> u32 {
    days_of(need).filter(|d| d.iso_week() == week).count() as u32
}

/// The clock hours a span of minutes touches: 18:30–20:00 uses the 18 and 19 o'clock places.
pub(super) fn hours(start: u16, end: u16) -> impl Iterator<Item = u8> {
    super::hold_store::clock_hours(i32::from(start), i32::from(end)).map(|h| h as u8)
}

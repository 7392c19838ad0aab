//! What a query asks of a facility, compiled once per query, against a compact copy of each facility's facts
//! (a few integers, no strings, no holiday look-up per facility), so checking a candidate costs a few comparisons.

use chrono::{Datelike, NaiveDateTime, Timelike};

use super::hours::{DAYS, HOLIDAY};
use super::index::PlaceQuery;
use super::model::{FACILITY_KINDS, Facility, LANGUAGES};
use crate::calendar;

/// The facts of a facility the filters look at first: nine bytes of data, kept as columns in [`Keys`].
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub kind: u8,
    pub free: bool,
    pub languages: u8,
    pub dong: u16,
    pub min_age: u16,
    pub max_age: u16,
}

/// The keys of many facilities, a column per fact, so a scan tests 64 at a time in a loop the compiler vectorises.
#[derive(Debug, Default)]
pub struct Keys {
    free: Vec<bool>,
    languages: Vec<u8>,
    dong: Vec<u16>,
    min_age: Vec<u16>,
    max_age: Vec<u16>,
}

impl Keys {
    pub fn push(&mut self, k: &Key) {
        self.free.push(k.free);
        self.languages.push(k.languages);
        self.dong.push(k.dong);
        self.min_age.push(k.min_age);
        self.max_age.push(k.max_age);
    }

    pub fn swap_remove(&mut self, i: usize) {
        self.free.swap_remove(i);
        self.languages.swap_remove(i);
        self.dong.swap_remove(i);
        self.min_age.swap_remove(i);
        self.max_age.swap_remove(i);
    }

    pub fn len(&self) -> usize {
        self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.free.is_empty()
    }
}

/// Per day (0 Monday … 6 Sunday, 7 holidays): opens, closes in minutes; (0, 0) when closed. Kept apart from
/// [`Key`] and read only for facilities that passed every other filter.
pub type Hours = [(u16, u16); DAYS];

pub fn hours_of(f: &Facility) -> Hours {
    let mut hours = [(0, 0); DAYS];
    for (day, span) in f.hours.0.iter().enumerate() {
        if let Some(s) = span {
            hours[day] = (s.opens, s.closes);
        }
    }
    hours
}

pub fn kind_index(kind: &str) -> Option<usize> {
    FACILITY_KINDS.iter().position(|k| *k == kind)
}

fn language_mask<'a>(codes: impl IntoIterator<Item = &'a String>) -> u8 {
    codes.into_iter().filter_map(|c| LANGUAGES.iter().position(|l| l == c)).fold(0, |mask, i| mask | (1 << i))
}

impl Key {
    pub fn of(f: &Facility, dong: u16) -> Key {
        let months = |m: i32| m.clamp(0, u16::MAX as i32) as u16;
        Key {
            kind: kind_index(&f.kind).unwrap_or(0) as u8,
            free: f.vacancies().is_some_and(|v| v > 0),
            languages: language_mask(&f.languages),
            dong,
            min_age: months(f.min_age_months),
            max_age: months(f.max_age_months),
        }
    }
}

/// A query's filters in the form [`Key`] is checked against.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub kinds: u16,
    pub dong: Option<u16>,
    pub age: Option<u16>,
    pub vacancy: bool,
    /// (row of the hours table, minute of the day).
    pub open: Option<(usize, u16)>,
    pub language: u8,
}

impl Filter {
    /// `dong_id` turns a 행정동 code into the index's number for it (`None`: no facility there).
    pub fn compile(q: &PlaceQuery, dong_id: impl Fn(&str) -> Option<u16>) -> Filter {
        let kinds = if q.kinds.is_empty() {
            u16::MAX
        } else {
            q.kinds.iter().filter_map(|k| kind_index(k)).fold(0, |mask, i| mask | (1 << i))
        };
        Filter {
            kinds,
            dong: q.dong.as_deref().map(|d| dong_id(d).unwrap_or(u16::MAX)),
            age: q.age_months.map(|m| m.clamp(0, u16::MAX as i32) as u16),
            vacancy: q.vacancy,
            open: q.open_at.map(row_and_minute),
            language: q.language.as_ref().map(|l| language_mask([l])).unwrap_or(0),
        }
    }

    pub fn wants_kind(&self, kind: usize) -> bool {
        self.kinds & (1 << kind) != 0
    }

    /// Bit `i` is set when key `start + i` passes every test but the kind (the caller picked the type) and the
    /// hours; 64 keys at most.
    pub fn admitted_block(&self, keys: &Keys, start: usize) -> u64 {
        let end = (start + 64).min(keys.len());
        let (age_lo, age_hi) = self.age.map_or((0, u16::MAX), |a| (a, a));
        let (any_dong, dong) = (self.dong.is_none(), self.dong.unwrap_or(0));
        let (any_language, language, any_vacancy) = (self.language == 0, self.language, !self.vacancy);
        let columns = keys.free[start..end]
            .iter()
            .zip(&keys.languages[start..end])
            .zip(&keys.dong[start..end])
            .zip(keys.min_age[start..end].iter().zip(&keys.max_age[start..end]));
        let mut mask = 0u64;
        for (i, (((free, languages), d), (min, max))) in columns.enumerate() {
            let ok = (any_vacancy | *free)
                & (*min <= age_hi)
                & (age_lo <= *max)
                & (any_dong | (*d == dong))
                & (any_language | (*languages & language != 0));
            mask |= u64::from(ok) << i;
        }
        mask
    }

    /// The same test for one key (a walk's candidate).
    pub fn admits_at(&self, keys: &Keys, i: usize) -> bool {
        let (age_lo, age_hi) = self.age.map_or((0, u16::MAX), |a| (a, a));
        (!self.vacancy || keys.free[i])
            && keys.min_age[i] <= age_hi
            && age_lo <= keys.max_age[i]
            && self.dong.is_none_or(|d| d == keys.dong[i])
            && (self.language == 0 || keys.languages[i] & self.language != 0)
    }

    pub fn admits_hours(&self, hours: &Hours) -> bool {
        self.open.is_none_or(|(day, minute)| {
            let (opens, closes) = hours[day];
            opens <= minute && minute < closes
        })
    }
}

/// Which row of the hours table applies at that local time (holidays first), and the minute of the day.
fn row_and_minute(at: NaiveDateTime) -> (usize, u16) {
    let day = if calendar::is_holiday(at.date()) { HOLIDAY } else { at.weekday().num_days_from_monday() as usize };
    (day, (at.hour() * 60 + at.minute()) as u16)
}

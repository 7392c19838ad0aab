//! A record read for comparison, and the comparison of two: a level per field, packed into one pattern number so
//! that the model is fitted on pattern counts, not on millions of pairs.

use crate::fields::{self, AddressLevel, DateLevel, PhoneLevel};
use crate::names::{self, Name};

/// One agency's line about a person, as given.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub record_id: String,
    pub source: String,
    pub name: String,
    pub birth_date: String,
    pub phone: String,
    pub address: String,
}

/// A record read into comparable fields.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    pub name: Name,
    pub birth: Option<[u8; 8]>,
    pub phone: Option<String>,
    pub address: Vec<u64>,
}

impl Prepared {
    pub fn of(r: &Record) -> Prepared {
        Prepared {
            name: Name::parse(&r.name),
            birth: fields::birth_date(&r.birth_date),
            phone: fields::phone(&r.phone),
            address: fields::address(&r.address),
        }
    }
}

/// Levels per field: name 0–5, date 0–3, phone 0–2, address 0–2; the last level of date, phone and address is
/// "missing on one side".
pub const NAME_LEVELS: usize = 6;
pub const DATE_LEVELS: usize = 5;
pub const PHONE_LEVELS: usize = 4;
pub const ADDRESS_LEVELS: usize = 4;
pub const PATTERNS: usize = NAME_LEVELS * DATE_LEVELS * PHONE_LEVELS * ADDRESS_LEVELS;
/// The fields and their level counts, in pattern order.
pub const FIELDS: [usize; 4] = [NAME_LEVELS, DATE_LEVELS, PHONE_LEVELS, ADDRESS_LEVELS];

/// How alike two names are: 5 the same Hangul, 4 the same sound (one of them romanised), 3 one jamo apart, 2 a
/// close sound with the same surname or two jamo apart, 1 the same surname or given name only, 0 nothing alike.
/// A mistyped jamo and a romanisation are separate levels: they happen at different rates.
pub fn name_level(a: &Name, b: &Name) -> usize {
    let same_surname = names::same_surname(a, b);
    if let (Some(x), Some(y)) = (&a.hangul, &b.hangul) {
        if x == y {
            return 5;
        }
        let jamo = jamo_distance(&a.jamo, &b.jamo);
        if jamo <= 1 {
            return 3;
        }
        if jamo == 2 && same_surname {
            return 2;
        }
    } else if same_surname && !a.given.is_empty() && a.given == b.given {
        return 4;
    }
    if same_surname && strsim::jaro_winkler(&a.given, &b.given) >= 0.9 {
        return 2;
    }
    if same_surname || (!a.given.is_empty() && a.given == b.given) { 1 } else { 0 }
}

/// Levenshtein distance over jamo, stopping early past 2 (only 0, 1, 2 and "more" matter).
fn jamo_distance(a: &Vec<char>, b: &Vec<char>) -> usize {
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    strsim::generic_levenshtein(a, b).min(3)
}

/// The pattern of two prepared records.
pub fn pattern(a: &Prepared, b: &Prepared) -> u16 {
    let name = name_level(&a.name, &b.name);
    let date = match (&a.birth, &b.birth) {
        (Some(x), Some(y)) => fields::compare_dates(x, y) as usize,
        _ => DATE_LEVELS - 1,
    };
    let phone = match (&a.phone, &b.phone) {
        (Some(x), Some(y)) => fields::compare_phones(x, y) as usize,
        _ => PHONE_LEVELS - 1,
    };
    let address = if a.address.is_empty() || b.address.is_empty() {
        ADDRESS_LEVELS - 1
    } else {
        fields::compare_addresses(&a.address, &b.address) as usize
    };
    (((name * DATE_LEVELS + date) * PHONE_LEVELS + phone) * ADDRESS_LEVELS + address) as u16
}

/// The levels a pattern packs, in [`FIELDS`] order.
pub fn levels(pattern: u16) -> [usize; 4] {
    let p = pattern as usize;
    [
        p / (DATE_LEVELS * PHONE_LEVELS * ADDRESS_LEVELS),
        p / (PHONE_LEVELS * ADDRESS_LEVELS) % DATE_LEVELS,
        p / ADDRESS_LEVELS % PHONE_LEVELS,
        p % ADDRESS_LEVELS,
    ]
}

/// Whether a field's level is "missing on one side" (the name has no such level: an empty name is unlike).
pub fn is_missing(field: usize, level: usize) -> bool {
    field > 0 && level == FIELDS[field] - 1
}

// The enums' numbering is the level numbering above.
const _: () = assert!(DateLevel::Same as usize == DATE_LEVELS - 2);
const _: () = assert!(PhoneLevel::Same as usize == PHONE_LEVELS - 2);
const _: () = assert!(AddressLevel::Same as usize == ADDRESS_LEVELS - 2);

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(name: &str, birth: &str, phone: &str, address: &str) -> Prepared {
        Prepared::of(&Record {
            name: name.into(),
            birth_date: birth.into(),
            phone: phone.into(),
            address: address.into(),
            ..Record::default()
        })
    }

    #[test]
    fn a_pattern_packs_each_fields_level() {
        let a = rec("김민수", "1985-03-07", "010-1234-5678", "서울특별시 노원구 동일로 1414");
        let b = rec("KIM MINSU", "850307", "", "서울특별시 노원구 동일로 1414");
        assert_eq!(levels(pattern(&a, &b)), [4, 3, 3, 2], "romanised name, same date, phone missing, same address");
        let typo = rec("김민슈", "1985-03-01", "010-1234-5679", "부산광역시 해운대구 해운대로 1");
        assert_eq!(levels(pattern(&a, &typo)), [3, 2, 1, 0]);
        assert_eq!(name_level(&a.name, &rec("이민수", "", "", "").name), 1, "the given name only");
        assert_eq!(name_level(&a.name, &rec("박지영", "", "", "").name), 0);
        assert!(is_missing(2, 3) && !is_missing(0, 5));
    }
}

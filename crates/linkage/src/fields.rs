//! Birth dates, phones and addresses as agencies write them, read into forms that compare.

/// A birth date as its eight digits `yyyymmdd`, read from 1985-03-07, 1985.3.7, 1985/03/07, 19850307, 850307 or
/// 1985년 3월 7일. Not checked against the calendar: a typo'd 1985-02-30 still compares digit by digit.
pub fn birth_date(raw: &str) -> Option<[u8; 8]> {
    let groups: Vec<&str> = raw.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let (year, month, day): (u32, u32, u32) = match groups.as_slice() {
        [all] if all.len() == 8 => (all[..4].parse().ok()?, all[4..6].parse().ok()?, all[6..].parse().ok()?),
        [all] if all.len() == 6 => (century(all[..2].parse().ok()?), all[2..4].parse().ok()?, all[4..].parse().ok()?),
        [y, m, d] => {
            let y: u32 = y.parse().ok()?;
            (if y < 100 { century(y) } else { y }, m.parse().ok()?, d.parse().ok()?)
        }
        _ => return None,
    };
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let text = format!("{year:04}{month:02}{day:02}");
    let mut digits = [0u8; 8];
    for (d, c) in digits.iter_mut().zip(text.bytes()) {
        *d = c - b'0';
    }
    Some(digits)
}

/// Two-digit years: the recipients of welfare lists are born from the 1920s on, so 00–29 are 2000s.
fn century(yy: u32) -> u32 {
    if yy < 30 { 2000 + yy } else { 1900 + yy }
}

/// How close two birth dates are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateLevel {
    Different = 0,
    SameYear = 1,
    /// One digit mistyped, two neighbours swapped, or month and day swapped.
    Typo = 2,
    Same = 3,
}

pub fn compare_dates(a: &[u8; 8], b: &[u8; 8]) -> DateLevel {
    if a == b {
        return DateLevel::Same;
    }
    let differing: Vec<usize> = (0..8).filter(|&i| a[i] != b[i]).collect();
    let swapped_neighbours = matches!(differing.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i]);
    let month_day_swapped = a[..4] == b[..4] && a[4..6] == b[6..8] && a[6..8] == b[4..6];
    if differing.len() == 1 || swapped_neighbours || month_day_swapped {
        DateLevel::Typo
    } else if a[..4] == b[..4] {
        DateLevel::SameYear
    } else {
        DateLevel::Different
    }
}

/// A phone as its digits in the national form (+82 10-1234-5678 → 01012345678); `None` with fewer than 9 digits.
pub fn phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("82") {
        Some(rest) if raw.trim_start().starts_with('+') || digits.len() > 11 => format!("0{rest}"),
        _ => digits,
    };
    (national.len() >= 9).then_some(national)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhoneLevel {
    Different = 0,
    Typo = 1,
    Same = 2,
}

pub fn compare_phones(a: &str, b: &str) -> PhoneLevel {
    if a == b {
        return PhoneLevel::Same;
    }
    let differing = a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1;
    if differing { PhoneLevel::Typo } else { PhoneLevel::Different }
}

/// An address as its normalised words (시·구 names, road, building number), hashed for quick comparison.
pub fn address(raw: &str) -> Vec<u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let normal = korean::normalize_address(raw);
    let mut words: Vec<u64> = normal
        .split_whitespace()
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AddressLevel {
    Different = 0,
    Near = 1,
    Same = 2,
}

/// Shared words over all words (both sorted).
pub fn compare_addresses(a: &[u64], b: &[u64]) -> AddressLevel {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let all = a.len() + b.len() - shared;
    match shared * 10 / all.max(1) {
        8.. => AddressLevel::Same,
        3.. => AddressLevel::Near,
        _ => AddressLevel::Different,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usual_way_of_writing_a_birth_date_reads_the_same() {
        let want = birth_date("1985-03-07").unwrap();
        for raw in ["1985.3.7", "1985/03/07", "19850307", "850307", "1985년 3월 7일", " 1985. 03. 07. "] {
            assert_eq!(birth_date(raw), Some(want), "{raw}");
        }
        assert_eq!(birth_date("120315").unwrap()[..4], [2, 0, 1, 2]);
        for bad in ["", "1985-13-01", "abc", "1985-03", "123"] {
            assert_eq!(birth_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn typos_in_dates_are_told_from_other_dates() {
        let d = |s| birth_date(s).unwrap();
        assert_eq!(compare_dates(&d("1985-03-07"), &d("1985-03-07")), DateLevel::Same);
        assert_eq!(compare_dates(&d("1985-03-07"), &d("1985-03-01")), DateLevel::Typo);
        assert_eq!(compare_dates(&d("1985-03-07"), &d("1958-03-07")), DateLevel::Typo, "neighbours swapped");
        assert_eq!(compare_dates(&d("1985-03-07"), &d("1985-07-03")), DateLevel::Typo, "month and day swapped");
        assert_eq!(compare_dates(&d("1985-03-07"), &d("1985-11-20")), DateLevel::SameYear);
        assert_eq!(compare_dates(&d("1985-03-07"), &d("1972-11-20")), DateLevel::Different);
    }

    #[test]
    fn phones_in_any_format_meet() {
        let want = Some("01012345678".to_string());
        for raw in ["010-1234-5678", "010 1234 5678", "+82 10-1234-5678", "(010)1234.5678", "821012345678"] {
            assert_eq!(phone(raw), want, "{raw}");
        }
        assert_eq!(phone("02-123"), None);
        assert_eq!(compare_phones("01012345678", "01012345679"), PhoneLevel::Typo);
        assert_eq!(compare_phones("01012345678", "01098765432"), PhoneLevel::Different);
    }

    #[test]
    fn addresses_compare_by_their_normalised_words() {
        let a = address("서울특별시 노원구 동일로 1414");
        assert_eq!(compare_addresses(&a, &address("서울 노원구 동일로 1414")), AddressLevel::Same);
        assert_eq!(compare_addresses(&a, &address("서울특별시 노원구 상계로 70")), AddressLevel::Near);
        assert_eq!(compare_addresses(&a, &address("부산광역시 해운대구 해운대로 1")), AddressLevel::Different);
    }
}

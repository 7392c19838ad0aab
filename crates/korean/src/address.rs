//! Matching keys for Korean addresses.

use unicode_normalization::UnicodeNormalization;

use crate::normalize::{collapse_whitespace, fullwidth_to_ascii, is_invisible};

/// What residents write for Seoul at the start of an address, all meaning 서울특별시.
const SEOUL_SHORT_FORMS: [&str; 2] = ["서울", "서울시"];
const SEOUL_OFFICIAL: &str = "서울특별시";

/// Unit words written after a number; "101 호" and "101호" must compare equal.
const NUMBER_UNITS: [&str; 4] = ["번지", "호", "동", "층"];

/// A comparison key for addresses, deliberately simple:
///
/// - NFC, fullwidth digits/letters to ASCII (HWP documents often carry `１２３`), invisible characters dropped;
/// - whitespace collapsed to single spaces and trimmed;
/// - a leading 서울 or 서울시 (as a whole word) becomes 서울특별시;
/// - the space between a number and a following 번지, 호, 동 or 층 is removed (`12 번지` → `12번지`,
///   `101 동 1203 호` → `101동 1203호`) — only after a digit, so a road name like 호수로 is never glued on.
///
/// It does not rewrite other cities (광주시 may be 광주광역시 or 경기도 광주시), road-name vs. lot-number forms,
/// or abbreviations like 강남구 → 서울특별시 강남구; those need an address database.
///
/// ```
/// assert_eq!(korean::normalize_address(" 서울시  강남구 역삼동 123 번지 "), "서울특별시 강남구 역삼동 123번지");
/// assert_eq!(korean::normalize_address("서울 노원구 상계로 101 동 1203 호"), "서울특별시 노원구 상계로 101동 1203호");
/// ```
pub fn normalize_address(address: &str) -> String {
    let visible: String = address.chars().filter(|&c| !is_invisible(c)).map(fullwidth_to_ascii).collect();
    let composed: String = visible.nfc().collect();
    let collapsed = collapse_whitespace(&composed);
    let mut words = collapsed.split(' ');
    let mut out = String::with_capacity(collapsed.len() + SEOUL_OFFICIAL.len());
    let Some(first) = words.next() else {
        return out;
    };
    out.push_str(if SEOUL_SHORT_FORMS.contains(&first) { SEOUL_OFFICIAL } else { first });
    for word in words {
        if !(out.ends_with(|c: char| c.is_ascii_digit()) && starts_with_number_unit(word)) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True when the word is a unit (호) possibly followed by punctuation (호, or 호)), not a longer word (호수로).
fn starts_with_number_unit(word: &str) -> bool {
    NUMBER_UNITS
        .iter()
        .any(|unit| word.strip_prefix(unit).is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unifies_seoul_at_the_start() {
        assert_eq!(normalize_address("서울시 마포구 월드컵로 212"), "서울특별시 마포구 월드컵로 212");
        assert_eq!(normalize_address("서울 마포구"), "서울특별시 마포구");
        assert_eq!(normalize_address("서울특별시 마포구"), "서울특별시 마포구");
        assert_eq!(normalize_address("서울"), "서울특별시");
    }

    #[test]
    fn leaves_seoul_alone_elsewhere_or_inside_words() {
        assert_eq!(normalize_address("경기도 서울 아파트"), "경기도 서울 아파트");
        assert_eq!(normalize_address("서울시청 앞"), "서울시청 앞");
        assert_eq!(normalize_address("부산시 해운대구"), "부산시 해운대구");
    }

    #[test]
    fn joins_number_units() {
        assert_eq!(normalize_address("역삼동 123-4 번지"), "역삼동 123-4번지");
        assert_eq!(normalize_address("행복아파트 101 동 1203 호"), "행복아파트 101동 1203호");
        assert_eq!(normalize_address("상가 2 층, 201 호)"), "상가 2층, 201호)");
    }

    #[test]
    fn does_not_join_words_that_merely_start_like_units() {
        assert_eq!(normalize_address("노원구 12 호수로"), "노원구 12 호수로");
        assert_eq!(normalize_address("역삼 동 123"), "역삼 동 123");
    }

    #[test]
    fn composes_folds_and_collapses() {
        assert_eq!(
            normalize_address("\u{FEFF}서울시\u{3000}강남구  테헤란로 １２３"),
            "서울특별시 강남구 테헤란로 123"
        );
        let decomposed_seoul = "\u{1109}\u{1165}\u{110B}\u{116E}\u{11AF}";
        assert_eq!(normalize_address(&format!("{decomposed_seoul} 종로구")), "서울특별시 종로구");
    }

    #[test]
    fn blank_address_is_empty() {
        assert_eq!(normalize_address(""), "");
        assert_eq!(normalize_address(" \t "), "");
    }
}

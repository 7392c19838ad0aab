//! Hangul syllables ↔ compatibility jamo.
//!
//! A precomposed syllable (U+AC00..=U+D7A3) is `0xAC00 + (initial × 21 + medial) × 28 + final`, so splitting it is
//! arithmetic. We return *compatibility* jamo (ㄱ, ㅏ, ㄳ, U+3131..) rather than conjoining jamo (U+1100..) because
//! those are what a resident types on a phone keyboard when searching by 초성, and they render on their own.

use unicode_normalization::UnicodeNormalization;

const FIRST_SYLLABLE: u32 = 0xAC00;
const LAST_SYLLABLE: u32 = 0xD7A3;
const MEDIALS_PER_INITIAL: u32 = 21;
const FINALS_PER_MEDIAL: u32 = 28;
const SYLLABLES_PER_INITIAL: u32 = MEDIALS_PER_INITIAL * FINALS_PER_MEDIAL;

/// The 19 initial consonants (초성), in Unicode syllable order.
pub(crate) const INITIALS: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/// The 21 medial vowels (중성), in Unicode syllable order.
pub(crate) const MEDIALS: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ', 'ㅟ', 'ㅠ', 'ㅡ',
    'ㅢ', 'ㅣ',
];

/// The 27 final consonants (종성), in Unicode syllable order; index 0 of the syllable formula means "no final", so
/// final index `n` is `FINALS[n - 1]`.
pub(crate) const FINALS: [char; 27] = [
    'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ', 'ㅅ',
    'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];

/// True for a precomposed modern Hangul syllable (가..힣).
pub fn is_hangul_syllable(c: char) -> bool {
    (FIRST_SYLLABLE..=LAST_SYLLABLE).contains(&(c as u32))
}

/// Splits a precomposed Hangul syllable into (initial, medial, optional final) compatibility jamo; `None` for any
/// other character. Double finals stay one jamo (닭 → ㄷ ㅏ ㄺ), matching what the syllable formula encodes.
///
/// ```
/// assert_eq!(korean::decompose('봄'), Some(('ㅂ', 'ㅗ', Some('ㅁ'))));
/// assert_eq!(korean::decompose('나'), Some(('ㄴ', 'ㅏ', None)));
/// assert_eq!(korean::decompose('A'), None);
/// ```
pub fn decompose(c: char) -> Option<(char, char, Option<char>)> {
    if !is_hangul_syllable(c) {
        return None;
    }
    let offset = c as u32 - FIRST_SYLLABLE;
    let initial = INITIALS[(offset / SYLLABLES_PER_INITIAL) as usize];
    let medial = MEDIALS[((offset % SYLLABLES_PER_INITIAL) / FINALS_PER_MEDIAL) as usize];
    let final_index = (offset % FINALS_PER_MEDIAL) as usize;
    let final_consonant = final_index.checked_sub(1).map(|i| FINALS[i]);
    Some((initial, medial, final_consonant))
}

/// The initial consonant (초성) of a precomposed syllable, `None` for anything else.
pub(crate) fn initial_of(c: char) -> Option<char> {
    decompose(c).map(|(initial, _, _)| initial)
}

/// The text with every Hangul syllable replaced by its jamo (돌봄 → ㄷㅗㄹㅂㅗㅁ); other characters are kept.
///
/// The input is NFC-composed first so decomposed Hangul (conjoining jamo, e.g. from macOS) yields the same jamo as
/// precomposed Hangul. Comparing jamo instead of syllables makes a one-key typo (돌봉 for 돌봄) a distance of one.
///
/// ```
/// assert_eq!(korean::jamo_string("닭 2마리"), "ㄷㅏㄺ 2ㅁㅏㄹㅣ");
/// ```
pub fn jamo_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for c in text.nfc() {
        match decompose(c) {
            Some((initial, medial, final_consonant)) => {
                out.push(initial);
                out.push(medial);
                out.extend(final_consonant);
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposes_first_and_last_syllables() {
        assert_eq!(decompose('가'), Some(('ㄱ', 'ㅏ', None)));
        assert_eq!(decompose('힣'), Some(('ㅎ', 'ㅣ', Some('ㅎ'))));
    }

    #[test]
    fn decomposes_everyday_welfare_words() {
        assert_eq!(decompose('돌'), Some(('ㄷ', 'ㅗ', Some('ㄹ'))));
        assert_eq!(decompose('센'), Some(('ㅅ', 'ㅔ', Some('ㄴ'))));
        assert_eq!(decompose('쌍'), Some(('ㅆ', 'ㅏ', Some('ㅇ'))));
        assert_eq!(decompose('괘'), Some(('ㄱ', 'ㅙ', None)));
    }

    #[test]
    fn keeps_double_finals_as_one_jamo() {
        assert_eq!(decompose('삯'), Some(('ㅅ', 'ㅏ', Some('ㄳ'))));
        assert_eq!(decompose('없'), Some(('ㅇ', 'ㅓ', Some('ㅄ'))));
        assert_eq!(decompose('읽'), Some(('ㅇ', 'ㅣ', Some('ㄺ'))));
    }

    #[test]
    fn rejects_non_syllables() {
        for c in ['ㄱ', 'ㅏ', 'a', '1', ' ', '\u{1100}', '漢', '\u{D7A4}'] {
            assert_eq!(decompose(c), None, "{c:?}");
        }
    }

    #[test]
    fn jamo_string_keeps_other_characters() {
        assert_eq!(jamo_string("돌봄센터"), "ㄷㅗㄹㅂㅗㅁㅅㅔㄴㅌㅓ");
        assert_eq!(jamo_string("LH 임대"), "LH ㅇㅣㅁㄷㅐ");
        assert_eq!(jamo_string(""), "");
    }

    #[test]
    fn jamo_string_composes_decomposed_input_first() {
        let decomposed = "\u{1103}\u{1169}\u{11AF}";
        assert_eq!(jamo_string(decomposed), "ㄷㅗㄹ");
    }
}

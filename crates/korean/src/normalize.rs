//! The one canonical text form that indexing and querying both go through.

use unicode_normalization::UnicodeNormalization;

/// Canonical form for search: NFC, Unicode lower-case, fullwidth ASCII folded to ASCII, invisible and control
/// characters dropped, whitespace runs collapsed to one space, trimmed.
///
/// Why each step:
/// - NFC: text pasted from macOS, HWP or PDFs often carries decomposed Hangul (ᄃ + ᅩ + ᆯ); it must equal 돌.
/// - lower-case: "LH" and "lh" are the same agency.
/// - fullwidth → ASCII: Korean IMEs and HWP documents produce `１２３` and `ＬＨ`.
/// - invisible characters (control codes, zero-width space, BOM, bidi marks): they split words invisibly.
///
/// The order matters for idempotence (`normalize(normalize(x)) == normalize(x)`): invisibles go first so that
/// removing them cannot leave a base letter and a combining mark next to each other un-composed, and lower-casing
/// happens before NFC so that sequences produced by lower-casing (İ → i + ◌̇) are composed too.
///
/// Never panics; runs in linear time.
///
/// ```
/// assert_eq!(korean::normalize("  ＬＨ  임대\u{200B}주택\t신청 "), "lh 임대주택 신청");
/// ```
pub fn normalize(text: &str) -> String {
    let folded: String = text.chars().filter(|&c| !is_invisible(c)).map(fullwidth_to_ascii).collect();
    let composed: String = folded.to_lowercase().nfc().collect();
    collapse_whitespace(&composed)
}

/// True for characters that carry no visible text and only get in the way of matching: control codes (except
/// whitespace ones such as tab and newline, which [`collapse_whitespace`] turns into spaces), soft hyphen,
/// zero-width space, word joiners, bidi controls and the byte-order mark. ZWJ/ZWNJ are kept: they change how
/// emoji and some scripts render, so they are part of the text.
pub(crate) fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Maps fullwidth ASCII (U+FF01..=U+FF5E, as typed by Korean IMEs) to plain ASCII and the ideographic space to a
/// plain space; every other character passes through. NFC alone does not do this (it is a compatibility mapping).
pub(crate) fn fullwidth_to_ascii(c: char) -> char {
    const FULLWIDTH_OFFSET: u32 = 0xFEE0;
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - FULLWIDTH_OFFSET).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Replaces every run of Unicode whitespace with one ASCII space and trims both ends.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_decomposed_hangul() {
        // 돌봄 written as conjoining jamo, as macOS file names and some PDFs deliver it.
        let decomposed = "\u{1103}\u{1169}\u{11AF}\u{1107}\u{1169}\u{11B7}";
        assert_eq!(normalize(decomposed), "돌봄");
    }

    #[test]
    fn lowercases_and_folds_fullwidth() {
        assert_eq!(normalize("ＬＨ 행복주택"), "lh 행복주택");
        assert_eq!(normalize("만６５세 이상"), "만65세 이상");
        assert_eq!(normalize("SH공사"), "sh공사");
    }

    #[test]
    fn collapses_whitespace_and_trims() {
        assert_eq!(normalize("  노인\u{3000}\u{3000}일자리\n\t지원  "), "노인 일자리 지원");
        assert_eq!(normalize("\u{00A0}기초연금\u{00A0}"), "기초연금");
    }

    #[test]
    fn drops_control_and_zero_width_characters() {
        assert_eq!(normalize("\u{FEFF}긴급\u{200B}복지\u{0007}"), "긴급복지");
        assert_eq!(normalize("주거\u{0000} \u{0001} 급여"), "주거 급여");
    }

    #[test]
    fn empty_and_blank_inputs_become_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \t\n\u{3000}"), "");
    }

    #[test]
    fn lowercasing_that_adds_marks_is_still_idempotent() {
        let once = normalize("İSTANBUL Σ ΟΔΟΣ");
        assert_eq!(normalize(&once), once);
    }
}

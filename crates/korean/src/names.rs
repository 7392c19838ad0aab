//! Matching keys for person names.

use unicode_normalization::UnicodeNormalization;

use crate::normalize::is_invisible;

/// A key for comparing Korean person names: NFC-composed, with all whitespace and invisible characters removed, so
/// "김 민준", "김민준" and a decomposed 김민준 compare equal. Case is kept: this is not a search form, and names
/// are mostly Hangul, where case does not apply.
///
/// ```
/// assert_eq!(korean::normalize_name(" 김 민준 "), "김민준");
/// assert_eq!(korean::normalize_name("남궁\u{3000}민수"), "남궁민수");
/// ```
pub fn normalize_name(name: &str) -> String {
    // Filter before composing: dropping a space between decomposed jamo must still let them compose.
    let visible: String = name.chars().filter(|&c| !c.is_whitespace() && !is_invisible(c)).collect();
    visible.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_all_whitespace() {
        assert_eq!(normalize_name("김 민 준"), "김민준");
        assert_eq!(normalize_name("\t이\n서연\u{00A0}"), "이서연");
        assert_eq!(normalize_name("   "), "");
    }

    #[test]
    fn composes_decomposed_names() {
        let decomposed_kim = "\u{1100}\u{1175}\u{11B7}";
        assert_eq!(normalize_name(&format!("{decomposed_kim} 민준")), "김민준");
        // A space inside a decomposed syllable must not block composition.
        assert_eq!(normalize_name("\u{1100}\u{1175} \u{11B7}"), "김");
    }

    #[test]
    fn drops_invisible_characters() {
        assert_eq!(normalize_name("박\u{200B}지\u{FEFF}훈"), "박지훈");
    }

    #[test]
    fn keeps_latin_case() {
        assert_eq!(normalize_name("Nguyen Thi Lan"), "NguyenThiLan");
    }
}

//! 초성 search: residents often type only the initial consonants (ㄷㅂ for 돌봄), especially on phones.

use unicode_normalization::UnicodeNormalization;

use crate::jamo::initial_of;

/// The text with each Hangul syllable replaced by its initial consonant (돌봄센터 → ㄷㅂㅅㅌ). Other characters are
/// kept, lower-cased when that yields exactly one character, and whitespace is kept as-is.
///
/// Output has exactly one character per input character, so a match position in the 초성 string is the same
/// position in the original text (useful for highlighting). For that reason this function does not NFC-compose;
/// [`matches_choseong`] does.
///
/// ```
/// assert_eq!(korean::choseong("다함께 돌봄센터"), "ㄷㅎㄲ ㄷㅂㅅㅌ");
/// assert_eq!(korean::choseong("LH 임대"), "lh ㅇㄷ");
/// ```
pub fn choseong(text: &str) -> String {
    text.chars().map(choseong_char).collect()
}

fn choseong_char(c: char) -> char {
    if let Some(initial) = initial_of(c) {
        return initial;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

/// True when the query is a 초성 query: at least one character, and every non-whitespace character is a Hangul
/// compatibility consonant (ㄱ..ㅎ, U+3131..=U+314E).
///
/// Double-final consonants such as ㅄ are accepted because Korean IMEs merge consecutively typed consonants
/// (typing ㅂ then ㅅ shows ㅄ); [`matches_choseong`] splits them back.
///
/// ```
/// assert!(korean::is_choseong_query("ㄷㅂ ㅅㅌ"));
/// assert!(!korean::is_choseong_query("ㄷㅂ센터"));
/// assert!(!korean::is_choseong_query("   "));
/// ```
pub fn is_choseong_query(query: &str) -> bool {
    let mut consonants = query.chars().filter(|c| !c.is_whitespace()).peekable();
    consonants.peek().is_some() && consonants.all(is_compatibility_consonant)
}

fn is_compatibility_consonant(c: char) -> bool {
    ('\u{3131}'..='\u{314E}').contains(&c)
}

/// True when the query's consonants appear contiguously in the text's 초성, ignoring whitespace on both sides
/// (`ㄷㅂ` matches "다함께돌봄센터" and "돌봄 센터"; `ㄷㅂㅅㅌ` matches "돌봄 센터").
///
/// Returns false when the query is not a 초성 query (see [`is_choseong_query`]): mixing syllables into a 초성 match
/// would make "돌봄" match every ㄷㅂ word. IME-merged consonants (ㅄ, ㄳ, ㄶ, …) are split before matching, and
/// the text is NFC-composed first so decomposed Hangul matches too.
pub fn matches_choseong(query: &str, text: &str) -> bool {
    if !is_choseong_query(query) {
        return false;
    }
    let wanted: String =
        query.chars().filter(|c| !c.is_whitespace()).flat_map(split_merged_consonant).flatten().collect();
    let composed: String = text.nfc().collect();
    let haystack: String = choseong(&composed).chars().filter(|c| !c.is_whitespace()).collect();
    haystack.contains(&wanted)
}

/// Splits a consonant cluster that an IME produced from two typed consonants (ㅄ → ㅂ, ㅅ); other characters come
/// back alone. ㄲ ㄸ ㅃ ㅆ ㅉ are real initial consonants and stay whole.
fn split_merged_consonant(c: char) -> [Option<char>; 2] {
    let (first, second) = match c {
        'ㄳ' => ('ㄱ', 'ㅅ'),
        'ㄵ' => ('ㄴ', 'ㅈ'),
        'ㄶ' => ('ㄴ', 'ㅎ'),
        'ㄺ' => ('ㄹ', 'ㄱ'),
        'ㄻ' => ('ㄹ', 'ㅁ'),
        'ㄼ' => ('ㄹ', 'ㅂ'),
        'ㄽ' => ('ㄹ', 'ㅅ'),
        'ㄾ' => ('ㄹ', 'ㅌ'),
        'ㄿ' => ('ㄹ', 'ㅍ'),
        'ㅀ' => ('ㄹ', 'ㅎ'),
        'ㅄ' => ('ㅂ', 'ㅅ'),
        _ => return [Some(c), None],
    };
    [Some(first), Some(second)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choseong_of_service_names() {
        assert_eq!(choseong("돌봄센터"), "ㄷㅂㅅㅌ");
        assert_eq!(choseong("기초연금"), "ㄱㅊㅇㄱ");
        assert_eq!(choseong("쌍둥이 까꿍"), "ㅆㄷㅇ ㄲㄲ");
    }

    #[test]
    fn choseong_keeps_other_characters_lowercased() {
        assert_eq!(choseong("SH공사 2호"), "shㄱㅅ 2ㅎ");
        assert_eq!(choseong("ㄱㄴ, ok!"), "ㄱㄴ, ok!");
        assert_eq!(choseong(""), "");
    }

    #[test]
    fn choseong_keeps_one_char_per_char_even_when_lowercase_expands() {
        // 'İ' lower-cases to two characters; it is kept as-is to preserve alignment.
        assert_eq!(choseong("İ돌"), "İㄷ");
    }

    #[test]
    fn recognises_choseong_queries() {
        assert!(is_choseong_query("ㄷㅂ"));
        assert!(is_choseong_query(" ㄱ ㅊ ㅇ ㄱ "));
        assert!(is_choseong_query("ㅄ"));
        assert!(!is_choseong_query(""));
        assert!(!is_choseong_query("ㄷㅏ"));
        assert!(!is_choseong_query("돌봄"));
        assert!(!is_choseong_query("ㄷㅂ1"));
    }

    #[test]
    fn matches_contiguous_initials_anywhere() {
        assert!(matches_choseong("ㄷㅂ", "다함께돌봄센터"));
        assert!(matches_choseong("ㄷㅂㅅㅌ", "다함께 돌봄 센터"));
        assert!(matches_choseong("ㄷ ㅂ", "돌봄"));
        assert!(matches_choseong("ㄱㅊㅇㄱ", "기초연금 신청"));
        assert!(!matches_choseong("ㅂㄷ", "돌봄센터"));
        assert!(!matches_choseong("ㄷㅅ", "돌봄센터"));
    }

    #[test]
    fn rejects_queries_that_are_not_choseong() {
        assert!(!matches_choseong("돌봄", "돌봄센터"));
        assert!(!matches_choseong("", "돌봄센터"));
        assert!(!matches_choseong("  ", "돌봄센터"));
    }

    #[test]
    fn splits_ime_merged_consonants() {
        // Typing ㄷ ㅂ ㅅ ㅌ on a 2-set keyboard shows ㄷㅄㅌ.
        assert!(matches_choseong("ㄷㅄㅌ", "돌봄센터"));
        assert!(matches_choseong("ㄱㅊㅇㄱ", "기초연금"));
    }

    #[test]
    fn matches_decomposed_text() {
        let decomposed_dolbom = "\u{1103}\u{1169}\u{11AF}\u{1107}\u{1169}\u{11B7}";
        assert!(matches_choseong("ㄷㅂ", decomposed_dolbom));
    }
}

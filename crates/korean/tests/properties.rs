//! Properties that must hold for any input, since search queries come straight from residents' keyboards.

use korean::{choseong, jamo_distance, normalize, tokens, within_one_jamo};
use proptest::prelude::*;

/// Arbitrary Unicode text up to `max_chars` characters (any scalar value, including controls and marks).
fn any_text(max_chars: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..max_chars).prop_map(|chars| chars.into_iter().collect())
}

/// Text mixing Hangul syllables, loose and conjoining jamo, fullwidth, Latin and whitespace: the shapes real
/// queries take, which random scalar values almost never produce.
fn korean_like_text() -> impl Strategy<Value = String> {
    "[가-힣ㄱ-ㅣ\u{1100}-\u{11FF}ＡＺａｚ０９A-Za-z0-9 \t\u{3000}\u{200B}.,()İΣ\u{0301}]{0,40}"
}

/// A syllable built from initial, medial and final indices (final 0 = none).
fn syllable(initial: u32, medial: u32, final_index: u32) -> char {
    char::from_u32(0xAC00 + (initial * 21 + medial) * 28 + final_index).expect("index ranges keep this in 가..힣")
}

proptest! {
    #[test]
    fn normalize_is_idempotent(text in any_text(200)) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn normalize_is_idempotent_on_korean_like_text(text in korean_like_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn tokens_are_never_empty_and_stable_under_normalize(text in korean_like_text()) {
        let from_raw = tokens(&text);
        prop_assert!(from_raw.iter().all(|token| !token.is_empty() && !token.contains(char::is_whitespace)));
        prop_assert_eq!(tokens(&normalize(&text)), from_raw);
    }

    #[test]
    fn choseong_keeps_the_char_count(text in any_text(200)) {
        prop_assert_eq!(choseong(&text).chars().count(), text.chars().count());
    }

    #[test]
    fn jamo_distance_is_zero_to_itself_and_symmetric(a in korean_like_text(), b in korean_like_text()) {
        prop_assert_eq!(jamo_distance(&a, &a), 0);
        prop_assert_eq!(jamo_distance(&a, &b), jamo_distance(&b, &a));
        prop_assert_eq!(within_one_jamo(&a, &b), jamo_distance(&a, &b) <= 1);
    }

    #[test]
    fn changing_a_final_consonant_is_one_jamo(
        initial in 0u32..19,
        medial in 0u32..21,
        final_before in 0u32..28,
        final_after in 0u32..28,
        context in "[가-힣]{0,3}",
    ) {
        prop_assume!(final_before != final_after);
        let before = format!("{context}{}", syllable(initial, medial, final_before));
        let after = format!("{context}{}", syllable(initial, medial, final_after));
        prop_assert!(within_one_jamo(&before, &after));
        prop_assert_eq!(jamo_distance(&before, &after), 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn long_inputs_never_panic(text in any_text(10_000)) {
        let normalized = normalize(&text);
        prop_assert_eq!(normalize(&normalized), normalized);
        let _ = tokens(&text);
        prop_assert_eq!(choseong(&text).chars().count(), text.chars().count());
    }
}

#[test]
fn ten_thousand_hangul_syllables_do_not_panic() {
    let long: String = "돌봄센터에서 ".repeat(1_500);
    assert!(long.chars().count() >= 10_000);
    // Each 돌봄센터에서 loses 에서 and gives 돌봄 봄센 센터.
    assert_eq!(tokens(&long).len(), 3 * 1_500);
    assert_eq!(normalize(&long).chars().count(), long.chars().count() - 1);
}

proptest! {
    #[test]
    fn offsets_point_at_the_tokens(text in "\\PC{0,200}") {
        let normalized = korean::normalize(&text);
        let with_offsets = korean::tokens_with_offsets(&normalized);
        let plain: Vec<String> = with_offsets.iter().map(|t| t.text.clone()).collect();
        prop_assert_eq!(plain, korean::tokens(&text));
        for t in with_offsets {
            prop_assert_eq!(normalized[t.start..t.end].to_lowercase(), t.text);
        }
    }
}

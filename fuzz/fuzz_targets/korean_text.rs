//! The Korean text analysis the search runs on every query a resident types: it must answer any text, and the
//! offsets it gives for highlighting must land inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let normal = korean::normalize(text);
    for token in korean::tokens_with_offsets(&normal) {
        assert!(token.start <= token.end && token.end <= normal.len(), "{token:?} outside {normal:?}");
        assert!(normal.is_char_boundary(token.start) && normal.is_char_boundary(token.end), "{token:?}");
    }
    let _ = korean::tokens(text);
    let _ = korean::jamo_string(text);
    let initials = korean::choseong(text);
    if korean::is_choseong_query(&initials) {
        let _ = korean::matches_choseong(&initials, text);
    }
    let _ = korean::normalize_name(text);
    let _ = korean::normalize_address(text);
    let (left, right) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    assert_eq!(korean::jamo_distance(left, left), 0);
    assert_eq!(korean::jamo_distance(left, right), korean::jamo_distance(right, left));
    let _ = korean::within_one_jamo(left, right);
    let _ = korean::Synonyms::default_korean().expand(&normal);
});

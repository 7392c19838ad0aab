//! Dictionary-free search tokens.
//!
//! Korean glues particles and compounds together (돌봄센터에서), so whitespace words make poor index terms. Without
//! a morphological dictionary the robust fallback is character bigrams: 돌봄센터 → 돌봄 봄센 센터, so a query for
//! 센터 or 돌봄 finds it. Latin letters and digits are not bigrammed (LH, 2024 stay whole words).

use crate::normalize::normalize;

/// Search tokens for indexing and querying: the text is [`normalize`]d, split on whitespace and punctuation and at
/// script changes (LH임대 → lh, 임대); each Hangul run becomes character bigrams (a one-syllable run stays a
/// unigram) after [trailing particle stripping](strip_trailing_particle), each other run (Latin, digits, 漢字, …)
/// is one token.
///
/// Tokens keep document order and duplicates, so term frequencies stay meaningful for ranking.
///
/// ```
/// assert_eq!(korean::tokens("다함께 돌봄센터"), ["다함", "함께", "돌봄", "봄센", "센터"]);
/// assert_eq!(korean::tokens("LH 행복주택(2024)"), ["lh", "행복", "복주", "주택", "2024"]);
/// assert_eq!(korean::tokens("주민센터에서 신청"), ["주민", "민센", "센터", "신청"]);
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    tokens_with_offsets(&normalize(text)).into_iter().map(|t| t.text).collect()
}

/// A search token and where it stands in the text it came from (byte offsets), for highlighting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The same tokens as [`tokens`], with byte offsets into `text`. `text` is taken as it is (not normalised), so
/// offsets point into it; Latin runs are lower-cased. Index already-normalised text to get the same tokens as
/// [`tokens`] gives for a query.
///
/// ```
/// let t = korean::tokens_with_offsets("돌봄 LH");
/// assert_eq!((t[0].text.as_str(), t[0].start, t[0].end), ("돌봄", 0, 6));
/// assert_eq!((t[1].text.as_str(), t[1].start, t[1].end), ("lh", 7, 9));
/// ```
pub fn tokens_with_offsets(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (kind, start, run) in runs_at(text) {
        match kind {
            RunKind::Hangul => push_hangul_tokens_at(strip_trailing_particle(run), start, &mut out),
            RunKind::Word => out.push(Token { text: run.to_lowercase(), start, end: start + run.len() }),
        }
    }
    out
}

fn runs_at(text: &str) -> Vec<(RunKind, usize, &str)> {
    let base = text.as_ptr() as usize;
    runs(text).into_iter().map(|(kind, run)| (kind, run.as_ptr() as usize - base, run)).collect()
}

fn push_hangul_tokens_at(word: &str, start: usize, out: &mut Vec<Token>) {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() == 1 {
        out.push(Token { text: word.to_string(), start, end: start + word.len() });
        return;
    }
    for pair in chars.windows(2) {
        let (from, _) = pair[0];
        let (second, c) = pair[1];
        let to = second + c.len_utf8();
        out.push(Token { text: word[from..to].to_string(), start: start + from, end: start + to });
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunKind {
    Hangul,
    Word,
}

/// Maximal runs of Hangul, or of other letters/digits; everything else (whitespace, punctuation, symbols) separates.
/// Combining marks continue the run they follow, so a letter that NFC could not compose is not split from its mark.
fn runs(text: &str) -> Vec<(RunKind, &str)> {
    let mut out = Vec::new();
    let mut current: Option<(RunKind, usize)> = None;
    for (index, c) in text.char_indices() {
        let kind = if is_combining_mark(c) { current.map(|(kind, _)| kind) } else { classify(c) };
        match (current, kind) {
            (Some((open_kind, _)), Some(kind)) if open_kind == kind => {}
            (open, kind) => {
                if let Some((open_kind, start)) = open {
                    out.push((open_kind, &text[start..index]));
                }
                current = kind.map(|kind| (kind, index));
            }
        }
    }
    if let Some((kind, start)) = current {
        out.push((kind, &text[start..]));
    }
    out
}

fn classify(c: char) -> Option<RunKind> {
    if is_hangul(c) {
        Some(RunKind::Hangul)
    } else if c.is_alphanumeric() {
        Some(RunKind::Word)
    } else {
        None
    }
}

/// Syllables plus loose jamo (compatibility and conjoining, including archaic blocks), so a 초성-like query such as
/// ㅋㅋ or an archaic syllable is bigrammed the same way as ordinary Hangul.
fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{3131}'..='\u{318E}' | '\u{1100}'..='\u{11FF}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}')
}

/// The common combining-mark blocks (not every Unicode `Mn`, which would need tables).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Particles (조사) removed from the end of a Hangul word, longest first so 에서 wins over 에 and 으로 over 로.
const PARTICLES: &[&str] =
    &["에서", "으로", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만"];

/// Word endings that look like a particle but are part of a noun common in welfare texts (어린이 is not 어린+이,
/// 경기도 is a province, 미만 means "under", 노인복지과 is a department). Words ending in these are left whole.
const NOUN_ENDINGS: &[&str] = &[
    "어린이",
    "아이",
    "벌이",
    "놀이",
    "나이",
    "사이",
    "높이",
    "길이",
    "전문가",
    "휴가",
    "평가",
    "물가",
    "작가",
    "사업가",
    "예술가",
    "대가",
    "단가",
    "제도",
    "한도",
    "정도",
    "용도",
    "태도",
    "지도",
    "속도",
    "만족도",
    "북도",
    "남도",
    "경기도",
    "강원도",
    "제주도",
    "자치도",
    "미만",
    "회의",
    "협의",
    "주의",
    "동의",
    "문의",
    "심의",
    "합의",
    "도로",
    "진로",
    "경로",
    "근로",
    "통로",
    "효과",
    "결과",
    "학과",
    "교과",
    "마을",
    "가을",
    "장애인과",
];

/// Removes one trailing particle so 복지관은, 복지관을 and 복지관 give the same bigrams. Deliberately conservative,
/// because a wrong cut loses a real syllable from the index:
///
/// - only words of 3 or more syllables are touched, and at least 2 syllables must remain (집에서 stays whole);
/// - only the particles in [`PARTICLES`] and only one of them (no stacking: 센터에서는 loses 는 only);
/// - words ending in a known noun ending ([`NOUN_ENDINGS`]: 어린이, 경기도, 미만, 전문가, …) are kept whole.
///
/// The same stripping runs on queries and documents, so a wrong cut still matches itself; it only costs recall
/// against other forms. A real morphological analyser should replace this once a dictionary is available.
fn strip_trailing_particle(word: &str) -> &str {
    const MIN_WORD_SYLLABLES: usize = 3;
    const MIN_STEM_SYLLABLES: usize = 2;
    let syllable_count = word.chars().count();
    if syllable_count < MIN_WORD_SYLLABLES || NOUN_ENDINGS.iter().any(|ending| word.ends_with(ending)) {
        return word;
    }
    for particle in PARTICLES {
        if let Some(stem) = word.strip_suffix(particle)
            && stem.chars().count() >= MIN_STEM_SYLLABLES
        {
            return stem;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_hangul_words() {
        assert_eq!(tokens("다함께 돌봄센터"), ["다함", "함께", "돌봄", "봄센", "센터"]);
        assert_eq!(tokens("기초연금"), ["기초", "초연", "연금"]);
    }

    #[test]
    fn single_syllables_are_unigrams() {
        assert_eq!(tokens("집 수리"), ["집", "수리"]);
        assert_eq!(tokens("만 65세"), ["만", "65", "세"]);
    }

    #[test]
    fn latin_and_digits_stay_whole_and_split_from_hangul() {
        assert_eq!(tokens("LH임대주택"), ["lh", "임대", "대주", "주택"]);
        assert_eq!(tokens("ＳＨ공사 ２０２４년"), ["sh", "공사", "2024", "년"]);
        assert_eq!(tokens("e-mail: help@gov.kr"), ["e", "mail", "help", "gov", "kr"]);
    }

    #[test]
    fn punctuation_separates() {
        assert_eq!(tokens("노인·장애인, 아동!"), ["노인", "장애", "애인", "아동"]);
        assert_eq!(tokens("「긴급복지」"), ["긴급", "급복", "복지"]);
    }

    #[test]
    fn strips_particles_from_long_words() {
        assert_eq!(tokens("복지관은"), tokens("복지관"));
        assert_eq!(tokens("복지관을"), tokens("복지관"));
        assert_eq!(tokens("주민센터에서"), tokens("주민센터"));
        assert_eq!(tokens("보건소로"), tokens("보건소"));
        assert_eq!(tokens("행정복지센터으로"), tokens("행정복지센터"));
        assert_eq!(tokens("어르신도"), tokens("어르신"));
        assert_eq!(tokens("아동을"), ["아동"]);
    }

    #[test]
    fn keeps_short_words_and_known_nouns_whole() {
        assert_eq!(tokens("사과"), ["사과"]);
        assert_eq!(tokens("가"), ["가"]);
        assert_eq!(tokens("집에서"), ["집에", "에서"]);
        assert_eq!(tokens("어린이"), ["어린", "린이"]);
        assert_eq!(tokens("경기도"), ["경기", "기도"]);
        assert_eq!(tokens("18세 미만"), ["18", "세", "미만"]);
        assert_eq!(tokens("노인장애인과"), ["노인", "인장", "장애", "애인", "인과"]);
        assert_eq!(tokens("전문가"), ["전문", "문가"]);
    }

    #[test]
    fn strips_only_one_particle() {
        assert_eq!(tokens("센터에서는"), ["센터", "터에", "에서"]);
    }

    #[test]
    fn keeps_duplicates_for_term_frequency() {
        assert_eq!(tokens("돌봄 돌봄"), ["돌봄", "돌봄"]);
    }

    #[test]
    fn empty_and_symbol_only_inputs_give_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens(" ... !!! ").is_empty());
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        assert_eq!(tokens("İstanbul"), ["i\u{307}stanbul"]);
    }
}

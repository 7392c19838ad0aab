//! Names as agencies write them: 김민수, "김 민수", a typo'd jamo (김민슈), or romanised (KIM MINSU, Lee Min-su,
//! Rhee Minsoo). Each name gets its Hangul form when it has one, and a sound key that Hangul and the common
//! romanisations share: the surname through a table of its usual spellings (이 = Lee, Yi, Rhee, Ri), the given
//! name by Revised Romanization folded so that spelling habits meet (eo/o, oo/u, k/g, ch/j, r/l …).

use korean::{decompose, is_hangul_syllable, normalize_name};

/// The surnames written in two syllables; any other name's surname is its first syllable.
const COMPOUND_SURNAMES: [&str; 7] = ["남궁", "제갈", "황보", "선우", "독고", "사공", "서문"];

/// Common romanised spellings of surnames (통계청's most frequent, and the passport spellings families use).
const SURNAME_SPELLINGS: &[(&str, &[&str])] = &[
    ("김", &["kim", "gim", "ghim"]),
    ("이", &["lee", "yi", "rhee", "ri", "i", "rhie", "yee", "li"]),
    ("박", &["park", "pak", "bak", "bark"]),
    ("최", &["choi", "choe", "chey", "choy"]),
    ("정", &["jung", "jeong", "chung", "joung", "jong"]),
    ("강", &["kang", "gang", "kahng"]),
    ("조", &["cho", "jo", "joe", "chough"]),
    ("윤", &["yoon", "yun", "youn"]),
    ("장", &["jang", "chang", "jhang"]),
    ("임", &["lim", "im", "rim", "leem", "yim"]),
    ("한", &["han", "hahn"]),
    ("오", &["oh", "o", "ou"]),
    ("서", &["seo", "suh", "so", "su"]),
    ("신", &["shin", "sin", "shinn"]),
    ("권", &["kwon", "gwon", "kwun"]),
    ("황", &["hwang", "whang"]),
    ("안", &["ahn", "an", "ann"]),
    ("송", &["song", "soung"]),
    ("류", &["ryu", "yoo", "yu", "ryoo", "lyu"]),
    ("유", &["yoo", "yu", "you"]),
    ("전", &["jeon", "jun", "chun", "chon", "jon"]),
    ("홍", &["hong"]),
    ("고", &["ko", "go", "koh"]),
    ("문", &["moon", "mun", "mune"]),
    ("양", &["yang", "yhang"]),
    ("손", &["son", "sohn"]),
    ("배", &["bae", "pae", "bai"]),
    ("백", &["baek", "paik", "baik", "paek"]),
    ("허", &["heo", "hur", "huh", "her"]),
    ("남", &["nam"]),
    ("심", &["shim", "sim"]),
    ("노", &["noh", "no", "roh", "ro"]),
    ("하", &["ha", "hah"]),
    ("곽", &["kwak", "gwak"]),
    ("성", &["sung", "seong"]),
    ("차", &["cha"]),
    ("주", &["joo", "ju", "chu", "choo"]),
    ("우", &["woo", "u", "wu"]),
    ("구", &["koo", "gu", "ku", "goo"]),
    ("민", &["min"]),
    ("나", &["na", "ra"]),
    ("진", &["jin", "chin"]),
    ("지", &["ji", "chi"]),
    ("엄", &["eom", "um", "uhm", "eum"]),
    ("채", &["chae", "chai"]),
    ("원", &["won", "weon"]),
    ("천", &["cheon", "chun", "chon"]),
    ("방", &["bang", "pang"]),
    ("공", &["kong", "gong"]),
    ("현", &["hyun", "hyeon"]),
    ("함", &["ham", "hahm"]),
    ("변", &["byun", "byeon", "pyun"]),
    ("염", &["yeom", "yum", "youm"]),
    ("여", &["yeo", "yuh", "yo"]),
    ("추", &["choo", "chu"]),
    ("도", &["do", "doh", "toh"]),
    ("석", &["seok", "suk", "sok"]),
    ("선", &["sun", "seon"]),
    ("설", &["seol", "sul", "sol"]),
    ("마", &["ma"]),
    ("길", &["gil", "kil"]),
    ("연", &["yeon", "yun", "youn"]),
    ("위", &["wi", "wee"]),
    ("표", &["pyo", "pyoh"]),
    ("명", &["myung", "myeong"]),
    ("기", &["ki", "gi"]),
    ("반", &["ban", "pan"]),
    ("왕", &["wang"]),
    ("금", &["keum", "geum", "kum"]),
    ("옥", &["ok", "ock"]),
    ("육", &["yook", "yuk"]),
    ("인", &["in"]),
    ("맹", &["maeng"]),
    ("제", &["je", "jeh"]),
    ("모", &["mo", "moh"]),
    ("탁", &["tak", "tahk"]),
    ("국", &["kook", "guk", "kuk"]),
    ("남궁", &["namgung", "namkung"]),
    ("제갈", &["jegal", "chegal"]),
    ("황보", &["hwangbo"]),
    ("선우", &["sunwoo", "seonu"]),
    ("독고", &["dokgo", "tokko"]),
    ("사공", &["sagong"]),
    ("서문", &["seomun"]),
];

/// A name ready to compare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Name {
    /// The Hangul name without spaces, when it is written in Hangul.
    pub hangul: Option<String>,
    /// Its jamo, for typo distance.
    pub jamo: Vec<char>,
    /// The surname in Hangul when it is known (from Hangul, or the first surname a romanised spelling can be).
    pub surname: Option<String>,
    /// The romanised surname as written, for a name not in Hangul.
    pub spelling: Option<String>,
    /// The given name's sound key.
    pub given: String,
}

impl Name {
    pub fn parse(raw: &str) -> Name {
        let compact = normalize_name(raw);
        if compact.chars().any(is_hangul_syllable) {
            return Name::from_hangul(compact);
        }
        Name::from_latin(raw)
    }

    fn from_hangul(compact: String) -> Name {
        let surname_len = COMPOUND_SURNAMES.iter().find(|s| compact.starts_with(*s)).map_or(1, |_| 2);
        let surname: String = compact.chars().take(surname_len).collect();
        let given: String = compact.chars().skip(surname_len).collect();
        Name {
            jamo: korean::jamo_string(&compact).chars().collect(),
            surname: Some(surname),
            spelling: None,
            given: fold(&romanize(&given)),
            hangul: Some(compact),
        }
    }

    /// `KIM MINSU`, `Min-su Kim`, `Lee, Minsoo`: the known surname spelling at either end is the surname.
    fn from_latin(raw: &str) -> Name {
        let words: Vec<String> = raw
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let (surname, given) = match words.as_slice() {
            [] => (None, String::new()),
            [only] => (None, only.clone()),
            [first, rest @ ..] if surname_of(first).is_some() => (Some(first.clone()), rest.concat()),
            [rest @ .., last] if surname_of(last).is_some() => (Some(last.clone()), rest.concat()),
            [first, rest @ ..] => (None, format!("{first}{}", rest.concat())),
        };
        Name {
            hangul: None,
            jamo: Vec::new(),
            surname: surname.as_deref().and_then(surname_of).map(str::to_string),
            spelling: surname,
            given: fold(&given),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.hangul.is_none() && self.given.is_empty()
    }

    /// The key a block of likely matches shares: surname and the given name's first sound.
    pub fn block_key(&self) -> String {
        let first: String = self.given.chars().take(2).collect();
        format!("{}|{first}", self.surname.as_deref().unwrap_or("?"))
    }
}

/// Whether two names' surnames can be the same: equal in Hangul, a usual spelling of the Hangul one, or two
/// spellings of one surname.
pub fn same_surname(a: &Name, b: &Name) -> bool {
    match (a.spelling.as_deref(), b.spelling.as_deref()) {
        (None, None) => a.surname == b.surname,
        (Some(x), Some(y)) => x == y || SURNAME_SPELLINGS.iter().any(|(_, s)| s.contains(&x) && s.contains(&y)),
        (Some(x), None) => spelled(b.surname.as_deref(), x),
        (None, Some(y)) => spelled(a.surname.as_deref(), y),
    }
}

fn spelled(hangul: Option<&str>, spelling: &str) -> bool {
    hangul.is_some_and(|h| SURNAME_SPELLINGS.iter().any(|(k, s)| *k == h && s.contains(&spelling)))
}

fn surname_of(spelling: &str) -> Option<&'static str> {
    SURNAME_SPELLINGS.iter().find(|(_, spellings)| spellings.contains(&spelling)).map(|(hangul, _)| *hangul)
}

/// Revised Romanization of Hangul syllables, one by one (no sound changes across syllables: families spell given
/// names syllable by syllable).
pub fn romanize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        let Some((initial, medial, last)) = decompose(c) else {
            out.extend(c.to_lowercase().filter(char::is_ascii_alphabetic));
            continue;
        };
        out.push_str(initial_sound(initial));
        out.push_str(vowel_sound(medial));
        if let Some(last) = last {
            out.push_str(final_sound(last));
        }
    }
    out
}

fn initial_sound(c: char) -> &'static str {
    match c {
        'ㄱ' => "g",
        'ㄲ' => "kk",
        'ㄴ' => "n",
        'ㄷ' => "d",
        'ㄸ' => "tt",
        'ㄹ' => "r",
        'ㅁ' => "m",
        'ㅂ' => "b",
        'ㅃ' => "pp",
        'ㅅ' => "s",
        'ㅆ' => "ss",
        'ㅈ' => "j",
        'ㅉ' => "jj",
        'ㅊ' => "ch",
        'ㅋ' => "k",
        'ㅌ' => "t",
        'ㅍ' => "p",
        'ㅎ' => "h",
        _ => "",
    }
}

fn vowel_sound(c: char) -> &'static str {
    match c {
        'ㅏ' => "a",
        'ㅐ' => "ae",
        'ㅑ' => "ya",
        'ㅒ' => "yae",
        'ㅓ' => "eo",
        'ㅔ' => "e",
        'ㅕ' => "yeo",
        'ㅖ' => "ye",
        'ㅗ' => "o",
        'ㅘ' => "wa",
        'ㅙ' => "wae",
        'ㅚ' => "oe",
        'ㅛ' => "yo",
        'ㅜ' => "u",
        'ㅝ' => "wo",
        'ㅞ' => "we",
        'ㅟ' => "wi",
        'ㅠ' => "yu",
        'ㅡ' => "eu",
        'ㅢ' => "ui",
        _ => "i",
    }
}

fn final_sound(c: char) -> &'static str {
    match c {
        'ㄱ' | 'ㄲ' | 'ㅋ' | 'ㄳ' | 'ㄺ' => "k",
        'ㄴ' | 'ㄵ' | 'ㄶ' => "n",
        'ㄷ' | 'ㅅ' | 'ㅆ' | 'ㅈ' | 'ㅊ' | 'ㅌ' | 'ㅎ' => "t",
        'ㄹ' | 'ㄼ' | 'ㄽ' | 'ㄾ' | 'ㅀ' => "l",
        'ㅁ' | 'ㄻ' => "m",
        'ㅂ' | 'ㅍ' | 'ㅄ' | 'ㄿ' => "p",
        _ => "ng",
    }
}

/// Folds spelling habits together: the vowels romanisations disagree on, voiced and voiceless consonants, doubled
/// letters. Lossy on purpose: it is a key for "sounds the same", compared with a similarity, not equality alone.
pub fn fold(latin: &str) -> String {
    let mut s = latin.to_ascii_lowercase();
    for (from, to) in [
        ("eo", "o"),
        ("eu", "u"),
        ("oo", "u"),
        ("ou", "u"),
        ("ee", "i"),
        ("ae", "e"),
        ("ai", "e"),
        ("wu", "u"),
        ("wo", "o"),
        ("ch", "j"),
        ("sh", "s"),
        ("k", "g"),
        ("t", "d"),
        ("p", "b"),
        ("r", "l"),
        ("h", ""),
    ] {
        s = s.replace(from, to);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_romanised_surnames_meet_the_hangul_name() {
        let hangul = Name::parse("이민수");
        assert_eq!(Name::parse("이 민 수"), hangul);
        for spelled in ["LEE MINSU", "Rhee Min-su", "Yi Minsoo", "Minsu Lee", "Lee, Min Su"] {
            let latin = Name::parse(spelled);
            assert_eq!(latin.surname.as_deref(), Some("이"), "{spelled}");
            assert!(same_surname(&latin, &hangul), "{spelled}");
            assert_eq!(latin.given, hangul.given, "{spelled}");
        }
        assert!(same_surname(&Name::parse("유진"), &Name::parse("Yoo Jin")), "유 is also spelled Yoo");
        assert!(!same_surname(&Name::parse("김진"), &Name::parse("Lee Jin")));
        assert_eq!(Name::parse("박서준").given, Name::parse("Park Seo Joon").given);
        assert_eq!(Name::parse("남궁민").surname.as_deref(), Some("남궁"));
    }

    #[test]
    fn romanization_follows_the_revised_rules_syllable_by_syllable() {
        assert_eq!(romanize("민수"), "minsu");
        assert_eq!(romanize("서연"), "seoyeon");
        assert_eq!(romanize("지훈"), "jihun");
        assert_eq!(romanize("은비"), "eunbi");
        assert_eq!(fold("Minsoo"), fold("minsu"));
        assert_eq!(fold("jihoon"), fold(&romanize("지훈")));
        assert_ne!(fold("minsu"), fold("minji"));
    }
}

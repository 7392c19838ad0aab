//! Phone numbers inside free text such as `NH농협1661-2100 SH수협1588-1515` or `보건복지상담센터129`.

use crate::directory::model::NewPhone;

/// Every run of digits and hyphens with at least three digits is a number; the words before it describe it.
pub fn parse(text: &str) -> Vec<NewPhone> {
    let chars: Vec<char> = text.chars().collect();
    let mut phones = Vec::new();
    let mut label_start = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '-') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect::<String>().trim_matches('-').to_string();
            if number.chars().filter(char::is_ascii_digit).count() >= 3 && looks_like_phone(&chars, start) {
                let label: String = chars[label_start..start].iter().collect();
                let label = label.trim().trim_matches(|c| c == '/' || c == ',' || c == ':').trim().to_string();
                phones.push(NewPhone { number, description: (!label.is_empty()).then_some(label) });
                label_start = i;
            }
            continue;
        }
        i += 1;
    }
    phones
}

/// Digits glued to Latin letters (`SH1`) are names, not numbers; digits after Hangul or spaces are numbers.
fn looks_like_phone(chars: &[char], start: usize) -> bool {
    start == 0 || !chars[start - 1].is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<(String, Option<String>)> {
        parse(text).into_iter().map(|p| (p.number, p.description)).collect()
    }

    #[test]
    fn numbers_and_their_labels() {
        assert_eq!(
            numbers("근로복지공단 고객센터1588-0075"),
            vec![("1588-0075".into(), Some("근로복지공단 고객센터".into()))]
        );
        assert_eq!(
            numbers("NH농협1661-2100 SH수협1588-1515 산림조합1544-4200"),
            vec![
                ("1661-2100".into(), Some("NH농협".into())),
                ("1588-1515".into(), Some("SH수협".into())),
                ("1544-4200".into(), Some("산림조합".into())),
            ]
        );
        assert_eq!(numbers("보건복지상담센터129"), vec![("129".into(), Some("보건복지상담센터".into()))]);
        assert_eq!(numbers("청년정책과/02-2116-7123"), vec![("02-2116-7123".into(), Some("청년정책과".into()))]);
        assert!(numbers("주소지 읍·면·동 주민센터").is_empty());
    }
}

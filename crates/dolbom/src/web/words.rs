//! `/words` (어려운 말 풀이): the administrative words residents meet on these pages, each said plainly in their
//! language. Pages link a word to its entry (`/words#median-income`); the footer links the page from everywhere.

use askama::Template;
use axum::response::Response;

use crate::auth::Visitor;
use crate::error::AppResult;
use crate::web::{Page, render};

/// Each word's id: its anchor on the page, and its catalog keys `word-{id}` (the word) and `word-{id}-means`.
pub const WORDS: [&str; 13] = [
    "median-income",
    "recognised-income",
    "benefit",
    "basic-livelihood",
    "near-poor",
    "assets",
    "dong",
    "choice-rank",
    "proof",
    "care-year",
    "objection",
    "exemption",
    "access-record",
];

#[derive(Template)]
#[template(path = "words.html")]
struct WordsPage {
    page: Page,
}

impl WordsPage {
    fn words(&self) -> [&'static str; 13] {
        WORDS
    }
}

pub async fn page(visitor: Visitor) -> AppResult<Response> {
    render(&WordsPage { page: Page::new(&visitor, "words-title") })
}

#[cfg(test)]
mod tests {
    use super::WORDS;
    use crate::i18n::{Locale, t};

    /// Old official phrasing residents stumble over, with what to say instead.
    const STIFF: [(&str, &str); 10] = [
        ("익일", "다음 날"),
        ("상기", "위"),
        ("요망", "해 주세요"),
        ("기재", "적기"),
        ("금번", "이번"),
        ("당해", "그"),
        ("귀하", "(이름이나 빼기)"),
        ("득함", "받음"),
        ("구비서류", "필요한 서류"),
        ("수령", "받기"),
    ];

    #[test]
    fn korean_messages_avoid_stiff_official_words() {
        let ko = include_str!("../i18n/ko.ftl");
        for (line_no, line) in ko.lines().enumerate() {
            for (stiff, plain) in STIFF {
                assert!(!line.contains(stiff), "ko.ftl:{}: \"{stiff}\" — say \"{plain}\": {line}", line_no + 1);
            }
        }
    }

    #[test]
    fn every_word_is_explained_in_every_language() {
        for locale in Locale::ALL {
            for id in WORDS {
                for key in [format!("word-{id}"), format!("word-{id}-means")] {
                    let text = t(locale, &key);
                    assert!(text != key && !text.trim().is_empty(), "{key} in {locale:?}");
                }
            }
        }
    }
}

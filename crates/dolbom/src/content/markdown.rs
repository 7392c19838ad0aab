//! Officials write content in Markdown; readers get HTML that can run nothing. Two layers, because either alone
//! fails someone: [`unsafe_parts`] names what an official typed that would not survive (a `<script>`, an iframe,
//! an `on…=` handler, a `javascript:` link), so the form says so and keeps the text; [`to_safe_html`] renders
//! and sanitises with ammonia, so whatever the check misses (entity tricks, odd nesting) is stripped anyway.

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, Tag};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The Markdown as HTML with nothing that runs: no scripts, frames, handlers, styles or forms; links only to
/// http(s), mail and phone, opened without handing over this page.
pub fn to_safe_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// What would be removed, each once, as the message of the catalog that names it.
pub fn unsafe_parts(markdown: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut note = |code: &'static str| {
        if !found.contains(&code) {
            found.push(code);
        }
    };
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => scan_html(&html, &mut note),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if !safe_url(&dest_url) => {
                note("content-error-unsafe-link")
            }
            _ => {}
        }
    }
    found
}

const FRAMES: [&str; 6] = ["iframe", "frame", "frameset", "object", "embed", "applet"];
const OTHER_TAGS: [&str; 11] =
    ["style", "link", "meta", "base", "form", "input", "button", "textarea", "select", "svg", "math"];

fn scan_html(html: &str, note: &mut impl FnMut(&'static str)) {
    let lower = html.to_lowercase();
    for tag in lower.split('<').skip(1).map(tag_name) {
        if tag == "script" {
            note("content-error-script");
        } else if FRAMES.contains(&tag) {
            note("content-error-frame");
        } else if OTHER_TAGS.contains(&tag) {
            note("content-error-tag");
        }
    }
    if has_handler(&lower) {
        note("content-error-handler");
    }
    if ["javascript:", "vbscript:", "data:"].iter().any(|s| lower.contains(s)) {
        note("content-error-unsafe-link");
    }
}

/// The name of the tag that starts `rest` (the text after a `<`), closing or not.
fn tag_name(rest: &str) -> &str {
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    &rest[..end]
}

/// An `on…=` attribute: whitespace or a slash, `on`, letters, optional spaces, `=`.
fn has_handler(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(at) = lower[i..].find("on") {
        let start = i + at;
        i = start + 2;
        let before = start.checked_sub(1).map(|b| bytes[b]);
        if !matches!(before, Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\'')) {
            continue;
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
            j += 1;
        }
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j > i && bytes.get(j) == Some(&b'=') {
            return true;
        }
    }
    false
}

/// A link's target is safe when it is relative or http(s), mail or phone.
fn safe_url(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    match url.find(':') {
        None => true,
        Some(colon) if url[..colon].contains(['/', '?', '#']) => true,
        Some(colon) => ["http", "https", "mailto", "tel"].contains(&&url[..colon]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_with_tables_and_safe_links() {
        let html = to_safe_html(
            "## 신청 방법\n\n| 구분 | 금액 |\n|---|---|\n| 재료비 | 50만원 |\n\n[복지로](https://www.bokjiro.go.kr)",
        );
        assert!(html.contains("<h2>신청 방법</h2>"), "{html}");
        assert!(html.contains("<td>재료비</td>"), "{html}");
        assert!(html.contains(r#"href="https://www.bokjiro.go.kr""#) && html.contains("noopener"), "{html}");
    }

    #[test]
    fn nothing_that_runs_survives_rendering() {
        let attacks = [
            "<script>alert(1)</script>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<img src=x onerror=\"alert(1)\">",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt&#58;alert(1))",
            "<a href=\"jav&#x61;script:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<object data=\"x.swf\"></object>",
            "<style>body{display:none}</style>",
            "![x](data:text/html;base64,PHNjcmlwdD4=)",
            "<form action=\"https://evil.example\"><input name=p></form>",
        ];
        for attack in attacks {
            let html = to_safe_html(attack).to_lowercase();
            for bad in [
                "<script",
                "<iframe",
                "onerror",
                "onload",
                "javascript:",
                "<svg",
                "<object",
                "<style",
                "data:",
                "<form",
                "<input",
            ] {
                assert!(!html.contains(bad), "{attack} rendered as {html}");
            }
        }
    }

    #[test]
    fn what_would_be_removed_is_named() {
        assert_eq!(unsafe_parts("# 안내\n\n<script>alert(1)</script>"), vec!["content-error-script"]);
        assert_eq!(unsafe_parts("<iframe src=x></iframe>"), vec!["content-error-frame"]);
        assert_eq!(unsafe_parts("<img src=x onerror=alert(1)>"), vec!["content-error-handler"]);
        assert_eq!(unsafe_parts("<img src=x\nONLOAD = alert(1)>"), vec!["content-error-handler"]);
        assert_eq!(unsafe_parts("[x](javascript:alert(1))"), vec!["content-error-unsafe-link"]);
        assert_eq!(unsafe_parts("[x](JaVaScRiPt&#58;alert(1))"), vec!["content-error-unsafe-link"]);
        assert_eq!(unsafe_parts("<style>p{}</style>"), vec!["content-error-tag"]);
    }

    #[test]
    fn ordinary_writing_is_not_suspected() {
        let text = "## 상담 안내\n\n월요일 오전 10시 (on time) 시작합니다. <b>강조</b>\n\n\
                    [구청](https://www.nowon.kr/a?b=1) · [문의](mailto:care@nowon.kr) · [전화](tel:02-2116-3114) · \
                    [아래](#apply) · [자료](/hub/library)\n\nlondon=서울 아님, button 누르기";
        assert_eq!(unsafe_parts(text), Vec::<&str>::new());
        assert!(to_safe_html(text).contains("<b>강조</b>"));
    }
}

//! A content page as an official types it, checked before anything is stored: its section, the topic or theme
//! the section asks for, a story's year, a site's address, the title and the Markdown (refused, with what would
//! be removed named, when it carries anything that runs).

use chrono::Datelike;

use super::markdown::unsafe_parts;
use crate::auth::UploadedFile;
use crate::auth::upload::text_field;
use crate::db::time::seoul_today;
use crate::error::FieldErrors;

pub const SECTIONS: [&str; 6] = ["policy", "column", "education", "link", "story", "library"];
/// 여성가족, 출산·육아, 아동·청소년, 다문화.
pub const POLICY_TOPICS: [&str; 4] = ["women_family", "birth_childcare", "child_youth", "multicultural"];
/// The themes of groups' stories.
pub const STORY_THEMES: [&str; 5] = ["co_parenting", "intergenerational", "multicultural", "village_care", "youth"];

/// The topics (or themes) of a section; empty when it has none.
pub fn topics(section: &str) -> &'static [&'static str] {
    match section {
        "policy" => &POLICY_TOPICS,
        "story" => &STORY_THEMES,
        _ => &[],
    }
}

pub const BODY_MAX_CHARS: usize = 50_000;

#[derive(Clone, Debug, Default)]
pub struct ContentForm {
    pub section: String,
    pub topic: String,
    pub year: String,
    pub group_id: String,
    pub url: String,
    pub title: String,
    pub body_md: String,
}

/// What the form says, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub section: &'static str,
    pub topic: &'static str,
    pub year: Option<i32>,
    pub group_id: Option<String>,
    pub url: Option<String>,
}

impl ContentForm {
    pub fn from_parts(files: &[UploadedFile]) -> ContentForm {
        ContentForm {
            section: text_field(files, "section"),
            topic: text_field(files, "topic"),
            year: text_field(files, "year"),
            group_id: text_field(files, "group_id"),
            url: text_field(files, "url"),
            title: text_field(files, "title"),
            body_md: text_field(files, "body_md"),
        }
    }

    /// The draft, or every problem; `groups` are the ids a story may name.
    pub fn read(&self, groups: &[String]) -> Result<Draft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let section = SECTIONS.iter().copied().find(|s| *s == self.section);
        if section.is_none() {
            errors.add("section", "field-choice-invalid");
        }
        let section = section.unwrap_or_default();
        let topic = match topics(section) {
            [] => "",
            choices => choices.iter().copied().find(|t| *t == self.topic).unwrap_or_else(|| {
                errors.add("topic", "field-choice-invalid");
                ""
            }),
        };
        let year = (section == "story").then(|| self.story_year(&mut errors)).flatten();
        let group_id = match self.group_id.trim() {
            "" => None,
            g if section == "story" && groups.iter().any(|id| id == g) => Some(g.to_string()),
            _ => {
                errors.add("group_id", "field-choice-invalid");
                None
            }
        };
        let url = (section == "link").then(|| self.site(&mut errors)).flatten();
        match self.title.trim().chars().count() {
            0 => errors.add("title", "field-required"),
            n if n > 120 => errors.add("title", "field-text-too-long"),
            _ => {}
        }
        self.check_body(section, &mut errors);
        errors.into_result(Draft { section, topic, year, group_id, url })
    }

    fn story_year(&self, errors: &mut FieldErrors) -> Option<i32> {
        let this_year = seoul_today().year();
        let year = self.year.trim().parse::<i32>().ok().filter(|y| (2000..=this_year).contains(y));
        if year.is_none() {
            errors.add("year", "content-error-year");
        }
        year
    }

    fn site(&self, errors: &mut FieldErrors) -> Option<String> {
        let typed = self.url.trim();
        match url::Url::parse(typed) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u.to_string()),
            _ => {
                errors.add("url", "content-error-url");
                None
            }
        }
    }

    fn check_body(&self, section: &str, errors: &mut FieldErrors) {
        let body = self.body_md.trim();
        if body.is_empty() && section != "link" {
            errors.add("body_md", "field-required");
        } else if body.chars().count() > BODY_MAX_CHARS {
            errors.add("body_md", "field-text-too-long");
        } else if let Some(code) = unsafe_parts(body).first() {
            errors.add("body_md", code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(section: &str) -> ContentForm {
        ContentForm { section: section.into(), title: "제목".into(), body_md: "본문".into(), ..Default::default() }
    }

    #[test]
    fn each_section_asks_for_its_own_fields() {
        let f = ContentForm { topic: "birth_childcare".into(), ..form("policy") };
        assert_eq!(f.read(&[]).unwrap().topic, "birth_childcare");
        let errors = form("policy").read(&[]).unwrap_err();
        assert_eq!(errors.code("topic"), Some("field-choice-invalid"));
        let errors = ContentForm { topic: "youth".into(), year: "1999".into(), ..form("story") }.read(&[]).unwrap_err();
        assert_eq!(errors.code("year"), Some("content-error-year"));
        let story = ContentForm { topic: "youth".into(), year: "2025".into(), group_id: "g1".into(), ..form("story") };
        let d = story.read(&["g1".to_string()]).unwrap();
        assert_eq!((d.year, d.group_id.as_deref()), (Some(2025), Some("g1")));
        assert!(story.read(&[]).unwrap_err().has("group_id"));
        assert!(form("notes").read(&[]).unwrap_err().has("section"));
    }

    #[test]
    fn a_site_needs_a_web_address() {
        let site = |url: &str| ContentForm { url: url.into(), body_md: String::new(), ..form("link") }.read(&[]);
        assert_eq!(site("https://www.bokjiro.go.kr").unwrap().url.as_deref(), Some("https://www.bokjiro.go.kr/"));
        for bad in ["javascript:alert(1)", "www.bokjiro.go.kr", "ftp://x.kr", ""] {
            assert_eq!(site(bad).unwrap_err().code("url"), Some("content-error-url"), "{bad}");
        }
    }

    #[test]
    fn markdown_that_runs_is_refused_by_name() {
        let f = ContentForm {
            body_md: "안내\n\n<iframe src=\"https://evil.example\"></iframe>".into(),
            ..form("column")
        };
        assert_eq!(f.read(&[]).unwrap_err().code("body_md"), Some("content-error-frame"));
    }
}

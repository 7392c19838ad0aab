//! The catalog of user-facing text: Korean first, then English, Vietnamese and Chinese (Fluent `.ftl` files
//! compiled into the binary). A key missing in a language falls back to Korean, the text of record.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ko,
    En,
    Vi,
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::Ko, Locale::En, Locale::Vi, Locale::Zh];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
            Locale::Vi => "vi",
            Locale::Zh => "zh",
        }
    }

    /// The language's own name, as the language switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::Ko => "한국어",
            Locale::En => "English",
            Locale::Vi => "Tiếng Việt",
            Locale::Zh => "中文",
        }
    }

    /// Parses `ko`, `en-US`, `zh-Hans-CN`, … by their primary language subtag.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut ranked: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let locale = Locale::parse(pieces.next()?)?;
                let q =
                    pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                Some((q, locale))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, l)| *l)
    }
}

struct Catalog {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
    /// Messages without arguments, formatted once at start: most lookups on a page are these.
    plain: HashMap<Locale, HashMap<String, String>>,
}

static SOURCES: [(Locale, &str); 4] = [
    (Locale::Ko, include_str!("ko.ftl")),
    (Locale::En, include_str!("en.ftl")),
    (Locale::Vi, include_str!("vi.ftl")),
    (Locale::Zh, include_str!("zh.ftl")),
];

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let bundles = SOURCES
        .iter()
        .map(|(locale, source)| {
            let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _errors)| partial);
            let tag = locale.code().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![tag]);
            bundle.set_use_isolating(false);
            // Keys are unique per file (a unit test checks); a duplicate would only shadow itself.
            let _ = bundle.add_resource(resource);
            (*locale, bundle)
        })
        .collect::<HashMap<_, _>>();
    let plain = bundles.iter().map(|(locale, bundle)| (*locale, plain_messages(*locale, bundle))).collect();
    Catalog { bundles, plain }
});

fn plain_messages(locale: Locale, bundle: &FluentBundle<FluentResource>) -> HashMap<String, String> {
    keys(locale)
        .into_iter()
        .filter_map(|key| {
            let pattern = bundle.get_message(&key)?.value()?;
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
            // A message that needs arguments reports an error without them; it is formatted per call instead.
            errors.is_empty().then_some((key, text))
        })
        .collect()
}

fn format(locale: Locale, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = CATALOG.bundles.get(&locale)?;
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    Some(bundle.format_pattern(pattern, args, &mut errors).into_owned())
}

/// The text for `key` in `locale`, falling back to Korean, then to the key itself (so a gap is visible, not blank).
pub fn t(locale: Locale, key: &str) -> String {
    if let Some(text) = CATALOG.plain.get(&locale).and_then(|m| m.get(key)) {
        return text.clone();
    }
    format(locale, key, None).or_else(|| format(Locale::Ko, key, None)).unwrap_or_else(|| key.to_string())
}

/// The text for `key` in `locale` or Korean, or `None` when no catalog has it (for keys built from data).
pub fn t_opt(locale: Locale, key: &str) -> Option<String> {
    format(locale, key, None).or_else(|| format(Locale::Ko, key, None))
}

/// The message of an error code: `error-{code}` (snake case as kebab), or the code itself when it is a catalog key
/// (the pages' conflicts name their message directly).
pub fn error_text(locale: Locale, code: &str) -> String {
    t_opt(locale, &format!("error-{}", code.replace('_', "-"))).unwrap_or_else(|| t(locale, code))
}

/// Like [`t`] with named arguments: `t_args(l, "welcome", &[("name", "민지")])`.
pub fn t_args(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(value.to_string()));
    }
    format(locale, key, Some(&fluent_args))
        .or_else(|| format(Locale::Ko, key, Some(&fluent_args)))
        .unwrap_or_else(|| key.to_string())
}

/// Whole numbers with thousands separators: `-1250000` → `-1,250,000` (the same in every supported language).
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Every message id defined in `locale`'s file.
pub fn keys(locale: Locale) -> Vec<String> {
    let source = SOURCES.iter().find(|(l, _)| *l == locale).map(|(_, s)| *s).unwrap_or_default();
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_parses_without_errors() {
        for (locale, source) in SOURCES {
            let parsed = FluentResource::try_new(source.to_string());
            assert!(parsed.is_ok(), "{} catalog has syntax errors", locale.code());
        }
    }

    #[test]
    fn every_korean_key_exists_in_every_language() {
        let korean = keys(Locale::Ko);
        assert!(korean.len() > 50, "the Korean catalog looks truncated");
        for locale in [Locale::En, Locale::Vi, Locale::Zh] {
            let theirs = keys(locale);
            let missing: Vec<_> = korean.iter().filter(|k| !theirs.contains(k)).collect();
            assert!(missing.is_empty(), "{} lacks {:?}", locale.code(), missing);
        }
    }

    #[test]
    fn keys_are_unique_per_language() {
        for locale in Locale::ALL {
            let mut all = keys(locale);
            let before = all.len();
            all.sort();
            all.dedup();
            assert_eq!(before, all.len(), "{} defines a key twice", locale.code());
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Locale::from_accept_language("fr;q=0.9, en-US;q=0.8, ko;q=0.5"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("vi-VN"), Some(Locale::Vi));
        assert_eq!(Locale::from_accept_language("fr, de"), None);
    }

    #[test]
    fn arguments_are_substituted() {
        let text = t_args(Locale::En, "welcome-user", &[("name", "Minji")]);
        assert!(text.contains("Minji"), "{text}");
    }
}

//! Ngôn ngữ — the user-facing texts, Vietnamese first and English second, read from
//! `i18n/*.json`; the language comes from the `lang` cookie.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::LazyLock;

type Table = HashMap<String, String>;

fn load(text: &str) -> Table {
    serde_json::from_str(text).unwrap_or_default()
}

static VI: LazyLock<Table> = LazyLock::new(|| load(include_str!("../i18n/vi.json")));
static EN: LazyLock<Table> = LazyLock::new(|| load(include_str!("../i18n/en.json")));

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// The `lang` cookie, Vietnamese by default.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let english = crate::cookie::get(headers, "lang").as_deref() == Some("en");
        if english { Self::En } else { Self::Vi }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }
}

/// Looks texts up for one language; a missing key shows itself (and fails the tests).
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn get(&self, key: &str) -> &'static str {
        let table: &'static Table = match self.0 {
            Lang::Vi => &VI,
            Lang::En => &EN,
        };
        match table.get(key) {
            Some(text) => text.as_str(),
            None => VI.get(key).map_or("?", String::as_str),
        }
    }

    /// The label of a form field named in an error (`applicant.phone`), or the name itself.
    pub fn field(&self, name: &str) -> String {
        let key = format!("field.{name}");
        let table: &'static Table = match self.0 {
            Lang::Vi => &VI,
            Lang::En => &EN,
        };
        table
            .get(&key)
            .or_else(|| VI.get(&key))
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut vi: Vec<&String> = VI.keys().collect();
        let mut en: Vec<&String> = EN.keys().collect();
        vi.sort();
        en.sort();
        assert!(vi.len() > 40);
        assert_eq!(vi, en);
        assert!(VI.values().all(|v| !v.is_empty()));
    }

    #[test]
    fn the_cookie_picks_the_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::from_headers(&headers), Lang::Vi);
        headers.insert(axum::http::header::COOKIE, "a=b; lang=en".parse().unwrap());
        assert_eq!(Lang::from_headers(&headers), Lang::En);
        assert_eq!(Tr(Lang::En).get("nav.home"), "Home");
        assert_eq!(Tr(Lang::Vi).get("nav.home"), "Trang chủ");
    }
}

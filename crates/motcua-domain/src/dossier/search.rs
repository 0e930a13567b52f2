//! Tìm hồ sơ — what a dossier can be found by in the officers' search (its code, whole or
//! from its date on; the applicant's ID number or tax code; phone; name, from any of its
//! words on, diacritics optional) and how a typed query is read, as prefixes of those terms:
//! a store keeps each dossier's terms in an index and answers a query by prefix ranges.

use super::{Applicant, normalize_phone};
use crate::text::fold;

/// How many of a name's word tails are indexed (so a dossier has at most 13 terms).
const NAME_TAILS: usize = 8;

/// The shortest query searched: shorter ones would match too much to be useful.
pub const MIN_QUERY: usize = 3;

/// The terms a dossier is found by, each tagged with what it is.
pub fn search_terms(code: &str, applicant: &Applicant) -> Vec<String> {
    let mut out = Vec::new();
    let code = code.trim().to_uppercase();
    if !code.is_empty() {
        // The whole code, and the code from its date on (what a receipt's reader types).
        if let Some((_, tail)) = code.split_once('-') {
            out.push(format!("c:{tail}"));
        }
        out.push(format!("c:{code}"));
    }
    for number in [&applicant.id_number, &applicant.tax_code]
        .into_iter()
        .flatten()
    {
        let number = number.trim();
        if !number.is_empty() {
            out.push(format!("i:{number}"));
        }
    }
    if let Some(phone) = applicant
        .phone
        .as_deref()
        .and_then(|p| normalize_phone(p).ok())
    {
        out.push(format!("p:{phone}"));
    }
    // "le thi hoa", "thi hoa", "hoa": found by the family name, the given name or both
    // (a long organisation's name from any of its first eight words on).
    let words: Vec<String> = fold(&applicant.name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    for i in 0..words.len().min(NAME_TAILS) {
        out.push(format!("n:{}", words[i..].join(" ")));
    }
    out.sort();
    out.dedup();
    out
}

/// The term prefixes a typed query looks for (any of them matching finds the dossier), or
/// `None` when the query is too short to search.
pub fn query_prefixes(query: &str) -> Option<Vec<String>> {
    let q = query.trim();
    if q.chars().count() < MIN_QUERY {
        return None;
    }
    let mut out = Vec::new();
    let digits_only = q
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '+');
    let has_letter = q.chars().any(char::is_alphabetic);
    let code_like = q.contains('-') || q.contains('.');
    if digits_only || code_like {
        out.push(format!("c:{}", q.to_uppercase().replace(' ', "")));
    }
    if digits_only {
        let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        out.push(format!("i:{compact}"));
        match normalize_phone(&compact) {
            Ok(phone) => out.push(format!("p:{phone}")),
            Err(_) => out.push(format!("p:{}", compact.trim_start_matches("+84"))),
        }
    }
    if has_letter && !code_like {
        out.push(format!("n:{}", fold(q)));
    }
    if !digits_only && !has_letter && !code_like {
        return None;
    }
    out.dedup();
    Some(out)
}

/// The end of the range of terms that start with `prefix` (exclusive): the prefix with its
/// last character's successor, so `term >= prefix AND term < end` is one index range.
pub fn prefix_end(prefix: &str) -> String {
    let mut end = prefix.to_string();
    end.push(char::MAX);
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::{ApplicantKind, NotifyChannel};

    fn hoa() -> Applicant {
        Applicant {
            kind: ApplicantKind::Person,
            name: "Lê Thị Hoà".into(),
            id_number: Some("038190004321".into()),
            tax_code: None,
            phone: Some("+84 912 345 678".into()),
            email: None,
            address: None,
            notify: vec![NotifyChannel::Sms],
        }
    }

    fn finds(query: &str) -> bool {
        let terms = search_terms("000.30.01.H56-251222-0001", &hoa());
        query_prefixes(query).is_some_and(|prefixes| {
            prefixes
                .iter()
                .any(|p| terms.iter().any(|t| t.starts_with(p.as_str())))
        })
    }

    #[test]
    fn found_by_code_number_phone_and_name() {
        for q in [
            "000.30.01.H56-251222-0001",
            "000.30.01.h56",
            "251222-0001",
            "038190004321",
            "0381900",
            "0912345678",
            "0912 345 678",
            "+84912345678",
            "Lê Thị Hoà",
            "le thi hoa",
            "LE THI",
            "Hòa",
            "thi hoa",
        ] {
            assert!(finds(q), "{q}");
        }
        for q in [
            "",
            "hu",
            "Nguyễn",
            "le hoa",
            "0987654321",
            "000.30.02",
            "!!!",
        ] {
            assert!(!finds(q), "{q}");
        }
    }

    #[test]
    fn a_prefix_range_covers_its_terms_only() {
        let end = prefix_end("n:le");
        assert!("n:le thi hoa" < end.as_str() && "n:le" <= "n:le thi hoa");
        assert!("n:lf" > end.as_str() && "n:ld" < "n:le");
    }
}

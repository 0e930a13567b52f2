//! Số hóa và tái sử dụng — the citizen's electronic data store (kho dữ liệu điện tử của tổ
//! chức, cá nhân): a component scanned at the counter or uploaded online, and a result
//! returned, become digitised documents of their owner (a person by their identification
//! number, an organisation by its tax code) with what identifies them; a later filing of the
//! same owner is offered the valid ones of the type a component asks for, and reuses one
//! instead of a new scan or upload. This module decides whose a document is, its type, when
//! it may be offered, and what the counter types about it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::catalogue::{Component, Procedure};
use crate::dossier::{Applicant, ApplicantKind, check_citizen_id, check_tax_code};

/// Whose a document is: a person by their 12-digit identification number, an organisation
/// by its tax code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Owner {
    Person(String),
    Organisation(String),
}

impl Owner {
    /// The owner of what `applicant` hands in: the person's identification number, the
    /// organisation's tax code; none when the dossier does not carry a valid one (nothing
    /// is kept for an owner who cannot be told apart).
    pub fn of(applicant: &Applicant) -> Option<Self> {
        match applicant.kind {
            ApplicantKind::Person => applicant
                .id_number
                .as_deref()
                .map(str::trim)
                .filter(|n| check_citizen_id(n).is_ok())
                .map(|n| Self::Person(n.to_string())),
            ApplicantKind::Organisation => applicant
                .tax_code
                .as_deref()
                .map(str::trim)
                .filter(|n| check_tax_code(n).is_ok())
                .map(|n| Self::Organisation(n.to_string())),
        }
    }

    /// The key the store files it under: `cn:<number>` or `tc:<tax code>`.
    pub fn key(&self) -> String {
        match self {
            Self::Person(n) => format!("cn:{n}"),
            Self::Organisation(n) => format!("tc:{n}"),
        }
    }

    /// The owner a key names.
    pub fn from_key(key: &str) -> Option<Self> {
        match key.split_once(':') {
            Some(("cn", n)) if check_citizen_id(n).is_ok() => Some(Self::Person(n.to_string())),
            Some(("tc", n)) if check_tax_code(n).is_ok() => Some(Self::Organisation(n.to_string())),
            _ => None,
        }
    }
}

/// The store a citizen's account opens: the person its identification number names, only
/// when a national identity vouched for it (an account with a password alone can claim any
/// number, so it opens nothing).
pub fn store_of_account(id_number: Option<&str>, verified: bool) -> Option<Owner> {
    let number = id_number
        .map(str::trim)
        .filter(|n| check_citizen_id(n).is_ok())?;
    verified.then(|| Owner::Person(number.to_string()))
}

/// Tái sử dụng — how a received component stands towards the store, as the national portal's
/// `DuocTaiSuDung` says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reuse {
    /// Not kept for reuse (0).
    #[default]
    No,
    /// Kept in its owner's store, to be reused (1).
    Reusable,
    /// Taken from the store instead of a new paper (2).
    Reused,
}

impl Reuse {
    /// The portal's code.
    pub fn code(self) -> u8 {
        match self {
            Self::No => 0,
            Self::Reusable => 1,
            Self::Reused => 2,
        }
    }
}

/// How aed component stands: reused when one of its files came from the store, reusable
/// when one became a document of the store.
pub fn reuse_of(reused: bool, kept: bool) -> Reuse {
    match (reused, kept) {
        (true, _) => Reuse::Reused,
        (false, true) => Reuse::Reusable,
        _ => Reuse::No,
    }
}

/// How a document came into the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Scanned at the counter from the paper the citizen showed.
    Scan,
    /// Uploaded by the citizen with an online filing or a supplement.
    Upload,
    /// A result the agency returned.
    Result,
}

impl Source {
    pub const ALL: [Source; 3] = [Self::Scan, Self::Upload, Self::Result];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scan => "scan",
            Self::Upload => "upload",
            Self::Result => "result",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Scan => "Số hóa tại quầy",
            Self::Upload => "Tải lên khi nộp trực tuyến",
            Self::Result => "Kết quả giải quyết",
        }
    }
}

/// A document type's key: the catalogue's own when it names one, else the name folded
/// (lowercase, no marks, words joined by `-`, at most 80 characters), so that the same
/// paper named the same way in two procedures is one type.
pub fn type_key(explicit: Option<&str>, name: &str) -> String {
    let source = explicit
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(name);
    let folded = crate::text::fold(source);
    let key: String = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    key.chars().take(80).collect()
}

/// The type a component of a case asks for.
pub fn component_type(component: &Component) -> String {
    type_key(component.document_type.as_deref(), &component.name)
}

/// The type of the document a procedure's positive result is, and its name: the
/// catalogue's `result_document_type` when set, else its first result's name.
pub fn result_type(procedure: &Procedure) -> Option<(String, String)> {
    let name = procedure.results.first()?.clone();
    Some((
        type_key(procedure.result_document_type.as_deref(), &name),
        name,
    ))
}

/// What identifies a digitised document, as the counter types it (all but the type may
/// be left empty; the dates as known).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Số / ký hiệu of the paper.
    pub number: String,
    /// Cơ quan cấp.
    pub issuer: String,
    pub issued_on: Option<NaiveDate>,
    /// Hết hiệu lực — none for a paper valid without limit.
    pub expires_on: Option<NaiveDate>,
    /// An officer compared it with the original.
    pub checked: bool,
}

impl DocumentMeta {
    /// Checks what was typed on `today`: short texts, a date of issue not in the future,
    /// an expiry after the issue.
    pub fn check(self, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let number = crate::text::nfc(self.number.trim());
        let issuer = crate::text::nfc(self.issuer.trim());
        if number.chars().count() > 60 {
            errors.push(FieldError::new(
                "number",
                "số, ký hiệu giấy tờ dài quá 60 ký tự",
            ));
        }
        if issuer.chars().count() > 200 {
            errors.push(FieldError::new(
                "issuer",
                "tên cơ quan cấp dài quá 200 ký tự",
            ));
        }
        if self.issued_on.is_some_and(|d| d > today) {
            errors.push(FieldError::new(
                "issued_on",
                "ngày cấp không thể sau hôm nay",
            ));
        }
        if let (Some(issued), Some(expires)) = (self.issued_on, self.expires_on)
            && expires < issued
        {
            errors.push(FieldError::new(
                "expires_on",
                "ngày hết hiệu lực phải sau ngày cấp",
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                number,
                issuer,
                ..self
            })
        } else {
            Err(errors)
        }
    }
}

/// Whether a document whose validity ends `expires_on` still holds on `today` (the last
/// day included).
pub fn valid_on(expires_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    expires_on.is_none_or(|end| today <= end)
}

/// Whether a document may be offered for reuse on `today`: still valid, not hidden by its
/// owner, of the type asked for.
pub fn offerable(
    doc_type: &str,
    expires_on: Option<NaiveDate>,
    hidden: bool,
    wanted: &str,
    today: NaiveDate,
) -> bool {
    !hidden && doc_type == wanted && valid_on(expires_on, today)
}

/// The most of a document's words kept for search, in characters.
pub const WORDS_KEPT: usize = 20_000;

/// A document's words as kept for search: folded (lowercase, no marks, one space between
/// words) and cut to [`WORDS_KEPT`].
pub fn words_of(text: &str) -> String {
    crate::text::fold(text).chars().take(WORDS_KEPT).collect()
}

/// Whether a document answers a search: every word of `query`, folded, is found in its
/// kind, number, issuer or the words read from it (diacritics and case do not matter).
pub fn matches(query: &str, type_name: &str, meta: &DocumentMeta, words: Option<&str>) -> bool {
    let haystack = format!(
        "{} {} {} {}",
        crate::text::fold(type_name),
        crate::text::fold(&meta.number),
        crate::text::fold(&meta.issuer),
        words.unwrap_or_default()
    );
    crate::text::fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| haystack.contains(w))
}

/// What someone did with a document, as the owner's access log shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Its file was downloaded.
    Download,
    /// It was taken into a dossier instead of a new scan or upload.
    Reuse,
    /// Its owner hid it from reuse, or showed it again.
    Hide,
    Show,
}

impl Access {
    pub const ALL: [Access; 4] = [Self::Download, Self::Reuse, Self::Hide, Self::Show];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Download => "download",
            Self::Reuse => "reuse",
            Self::Hide => "hide",
            Self::Show => "show",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Download => "Tải về",
            Self::Reuse => "Dùng lại cho hồ sơ",
            Self::Hide => "Ẩn khỏi việc dùng lại",
            Self::Show => "Cho dùng lại",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn owners_and_keys() {
        let mut a = Applicant {
            kind: ApplicantKind::Person,
            name: "Lê Văn An".into(),
            id_number: Some(" 038190012345 ".into()),
            tax_code: None,
            phone: None,
            email: None,
            address: None,
            notify: vec![],
        };
        let owner = Owner::of(&a).unwrap();
        assert_eq!(owner.key(), "cn:038190012345");
        assert_eq!(Owner::from_key(&owner.key()), Some(owner));
        a.id_number = Some("12345".into());
        assert_eq!(Owner::of(&a), None);
        a.kind = ApplicantKind::Organisation;
        a.tax_code = Some("2800123456".into());
        assert_eq!(Owner::of(&a).unwrap().key(), "tc:2800123456");
        assert_eq!(Owner::from_key("cn:1"), None);
        assert_eq!(Owner::from_key("x:2800123456"), None);
    }

    #[test]
    fn search_reads_the_kind_the_number_and_the_words() {
        let meta = DocumentMeta {
            number: "GCN-123".into(),
            issuer: "Sở Tài nguyên".into(),
            ..DocumentMeta::default()
        };
        let words = words_of("BIÊN LAI  THU PHÍ, LỆ PHÍ\nSố: 0001257");
        assert_eq!(words, "bien lai thu phi, le phi so: 0001257");
        assert!(matches("biên lai 0001257", "Tờ khai", &meta, Some(&words)));
        assert!(matches("gcn-123 tai nguyen", "Tờ khai", &meta, None));
        assert!(matches("TỜ KHAI", "Tờ khai", &meta, None));
        assert!(!matches("khai sinh", "Tờ khai", &meta, Some(&words)));
        assert!(matches("", "Tờ khai", &meta, None), "no query: everything");
    }

    #[test]
    fn an_account_opens_its_store_only_when_vouched_for() {
        assert_eq!(
            store_of_account(Some("038190012345"), true),
            Some(Owner::Person("038190012345".into()))
        );
        assert_eq!(store_of_account(Some("038190012345"), false), None);
        assert_eq!(store_of_account(Some("0381"), true), None);
        assert_eq!(store_of_account(None, true), None);
    }

    #[test]
    fn types_fold_names_unless_the_catalogue_names_one() {
        assert_eq!(
            type_key(None, "Giấy chứng nhận quyền sử dụng đất"),
            "giay-chung-nhan-quyen-su-dung-dat"
        );
        assert_eq!(type_key(Some(" gcn-qsdd "), "Bản sao GCN"), "gcn-qsdd");
        assert_eq!(type_key(Some(""), "Đơn (mẫu 01)"), "don-mau-01");
        assert!(type_key(None, &"giấy ".repeat(40)).chars().count() <= 80);
    }

    #[test]
    fn metadata_is_checked_and_validity_ends_with_its_last_day() {
        let today = day(2026, 12, 3);
        let ok = DocumentMeta {
            number: " 123/GKS ".into(),
            issuer: "UBND phường Hạc Thành".into(),
            issued_on: Some(day(2020, 1, 2)),
            expires_on: None,
            checked: true,
        }
        .check(today)
        .unwrap();
        assert_eq!(ok.number, "123/GKS");
        let errors = DocumentMeta {
            issued_on: Some(day(2027, 1, 1)),
            expires_on: Some(day(2026, 1, 1)),
            ..DocumentMeta::default()
        }
        .check(today)
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["issued_on", "expires_on"]);
        assert!(valid_on(Some(today), today));
        assert!(!valid_on(Some(day(2026, 12, 2)), today));
        assert!(offerable("gks", None, false, "gks", today));
        assert!(!offerable("gks", None, true, "gks", today), "hidden");
        assert!(!offerable("gks", None, false, "cccd", today));
    }
}

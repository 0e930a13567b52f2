//! Định danh điện tử — a citizen signed in through a national identity provider (VNeID, the
//! DVCQG account): the identity read from the provider's claims (`shared/domain/INTEGRATION.md`
//! §(c): `SoDinhDanh`, `HoVaTen`, `NgayThangNamSinh`, `LoaiTaiKhoan`, `loAs`, …, with the
//! standard OpenID names as fallbacks), its level of assurance, and when an account counts
//! as verified (`TaiKhoanDuocXacThucVoiVNeID`).

use chrono::NaiveDate;
use serde_json::Value;

use crate::dossier::{check_citizen_id, check_email, normalize_phone};

/// `LoaiTaiKhoan`: whose account it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Citizen,
    Business,
    Organisation,
}

/// A person as the identity provider vouches for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalIdentity {
    /// The provider's name in motcua's settings (`vneid`, `dvcqg`).
    pub provider: String,
    /// `sub`: the provider's stable identifier of the account.
    pub subject: String,
    /// `SoDinhDanh`: the 12-digit personal identification number, when the claims carry one.
    pub id_number: Option<String>,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    /// In its stored form (`0912345678`); a malformed one is left out.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub kind: AccountKind,
    /// The level of assurance (1, 2, …) the provider reports, the highest of those given.
    pub assurance: Option<u8>,
    /// `TechID`: the portal's technical identifier of the account (`MaDoiTuong` in the sync).
    pub tech_id: Option<String>,
    /// `logoutUri`: where this sign-in is ended at the provider (VNeID gives one per
    /// session), when it is an http(s) address.
    pub logout_uri: Option<String>,
}

/// The first of `names` present in `claims` as text (numbers are read as their digits).
fn text_claim(claims: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match claims.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A level of assurance written as `LoA2`, `2`, `mức 2`, `urn:…:loa:2` or `IAL2`: its number.
fn level(text: &str) -> Option<u8> {
    let digits: String = text
        .trim()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|l| (1..=4).contains(l))
}

/// The highest level of assurance in the claims: `loAs` (a list or one value), `acr`, `IAL`.
pub fn assurance_of(claims: &Value) -> Option<u8> {
    let mut levels = Vec::new();
    for name in ["loAs", "loA", "acr", "IAL", "ial"] {
        match claims.get(name) {
            Some(Value::Array(items)) => levels.extend(items.iter().filter_map(|v| match v {
                Value::String(s) => level(s),
                Value::Number(n) => level(&n.to_string()),
                _ => None,
            })),
            Some(Value::String(s)) => levels.extend(level(s)),
            Some(Value::Number(n)) => levels.extend(level(&n.to_string())),
            _ => {}
        }
    }
    levels.into_iter().max()
}

/// A date of birth as `yyyyMMdd` (VNeID), `dd/MM/yyyy` (DVCQG) or `yyyy-MM-dd` (OpenID).
fn birth_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%Y%m%d", "%d/%m/%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// Reads the identity from the provider's claims (the ID token's and the userinfo's, merged).
/// Refused, with a message for the citizen: no subject, no name, or an identification number
/// that is not one.
pub fn from_claims(provider: &str, claims: &Value) -> Result<NationalIdentity, String> {
    let subject = text_claim(claims, &["sub"])
        .ok_or("nhà cung cấp định danh không cho biết mã tài khoản (sub)")?;
    let kind = match text_claim(claims, &["LoaiTaiKhoan"]).as_deref() {
        None | Some("1") => AccountKind::Citizen,
        Some("2") => AccountKind::Business,
        Some(_) => AccountKind::Organisation,
    };
    let id_number = text_claim(claims, &["SoDinhDanh", "so_dinh_danh", "personal_id"]);
    if let Some(Err(e)) = id_number.as_deref().map(check_citizen_id) {
        return Err(format!("số định danh cá nhân nhận được không hợp lệ: {e}"));
    }
    let full_name = text_claim(claims, &["HoVaTen", "name"])
        .map(|n| crate::text::nfc(&n))
        .or_else(|| {
            let given = text_claim(claims, &["given_name"])?;
            let family = text_claim(claims, &["family_name"]).unwrap_or_default();
            Some(crate::text::nfc(format!("{family} {given}").trim()))
        })
        .ok_or("nhà cung cấp định danh không cho biết họ và tên")?;
    let phone =
        text_claim(claims, &["SoDienThoai", "phone_number"]).and_then(|p| normalize_phone(&p).ok());
    let email = text_claim(claims, &["ThuDienTu", "email"])
        .map(|e| e.to_lowercase())
        .filter(|e| check_email(e).is_ok());
    Ok(NationalIdentity {
        provider: provider.to_string(),
        subject,
        id_number,
        full_name,
        birth_date: text_claim(claims, &["NgayThangNamSinh", "birthdate"])
            .as_deref()
            .and_then(birth_date),
        phone,
        email,
        kind,
        assurance: assurance_of(claims),
        tech_id: text_claim(claims, &["TechID"]),
        logout_uri: text_claim(claims, &["logoutUri"]).filter(|u| {
            (u.starts_with("https://") || u.starts_with("http://"))
                && !u.chars().any(|c| c.is_whitespace() || c.is_control())
        }),
    })
}

/// The level of assurance from which an account counts as verified with the national
/// identity unless the deployment sets another: VNeID's level 2 (identity checked in person
/// against the chip of the citizen identity card).
pub const DEFAULT_VERIFIED_LEVEL: u8 = 2;

/// Whether an account counts as verified (`TaiKhoanDuocXacThucVoiVNeID`): a national identity
/// vouched for it at `minimum` or above. A password account never does.
pub fn is_verified(assurance: Option<u8>, minimum: u8) -> bool {
    assurance.is_some_and(|level| level >= minimum.max(1))
}

/// Why a national identity may not sign in to a citizen's account here, if it may not.
pub fn refusal(identity: &NationalIdentity) -> Option<&'static str> {
    match identity.kind {
        AccountKind::Citizen if identity.id_number.is_some() => None,
        AccountKind::Citizen => Some(
            "tài khoản định danh chưa có số định danh cá nhân; hãy hoàn tất định danh trên VNeID",
        ),
        AccountKind::Business | AccountKind::Organisation => Some(
            "tài khoản của doanh nghiệp, tổ chức chưa đăng nhập được ở đây; hãy nộp hồ sơ trên Cổng Dịch vụ công quốc gia",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vneid_claims_are_read() {
        let claims = json!({
            "sub": "a1b2", "HoVaTen": "Trần Văn Bình", "SoDinhDanh": "038090012345",
            "NgayThangNamSinh": "19900512", "LoaiTaiKhoan": 1, "loAs": ["LoA1", "LoA2"],
            "SoDienThoai": "+84 912 345 678", "ThuDienTu": "Binh@Example.VN", "TechID": "T-9",
        });
        let id = from_claims("vneid", &claims).unwrap();
        assert_eq!(id.subject, "a1b2");
        assert_eq!(id.id_number.as_deref(), Some("038090012345"));
        assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1990, 5, 12));
        assert_eq!(id.phone.as_deref(), Some("0912345678"));
        assert_eq!(id.email.as_deref(), Some("binh@example.vn"));
        assert_eq!(id.assurance, Some(2));
        assert_eq!(id.tech_id.as_deref(), Some("T-9"));
        assert_eq!(id.logout_uri, None);
        let with = |uri: &str| {
            let mut c = claims.clone();
            c["logoutUri"] = json!(uri);
            from_claims("vneid", &c).unwrap().logout_uri
        };
        assert_eq!(
            with("https://vneid.example/api/idp/third-party/logout?token_id=x").as_deref(),
            Some("https://vneid.example/api/idp/third-party/logout?token_id=x")
        );
        assert_eq!(with("javascript:alert(1)"), None);
        assert_eq!(refusal(&id), None);
    }

    #[test]
    fn standard_names_and_levels_are_understood() {
        let id = from_claims(
            "dvcqg",
            &json!({"sub": "x", "given_name": "An", "family_name": "Nguyễn Văn",
                     "birthdate": "1985-01-02", "acr": "urn:vn:loa:1", "phone_number": "12"}),
        )
        .unwrap();
        assert_eq!(id.full_name, "Nguyễn Văn An");
        assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1985, 1, 2));
        assert_eq!(id.assurance, Some(1));
        assert_eq!(id.phone, None, "a malformed phone is left out");
        assert!(refusal(&id).is_some(), "no identification number");
        assert_eq!(assurance_of(&json!({"IAL": 3, "acr": "LoA2"})), Some(3));
        assert_eq!(assurance_of(&json!({"acr": "LoA9"})), None);
        assert_eq!(assurance_of(&json!({})), None);
    }

    #[test]
    fn bad_claims_are_refused_by_name() {
        assert!(from_claims("vneid", &json!({"HoVaTen": "A"})).is_err());
        assert!(from_claims("vneid", &json!({"sub": "a"})).is_err());
        let e = from_claims(
            "vneid",
            &json!({"sub": "a", "HoVaTen": "A", "SoDinhDanh": "12ab"}),
        )
        .unwrap_err();
        assert!(e.contains("12ab"), "{e}");
        let business = from_claims(
            "dvcqg",
            &json!({"sub": "b", "HoVaTen": "Công ty A", "LoaiTaiKhoan": "2"}),
        )
        .unwrap();
        assert_eq!(business.kind, AccountKind::Business);
        assert!(refusal(&business).unwrap().contains("doanh nghiệp"));
    }

    #[test]
    fn verified_means_the_level_reached() {
        assert!(is_verified(Some(2), DEFAULT_VERIFIED_LEVEL));
        assert!(is_verified(Some(3), 2));
        assert!(!is_verified(Some(1), 2));
        assert!(!is_verified(None, 1));
        assert!(is_verified(Some(1), 0), "a minimum below 1 is read as 1");
    }
}

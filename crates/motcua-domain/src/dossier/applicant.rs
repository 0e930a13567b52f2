//! Người nộp hồ sơ — the applicant (a person or an organisation) and how they want to be
//! reached, validated at the edge.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// Cá nhân hay tổ chức.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Person,
    Organisation,
}

/// Kênh nhận thông báo — a channel the citizen agreed to be told through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyChannel {
    Sms,
    Email,
    Zalo,
}

impl NotifyChannel {
    /// Its name in the outbox and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Email => "email",
            Self::Zalo => "zalo",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Sms, Self::Email, Self::Zalo]
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    /// Where a message on this channel goes for someone with this phone and e-mail: SMS
    /// and Zalo reach the phone number (Zalo's official-account API addresses users by it).
    pub fn address<'a>(self, phone: Option<&'a str>, email: Option<&'a str>) -> Option<&'a str> {
        match self {
            Self::Sms | Self::Zalo => phone,
            Self::Email => email,
        }
        .filter(|a| !a.trim().is_empty())
    }
}

/// The channels an officer may choose for alerts and the morning list (SMS is kept for
/// citizens: it is paid per message).
pub const STAFF_CHANNELS: [NotifyChannel; 2] = [NotifyChannel::Email, NotifyChannel::Zalo];

/// The applicant as received: person (CCCD) or organisation (tax code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub name: String,
    /// Số định danh cá nhân / CCCD: 12 digits (persons).
    #[serde(default)]
    pub id_number: Option<String>,
    /// Mã số thuế: 10 digits, or 10 + "-" + 3 for a branch (organisations).
    #[serde(default)]
    pub tax_code: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub notify: Vec<NotifyChannel>,
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a 12-digit personal identification number (CCCD): a province code 001–096 and a
/// century/sex digit.
pub fn check_citizen_id(text: &str) -> Result<(), String> {
    if text.len() != 12 || !digits(text) {
        return Err(format!("số CCCD “{text}” phải gồm đúng 12 chữ số"));
    }
    let province: u32 = text[..3]
        .parse()
        .map_err(|_| "số CCCD không hợp lệ".to_string())?;
    if !(1..=96).contains(&province) {
        return Err(format!(
            "số CCCD “{text}” có mã tỉnh {:03} không tồn tại",
            province
        ));
    }
    Ok(())
}

/// Checks a tax code: 10 digits, or 10 digits, a dash and 3 digits.
pub fn check_tax_code(text: &str) -> Result<(), String> {
    let ok = match text.split_once('-') {
        None => text.len() == 10 && digits(text),
        Some((main, branch)) => {
            main.len() == 10 && digits(main) && branch.len() == 3 && digits(branch)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "mã số thuế “{text}” phải gồm 10 chữ số, hoặc 10 chữ số-3 chữ số"
        ))
    }
}

/// Normalizes a Vietnamese phone number to 10 digits starting with 0 (accepts +84 / 84).
pub fn normalize_phone(text: &str) -> Result<String, String> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let local = if let Some(rest) = compact.strip_prefix("+84") {
        format!("0{rest}")
    } else if compact.len() == 11 && compact.starts_with("84") {
        format!("0{}", &compact[2..])
    } else {
        compact
    };
    if local.len() == 10 && local.starts_with('0') && digits(&local) {
        Ok(local)
    } else {
        Err(format!(
            "số điện thoại “{text}” không hợp lệ (10 chữ số, bắt đầu bằng 0)"
        ))
    }
}

pub fn check_email(text: &str) -> Result<(), String> {
    let valid = text.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !text.contains(char::is_whitespace)
        && text.len() <= 254;
    if valid {
        Ok(())
    } else {
        Err(format!("địa chỉ thư điện tử “{text}” không hợp lệ"))
    }
}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

impl Applicant {
    /// Trims and normalizes the fields and returns every problem found, each naming its field.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        self.name = crate::text::nfc(self.name.trim());
        if self.name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "họ tên / tên tổ chức không được để trống",
            ));
        } else if self.name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "họ tên / tên tổ chức dài quá 200 ký tự",
            ));
        }
        for value in [
            &mut self.id_number,
            &mut self.tax_code,
            &mut self.phone,
            &mut self.email,
        ] {
            if blank(value) {
                *value = None;
            } else if let Some(v) = value.as_mut() {
                *v = v.trim().to_string();
            }
        }
        self.address = self
            .address
            .as_deref()
            .map(|a| crate::text::nfc(a.trim()))
            .filter(|a| !a.is_empty());
        match self.kind {
            ApplicantKind::Person => match &self.id_number {
                None => errors.push(FieldError::new(
                    "id_number",
                    "cần số CCCD (12 chữ số) của người nộp",
                )),
                Some(id) => {
                    if let Err(e) = check_citizen_id(id) {
                        errors.push(FieldError::new("id_number", e));
                    }
                }
            },
            ApplicantKind::Organisation => match &self.tax_code {
                None => errors.push(FieldError::new("tax_code", "cần mã số thuế của tổ chức")),
                Some(code) => {
                    if let Err(e) = check_tax_code(code) {
                        errors.push(FieldError::new("tax_code", e));
                    }
                }
            },
        }
        if let Some(phone) = &self.phone {
            match normalize_phone(phone) {
                Ok(p) => self.phone = Some(p),
                Err(e) => errors.push(FieldError::new("phone", e)),
            }
        }
        if let Some(Err(e)) = self.email.as_deref().map(check_email) {
            errors.push(FieldError::new("email", e));
        }
        self.notify.dedup();
        for channel in &self.notify {
            let missing = match channel {
                NotifyChannel::Sms | NotifyChannel::Zalo => self.phone.is_none(),
                NotifyChannel::Email => self.email.is_none(),
            };
            if missing {
                let field = if *channel == NotifyChannel::Email {
                    "email"
                } else {
                    "phone"
                };
                errors.push(FieldError::new(
                    "notify",
                    format!("chọn nhận thông báo qua {channel:?} nhưng chưa có {field}"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// Địa bàn phát sinh — the commune-level area an address lies in ("phường Hạc Thành"), as
/// the log book records it: the last part of the address naming a xã, phường, thị trấn or
/// đặc khu. `None` when the address names none.
pub fn area_of(address: &str) -> Option<String> {
    address
        .split([',', ';', '-'])
        .map(str::trim)
        .rev()
        .find(|part| {
            let lower = part.to_lowercase();
            ["xã ", "phường ", "thị trấn ", "đặc khu "]
                .iter()
                .any(|kind| lower.starts_with(kind))
        })
        .map(crate::text::nfc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_is_the_commune_part_of_the_address() {
        assert_eq!(
            area_of("Số 18 phố Trường Thi, phường Hạc Thành, tỉnh Thanh Hóa").as_deref(),
            Some("phường Hạc Thành")
        );
        assert_eq!(
            area_of("Thôn 3, Xã Hoằng Hóa, Thanh Hóa").as_deref(),
            Some("Xã Hoằng Hóa")
        );
        assert_eq!(area_of("12 Lê Lợi, Thanh Hóa"), None);
        assert_eq!(area_of(""), None);
    }

    fn person() -> Applicant {
        Applicant {
            kind: ApplicantKind::Person,
            name: " Nguyễn Văn An ".into(),
            id_number: Some("038090001234".into()),
            tax_code: None,
            phone: Some("+84 912 345 678".into()),
            email: Some("an@example.vn".into()),
            address: Some("Phường Hạc Thành, Thanh Hóa".into()),
            notify: vec![NotifyChannel::Sms, NotifyChannel::Email],
        }
    }

    #[test]
    fn valid_person_is_normalized() {
        let a = person().validate().unwrap();
        assert_eq!(a.name, "Nguyễn Văn An");
        assert_eq!(a.phone.as_deref(), Some("0912345678"));
    }

    #[test]
    fn every_problem_is_named() {
        let mut a = person();
        a.name = "  ".into();
        a.id_number = Some("12345".into());
        a.phone = Some("12".into());
        a.email = Some("not-an-email".into());
        let errors = a.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "id_number", "phone", "email"]);
        // Choosing a channel without its contact is named too.
        let mut b = person();
        b.email = None;
        assert_eq!(b.validate().unwrap_err()[0].field, "notify");
    }

    #[test]
    fn citizen_ids_and_tax_codes() {
        assert!(check_citizen_id("001203004567").is_ok());
        assert!(check_citizen_id("000203004567").is_err());
        assert!(check_citizen_id("099203004567").is_err());
        assert!(check_citizen_id("00120300456a").is_err());
        assert!(check_tax_code("2800123456").is_ok());
        assert!(check_tax_code("2800123456-001").is_ok());
        assert!(check_tax_code("28001234").is_err());
        assert!(check_tax_code("2800123456-1").is_err());
    }

    #[test]
    fn organisation_needs_tax_code() {
        let a = Applicant {
            kind: ApplicantKind::Organisation,
            name: "Công ty TNHH Minh Phát".into(),
            id_number: None,
            tax_code: None,
            phone: None,
            email: None,
            address: None,
            notify: vec![],
        };
        let errors = a.validate().unwrap_err();
        assert_eq!(errors[0].field, "tax_code");
    }
}

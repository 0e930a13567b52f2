//! Cơ quan, đơn vị và cán bộ — agencies (a tree of any depth), their identifier codes, and
//! the roles staff hold within them.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::FieldError;

/// Mã định danh cơ quan — an agency's national identifier code (QCVN 102:2016),
/// `V1V2V3.Z1Z2.Y1Y2.MX1X2`, e.g. `000.00.07.H56`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('.').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [v, z, y, m] => {
                digits(v, 3)
                    && digits(z, 2)
                    && digits(y, 2)
                    && m.len() == 3
                    && m.as_bytes()[0].is_ascii_uppercase()
                    && digits(&m[1..], 2)
            }
            _ => false,
        };
        if ok {
            Ok(Self(text.to_string()))
        } else {
            Err(FieldError::new(
                "agency_code",
                format!("mã định danh cơ quan “{text}” không đúng dạng 000.00.00.H00"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AgencyCode> for String {
    fn from(code: AgencyCode) -> Self {
        code.0
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Cấp — the administrative level an agency belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    /// Bộ, ngành trung ương
    Ministry,
    /// Cấp tỉnh (UBND tỉnh, sở, ban, ngành)
    Province,
    /// Cấp huyện — existed until 30/06/2025; kept for older dossiers.
    District,
    /// Cấp xã, phường, đặc khu
    Commune,
}

impl AgencyLevel {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Ministry => "Cấp bộ",
            Self::Province => "Cấp tỉnh",
            Self::District => "Cấp huyện",
            Self::Commune => "Cấp xã",
        }
    }

    /// Reads the catalogue's spelling ("Cấp tỉnh", "cấp xã", …).
    pub fn from_label(label: &str) -> Option<Self> {
        let lower = label.trim().to_lowercase();
        if lower.contains("tỉnh") {
            Some(Self::Province)
        } else if lower.contains("xã") {
            Some(Self::Commune)
        } else if lower.contains("huyện") {
            Some(Self::District)
        } else if lower.contains("bộ") || lower.contains("trung ương") {
            Some(Self::Ministry)
        } else {
            None
        }
    }
}

/// Vai trò — what a staff member may do, always within an agency (and its sub-tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Công chức một cửa — receives, checks, forwards, returns.
    CounterOfficer,
    /// Chuyên viên — appraises, consults, proposes.
    Specialist,
    /// Lãnh đạo phòng — checks and forwards to the agency leader, assigns.
    UnitLeader,
    /// Lãnh đạo cơ quan — approves and signs; approves apologies.
    AgencyLeader,
    /// Giám sát — sees every dossier of the agency's sub-tree.
    Supervisor,
    /// Quản trị — agencies, staff, procedures, calendar.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::CounterOfficer,
        Role::Specialist,
        Role::UnitLeader,
        Role::AgencyLeader,
        Role::Supervisor,
        Role::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CounterOfficer => "counter_officer",
            Self::Specialist => "specialist",
            Self::UnitLeader => "unit_leader",
            Self::AgencyLeader => "agency_leader",
            Self::Supervisor => "supervisor",
            Self::Administrator => "administrator",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::CounterOfficer => "Công chức một cửa",
            Self::Specialist => "Chuyên viên",
            Self::UnitLeader => "Lãnh đạo phòng",
            Self::AgencyLeader => "Lãnh đạo cơ quan",
            Self::Supervisor => "Giám sát",
            Self::Administrator => "Quản trị",
        }
    }

    /// Leaders may do what the role below them does within their agency.
    pub fn is_leader(self) -> bool {
        matches!(self, Self::UnitLeader | Self::AgencyLeader)
    }
}

/// Chức danh ký — the title block of a letter its signer signs for the agency's head: the
/// head's own title ("GIÁM ĐỐC"), or, for a deputy ("Phó Giám đốc"), "KT. GIÁM ĐỐC" (ký thay)
/// above the deputy's own ("PHÓ GIÁM ĐỐC"). Without a title: "THỦ TRƯỞNG CƠ QUAN".
pub fn signing_title(title: Option<&str>) -> String {
    let title = crate::text::nfc(title.unwrap_or_default().trim()).to_uppercase();
    if title.is_empty() {
        return "THỦ TRƯỞNG CƠ QUAN".into();
    }
    match title.strip_prefix("PHÓ ").map(str::trim) {
        Some(head) if !head.is_empty() => format!("KT. {head}\n{title}"),
        _ => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deputy_signs_for_the_head() {
        assert_eq!(signing_title(Some("Giám đốc")), "GIÁM ĐỐC");
        assert_eq!(
            signing_title(Some("Phó Giám đốc")),
            "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
        );
        assert_eq!(
            signing_title(Some(" phó chủ tịch ")),
            "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        );
        assert_eq!(signing_title(None), "THỦ TRƯỞNG CƠ QUAN");
    }

    #[test]
    fn agency_codes() {
        assert!(AgencyCode::parse("000.00.07.H56").is_ok());
        assert!(AgencyCode::parse("000.17.22.H56").is_ok());
        assert!(AgencyCode::parse("000.00.00.G08").is_ok());
        for bad in [
            "",
            "000.00.07",
            "000.00.07.h56",
            "00.00.07.H56",
            "000.00.07.H5X",
            "000.0a.07.H56",
        ] {
            assert!(AgencyCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn levels_from_catalogue_labels() {
        assert_eq!(
            AgencyLevel::from_label("Cấp tỉnh"),
            Some(AgencyLevel::Province)
        );
        assert_eq!(
            AgencyLevel::from_label("Cấp xã"),
            Some(AgencyLevel::Commune)
        );
        assert_eq!(
            AgencyLevel::from_label("Cấp Bộ"),
            Some(AgencyLevel::Ministry)
        );
        assert_eq!(AgencyLevel::from_label("khác"), None);
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}

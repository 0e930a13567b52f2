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

/// Chứng thư ký — which certificate signs an agency's papers and results: the agency's own
/// (an organisation certificate, often in the agency's HSM), or the personal certificate of
/// the person who signs (the leader's USB token, as Vietnamese CAs issue them to leaders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignWith {
    #[default]
    Agency,
    Person,
}

impl SignWith {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agency => "agency",
            Self::Person => "person",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "agency" => Some(Self::Agency),
            "person" => Some(Self::Person),
            _ => None,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Agency => "Chứng thư số của cơ quan",
            Self::Person => "Chứng thư số cá nhân của người ký",
        }
    }
}

/// Whose key signs a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChoice {
    /// The agency's key.
    Agency(i64),
    /// The personal key of this staff member.
    Person(i64),
    /// Nobody's: the agency signs with personal certificates and the paper names no person.
    Nobody,
}

/// The key that signs for `agency`, which chose `with`, a paper signed by `person` (the
/// staff member who signs it, if any).
pub fn key_for(with: SignWith, agency: i64, person: Option<i64>) -> KeyChoice {
    match (with, person) {
        (SignWith::Agency, _) => KeyChoice::Agency(agency),
        (SignWith::Person, Some(staff)) => KeyChoice::Person(staff),
        (SignWith::Person, None) => KeyChoice::Nobody,
    }
}

/// Whether an agency is a People's Committee (Ủy ban nhân dân, a collective body): its
/// letters carry no parent line, and its leaders sign "TM. ỦY BAN NHÂN DÂN".
pub fn is_peoples_committee(name: &str) -> bool {
    let name = crate::text::nfc(name.trim()).to_lowercase();
    name.starts_with("ủy ban nhân dân") || name.starts_with("ubnd")
}

/// Tên cơ quan chủ quản — the line printed above the issuing body in a letterhead (ND 30/2020,
/// Phụ lục I): the direct parent's name, and none above a People's Committee at any level
/// (its name stands alone: "ỦY BAN NHÂN DÂN XÃ …"), nor above a root.
pub fn letterhead_parent(name: &str, parent: Option<&str>) -> Option<String> {
    if is_peoples_committee(name) {
        return None;
    }
    parent
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
}

/// The body a letter goes out in the name of, for an act done while the dossier was at the
/// last agency of `path` (the ids from the root down to it): the deepest agency on that path
/// whose leadership the signer holds (`grants`: agency and role). A department's director
/// signs for the department, a provincial vice-chairman for the People's Committee. `None`
/// when the signer leads none of them.
pub fn signing_body(path: &[i64], grants: &[(i64, Role)]) -> Option<i64> {
    path.iter()
        .rev()
        .find(|id| {
            grants
                .iter()
                .any(|(agency, role)| agency == *id && *role == Role::AgencyLeader)
        })
        .copied()
}

/// The unit an officer acted from inside `agency`: of the officer's grants (each as the path
/// of ids from the root down to its agency), the deepest that lies below `agency` (a phòng
/// of a sở). `None` when the officer's roles are at `agency` itself or above it.
pub fn acting_unit(agency: i64, grant_paths: &[Vec<i64>]) -> Option<i64> {
    grant_paths
        .iter()
        .filter(|path| {
            path.iter()
                .position(|id| *id == agency)
                .is_some_and(|at| at + 1 < path.len())
        })
        .max_by_key(|path| path.len())
        .and_then(|path| path.last().copied())
}

/// The position in a staff member's title, without the body it belongs to: "Phó Giám đốc Sở
/// Tư pháp" → "Phó Giám đốc", "Chủ tịch Ủy ban nhân dân xã Hoằng Hóa" → "Chủ tịch".
fn position_of(title: &str) -> &str {
    let title = title.split(',').next().unwrap_or(title).trim();
    const BODIES: [&str; 11] = [
        " Ủy ban",
        " UBND",
        " Sở ",
        " Trung tâm",
        " Văn phòng",
        " Chi cục",
        " Cục ",
        " Ban ",
        " Phòng ",
        " Bộ phận",
        " Thanh tra",
    ];
    let cut = BODIES
        .iter()
        .filter_map(|b| title.find(b))
        .min()
        .unwrap_or(title.len());
    title[..cut].trim()
}

/// Chức danh ký — the title block of a letter, in the order ND 30/2020 writes it: "TM. ỦY BAN
/// NHÂN DÂN" when the issuing body is a People's Committee (a collective body); then, for a
/// deputy ("Phó Giám đốc"), "KT. GIÁM ĐỐC" (ký thay) above the deputy's own position; the
/// position without the body's name ("PHÓ GIÁM ĐỐC", not "PHÓ GIÁM ĐỐC SỞ TƯ PHÁP").
/// Without a title: "THỦ TRƯỞNG CƠ QUAN".
pub fn signing_title(title: Option<&str>, issuer: &str) -> String {
    let title = crate::text::nfc(title.unwrap_or_default().trim());
    let position = position_of(&title).to_uppercase();
    let mut out = String::new();
    if is_peoples_committee(issuer) {
        out.push_str("TM. ỦY BAN NHÂN DÂN\n");
    }
    if position.is_empty() {
        out.push_str("THỦ TRƯỞNG CƠ QUAN");
        return out;
    }
    match position.strip_prefix("PHÓ ").map(str::trim) {
        Some(head) if !head.is_empty() => {
            out.push_str(&format!("KT. {head}\n{position}"));
        }
        _ => out.push_str(&position),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deputy_signs_for_the_head() {
        let sở = "Sở Tư pháp";
        assert_eq!(signing_title(Some("Giám đốc"), sở), "GIÁM ĐỐC");
        assert_eq!(
            signing_title(Some("Phó Giám đốc Sở Tư pháp"), sở),
            "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
        );
        assert_eq!(
            signing_title(Some(" phó chủ tịch "), "Ủy ban nhân dân xã Hoằng Hóa"),
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        );
        assert_eq!(
            signing_title(
                Some("Chủ tịch Ủy ban nhân dân phường Hạc Thành"),
                "Ủy ban nhân dân phường Hạc Thành"
            ),
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        );
        assert_eq!(
            signing_title(Some("Trưởng phòng Kinh tế, Ủy ban nhân dân xã"), sở),
            "TRƯỞNG PHÒNG KINH TẾ"
        );
        assert_eq!(signing_title(None, sở), "THỦ TRƯỞNG CƠ QUAN");
    }

    #[test]
    fn the_signing_body_is_the_one_the_signer_leads() {
        // Province 1 > department 4 > unit 9.
        let path = [1, 4, 9];
        assert_eq!(signing_body(&path, &[(4, Role::AgencyLeader)]), Some(4));
        assert_eq!(signing_body(&path, &[(1, Role::AgencyLeader)]), Some(1));
        assert_eq!(
            signing_body(&path, &[(1, Role::AgencyLeader), (4, Role::AgencyLeader)]),
            Some(4)
        );
        assert_eq!(signing_body(&path, &[(4, Role::Specialist)]), None);
        assert_eq!(signing_body(&path, &[(7, Role::AgencyLeader)]), None);
        assert_eq!(acting_unit(4, &[vec![1, 4, 9]]), Some(9));
        assert_eq!(acting_unit(4, &[vec![1, 4]]), None);
        assert_eq!(acting_unit(4, &[vec![1]]), None);
        assert_eq!(acting_unit(4, &[vec![1, 4], vec![1, 4, 9, 12]]), Some(12));
    }

    #[test]
    fn the_agency_chooses_whose_certificate_signs() {
        assert_eq!(key_for(SignWith::Agency, 4, Some(7)), KeyChoice::Agency(4));
        assert_eq!(key_for(SignWith::Agency, 4, None), KeyChoice::Agency(4));
        assert_eq!(key_for(SignWith::Person, 4, Some(7)), KeyChoice::Person(7));
        assert_eq!(key_for(SignWith::Person, 4, None), KeyChoice::Nobody);
        for with in [SignWith::Agency, SignWith::Person] {
            assert_eq!(SignWith::parse(with.as_str()), Some(with));
        }
        assert_eq!(SignWith::parse("leader"), None);
    }

    #[test]
    fn no_parent_line_above_a_peoples_committee() {
        assert_eq!(
            letterhead_parent("Ủy ban nhân dân xã Hoằng Hóa", Some("Ủy ban nhân dân tỉnh")),
            None
        );
        assert_eq!(
            letterhead_parent("Sở Tư pháp", Some("Ủy ban nhân dân tỉnh Thanh Hóa")).as_deref(),
            Some("Ủy ban nhân dân tỉnh Thanh Hóa")
        );
        assert_eq!(letterhead_parent("Sở Tư pháp", None), None);
        assert!(is_peoples_committee("UBND phường Sầm Sơn"));
        assert!(!is_peoples_committee("Văn phòng Ủy ban nhân dân tỉnh"));
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

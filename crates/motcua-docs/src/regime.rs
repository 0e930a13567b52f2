//! Chế độ biểu mẫu — which set of official forms applies: TT 01/2018/TT-VPCP (under ND 61/2018)
//! or TT 03/2025/TT-VPCP (under ND 118/2025), chosen by the dossier's date of receipt.

use chrono::NaiveDate;

/// The rules whose forms a dossier is printed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Regime {
    /// Thông tư 01/2018/TT-VPCP, forms Mẫu 01–06.
    Tt01_2018,
    /// Thông tư 03/2025/TT-VPCP, Phụ lục I, forms Mẫu 01–07.
    Tt03_2025,
}

impl Regime {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Tt01_2018 => "Thông tư số 01/2018/TT-VPCP",
            Self::Tt03_2025 => "Thông tư số 03/2025/TT-VPCP",
        }
    }
}

/// When the 2025 forms take over. ND 118/2025 is in force from 01/07/2025; the date from which
/// TT 03/2025 (signed 15/09/2025) itself applies is not verified, so the switch is a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegimeConfig {
    /// First date of receipt printed with the TT 03/2025 forms.
    pub switch_date: NaiveDate,
}

impl Default for RegimeConfig {
    fn default() -> Self {
        Self {
            switch_date: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN),
        }
    }
}

impl RegimeConfig {
    /// The regime for a dossier received on `received`.
    pub fn regime_on(&self, received: NaiveDate) -> Regime {
        if received < self.switch_date {
            Regime::Tt01_2018
        } else {
            Regime::Tt03_2025
        }
    }
}

/// What a form is for, whatever its number in either regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormKind {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    Receipt,
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    SupplementRequest,
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ (at receipt)
    Refusal,
    /// Phiếu từ chối giải quyết hồ sơ (after appraisal, ND 61 art. 19(8)): no form of its own
    /// in either circular, so it prints as a variant of Mẫu 03 signed by the agency's leader
    Rejection,
    /// Phiếu xin lỗi và hẹn lại ngày trả kết quả (2018) / Văn bản xin lỗi và đề nghị gia hạn
    /// thời gian giải quyết (2025)
    Apology,
    /// Thông báo dừng giải quyết hồ sơ (2025 only)
    StopNotice,
    /// Phiếu kiểm soát quá trình giải quyết hồ sơ
    ControlSlip,
    /// Sổ theo dõi hồ sơ
    LogBook,
}

impl FormKind {
    /// What the form is, in words that hold under both regimes.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Receipt => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            Self::SupplementRequest => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            Self::Refusal => "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            Self::Rejection => "Phiếu từ chối giải quyết hồ sơ",
            Self::Apology => "Văn bản xin lỗi, hẹn lại ngày trả kết quả",
            Self::StopNotice => "Thông báo dừng giải quyết hồ sơ",
            Self::ControlSlip => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            Self::LogBook => "Sổ theo dõi hồ sơ",
        }
    }

    pub const ALL: [FormKind; 8] = [
        Self::Receipt,
        Self::SupplementRequest,
        Self::Refusal,
        Self::Rejection,
        Self::Apology,
        Self::StopNotice,
        Self::ControlSlip,
        Self::LogBook,
    ];
}

/// Whose signature makes a form final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedBy {
    /// The officer who acted at the counter (`FormContext::officer`).
    Officer,
    /// The head of the issuing agency or the deputy signing for them (`FormContext::head`).
    Head,
}

impl FormKind {
    /// Who signs the form; `None` for the control slip and the log book, which record
    /// hand-overs rather than decide anything.
    pub fn signed_by(self) -> Option<SignedBy> {
        match self {
            Self::Receipt | Self::SupplementRequest | Self::Refusal => Some(SignedBy::Officer),
            Self::Rejection | Self::Apology | Self::StopNotice => Some(SignedBy::Head),
            Self::ControlSlip | Self::LogBook => None,
        }
    }
}

/// One official form of one regime: its number, its name and its default template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormSpec {
    pub regime: Regime,
    pub kind: FormKind,
    /// "01"…"07".
    pub number: &'static str,
    pub name: &'static str,
    /// The template's file name, the name an override directory uses too.
    pub template: &'static str,
}

const FORMS: [FormSpec; 15] = [
    spec(
        Regime::Tt01_2018,
        FormKind::Receipt,
        "01",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "tt01-2018-mau-01.tpl",
    ),
    spec(
        Regime::Tt01_2018,
        FormKind::SupplementRequest,
        "02",
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "tt01-2018-mau-02.tpl",
    ),
    spec(
        Regime::Tt01_2018,
        FormKind::Refusal,
        "03",
        "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "tt01-2018-mau-03.tpl",
    ),
    spec(
        Regime::Tt01_2018,
        FormKind::Rejection,
        "03",
        "Phiếu từ chối giải quyết hồ sơ",
        "tt01-2018-mau-03-sau-tham-dinh.tpl",
    ),
    spec(
        Regime::Tt01_2018,
        FormKind::Apology,
        "04",
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "tt01-2018-mau-04.tpl",
    ),
    spec(
        Regime::Tt01_2018,
        FormKind::ControlSlip,
        "05",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "tt01-2018-mau-05.tpl",
    ),
    spec(
        Regime::Tt01_2018,
        FormKind::LogBook,
        "06",
        "Sổ theo dõi hồ sơ",
        "tt01-2018-mau-06.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::Receipt,
        "01",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "tt03-2025-mau-01.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::SupplementRequest,
        "02",
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "tt03-2025-mau-02.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::Refusal,
        "03",
        "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "tt03-2025-mau-03.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::Rejection,
        "03",
        "Phiếu từ chối giải quyết hồ sơ",
        "tt03-2025-mau-03-sau-tham-dinh.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::Apology,
        "04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "tt03-2025-mau-04.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::StopNotice,
        "05",
        "Thông báo dừng giải quyết hồ sơ",
        "tt03-2025-mau-05.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::ControlSlip,
        "06",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "tt03-2025-mau-06.tpl",
    ),
    spec(
        Regime::Tt03_2025,
        FormKind::LogBook,
        "07",
        "Sổ theo dõi hồ sơ",
        "tt03-2025-mau-07.tpl",
    ),
];

const fn spec(
    regime: Regime,
    kind: FormKind,
    number: &'static str,
    name: &'static str,
    template: &'static str,
) -> FormSpec {
    FormSpec {
        regime,
        kind,
        number,
        name,
        template,
    }
}

/// Every form of every regime.
pub fn all_forms() -> &'static [FormSpec] {
    &FORMS
}

/// The form of `kind` under `regime`, if that regime has one.
pub fn form(regime: Regime, kind: FormKind) -> Option<FormSpec> {
    FORMS
        .iter()
        .find(|f| f.regime == regime && f.kind == kind)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_date_picks_the_regime() {
        let config = RegimeConfig::default();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(config.regime_on(d(2025, 6, 30)), Regime::Tt01_2018);
        assert_eq!(config.regime_on(d(2025, 7, 1)), Regime::Tt03_2025);
        let later = RegimeConfig {
            switch_date: d(2025, 10, 31),
        };
        assert_eq!(later.regime_on(d(2025, 9, 1)), Regime::Tt01_2018);
    }

    #[test]
    fn each_regime_has_its_forms() {
        assert_eq!(
            all_forms()
                .iter()
                .filter(|f| f.regime == Regime::Tt01_2018)
                .count(),
            7
        );
        assert_eq!(
            all_forms()
                .iter()
                .filter(|f| f.regime == Regime::Tt03_2025)
                .count(),
            8
        );
        assert!(form(Regime::Tt01_2018, FormKind::StopNotice).is_none());
        assert_eq!(
            form(Regime::Tt03_2025, FormKind::LogBook).unwrap().number,
            "07"
        );
    }
}

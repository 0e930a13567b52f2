//! Cổng Dịch vụ công quốc gia (DVCQG) — how a dossier and its processing history look to the
//! national portal's dossier sync ("đồng bộ hồ sơ"), and how its replies are read. The shape
//! is the one public code shows (`shared/domain/INTEGRATION.md` §(b)); the official
//! documents are not public, so URLs and credentials are settings and this one module is
//! what changes if the official shape differs.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::calendar::{Instant, vietnam_offset};
use crate::catalogue::Channel;
use crate::dossier::{
    Applicant, ApplicantKind, ComponentForm, Intake, NotifyChannel, ReceivedComponent,
    ReturnMethod, Status,
};
use crate::error::FieldError;

/// A time as the portal writes it: `yyyyMMddHHmmss`, Vietnam time.
pub fn portal_time(at: Instant) -> String {
    at.with_timezone(&vietnam_offset())
        .format("%Y%m%d%H%M%S")
        .to_string()
}

fn portal_time_opt(at: Option<Instant>) -> String {
    at.map(portal_time).unwrap_or_default()
}

/// `TrangThaiHoSo`: the national status code, 1 Mới đăng ký … 10 Đã trả kết quả, sent as
/// it is (waiting for a supplement, a payment and a stop keep their own codes).
pub fn status_code(status: Status) -> u8 {
    status.code()
}

/// `KenhThucHien`: 1 at the counter, 2 online, 3 by post.
pub fn channel_code(channel: Channel) -> u8 {
    match channel {
        Channel::Counter => 1,
        Channel::Online => 2,
        Channel::Post => 3,
    }
}

/// `LoaiDoiTuong`: 1 a citizen, 2 an enterprise (an organisation with a tax code), 4 another
/// organisation.
pub fn subject_kind(applicant: &Applicant) -> u8 {
    match applicant.kind {
        ApplicantKind::Person => 1,
        ApplicantKind::Organisation if applicant.tax_code.is_some() => 2,
        ApplicantKind::Organisation => 4,
    }
}

/// A person's identity as `DinhDanhCHS` types it: 1 for a 12-digit CCCD, 2 for a 9-digit
/// CMND; an organisation (a tax code) has none there.
fn identity_of(a: &Applicant) -> Option<(u8, &str)> {
    let n = a
        .id_number
        .as_deref()
        .filter(|_| a.kind == ApplicantKind::Person)?;
    match n.len() {
        12 => Some((1, n)),
        9 => Some((2, n)),
        _ => None,
    }
}

/// One component as the portal lists it (`TaiLieuNop`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalComponent {
    /// `MaThanhPhanHoSo`.
    pub code: String,
    pub name: String,
    /// A public link to the file, when one was attached.
    pub link: Option<String>,
    /// `DuocSoHoa`: received electronically or scanned at the counter.
    pub digitised: bool,
    /// `DuocTaiSuDung`: kept in the owner's store, or taken from it.
    pub reuse: crate::digitised::Reuse,
}

/// A result paper (`DanhSachGiayToKetQua`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalResult {
    pub name: String,
    pub link: String,
}

/// Everything the dossier record says.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalDossier<'a> {
    pub code: &'a str,
    /// The portal's own code, for a dossier filed there (`MaHoSoQG`).
    pub portal_code: Option<&'a str>,
    pub procedure_code: &'a str,
    pub procedure_name: &'a str,
    pub field_code: &'a str,
    pub field_name: &'a str,
    pub channel: Channel,
    pub applicant: &'a Applicant,
    pub summary: &'a str,
    pub status: Status,
    pub received_at: Instant,
    pub due_at: Option<Instant>,
    /// When it ended (result ready, refused, stopped, withdrawn) and when it was returned.
    pub finished_at: Option<Instant>,
    pub returned_at: Option<Instant>,
    /// `DonViXuLy`: the competent agency's identifier code.
    pub agency_code: &'a str,
    pub components: Vec<PortalComponent>,
    /// `DanhSachLePhi`: name and amount in VND.
    pub fees: Vec<(String, i64)>,
    pub results: Vec<PortalResult>,
    /// `TaiKhoanDuocXacThucVoiVNeID`.
    pub verified_identity: bool,
    /// `MaDoiTuong`: the filer's technical id on the portal (`TechID`), when known.
    pub subject_id: Option<&'a str>,
    /// `DuocThanhToanTrucTuyen`.
    pub paid_online: bool,
}

/// The dossier record (`HoSo`) in the portal's field names.
pub fn record(d: &PortalDossier<'_>) -> Value {
    let a = d.applicant;
    let identity = a.id_number.as_deref().or(a.tax_code.as_deref());
    let refused = matches!(d.status, Status::Refused)
        .then_some(d.finished_at)
        .flatten();
    let mut record = json!({
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": d.procedure_name,
        "MaLinhVuc": d.field_code,
        "TenLinhVuc": d.field_name,
        "KenhThucHien": channel_code(d.channel),
        "ChuHoSo": a.name,
        "LoaiDoiTuong": subject_kind(a),
        "MaDoiTuong": d.subject_id.unwrap_or_default(),
        "SoGiayToChuHoSo": identity.unwrap_or_default(),
        "DinhDanhCHS": identity_of(a).map(|(kind, n)| vec![json!({
            "LoaiDinhDanh": kind,
            "SoDinhDanh": n,
        })]).unwrap_or_default(),
        "Email": a.email.as_deref().unwrap_or_default(),
        "SoDienThoai": a.phone.as_deref().unwrap_or_default(),
        "TrichYeuHoSo": d.summary,
        "NgayNopHoSo": portal_time(d.received_at),
        "NgayTiepNhan": portal_time(d.received_at),
        "NgayHenTra": portal_time_opt(d.due_at),
        "TrangThaiHoSo": status_code(d.status),
        "NgayKetThucXuLy": portal_time_opt(d.finished_at),
        "NgayTra": portal_time_opt(d.returned_at),
        "NgayTuChoi": portal_time_opt(refused),
        "DonViXuLy": d.agency_code,
        "HoSoCoThanhPhanSoHoa": u8::from(d.components.iter().any(|c| c.digitised)),
        "TaiKhoanDuocXacThucVoiVNeID": u8::from(d.verified_identity),
        "DuocThanhToanTrucTuyen": u8::from(d.paid_online),
        "TaiLieuNop": d.components.iter().map(|c| json!({
            "MaThanhPhanHoSo": c.code,
            "TenTepDinhKem": c.name,
            "DuongDanTaiTepTin": c.link.as_deref().unwrap_or_default(),
            "DuocSoHoa": u8::from(c.digitised),
            "DuocTaiSuDung": c.reuse.code(),
        })).collect::<Vec<_>>(),
        "DanhSachLePhi": d.fees.iter().map(|(name, amount)| json!({
            "TenPhiLePhi": name,
            "Gia": amount,
        })).collect::<Vec<_>>(),
        "DanhSachGiayToKetQua": d.results.iter().map(|r| json!({
            "TenGiayTo": r.name,
            "DuongDanTepTinKetQua": r.link,
        })).collect::<Vec<_>>(),
    });
    if let Some(code) = d.portal_code {
        record["MaHoSoQG"] = json!(code);
    }
    record
}

/// One processing step as the portal's history (`tiến trình`) records it.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalStep<'a> {
    pub code: &'a str,
    /// `NguoiXuLy`: at most 50 characters.
    pub actor: &'a str,
    pub title: &'a str,
    pub unit: &'a str,
    pub content: &'a str,
    pub status: Status,
    pub at: Instant,
    pub step_started: Instant,
    pub step_due: Option<Instant>,
}

/// A history record in the portal's field names.
pub fn history_item(s: &PortalStep<'_>) -> Value {
    let actor: String = s.actor.chars().take(50).collect();
    json!({
        "MaHoSo": s.code,
        "NguoiXuLy": actor,
        "ChucDanh": s.title,
        "ThoiDiemXuLy": portal_time(s.at),
        "PhongBanXuLy": s.unit,
        "NoiDungXuLy": s.content,
        "TrangThai": status_code(s.status),
        "NgayBatDau": portal_time(s.step_started),
        "NgayKetThucTheoQuyDinh": portal_time_opt(s.step_due),
    })
}

/// History is sent in chunks of this many records.
pub const HISTORY_CHUNK: usize = 10;

/// What the portal answered to a dossier record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordReply {
    /// `error_code` 0 and a message saying it succeeded.
    Done,
    /// The portal has the dossier already: send it as an update.
    Exists,
    /// Anything else, with what it said.
    Refused(String),
}

/// Reads the portal's `{error_code, message}` reply to a record.
pub fn read_record_reply(body: &str) -> RecordReply {
    let Ok(reply) = serde_json::from_str::<Value>(body) else {
        return RecordReply::Refused(format!("trả lời không phải JSON: {}", clip(body)));
    };
    let code = match &reply["error_code"] {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let message = reply["message"].as_str().unwrap_or_default().to_lowercase();
    if matches!(code.as_str(), "0" | "3" | "-3") && message.contains("đã tồn tại") {
        RecordReply::Exists
    } else if code == "0" && message.contains("thành công") {
        RecordReply::Done
    } else {
        RecordReply::Refused(format!("mã lỗi {code}: {}", clip(&message)))
    }
}

/// Whether the portal's plain-text reply to a history chunk says it succeeded.
pub fn history_accepted(body: &str) -> bool {
    body.to_lowercase().contains("thành công")
}

/// A dossier filed on the portal, as it pushes it (the keyed push of INTEGRATION.md
/// §(a).2, with the portal's own code `MaHoSoQG`, which makes a repeat recognisable).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InboundDossier {
    #[serde(rename = "MaHoSoQG")]
    pub portal_code: String,
    #[serde(rename = "MaTTHC")]
    pub procedure_code: String,
    /// The receiving agency's identifier code.
    #[serde(rename = "DonVi")]
    pub agency_code: String,
    #[serde(rename = "MaTruongHop", default)]
    pub case_code: Option<String>,
    #[serde(rename = "ChuHoSo")]
    pub applicant_name: String,
    /// 1 a citizen; 2, 3 or 4 an organisation.
    #[serde(rename = "LoaiDoiTuong", default = "citizen")]
    pub subject_kind: u8,
    /// CCCD for a citizen, tax code for an organisation.
    #[serde(rename = "SoGiayToChuHoSo", default)]
    pub identity: Option<String>,
    #[serde(rename = "SoDienThoai", default)]
    pub phone: Option<String>,
    #[serde(rename = "Email", default)]
    pub email: Option<String>,
    #[serde(rename = "DiaChi", default)]
    pub address: Option<String>,
    #[serde(rename = "TrichYeuHoSo", default)]
    pub summary: Option<String>,
    #[serde(rename = "ThanhPhanHoSo", default)]
    pub components: Vec<InboundComponent>,
    /// Filed from a portal account verified with VNeID (`"1"` or `1`; absent means not).
    #[serde(
        rename = "TaiKhoanDuocXacThucVoiVNeID",
        default,
        deserialize_with = "flag"
    )]
    pub verified_identity: bool,
}

fn citizen() -> u8 {
    1
}

/// One of the portal's flags: `"1"`/`1`/`true` yes, `"0"`/`0`/`false`/`""`/`null` no.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(b),
        Value::Number(n) if n.as_u64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_u64() == Some(0) => Ok(false),
        Value::String(s) if s.trim() == "1" => Ok(true),
        Value::String(s) if matches!(s.trim(), "0" | "") => Ok(false),
        other => Err(serde::de::Error::custom(format!(
            "cờ {other} phải là 0 hoặc 1"
        ))),
    }
}

/// One component of an inbound dossier, with its files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InboundComponent {
    #[serde(rename = "MaThanhPhanHoSo")]
    pub code: String,
    #[serde(rename = "SoBanChinh", default)]
    pub originals: u8,
    #[serde(rename = "SoBanSao", default)]
    pub copies: u8,
    #[serde(rename = "TepDinhKem", default)]
    pub files: Vec<InboundFile>,
}

/// A file of an inbound component, its bytes in base64.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InboundFile {
    #[serde(rename = "TenTep")]
    pub name: String,
    #[serde(rename = "Base64")]
    pub base64: String,
}

impl InboundDossier {
    /// The intake it makes: an online dossier of its case (`MaTruongHop`, else
    /// `default_case`), its result returned online, its components electronic, the
    /// applicant told by SMS and e-mail where it gave them. The intake's own checks follow.
    pub fn intake(&self, default_case: &str) -> Result<Intake, FieldError> {
        let code = self.portal_code.trim();
        if code.is_empty() || code.chars().count() > 64 {
            return Err(FieldError::new(
                "MaHoSoQG",
                "mã hồ sơ trên Cổng phải có từ 1 đến 64 ký tự",
            ));
        }
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let (kind, id_number, tax_code) = match self.subject_kind {
            1 => (ApplicantKind::Person, text(&self.identity), None),
            2..=4 => (ApplicantKind::Organisation, None, text(&self.identity)),
            other => {
                return Err(FieldError::new(
                    "LoaiDoiTuong",
                    format!("loại đối tượng {other} không có (1 công dân, 2–4 tổ chức)"),
                ));
            }
        };
        let phone = text(&self.phone);
        let email = text(&self.email);
        let mut notify = Vec::new();
        if phone.is_some() {
            notify.push(NotifyChannel::Sms);
        }
        if email.is_some() {
            notify.push(NotifyChannel::Email);
        }
        Ok(Intake {
            procedure_code: self.procedure_code.trim().to_string(),
            case_code: text(&self.case_code).unwrap_or_else(|| default_case.to_string()),
            channel: Channel::Online,
            applicant: Applicant {
                kind,
                name: self.applicant_name.trim().to_string(),
                id_number,
                tax_code,
                phone,
                email,
                address: text(&self.address),
                notify,
            },
            components: self
                .components
                .iter()
                .map(|c| ReceivedComponent {
                    code: c.code.trim().to_string(),
                    form: ComponentForm::Electronic,
                    count: c.originals.saturating_add(c.copies).max(1),
                })
                .collect(),
            return_method: ReturnMethod::Online,
            summary: text(&self.summary),
            conditions: Vec::new(),
        })
    }
}

/// A supplement filed on the portal for a dossier it pushed earlier.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InboundSupplement {
    #[serde(rename = "MaHoSoQG")]
    pub portal_code: String,
    #[serde(rename = "GhiChu", default)]
    pub note: Option<String>,
    #[serde(rename = "TepDinhKem", default)]
    pub files: Vec<InboundFile>,
}

fn clip(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        chrono::DateTime::parse_from_rfc3339(text).unwrap_or_default()
    }

    #[test]
    fn times_and_codes_as_the_portal_writes_them() {
        assert_eq!(
            portal_time(at("2026-03-02T08:05:09+07:00")),
            "20260302080509"
        );
        assert_eq!(portal_time(at("2026-03-02T01:05:09Z")), "20260302080509");
        assert_eq!(status_code(Status::AwaitingSupplement), 5);
        assert_eq!(status_code(Status::Returned), 10);
        assert_eq!(channel_code(Channel::Online), 2);
    }

    #[test]
    fn an_inbound_dossier_becomes_an_online_intake() {
        let inbound: InboundDossier = serde_json::from_value(json!({
            "MaHoSoQG": "G22.99-260302-000123",
            "MaTTHC": "1.000828",
            "DonVi": "000.01.01.H56",
            "ChuHoSo": " Công ty TNHH Sông Mã ",
            "LoaiDoiTuong": 2,
            "SoGiayToChuHoSo": "2801234567",
            "SoDienThoai": "0912345678",
            "ThanhPhanHoSo": [{"MaThanhPhanHoSo": "tp-01", "SoBanChinh": 1, "SoBanSao": 1}]
        }))
        .unwrap();
        let intake = inbound.intake("chung").unwrap();
        assert_eq!(intake.channel, Channel::Online);
        assert_eq!(intake.case_code, "chung");
        assert_eq!(intake.applicant.kind, ApplicantKind::Organisation);
        assert_eq!(intake.applicant.tax_code.as_deref(), Some("2801234567"));
        assert_eq!(intake.applicant.name, "Công ty TNHH Sông Mã");
        assert_eq!(intake.applicant.notify, vec![NotifyChannel::Sms]);
        assert_eq!(intake.components[0].count, 2);
        assert_eq!(intake.components[0].form, ComponentForm::Electronic);
        let mut bad = inbound.clone();
        bad.subject_kind = 9;
        assert_eq!(bad.intake("chung").unwrap_err().field, "LoaiDoiTuong");
        bad.portal_code = "  ".into();
        assert_eq!(bad.intake("chung").unwrap_err().field, "MaHoSoQG");
    }

    #[test]
    fn replies_are_read_as_the_portal_writes_them() {
        assert_eq!(
            read_record_reply(r#"{"error_code":"0","message":"Đồng bộ thành công"}"#),
            RecordReply::Done
        );
        assert_eq!(
            read_record_reply(r#"{"error_code":-3,"message":"Hồ sơ đã tồn tại"}"#),
            RecordReply::Exists
        );
        assert!(matches!(
            read_record_reply(r#"{"error_code":"1","message":"Sai mã TTHC"}"#),
            RecordReply::Refused(m) if m.contains("sai mã tthc")
        ));
        assert!(matches!(
            read_record_reply("<html>"),
            RecordReply::Refused(_)
        ));
        assert!(history_accepted("Cập nhật tiến trình thành công"));
        assert!(!history_accepted("Lỗi"));
    }

    #[test]
    fn the_record_carries_the_dossier_in_the_portal_names() {
        let applicant = Applicant {
            kind: ApplicantKind::Person,
            name: "Nguyễn Văn An".into(),
            id_number: Some("038090012345".into()),
            tax_code: None,
            phone: Some("0912345678".into()),
            email: None,
            address: None,
            notify: Vec::new(),
        };
        let d = PortalDossier {
            code: "000.00.03.H56-260302-0001",
            portal_code: Some("G22.99-260302-000123"),
            procedure_code: "1.000828",
            procedure_name: "Cấp chứng chỉ hành nghề luật sư",
            field_code: "G09-TP01",
            field_name: "Luật sư",
            channel: Channel::Online,
            applicant: &applicant,
            summary: "",
            status: Status::Processing,
            received_at: at("2026-03-02T08:00:00+07:00"),
            due_at: Some(at("2026-03-09T08:00:00+07:00")),
            finished_at: None,
            returned_at: None,
            agency_code: "000.00.03.H56",
            components: vec![PortalComponent {
                code: "tp-01".into(),
                name: "Đơn đề nghị".into(),
                link: None,
                digitised: true,
                reuse: crate::digitised::Reuse::Reused,
            }],
            fees: vec![("Lệ phí".into(), 800_000)],
            results: Vec::new(),
            verified_identity: false,
            subject_id: Some("TECH-9"),
            paid_online: false,
        };
        let r = record(&d);
        assert_eq!(r["MaDoiTuong"], "TECH-9");
        assert_eq!(r["TaiLieuNop"][0]["DuocTaiSuDung"], 2);
        assert_eq!(r["MaHoSo"], "000.00.03.H56-260302-0001");
        assert_eq!(r["MaHoSoQG"], "G22.99-260302-000123");
        let own = record(&PortalDossier {
            portal_code: None,
            ..d.clone()
        });
        assert!(own.get("MaHoSoQG").is_none());
        let company = Applicant {
            kind: ApplicantKind::Organisation,
            id_number: None,
            tax_code: Some("2801234567".into()),
            ..applicant.clone()
        };
        let org = record(&PortalDossier {
            applicant: &company,
            ..d.clone()
        });
        assert_eq!(org["SoGiayToChuHoSo"], "2801234567");
        assert_eq!(org["DinhDanhCHS"], json!([]));
        assert_eq!(org["LoaiDoiTuong"], 2);
        assert_eq!(r["TrangThaiHoSo"], 4);
        assert_eq!(r["KenhThucHien"], 2);
        assert_eq!(r["NgayHenTra"], "20260309080000");
        assert_eq!(r["NgayTra"], "");
        assert_eq!(r["DinhDanhCHS"][0]["LoaiDinhDanh"], 1);
        assert_eq!(r["HoSoCoThanhPhanSoHoa"], 1);
        assert_eq!(r["DanhSachLePhi"][0]["Gia"], 800_000);
        let step = history_item(&PortalStep {
            code: d.code,
            actor: &"Nguyễn".repeat(20),
            title: "Chuyên viên",
            unit: "Sở Tư pháp",
            content: "Thẩm định",
            status: Status::Processing,
            at: at("2026-03-03T09:00:00+07:00"),
            step_started: at("2026-03-02T08:00:00+07:00"),
            step_due: None,
        });
        assert_eq!(step["NguoiXuLy"].as_str().unwrap().chars().count(), 50);
        assert_eq!(step["ThoiDiemXuLy"], "20260303090000");
    }
}

//! Dữ liệu biểu mẫu — the plain data a form is filled with. The web layer fills these from the
//! database; every field is optional text or a date so any form can be printed from what is
//! known, and templates decide what to show.

use chrono::NaiveDate;
use motcua_domain::calendar::{Instant, Outcome};
use motcua_domain::dossier::ComponentForm;

/// Cơ quan — the agency that issues the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyInfo {
    /// Tên cơ quan, e.g. "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa".
    pub name: String,
    /// Cơ quan chủ quản, the line above the name, e.g. "UBND tỉnh Thanh Hóa"; may be empty.
    pub parent: String,
    /// Mã định danh, e.g. "000.00.01.H56".
    pub code: String,
    /// Địa danh for the place-and-date line, e.g. "Thanh Hóa".
    pub place: String,
    pub address: String,
    pub phone: String,
}

/// Người nộp / chủ hồ sơ — the applicant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicantInfo {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// Số CCCD / mã số thuế.
    pub id_number: String,
    /// The signature drawn at the counter on a tablet or pad, in its stored form
    /// ([`motcua_domain::dossier::Drawing::to_compact`]); empty when none was taken.
    pub signature: String,
}

/// Thành phần hồ sơ — one component as received (or as missing, on a supplement request).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentLine {
    pub name: String,
    /// Số bản chính.
    pub originals: u32,
    /// Số bản sao (chứng thực).
    pub copies: u32,
    /// Số bản chụp (photo).
    pub photocopies: u32,
    /// Bản điện tử.
    pub electronic: bool,
    /// Ghi chú, e.g. what is wrong with it.
    pub note: String,
}

/// Giao nhận hồ sơ — one hand-over of the dossier between agencies or officers, a row of the
/// control slip (not the return of the result to the citizen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Bên giao: agency and person.
    pub from_agency: String,
    pub from_person: String,
    /// Bên nhận: agency and person.
    pub to_agency: String,
    pub to_person: String,
    pub at: Instant,
    /// Kết quả của bước trước (trước hạn / đúng hạn / quá hạn), when the step had a deadline.
    pub outcome: Option<Outcome>,
    pub note: String,
}

impl ComponentLine {
    /// A component as received: `count` papers in `form`, under the procedure's `name` for it.
    pub fn received(name: impl Into<String>, form: ComponentForm, count: u8) -> Self {
        let count = u32::from(count);
        let mut line = Self {
            name: name.into(),
            ..Self::default()
        };
        match form {
            ComponentForm::Original => line.originals = count,
            ComponentForm::Copy => line.copies = count,
            ComponentForm::Electronic => line.electronic = true,
        }
        line
    }
}

/// Một dòng sổ theo dõi — one dossier in the log book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub code: String,
    pub procedure: String,
    pub sets: u32,
    pub applicant: String,
    pub address: String,
    pub phone: String,
    pub received_at: Instant,
    pub due_at: Option<Instant>,
    /// Cơ quan giải quyết.
    pub agency: String,
    /// Ngày trả kết quả, once returned.
    pub returned_at: Option<Instant>,
    /// What the receipt column holds: empty for the collector to sign on paper, or how the
    /// result went out without a signature ("Nhận trực tuyến", the post's tracking number).
    pub collected: String,
    /// Người tiếp nhận.
    pub receiver: String,
    /// Địa bàn phát sinh.
    pub area: String,
    pub note: String,
}

/// Người ký — a signature block's person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signer {
    /// Chức danh, e.g. "GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "NGƯỜI TIẾP NHẬN".
    pub title: String,
    pub name: String,
}

/// Everything any form may print. Fill what the form needs; the rest stays empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormContext {
    pub agency: AgencyInfo,
    /// Số phiếu / số văn bản, e.g. "125/TNHS".
    pub number: String,
    /// Ngày lập phiếu.
    pub issued_on: NaiveDate,
    /// Mã hồ sơ.
    pub dossier_code: String,
    /// Tracking link encoded in the QR code.
    pub tracking_url: String,
    pub applicant: ApplicantInfo,
    /// Tên thủ tục hành chính.
    pub procedure_name: String,
    pub procedure_code: String,
    /// Trích yếu nội dung yêu cầu.
    pub summary: String,
    pub components: Vec<ComponentLine>,
    /// Số bộ hồ sơ.
    pub sets: u32,
    /// Thời gian giải quyết theo quy định, e.g. "05 ngày làm việc".
    pub legal_time: String,
    /// Thời gian cam kết — the shorter time the province commits to, when it has one.
    pub committed_time: String,
    /// Mã tra cứu — the secret that opens the dossier's tracking page with its code.
    pub lookup_code: String,
    /// Filed online: the receipt is sent, not handed over.
    pub online: bool,
    pub received_at: Option<Instant>,
    /// Ngày hẹn trả kết quả.
    pub due_at: Option<Instant>,
    /// Nơi / hình thức nhận kết quả.
    pub result_place: String,
    /// Quyển số and số thứ tự in the log book, as printed on the receipt.
    pub book_volume: String,
    pub book_entry: String,
    /// Cơ quan giải quyết and cơ quan phối hợp (control slip).
    pub processing_agency: String,
    pub coordinating_agencies: String,
    /// Lý do (supplement, refusal, apology, stop).
    pub reason: String,
    /// Ngày hẹn trả mới (apology) / thời gian gia hạn đề nghị.
    pub new_due_at: Option<Instant>,
    /// Người liên hệ and phone for questions.
    pub contact: String,
    pub handovers: Vec<Transfer>,
    /// The log book's period and rows.
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub log: Vec<LogEntry>,
    /// Người tiếp nhận / hướng dẫn / từ chối at the counter.
    pub officer: Signer,
    /// Thủ trưởng who signs letters (apology, stop notice).
    pub head: Signer,
    /// Nơi nhận, one line each.
    pub recipients: Vec<String>,
    /// Keep room at the end of the last page for the stamp of a signature made afterwards.
    pub room_for_stamp: bool,
}

impl FormContext {
    /// An empty context for `agency`, dated `issued_on`.
    pub fn new(agency: AgencyInfo, issued_on: NaiveDate) -> Self {
        Self {
            agency,
            number: String::new(),
            issued_on,
            dossier_code: String::new(),
            tracking_url: String::new(),
            applicant: ApplicantInfo::default(),
            procedure_name: String::new(),
            procedure_code: String::new(),
            summary: String::new(),
            components: Vec::new(),
            sets: 1,
            legal_time: String::new(),
            committed_time: String::new(),
            lookup_code: String::new(),
            online: false,
            received_at: None,
            due_at: None,
            result_place: String::new(),
            book_volume: String::new(),
            book_entry: String::new(),
            processing_agency: String::new(),
            coordinating_agencies: String::new(),
            reason: String::new(),
            new_due_at: None,
            contact: String::new(),
            handovers: Vec::new(),
            period_from: None,
            period_to: None,
            log: Vec::new(),
            officer: Signer::default(),
            head: Signer::default(),
            recipients: Vec::new(),
            room_for_stamp: false,
        }
    }
}

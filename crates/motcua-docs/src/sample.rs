//! Dữ liệu mẫu — a realistic filled context, for template previews, `Templates::check_all`
//! and the tests.

use chrono::{DateTime, Duration, NaiveDate};
use motcua_domain::calendar::{Instant, Outcome, vietnam_offset};
use motcua_domain::dossier::ComponentForm;

use crate::context::{
    AgencyInfo, ApplicantInfo, ComponentLine, FormContext, LogEntry, Signer, Transfer,
};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Instant {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|day| day.and_hms_opt(h, min, 0))
        .and_then(|t| t.and_local_timezone(vietnam_offset()).single())
        .unwrap_or_else(|| DateTime::<chrono::Utc>::UNIX_EPOCH.with_timezone(&vietnam_offset()))
}

/// A birth registration received at a commune centre on 24/11/2026, with every list filled
/// (the log book long enough to need several pages).
pub fn context() -> FormContext {
    let agency = AgencyInfo {
        name: "Trung tâm Phục vụ hành chính công phường Hạc Thành".to_string(),
        parent: "UBND phường Hạc Thành".to_string(),
        code: "000.00.11.H56".to_string(),
        place: "Thanh Hóa".to_string(),
        address: "Số 1 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa".to_string(),
        phone: "0237 3852 000".to_string(),
    };
    let mut ctx = FormContext::new(
        agency,
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
    );
    ctx.number = "125/TNHS".to_string();
    ctx.dossier_code = "000.00.11.H56-261124-0007".to_string();
    ctx.tracking_url =
        "https://motcua.thanhhoa.gov.vn/tra-cuu?ma=000.00.11.H56-261124-0007".to_string();
    ctx.applicant = ApplicantInfo {
        name: "Nguyễn Thị Hồng Nhung".to_string(),
        address: "Số 18 phố Trường Thi, phường Hạc Thành, tỉnh Thanh Hóa".to_string(),
        phone: "0912 345 678".to_string(),
        email: "nhung.nguyen@example.vn".to_string(),
        id_number: "038190012345".to_string(),
        // Drawn on the counter's pad: a looped initial and an underline.
        signature: "80,760 150,220 230,760 300,220 360,600;380,560 480,430 600,600 720,420 \
                    840,580 930,450;120,880 880,860"
            .to_string(),
    };
    ctx.procedure_name = "Đăng ký khai sinh".to_string();
    ctx.procedure_code = "1.001193".to_string();
    ctx.summary = "Đăng ký khai sinh cho con Trần Minh Khôi".to_string();
    let mut marriage = ComponentLine::received(
        "Giấy chứng nhận kết hôn của cha, mẹ",
        ComponentForm::Copy,
        1,
    );
    marriage.electronic = true;
    ctx.components = vec![
        ComponentLine::received(
            "Tờ khai đăng ký khai sinh theo mẫu",
            ComponentForm::Original,
            1,
        ),
        ComponentLine::received(
            "Giấy chứng sinh do cơ sở y tế cấp",
            ComponentForm::Original,
            1,
        ),
        marriage,
    ];
    ctx.sets = 1;
    ctx.legal_time = "03 ngày làm việc".to_string();
    ctx.committed_time = "01 ngày làm việc".to_string();
    ctx.lookup_code = "K7Q2M9".to_string();
    ctx.received_at = Some(at(2026, 11, 24, 14, 30));
    ctx.due_at = Some(at(2026, 11, 25, 14, 30));
    ctx.result_place =
        "Bộ phận Một cửa, Trung tâm Phục vụ hành chính công phường Hạc Thành".to_string();
    ctx.book_volume = "03".to_string();
    ctx.book_entry = "1.247".to_string();
    ctx.processing_agency = "UBND phường Hạc Thành".to_string();
    ctx.coordinating_agencies = "Công an phường Hạc Thành".to_string();
    ctx.reason =
        "Giấy chứng sinh bị tẩy xóa ở mục ngày sinh; cần bản do cơ sở y tế cấp lại.".to_string();
    ctx.new_due_at = Some(at(2026, 11, 27, 9, 0));
    ctx.contact = "ông Lê Văn Đức, số điện thoại 0237 3852 001".to_string();
    let received = at(2026, 11, 24, 14, 30);
    ctx.handovers = vec![
        Transfer {
            from_agency: "Bộ phận Một cửa".to_string(),
            from_person: "Phạm Thu Hà".to_string(),
            to_agency: "Phòng Văn hóa - Xã hội".to_string(),
            to_person: "Lê Văn Đức".to_string(),
            at: received + Duration::minutes(20),
            outcome: Some(Outcome::Early),
            note: String::new(),
        },
        Transfer {
            from_agency: "Phòng Văn hóa - Xã hội".to_string(),
            from_person: "Lê Văn Đức".to_string(),
            to_agency: "Lãnh đạo UBND phường".to_string(),
            to_person: "Đỗ Quang Vinh".to_string(),
            at: at(2026, 11, 25, 9, 15),
            outcome: Some(Outcome::OnTime),
            note: String::new(),
        },
        Transfer {
            from_agency: "Lãnh đạo UBND phường".to_string(),
            from_person: "Đỗ Quang Vinh".to_string(),
            to_agency: "Bộ phận Một cửa".to_string(),
            to_person: "Phạm Thu Hà".to_string(),
            at: at(2026, 11, 26, 8, 5),
            outcome: Some(Outcome::Late),
            note: "Chờ ký số".to_string(),
        },
    ];
    ctx.period_from = NaiveDate::from_ymd_opt(2026, 11, 1);
    ctx.period_to = NaiveDate::from_ymd_opt(2026, 11, 30);
    let names = [
        "Nguyễn Văn An",
        "Trần Thị Bích Ngọc",
        "Lê Hoàng Phúc",
        "Phạm Quỳnh Anh",
        "Vũ Đức Thắng",
    ];
    let procedures = [
        "Đăng ký khai sinh",
        "Chứng thực bản sao từ bản chính",
        "Đăng ký kết hôn",
        "Cấp bản sao trích lục hộ tịch",
    ];
    ctx.log = (0..40u32)
        .map(|i| {
            let received = at(2026, 11, 2 + i % 27, 8 + i % 8, (i * 7) % 60);
            LogEntry {
                code: format!("000.00.11.H56-2611{:02}-{:04}", 2 + i % 27, i + 1),
                procedure: procedures[(i % 4) as usize].to_string(),
                sets: 1,
                applicant: names[(i % 5) as usize].to_string(),
                address: "phường Hạc Thành".to_string(),
                phone: format!("0912 000 {:03}", i),
                received_at: received,
                due_at: Some(received + Duration::days(3)),
                agency: "Ủy ban nhân dân phường Hạc Thành".to_string(),
                returned_at: (i % 3 != 0).then(|| received + Duration::days(2)),
                collected: if i % 3 == 2 {
                    "Nhận trực tuyến".to_string()
                } else {
                    String::new()
                },
                receiver: "Phạm Thu Hà".to_string(),
                area: "Hạc Thành".to_string(),
                note: String::new(),
            }
        })
        .collect();
    ctx.officer = Signer {
        title: "NGƯỜI TIẾP NHẬN".to_string(),
        name: "Phạm Thu Hà".to_string(),
    };
    ctx.head = Signer {
        title: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH".to_string(),
        name: "Đỗ Quang Vinh".to_string(),
    };
    ctx.recipients = vec!["Như trên;".to_string(), "Lưu: VT, BPMC.".to_string()];
    ctx
}

/// A receipt for the fees of a land-use registration paid through the gateway on
/// 24/11/2026, with two named fees.
pub fn receipt() -> motcua_domain::payment::receipt::Receipt {
    use motcua_domain::payment::PaymentMethod;
    use motcua_domain::payment::receipt::{FeeLine, Payer, Receipt, ReceiptBody};
    Receipt {
        form_symbol: "01BLP0-001".to_string(),
        symbol: "TH-26E".to_string(),
        number: 1257,
        issued_at: at(2026, 11, 24, 9, 41),
        body: ReceiptBody {
            collector_name: "Văn phòng Đăng ký đất đai tỉnh Thanh Hóa".to_string(),
            collector_tax_code: "2800123456".to_string(),
            collector_address: "Số 45 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa".to_string(),
            payer: Payer {
                name: "Nguyễn Thị Hồng Nhung".to_string(),
                id_number: "038190001234".to_string(),
                address: "Số 18 phố Trường Thi, phường Hạc Thành, tỉnh Thanh Hóa".to_string(),
            },
            lines: vec![
                FeeLine {
                    name: "Lệ phí cấp Giấy chứng nhận quyền sử dụng đất".to_string(),
                    amount_vnd: 100_000,
                },
                FeeLine {
                    name: "Phí thẩm định hồ sơ cấp Giấy chứng nhận".to_string(),
                    amount_vnd: 1_005_000,
                },
            ],
            method: PaymentMethod::Online,
            dossier_code: "000.00.11.H56-261124-0007".to_string(),
            procedure_name: "Đăng ký đất đai, tài sản gắn liền với đất lần đầu".to_string(),
            reference: "000.00.11.H56-261124-0007-K3F9QA".to_string(),
            proof: "14270001".to_string(),
        },
    }
}

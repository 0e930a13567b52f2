//! Mẫu tin nhắn — rendering the editable message templates (minijinja, strict undefined,
//! no loader, bounded fuel) and the gateways' JSON bodies.

use minijinja::{AutoEscape, Environment, UndefinedBehavior, value::Serde};
use serde::Serialize;

/// The events that reach citizens, in the order the administration page lists them.
pub const EVENTS: &[&str] = &[
    "received",
    "supplement_requested",
    "payment_requested",
    "result_ready_early",
    "apology_issued",
    "result_ready",
    "returned",
    "rating_invitation",
    "refused",
    "rejected",
    "stopped",
    "withdrawn",
    "support_received",
    "support_accepted",
    "support_forwarded",
    "support_refused",
    "support_answered",
];

/// The channels a citizen can choose.
pub const CHANNELS: &[&str] = &["email", "sms", "zalo"];

/// The events that reach officers: an alert before a dossier is late, and the leaders'
/// morning list.
pub const STAFF_EVENTS: &[&str] = &["alert", "digest"];

/// The channels an officer can choose (as `motcua_domain::dossier::STAFF_CHANNELS`).
pub const STAFF_CHANNELS: &[&str] = &["email", "zalo"];

/// The channels an event's messages go out on; empty for an unknown event.
pub fn channels_for(event: &str) -> &'static [&'static str] {
    if EVENTS.contains(&event) {
        CHANNELS
    } else if STAFF_EVENTS.contains(&event) {
        STAFF_CHANNELS
    } else {
        &[]
    }
}

/// Rendering work allowed per template: a runaway loop stops instead of stalling delivery.
const FUEL: u64 = 50_000;

/// Why a template cannot be rendered, in words for the administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

impl From<minijinja::Error> for TemplateError {
    fn from(e: minijinja::Error) -> Self {
        let line = e.line().map(|l| format!(" (dòng {l})")).unwrap_or_default();
        Self(format!("{}{line}", e.kind()).replace('\n', " ") + &detail(&e))
    }
}

fn detail(e: &minijinja::Error) -> String {
    e.detail().map(|d| format!(": {d}")).unwrap_or_default()
}

/// The fields a message template can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fields {
    /// Mã hồ sơ.
    pub code: String,
    /// Mã tra cứu: with the code it opens the public tracking page (and the rating).
    pub secret: String,
    pub event: String,
    pub applicant: String,
    pub procedure: String,
    /// The appointment (or new) date as people write it, `dd/mm/yyyy`, if any.
    pub due: Option<String>,
    /// The same instant with its hour (`HH:MM ngày dd/mm/yyyy`): an alert's deadline.
    pub due_at: Option<String>,
    /// The officer a staff message is for.
    pub officer: String,
    /// What an alert is about, in words.
    pub alert: String,
    /// The day of a morning list, `dd/mm/yyyy`.
    pub date: String,
    /// The lines of a morning list that list dossiers.
    pub groups: Vec<DigestLine>,
    /// How the applicant is addressed ("ông/bà", or "Quý cơ quan, tổ chức").
    pub salutation: String,
    pub organisation: bool,
    /// Why it was refused, rejected, stopped, asked to supplement or apologised for.
    pub reason: Option<String>,
    /// The papers to supplement.
    pub missing: Vec<String>,
    /// The amount to pay, as people write it ("150.000 đồng").
    pub amount: Option<String>,
    /// How the result is returned: `in_person`, `post` or `online`.
    pub return_method: String,
    /// The competent agency, and the receiving counter with its address and phone.
    pub agency: String,
    pub counter: String,
    pub counter_address: String,
    pub counter_phone: String,
}

/// A line of the morning list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DigestLine {
    pub title: String,
    pub items: Vec<DigestEntry>,
}

/// A dossier on a line of the morning list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DigestEntry {
    pub code: String,
    pub procedure: String,
    /// The appointment, `HH:MM ngày dd/mm/yyyy` (empty if none).
    pub due: String,
}

impl Fields {
    /// The fields of an outbox payload (JSON written with the message).
    pub fn from_payload(payload: &str) -> Result<Self, TemplateError> {
        let value: serde_json::Value = serde_json::from_str(payload)
            .map_err(|e| TemplateError(format!("nội dung tin hỏng: {e}")))?;
        let text = |key: &str| {
            value
                .get(key)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let instant = value
            .get("due")
            .and_then(serde_json::Value::as_str)
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok());
        let due = instant.map(|d| {
            d.with_timezone(&motcua_domain::calendar::vietnam_offset())
                .format("%d/%m/%Y")
                .to_string()
        });
        let groups = match value.get("groups") {
            Some(g) => serde_json::from_value(g.clone())
                .map_err(|e| TemplateError(format!("danh sách trong tin hỏng: {e}")))?,
            None => Vec::new(),
        };
        let missing = value
            .get("missing")
            .and_then(serde_json::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let amount = value
            .get("amount_vnd")
            .and_then(serde_json::Value::as_i64)
            .map(motcua_domain::text::money_vi);
        let salutation = match text("salutation") {
            s if s.is_empty() => "ông/bà".to_string(),
            s => s,
        };
        Ok(Self {
            salutation,
            organisation: value
                .get("organisation")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            reason: Some(text("reason")).filter(|r| !r.trim().is_empty()),
            missing,
            amount,
            return_method: text("return_method"),
            agency: text("agency"),
            counter: text("counter"),
            counter_address: text("counter_address"),
            counter_phone: text("counter_phone"),
            code: text("code"),
            secret: text("secret"),
            event: text("event"),
            applicant: text("applicant"),
            procedure: text("procedure"),
            due,
            due_at: instant.map(motcua_domain::calendar::format_vi),
            officer: text("officer"),
            alert: text("alert"),
            date: text("date"),
            groups,
        })
    }

    /// Made-up fields that exercise every variable, for checking a template before saving.
    pub fn sample(event: &str) -> Self {
        Self {
            code: "000.00.03.H56-261124-0001".into(),
            secret: "K7Q2M9XA".into(),
            event: event.into(),
            applicant: "Nguyễn Thị Hoà".into(),
            procedure: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam".into(),
            due: Some("28/11/2026".into()),
            due_at: Some("16:30 ngày 28/11/2026".into()),
            officer: "Trần Văn Bình".into(),
            alert: "Hồ sơ sắp đến hạn trả kết quả".into(),
            date: "27/11/2026".into(),
            groups: vec![DigestLine {
                title: "Hồ sơ đến hạn hôm nay".into(),
                items: vec![DigestEntry {
                    code: "000.00.03.H56-261124-0001".into(),
                    procedure: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam".into(),
                    due: "16:30 ngày 27/11/2026".into(),
                }],
            }],
            salutation: "ông/bà".into(),
            organisation: false,
            reason: Some("Hồ sơ chưa có bản sao Giấy khai sinh".into()),
            missing: vec![
                "Bản sao Giấy khai sinh".into(),
                "Tờ khai có chữ ký của người yêu cầu".into(),
            ],
            amount: Some("200.000 đồng".into()),
            return_method: "in_person".into(),
            agency: "Sở Tư pháp tỉnh Thanh Hóa".into(),
            counter: "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa".into(),
            counter_address: "28 Đại lộ Lê Lợi, phường Hạc Thành".into(),
            counter_phone: "0237 3 720 720".into(),
        }
    }
}

/// A message ready for its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

fn environment(escape: AutoEscape) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(move |_| escape.clone());
    // `{{ missing|join("; ")|khong_dau }}`: Vietnamese written without marks, for SMS.
    env.add_filter("khong_dau", |text: String| {
        motcua_domain::text::without_marks(&text)
    });
    env
}

/// Renders a subject and body for one message.
pub fn render(subject: &str, body: &str, fields: &Fields) -> Result<Rendered, TemplateError> {
    let env = environment(AutoEscape::None);
    let subject = env.render_str(subject, Serde(fields))?;
    let body = env.render_str(body, Serde(fields))?;
    Ok(Rendered {
        subject: subject.trim().replace(['\r', '\n'], " "),
        body: body.trim().to_string(),
    })
}

/// Checks that a template renders with sample fields, with and without a due date.
pub fn check(event: &str, subject: &str, body: &str) -> Result<Rendered, TemplateError> {
    if body.trim().is_empty() {
        return Err(TemplateError("nội dung không được để trống".into()));
    }
    let mut without_due = Fields::sample(event);
    without_due.due = None;
    without_due.due_at = None;
    render(subject, body, &without_due)?;
    render(subject, body, &Fields::sample(event))
}

/// Renders a gateway's body template: every value is written as JSON, so
/// `{"to": {{ recipient }}}` stays valid whatever the text holds.
pub fn render_json<T: Serialize>(template: &str, context: &T) -> Result<String, TemplateError> {
    let env = environment(AutoEscape::Json);
    Ok(env.render_str(template, Serde(context))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fields_with_diacritics() {
        let out = render(
            "Hồ sơ {{ code }}",
            "Kính gửi {{ applicant }}: hẹn trả {{ due }}.",
            &Fields::sample("received"),
        )
        .unwrap();
        assert_eq!(out.subject, "Hồ sơ 000.00.03.H56-261124-0001");
        assert_eq!(out.body, "Kính gửi Nguyễn Thị Hoà: hẹn trả 28/11/2026.");
    }

    #[test]
    fn undefined_variables_are_errors() {
        let e = check("received", "x", "{{ ho_ten }}").unwrap_err();
        assert!(e.0.contains("undefined"), "{e}");
        assert!(check("received", "x", "{{ applicant").is_err());
        assert!(check("received", "x", "  ").is_err());
    }

    #[test]
    fn runaway_loops_stop() {
        let e = check(
            "received",
            "x",
            "{% for a in range(9000) %}{% for b in range(9000) %}.{% endfor %}{% endfor %}",
        )
        .unwrap_err();
        assert!(!e.0.is_empty());
    }

    #[test]
    fn json_bodies_escape_values() {
        #[derive(Serialize)]
        struct C {
            text: String,
        }
        let out = render_json(
            r#"{"text": {{ text }}}"#,
            &C {
                text: "Hồ sơ \"A\"\nđã nhận".into(),
            },
        )
        .unwrap();
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["text"], "Hồ sơ \"A\"\nđã nhận");
    }

    #[test]
    fn payload_due_is_written_the_vietnamese_way() {
        let f = Fields::from_payload(
            r#"{"code":"X","event":"received","applicant":"A","procedure":"P","due":"2026-11-28T10:00:00+07:00"}"#,
        )
        .unwrap();
        assert_eq!(f.due.as_deref(), Some("28/11/2026"));
        let f = Fields::from_payload(r#"{"code":"X","due":null}"#).unwrap();
        assert_eq!(f.due, None);
    }

    #[test]
    fn a_morning_list_renders_its_lines() {
        let f = Fields::from_payload(
            r#"{"event":"digest","officer":"Lê Văn C","date":"09/03/2026","groups":[
                {"title":"Hồ sơ đã quá hạn","items":[{"code":"A-1","procedure":"Thủ tục 1","due":"08:00 ngày 06/03/2026"}]},
                {"title":"Hồ sơ đến hạn hôm nay","items":[{"code":"A-2","procedure":"Thủ tục 2","due":""},{"code":"A-3","procedure":"Thủ tục 3","due":"16:00 ngày 09/03/2026"}]}]}"#,
        )
        .unwrap();
        let (subject, body) = crate::defaults::default_for("digest", "email").unwrap();
        let out = render(subject, body, &f).unwrap();
        assert_eq!(out.subject, "Bản tin đầu ngày 09/03/2026");
        assert!(out.body.starts_with("Kính gửi Lê Văn C,"), "{}", out.body);
        assert!(
            out.body
                .contains("Hồ sơ đã quá hạn (1):\n- A-1 — Thủ tục 1 (hạn 08:00 ngày 06/03/2026)"),
            "{}",
            out.body
        );
        assert!(
            out.body
                .contains("Hồ sơ đến hạn hôm nay (2):\n- A-2 — Thủ tục 2\n- A-3"),
            "{}",
            out.body
        );
        let (_, zalo) = crate::defaults::default_for("digest", "zalo").unwrap();
        assert_eq!(
            render("", zalo, &f).unwrap().body,
            "Bản tin 09/03/2026: Hồ sơ đã quá hạn: 1. Hồ sơ đến hạn hôm nay: 2."
        );
        // A broken list is named, not sent half-empty.
        assert!(Fields::from_payload(r#"{"groups":[{"title":1}]}"#).is_err());
    }

    #[test]
    fn an_alert_gives_its_deadline_with_the_hour() {
        let f = Fields::from_payload(
            r#"{"event":"alert","officer":"Lê Văn C","code":"A-1","alert":"Bước xử lý đã quá hạn","procedure":"Thủ tục 1","due":"2026-03-09T01:00:00Z"}"#,
        )
        .unwrap();
        let (subject, body) = crate::defaults::default_for("alert", "zalo").unwrap();
        let out = render(subject, body, &f).unwrap();
        assert_eq!(out.subject, "Bước xử lý đã quá hạn: hồ sơ A-1");
        assert_eq!(
            out.body,
            "Bước xử lý đã quá hạn: hồ sơ A-1, hạn 08:00 ngày 09/03/2026."
        );
    }

    /// The fields the store writes for an event (as `motcua_db::outbox::messages_for` does).
    fn written(event: &str, extra: serde_json::Value) -> Fields {
        let mut payload = serde_json::json!({
            "code": "000.01.01.H56-260302-0001",
            "secret": "K7Q2M9XA",
            "event": event,
            "applicant": "Lê Thị Hoa",
            "procedure": "Cấp Phiếu lý lịch tư pháp",
            "due": "2026-03-13T16:00:00+07:00",
            "salutation": "ông/bà",
            "organisation": false,
            "reason": null,
            "missing": [],
            "amount_vnd": null,
            "return_method": "in_person",
            "agency": "Sở Tư pháp",
            "counter": "Trung tâm Phục vụ hành chính công tỉnh",
            "counter_address": "28 Đại lộ Lê Lợi",
            "counter_phone": "0237 3 720 720",
        });
        if let (Some(p), Some(e)) = (payload.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                p.insert(k.clone(), v.clone());
            }
        }
        Fields::from_payload(&payload.to_string()).unwrap()
    }

    fn email(event: &str, f: &Fields) -> String {
        let (subject, body) = crate::defaults::default_for(event, "email").unwrap();
        render(subject, body, f).unwrap().body
    }

    fn text(event: &str, channel: &str, f: &Fields) -> String {
        let (subject, body) = crate::defaults::default_for(event, channel).unwrap();
        render(subject, body, f).unwrap().body
    }

    /// ND 61 art. 17(2), 19: each message says what the applicant needs to act on it.
    #[test]
    fn citizens_messages_carry_what_the_law_asks() {
        let f = written(
            "supplement_requested",
            serde_json::json!({"reason": "Thiếu giấy tờ", "missing": ["Bản sao Giấy khai sinh", "Tờ khai có chữ ký"]}),
        );
        let body = email("supplement_requested", &f);
        assert!(body.contains("vì: Thiếu giấy tờ"), "{body}");
        assert!(
            body.contains("- Bản sao Giấy khai sinh\n- Tờ khai có chữ ký"),
            "{body}"
        );
        assert!(
            body.contains("nộp bổ sung tại Trung tâm Phục vụ hành chính công tỉnh, 28 Đại lộ Lê Lợi (điện thoại 0237 3 720 720)"),
            "{body}"
        );
        assert_eq!(
            text("supplement_requested", "sms", &f),
            "Ho so 000.01.01.H56-260302-0001 can bo sung: Ban sao Giay khai sinh; To khai co chu ky. Nop tai Trung tam Phuc vu hanh chinh cong tinh."
        );

        let f = written(
            "payment_requested",
            serde_json::json!({"amount_vnd": 150000}),
        );
        assert!(email("payment_requested", &f).contains("Số tiền phải nộp: 150.000 đồng."));
        assert!(text("payment_requested", "sms", &f).contains("nop 150.000 dong phi"));

        let f = written(
            "apology_issued",
            serde_json::json!({"reason": "Chờ kết quả xác minh"}),
        );
        let body = email("apology_issued", &f);
        assert!(
            body.contains(
                "Sở Tư pháp chân thành xin lỗi ông/bà vì hồ sơ 000.01.01.H56-260302-0001"
            ),
            "{body}"
        );
        assert!(body.contains("vì: Chờ kết quả xác minh."), "{body}");
        assert!(
            body.contains("Ngày hẹn trả kết quả mới: 13/03/2026."),
            "{body}"
        );

        for event in ["refused", "rejected", "stopped"] {
            let f = written(
                event,
                serde_json::json!({"reason": "Không thuộc thẩm quyền"}),
            );
            assert!(
                email(event, &f).contains("vì: Không thuộc thẩm quyền"),
                "{event}"
            );
            assert!(
                text(event, "zalo", &f).contains(": Không thuộc thẩm quyền."),
                "{event}"
            );
        }

        // The result comes back as the applicant chose.
        let by_post = written("result_ready", serde_json::json!({"return_method": "post"}));
        let body = email("result_ready", &by_post);
        assert!(body.contains("qua dịch vụ bưu chính công ích"), "{body}");
        assert!(!body.contains("đến nhận"), "{body}");
        let in_person = written("result_ready_early", serde_json::json!({}));
        assert!(
            email("result_ready_early", &in_person)
                .contains("Mời ông/bà đến nhận kết quả tại Trung tâm Phục vụ hành chính công tỉnh")
        );
        let online = written(
            "result_ready",
            serde_json::json!({"return_method": "online"}),
        );
        assert!(text("result_ready", "zalo", &online).contains("Kết quả điện tử"));

        // An organisation is addressed as one.
        let org = written(
            "received",
            serde_json::json!({"salutation": "Quý cơ quan, tổ chức", "organisation": true, "applicant": "Công ty TNHH Minh Phát"}),
        );
        let body = email("received", &org);
        assert!(
            body.starts_with("Kính gửi Công ty TNHH Minh Phát,"),
            "{body}"
        );
        assert!(
            body.contains("Quý cơ quan, tổ chức có thể tra cứu"),
            "{body}"
        );
        assert!(!body.contains("ông/bà"), "{body}");
    }

    /// SMS defaults stay in plain letters whatever the data brings (one part holds 160).
    #[test]
    fn sms_defaults_are_without_marks() {
        for event in EVENTS {
            let (subject, body) = crate::defaults::default_for(event, "sms").unwrap();
            let out = render(subject, body, &Fields::sample(event)).unwrap().body;
            assert!(out.is_ascii(), "{event}: {out}");
        }
    }
}

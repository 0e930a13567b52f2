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
];

/// The channels a citizen can choose.
pub const CHANNELS: &[&str] = &["email", "sms", "zalo"];

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
        let due = value
            .get("due")
            .and_then(serde_json::Value::as_str)
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| {
                d.with_timezone(&motcua_domain::calendar::vietnam_offset())
                    .format("%d/%m/%Y")
                    .to_string()
            });
        Ok(Self {
            code: text("code"),
            secret: text("secret"),
            event: text("event"),
            applicant: text("applicant"),
            procedure: text("procedure"),
            due,
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
}

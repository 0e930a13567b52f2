//! Webhook — what integrators subscribe to: the dossier events (those citizens are told of,
//! and every change of status), the body each delivery carries (no personal data: the code,
//! the procedure, the statuses, the agency, the dates), and the text its HMAC-SHA256
//! signature is made over, the same as the national portal's pushes are checked with.

use serde_json::{Value, json};

use crate::dossier::{Event, Status};
use crate::error::FieldError;

/// Every change of a dossier's status, whatever caused it.
pub const STATUS_CHANGED: &str = "status_changed";

/// Every event a subscription may name, with what it means.
pub fn events() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Event::ALL
        .iter()
        .map(|e| {
            let meaning = match e {
                Event::Received => "hồ sơ được tiếp nhận hoặc nộp trực tuyến",
                Event::Refused => "từ chối tiếp nhận",
                Event::SupplementRequested => "yêu cầu bổ sung, hoàn thiện hồ sơ",
                Event::PaymentRequested => "yêu cầu nộp phí, lệ phí",
                Event::ApologyIssued => "văn bản xin lỗi, hẹn lại ngày trả",
                Event::ResultReadyEarly => "có kết quả trước hạn",
                Event::ResultReady => "có kết quả",
                Event::Rejected => "không giải quyết sau thẩm định",
                Event::Stopped => "dừng xử lý",
                Event::Withdrawn => "công dân rút hồ sơ",
                Event::Returned => "đã trả kết quả",
                Event::RatingInvitation => "mời đánh giá",
            };
            (e.as_str(), meaning)
        })
        .collect();
    out.push((STATUS_CHANGED, "mọi lần đổi trạng thái hồ sơ"));
    out
}

/// A subscription's events checked: known names, each once, at least one; `*` is all.
pub fn check_events(names: &[String]) -> Result<Vec<String>, FieldError> {
    let known = events();
    let mut out: Vec<String> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name != "*" && !known.iter().any(|(k, _)| *k == name) {
            let list: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
            return Err(FieldError::new(
                "events",
                format!(
                    "không có sự kiện “{name}”; chọn trong: *, {}",
                    list.join(", ")
                ),
            ));
        }
        if !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    if out.is_empty() {
        return Err(FieldError::new("events", "cần ít nhất một sự kiện"));
    }
    Ok(out)
}

/// A receiver's address checked: http or https, no spaces, at most 2,000 characters.
pub fn check_url(url: &str) -> Result<String, FieldError> {
    let url = url.trim();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.len() > 2000 || url.chars().any(char::is_whitespace) || !url.contains("//")
    {
        return Err(FieldError::new(
            "url",
            format!("địa chỉ nhận “{url}” phải là một địa chỉ http:// hoặc https://"),
        ));
    }
    let host = url.split("//").nth(1).unwrap_or_default();
    if host.is_empty() || host.starts_with('/') {
        return Err(FieldError::new(
            "url",
            format!("địa chỉ nhận “{url}” thiếu máy chủ"),
        ));
    }
    Ok(url.to_string())
}

/// Whether a subscription to `subscribed` hears `event`.
pub fn wants(subscribed: &[String], event: &str) -> bool {
    subscribed.iter().any(|s| s == "*" || s == event)
}

/// The events a change raises: those citizens are told of, and `status_changed` when the
/// status moved.
pub fn raised(events: &[Event], status_changed: bool) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = events.iter().map(|e| e.as_str()).collect();
    if status_changed {
        out.push(STATUS_CHANGED);
    }
    out
}

/// What a delivery says happened to a dossier.
#[derive(Debug, Clone, Copy)]
pub struct Happened<'a> {
    pub event: &'a str,
    /// The action's name (`intake` for a new dossier).
    pub action: &'a str,
    pub at: &'a str,
    pub dossier_id: i64,
    pub code: &'a str,
    pub procedure_code: &'a str,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub agency_code: &'a str,
    pub due_at: Option<&'a str>,
}

/// The body of a delivery.
pub fn body(h: &Happened<'_>) -> Value {
    json!({
        "event": h.event,
        "action": h.action,
        "occurred_at": h.at,
        "dossier": {
            "id": h.dossier_id,
            "code": h.code,
            "procedure_code": h.procedure_code,
            "status": h.to_status,
            "status_code": h.to_status.code(),
            "previous_status": h.from_status,
            "agency_code": h.agency_code,
            "due_at": h.due_at,
        },
    })
}

/// The text a signature covers: `<timestamp>.<body>` (the receiver checks the timestamp is
/// fresh, so a captured delivery cannot be replayed later).
pub fn signed_text(timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut out = timestamp.to_string().into_bytes();
    out.push(b'.');
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_checked_by_name() {
        let ok = check_events(&[
            "result_ready".into(),
            " status_changed ".into(),
            "result_ready".into(),
        ])
        .unwrap();
        assert_eq!(ok, ["result_ready", "status_changed"]);
        let e = check_events(&["ket_qua".into()]).unwrap_err();
        assert!(e.message.contains("ket_qua") && e.message.contains("result_ready"));
        assert!(check_events(&[]).is_err());
        assert_eq!(check_events(&["*".into()]).unwrap(), ["*"]);
        assert_eq!(events().len(), Event::ALL.len() + 1);
    }

    #[test]
    fn subscriptions_hear_what_they_name() {
        let subs = vec!["result_ready".to_string()];
        assert!(wants(&subs, "result_ready"));
        assert!(!wants(&subs, STATUS_CHANGED));
        assert!(wants(&["*".to_string()], "received"));
        assert_eq!(
            raised(&[Event::ResultReady], true),
            ["result_ready", STATUS_CHANGED]
        );
        assert!(raised(&[], false).is_empty());
        assert!(check_url(" https://hook.example.vn/motcua ").is_ok());
        for bad in [
            "ftp://x",
            "https://",
            "http:///x",
            "https://a b",
            "hook.example.vn",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert_eq!(signed_text(17, b"{}"), b"17.{}");
    }
}

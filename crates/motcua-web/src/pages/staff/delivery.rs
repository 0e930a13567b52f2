//! Nhật ký gửi tin — the dossier page's view of each message: channel, masked recipient,
//! status, attempts and the gateway's last answer.

use motcua_db::Delivery;

use crate::i18n::Tr;

/// One message as the dossier page lists it.
pub struct Message {
    pub event: &'static str,
    pub channel: &'static str,
    pub recipient: String,
    pub status: &'static str,
    pub failed: bool,
    pub attempts: i64,
    pub answer: String,
}

/// A phone number or address with its middle hidden: staff see which contact was used
/// without the page repeating it in full.
pub fn mask(recipient: &str) -> String {
    if let Some((user, domain)) = recipient.split_once('@') {
        let first: String = user.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let chars: Vec<char> = recipient.chars().collect();
    if chars.len() <= 6 {
        return "***".into();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}****{tail}")
}

pub fn message(d: Delivery, t: Tr) -> Message {
    Message {
        event: t.get(&format!("event.{}", d.event)),
        channel: t.get(&format!("channel.{}", d.channel)),
        recipient: mask(&d.recipient),
        status: t.get(&format!("delivery.status.{}", d.status)),
        failed: d.status == "failed",
        attempts: d.attempts,
        answer: d.last_answer.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn recipients_are_masked() {
        assert_eq!(super::mask("0912345678"), "091****678");
        assert_eq!(super::mask("dan@example.vn"), "d***@example.vn");
        assert_eq!(super::mask("113"), "***");
    }
}

//! VNPay 2.1.0 — the merchant protocol as text: the payment URL's parameters and the text
//! its checksum covers (HMAC-SHA512, computed by whoever holds the key), what the return URL
//! and the IPN carry, the IPN's reply codes, and the `querydr` request and reply. Amounts
//! travel as đồng × 100; times as `yyyyMMddHHmmss` at GMT+7.

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use crate::calendar::{Instant, vietnam_offset};

pub const VERSION: &str = "2.1.0";

/// The parameters that carry the checksum, never part of the text it covers.
const HASH_FIELDS: [&str; 2] = ["vnp_SecureHash", "vnp_SecureHashType"];

/// Form encoding as VNPay's reference code does it (`URLEncoder`): letters, digits and
/// `. - * _` as they are, a space as `+`, every other byte of the UTF-8 text as `%XX`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The text the checksum covers: every non-empty `vnp_` parameter but the checksum's own,
/// sorted by name, as `name=value` encoded and joined with `&`.
pub fn signed_text(params: &[(String, String)]) -> String {
    let mut kept: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, v)| k.starts_with("vnp_") && !v.is_empty())
        .filter(|(k, _)| !HASH_FIELDS.contains(&k.as_str()))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    kept.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A time as VNPay writes it.
pub fn time(at: Instant) -> String {
    at.with_timezone(&vietnam_offset())
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// A time VNPay wrote.
pub fn parse_time(text: &str) -> Option<Instant> {
    NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S")
        .ok()?
        .and_local_timezone(vietnam_offset())
        .single()
}

/// The order text VNPay accepts: without marks, letters, digits, spaces and `. - : ,`
/// only, at most 255 characters.
pub fn order_info(text: &str) -> String {
    crate::text::without_marks(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " .-:,".contains(*c))
        .take(255)
        .collect()
}

/// What the merchant asks VNPay to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order<'a> {
    pub tmn_code: &'a str,
    /// `vnp_TxnRef`: the payment's reference, unique here.
    pub reference: &'a str,
    pub amount_vnd: i64,
    /// `vnp_OrderInfo`, made fit by [`order_info`].
    pub info: &'a str,
    pub return_url: &'a str,
    /// The payer's address.
    pub ip: &'a str,
    pub created: Instant,
    pub expires: Instant,
}

/// The payment URL's parameters, without the checksum.
pub fn order_params(o: &Order<'_>) -> Vec<(String, String)> {
    [
        ("vnp_Version", VERSION.to_string()),
        ("vnp_Command", "pay".to_string()),
        ("vnp_TmnCode", o.tmn_code.to_string()),
        ("vnp_Amount", o.amount_vnd.saturating_mul(100).to_string()),
        ("vnp_CurrCode", "VND".to_string()),
        ("vnp_TxnRef", o.reference.to_string()),
        ("vnp_OrderInfo", order_info(o.info)),
        ("vnp_OrderType", "other".to_string()),
        ("vnp_Locale", "vn".to_string()),
        ("vnp_ReturnUrl", o.return_url.to_string()),
        ("vnp_IpAddr", o.ip.to_string()),
        ("vnp_CreateDate", time(o.created)),
        ("vnp_ExpireDate", time(o.expires)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The payment URL: `base` with the signed text and its checksum `hash`.
pub fn pay_url(base: &str, params: &[(String, String)], hash: &str) -> String {
    let joiner = if base.contains('?') { '&' } else { '?' };
    format!(
        "{base}{joiner}{}&vnp_SecureHash={hash}",
        signed_text(params)
    )
}

/// The checksum a message carries.
pub fn carried_hash(params: &[(String, String)]) -> Option<&str> {
    params
        .iter()
        .find(|(k, _)| k == "vnp_SecureHash")
        .map(|(_, v)| v.as_str())
}

/// What a return URL, an IPN or a query reply says of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub tmn_code: String,
    pub reference: String,
    pub amount_vnd: i64,
    pub response_code: String,
    pub transaction_status: String,
    pub transaction_no: String,
    pub bank_code: String,
    pub pay_date: Option<Instant>,
}

impl Answer {
    /// Paid: both the response and the transaction say so.
    pub fn paid(&self) -> bool {
        self.response_code == "00" && self.transaction_status == "00"
    }
}

/// Reads an answer's fields (its checksum is checked by the caller); what is missing or
/// malformed is named.
pub fn read_answer(params: &[(String, String)]) -> Result<Answer, String> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let need = |name: &str| get(name).ok_or_else(|| format!("thiếu {name}"));
    let amount: i64 = need("vnp_Amount")?
        .parse()
        .map_err(|_| "vnp_Amount không phải số".to_string())?;
    if amount < 0 || amount % 100 != 0 {
        return Err(format!("vnp_Amount {amount} không phải số đồng × 100"));
    }
    Ok(Answer {
        tmn_code: get("vnp_TmnCode").unwrap_or_default(),
        reference: need("vnp_TxnRef")?,
        amount_vnd: amount / 100,
        response_code: need("vnp_ResponseCode")?,
        transaction_status: get("vnp_TransactionStatus").unwrap_or_default(),
        transaction_no: get("vnp_TransactionNo").unwrap_or_default(),
        bank_code: get("vnp_BankCode").unwrap_or_default(),
        pay_date: get("vnp_PayDate").and_then(|d| parse_time(&d)),
    })
}

/// The IPN's reply codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RspCode {
    Confirmed,
    OrderNotFound,
    AlreadyConfirmed,
    WrongAmount,
    BadChecksum,
    Other,
}

impl RspCode {
    pub fn code(self) -> &'static str {
        match self {
            Self::Confirmed => "00",
            Self::OrderNotFound => "01",
            Self::AlreadyConfirmed => "02",
            Self::WrongAmount => "04",
            Self::BadChecksum => "97",
            Self::Other => "99",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Confirmed => "Confirm Success",
            Self::OrderNotFound => "Order not found",
            Self::AlreadyConfirmed => "Order already confirmed",
            Self::WrongAmount => "Invalid amount",
            Self::BadChecksum => "Invalid signature",
            Self::Other => "Unknown error",
        }
    }

    /// The IPN's JSON reply.
    pub fn reply(self) -> Value {
        json!({"RspCode": self.code(), "Message": self.message()})
    }
}

/// A `querydr` request: how a payment whose IPN never came is asked after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<'a> {
    pub request_id: &'a str,
    pub tmn_code: &'a str,
    pub reference: &'a str,
    pub info: &'a str,
    /// When the payment was created (its `vnp_CreateDate`).
    pub transaction_date: Instant,
    pub created: Instant,
    pub ip: &'a str,
}

/// The text a query's checksum covers.
pub fn query_text(q: &Query<'_>) -> String {
    [
        q.request_id,
        VERSION,
        "querydr",
        q.tmn_code,
        q.reference,
        &time(q.transaction_date),
        &time(q.created),
        q.ip,
        &order_info(q.info),
    ]
    .join("|")
}

/// The query's JSON body, with its checksum `hash`.
pub fn query_body(q: &Query<'_>, hash: &str) -> Value {
    json!({
        "vnp_RequestId": q.request_id,
        "vnp_Version": VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": q.tmn_code,
        "vnp_TxnRef": q.reference,
        "vnp_OrderInfo": order_info(q.info),
        "vnp_TransactionDate": time(q.transaction_date),
        "vnp_CreateDate": time(q.created),
        "vnp_IpAddr": q.ip,
        "vnp_SecureHash": hash,
    })
}

/// The text a query reply's checksum covers, in the order VNPay's `querydr` page gives.
pub fn reply_text(reply: &Value) -> String {
    [
        "vnp_ResponseId",
        "vnp_Command",
        "vnp_ResponseCode",
        "vnp_Message",
        "vnp_TmnCode",
        "vnp_TxnRef",
        "vnp_Amount",
        "vnp_BankCode",
        "vnp_PayDate",
        "vnp_TransactionNo",
        "vnp_TransactionType",
        "vnp_TransactionStatus",
        "vnp_OrderInfo",
        "vnp_PromotionCode",
        "vnp_PromotionAmount",
    ]
    .iter()
    .map(|k| match &reply[*k] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
    .collect::<Vec<_>>()
    .join("|")
}

/// A query reply's fields as name and text, to read like the other answers.
pub fn reply_params(reply: &Value) -> Vec<(String, String)> {
    reply
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k.clone(), s.clone())),
                    Value::Number(n) => Some((k.clone(), n.to_string())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> Instant {
        vietnam_offset()
            .with_ymd_and_hms(2026, 3, 2, h, 15, 30)
            .single()
            .unwrap()
    }

    #[test]
    fn the_signed_text_is_sorted_encoded_and_leaves_out_the_hash() {
        let params: Vec<(String, String)> = [
            ("vnp_TxnRef", "TT-12"),
            ("vnp_Amount", "1806000"),
            ("vnp_OrderInfo", "Thanh toan don hang :5"),
            ("vnp_BankCode", ""),
            ("vnp_SecureHash", "abc"),
            ("other", "x"),
            ("vnp_ReturnUrl", "https://a.vn/ket-qua?x=1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            signed_text(&params),
            "vnp_Amount=1806000&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_ReturnUrl=https%3A%2F%2Fa.vn%2Fket-qua%3Fx%3D1&vnp_TxnRef=TT-12"
        );
        assert_eq!(carried_hash(&params), Some("abc"));
        assert_eq!(encode("Phí ~*"), "Ph%C3%AD+%7E*");
    }

    #[test]
    fn an_order_carries_cents_and_gmt7_times() {
        let order = Order {
            tmn_code: "MOTCUA01",
            reference: "000.01.01.H56-260302-0001-1",
            amount_vnd: 150_000,
            info: "Nộp phí hồ sơ 000.01.01.H56-260302-0001 (Đăng ký)",
            return_url: "http://127.0.0.1/thanh-toan/vnpay/ket-qua",
            ip: "127.0.0.1",
            created: at(9),
            expires: at(10),
        };
        let params = order_params(&order);
        let get = |k: &str| params.iter().find(|(n, _)| n == k).unwrap().1.clone();
        assert_eq!(get("vnp_Amount"), "15000000");
        assert_eq!(get("vnp_CreateDate"), "20260302091530");
        assert_eq!(get("vnp_ExpireDate"), "20260302101530");
        assert_eq!(
            get("vnp_OrderInfo"),
            "Nop phi ho so 000.01.01.H56-260302-0001 Dang ky"
        );
        let url = pay_url("https://gw.example/pay.html", &params, "ff00");
        assert!(url.starts_with("https://gw.example/pay.html?vnp_Amount=15000000&"));
        assert!(url.ends_with("&vnp_SecureHash=ff00"));
        assert_eq!(parse_time("20260302091530"), Some(at(9)));
        assert_eq!(parse_time("2026-03-02"), None);
    }

    #[test]
    fn answers_are_read_and_judged() {
        let mut params: Vec<(String, String)> = [
            ("vnp_TxnRef", "R1"),
            ("vnp_Amount", "15000000"),
            ("vnp_ResponseCode", "00"),
            ("vnp_TransactionStatus", "00"),
            ("vnp_TransactionNo", "14271027"),
            ("vnp_PayDate", "20260302091530"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let a = read_answer(&params).unwrap();
        assert_eq!(a.amount_vnd, 150_000);
        assert!(a.paid());
        assert_eq!(a.pay_date, Some(at(9)));
        params[3].1 = "02".into();
        assert!(!read_answer(&params).unwrap().paid());
        params[1].1 = "1500001".into();
        assert!(read_answer(&params).unwrap_err().contains("× 100"));
        params[1].1 = "15000000".into();
        params.remove(0);
        assert!(read_answer(&params).unwrap_err().contains("vnp_TxnRef"));
        assert_eq!(RspCode::WrongAmount.reply()["RspCode"], "04");
    }

    #[test]
    fn a_query_and_its_reply_texts() {
        let q = Query {
            request_id: "Q1",
            tmn_code: "MOTCUA01",
            reference: "R1",
            info: "Tra cứu R1",
            transaction_date: at(9),
            created: at(11),
            ip: "127.0.0.1",
        };
        assert_eq!(
            query_text(&q),
            "Q1|2.1.0|querydr|MOTCUA01|R1|20260302091530|20260302111530|127.0.0.1|Tra cuu R1"
        );
        assert_eq!(query_body(&q, "h")["vnp_SecureHash"], "h");
        let reply = json!({"vnp_ResponseId": "X", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
            "vnp_Amount": 15000000, "vnp_TxnRef": "R1"});
        assert_eq!(
            reply_text(&reply),
            format!("X|querydr|00|||R1|15000000{}", "|".repeat(8))
        );
        assert!(
            reply_params(&reply)
                .iter()
                .any(|(k, v)| k == "vnp_Amount" && v == "15000000")
        );
    }
}

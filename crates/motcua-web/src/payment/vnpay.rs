//! VNPay 2.1.0 as a [`Gateway`](super::Gateway): the payment URL signed with HMAC-SHA512 over
//! the protocol's text ([`motcua_domain::payment::vnpay`]), callbacks verified the same way
//! (the checksum compared in constant time), and `querydr` for a payment whose server call
//! never came. Settings: `--vnpay-url`, `--vnpay-tmn-code`, `--vnpay-secret`,
//! `--vnpay-api-url`.

use hmac::{Hmac, KeyInit, Mac};
use motcua_db::{Proof, StoredPayment};
use motcua_domain::calendar::Instant;
use motcua_domain::payment::vnpay::{
    self, Order, Query, carried_hash, order_params, pay_url, query_body, query_text, read_answer,
    reply_params, reply_text, signed_text,
};

use super::{Gateway, Refusal};

type HmacSha512 = Hmac<sha2::Sha512>;

/// The gateway's server call (to register with VNPay as the IPN URL).
pub const IPN_PATH: &str = "/thanh-toan/vnpay/ipn";
/// Where VNPay sends the payer back.
pub const RETURN_PATH: &str = "/thanh-toan/vnpay/ket-qua";

/// How long a payment URL stays valid.
const VALID_MINUTES: i64 = 15;

/// A merchant's VNPay settings.
pub struct Vnpay {
    /// The payment page (`…/paymentv2/vpcpay.html`).
    pub url: String,
    pub tmn_code: String,
    /// HMAC-SHA512 keyed with the merchant's secret.
    mac: HmacSha512,
    /// The merchant API (`…/merchant_webapi/api/transaction`) for queries, if configured.
    api: Option<(String, reqwest::Client)>,
}

impl std::fmt::Debug for Vnpay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vnpay")
            .field("url", &self.url)
            .field("tmn_code", &self.tmn_code)
            .finish_non_exhaustive()
    }
}

impl Vnpay {
    /// Checked settings: an http(s) URL, a terminal code of 8 letters or digits and a
    /// secret; the API address when queries are wanted.
    pub fn new(
        url: &str,
        tmn_code: &str,
        secret: &str,
        api_url: Option<&str>,
        timeout: std::time::Duration,
    ) -> Result<Self, String> {
        let (url, _) = crate::outbound::client(url, "cổng VNPay (--vnpay-url)", timeout)?;
        let tmn_code = tmn_code.trim();
        if tmn_code.is_empty()
            || tmn_code.len() > 8
            || !tmn_code.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(format!(
                "mã website VNPay (--vnpay-tmn-code) “{tmn_code}” phải gồm tối đa 8 chữ và số"
            ));
        }
        if secret.trim().len() < 16 {
            return Err("khoá bí mật VNPay (--vnpay-secret) phải có ít nhất 16 ký tự".into());
        }
        let api = api_url
            .map(|u| crate::outbound::client(u, "API VNPay (--vnpay-api-url)", timeout))
            .transpose()?;
        let mac = HmacSha512::new_from_slice(secret.trim().as_bytes())
            .map_err(|_| "khoá bí mật VNPay không dùng được".to_string())?;
        Ok(Self {
            url,
            tmn_code: tmn_code.to_string(),
            mac,
            api,
        })
    }

    /// The hex HMAC-SHA512 of `text`.
    fn sign(&self, text: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(text.as_bytes());
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    }

    /// Whether `hash` (hex, either case) is the checksum of `text`.
    fn holds(&self, text: &str, hash: &str) -> bool {
        let Ok(given) = data_encoding::HEXLOWER_PERMISSIVE.decode(hash.trim().as_bytes()) else {
            return false;
        };
        let mut mac = self.mac.clone();
        mac.update(text.as_bytes());
        mac.verify_slice(&given).is_ok()
    }

    /// Whether the merchant API is configured (for queries).
    pub fn can_query(&self) -> bool {
        self.api.is_some()
    }

    /// Asks VNPay how payment `payment` stands (`querydr`): its proof when the answer's
    /// checksum holds.
    pub async fn query(
        &self,
        payment: &StoredPayment,
        ip: &str,
        now: Instant,
    ) -> Result<Proof, String> {
        let Some((url, client)) = &self.api else {
            return Err("chưa cấu hình API VNPay (--vnpay-api-url)".into());
        };
        let created = motcua_db::instant_of(payment.created_at).map_err(|e| e.to_string())?;
        let request_id = motcua_db::random_token(16).map_err(|e| e.to_string())?;
        let info = format!("Tra cuu giao dich {}", payment.reference);
        let q = Query {
            request_id: &request_id,
            tmn_code: &self.tmn_code,
            reference: &payment.reference,
            info: &info,
            transaction_date: created,
            created: now,
            ip,
        };
        let body = query_body(&q, &self.sign(&query_text(&q)));
        let reply = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("không gọi được API VNPay: {e}"))?;
        let text = reply
            .text()
            .await
            .map_err(|e| format!("không đọc được trả lời của API VNPay: {e}"))?;
        let reply: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("API VNPay trả lời không phải JSON: {e}"))?;
        let hash = reply["vnp_SecureHash"].as_str().unwrap_or_default();
        if !self.holds(&reply_text(&reply), hash) {
            return Err("chữ ký trả lời của API VNPay không đúng".into());
        }
        if reply["vnp_ResponseCode"] != "00" {
            return Err(format!(
                "API VNPay trả mã {}: {}",
                reply["vnp_ResponseCode"], reply["vnp_Message"]
            ));
        }
        let answer = read_answer(&reply_params(&reply))?;
        if answer.reference != payment.reference {
            return Err("API VNPay trả lời về giao dịch khác".into());
        }
        Ok(proof_of(answer))
    }
}

fn proof_of(a: vnpay::Answer) -> Proof {
    Proof {
        paid: a.paid(),
        code: format!("{}/{}", a.response_code, a.transaction_status),
        reference: a.reference,
        amount_vnd: a.amount_vnd,
        gateway_txn: a.transaction_no,
        bank_code: a.bank_code,
    }
}

impl Gateway for Vnpay {
    fn name(&self) -> &'static str {
        "vnpay"
    }

    fn return_path(&self) -> &'static str {
        RETURN_PATH
    }

    fn pay_url(
        &self,
        payment: &StoredPayment,
        code: &str,
        return_url: &str,
        ip: &str,
        now: Instant,
    ) -> String {
        let info = format!("Nop phi, le phi ho so {code}");
        let order = Order {
            tmn_code: &self.tmn_code,
            reference: &payment.reference,
            amount_vnd: payment.amount_vnd,
            info: &info,
            return_url,
            ip,
            created: now,
            expires: now + chrono::Duration::minutes(VALID_MINUTES),
        };
        let params = order_params(&order);
        let hash = self.sign(&signed_text(&params));
        pay_url(&self.url, &params, &hash)
    }

    fn verify(&self, params: &[(String, String)]) -> Result<Proof, Refusal> {
        let Some(hash) = carried_hash(params) else {
            return Err(Refusal::BadChecksum);
        };
        if !self.holds(&signed_text(params), hash) {
            return Err(Refusal::BadChecksum);
        }
        let answer = read_answer(params).map_err(Refusal::Malformed)?;
        if !answer.tmn_code.is_empty() && answer.tmn_code != self.tmn_code {
            return Err(Refusal::Malformed(format!(
                "mã website {} không phải của đơn vị này",
                answer.tmn_code
            )));
        }
        Ok(proof_of(answer))
    }
}

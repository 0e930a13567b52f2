//! Thanh toán phí, lệ phí — what a dossier owes and how a payment stands. A dossier owes the
//! fees of its case (fixed at receipt) and, while the agency waits for it (status 6), the
//! financial obligation it asked for; what has been paid is taken off. Every amount is in
//! whole đồng. The gateways' own protocols are beside this ([`vnpay`]).

pub mod receipt;
pub mod vnpay;

use serde::{Deserialize, Serialize};

use crate::agency::Role;
use crate::dossier::{Actor, Payment};

/// Who records a payment made at the counter, and confirms an obligation paid: the
/// officers of the agency holding the dossier.
pub const RECORDING_ROLES: [Role; 4] = [
    Role::CounterOfficer,
    Role::Specialist,
    Role::UnitLeader,
    Role::AgencyLeader,
];

/// Whether `actor` may record a payment taken at the counter.
pub fn may_record(actor: &Actor) -> bool {
    actor.has_any(&RECORDING_ROLES)
}

/// A receipt number as typed: trimmed, 1 to 50 characters.
pub fn check_receipt_no(text: &str) -> Result<String, crate::FieldError> {
    let text = crate::text::nfc(text.trim());
    if text.is_empty() || text.chars().count() > 50 {
        return Err(crate::FieldError::new(
            "receipt_no",
            "số biên lai phải có từ 1 đến 50 ký tự",
        ));
    }
    Ok(text)
}

/// What is owed now, in its two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Owed {
    /// The case's fees and charges not yet paid.
    pub fees_vnd: i64,
    /// The obligation asked for during processing, while it waits.
    pub obligation_vnd: i64,
}

impl Owed {
    pub fn total(self) -> i64 {
        self.fees_vnd.saturating_add(self.obligation_vnd)
    }

    pub fn is_nothing(self) -> bool {
        self.total() <= 0
    }
}

/// What a dossier with fees `fee_vnd` and requested obligation `requested` owes, when
/// `fees_paid_vnd` of its fees have been paid already. An obligation is settled once its
/// confirmation is recorded (by the gateway's proof or by an officer at the counter).
pub fn owed(fee_vnd: i64, requested: Option<&Payment>, fees_paid_vnd: i64) -> Owed {
    Owed {
        fees_vnd: fee_vnd.saturating_sub(fees_paid_vnd).max(0),
        obligation_vnd: requested
            .filter(|p| p.paid_at.is_none())
            .map_or(0, |p| p.amount_vnd.max(0)),
    }
}

/// How a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Sent to the gateway; no proof yet.
    Pending,
    /// Proven paid (the gateway's server call, its query, or the counter's receipt).
    Paid,
    /// The gateway said it did not go through.
    Failed,
}

impl PaymentState {
    pub const ALL: [PaymentState; 3] = [Self::Pending, Self::Paid, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pending => "Đang chờ xác nhận",
            Self::Paid => "Đã thanh toán",
            Self::Failed => "Không thành công",
        }
    }
}

/// How it was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Through a payment gateway.
    Online,
    /// Cash at the counter.
    Cash,
    /// A bank transfer the counter saw arrive.
    Transfer,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [Self::Online, Self::Cash, Self::Transfer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Cash => "cash",
            Self::Transfer => "transfer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Online => "Thanh toán trực tuyến",
            Self::Cash => "Tiền mặt tại quầy",
            Self::Transfer => "Chuyển khoản",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::vietnam_offset;
    use chrono::TimeZone;

    #[test]
    fn owed_takes_off_what_was_paid_and_settled() {
        let at = vietnam_offset()
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap();
        let waiting = Payment {
            amount_vnd: 500_000,
            requested_at: at,
            paid_at: None,
        };
        assert_eq!(owed(100_000, None, 0).total(), 100_000);
        assert_eq!(owed(100_000, None, 100_000), Owed::default());
        assert_eq!(owed(100_000, None, 150_000).fees_vnd, 0);
        let both = owed(100_000, Some(&waiting), 0);
        assert_eq!((both.fees_vnd, both.obligation_vnd), (100_000, 500_000));
        let settled = Payment {
            paid_at: Some(at),
            ..waiting
        };
        assert!(owed(0, Some(&settled), 0).is_nothing());
        assert!(owed(0, None, 0).is_nothing());
    }

    #[test]
    fn states_and_methods_read_back() {
        for s in PaymentState::ALL {
            assert_eq!(PaymentState::parse(s.as_str()), Some(s));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
        }
        assert_eq!(PaymentState::parse("paid "), None);
    }
}

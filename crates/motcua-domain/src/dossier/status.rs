//! Trạng thái hồ sơ — the ten national dossier statuses (TT 22/2019, DVCQG codes 1–10).

use serde::{Deserialize, Serialize};

/// The national status of a dossier, with its numeric code used in sync and statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 1 Mới đăng ký — submitted online or by post, not yet accepted.
    Submitted,
    /// 2 Được tiếp nhận — accepted, receipt issued.
    Accepted,
    /// 3 Không được tiếp nhận — refused at reception.
    Refused,
    /// 4 Đang xử lý
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ — waiting for the citizen's supplement.
    AwaitingSupplement,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính — waiting for a fee or tax payment.
    AwaitingPayment,
    /// 7 Công dân yêu cầu rút hồ sơ
    Withdrawn,
    /// 8 Dừng xử lý — stopped, or rejected after appraisal.
    Stopped,
    /// 9 Đã xử lý xong — result ready, not yet handed over.
    ResultReady,
    /// 10 Đã trả kết quả
    Returned,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Submitted,
        Status::Accepted,
        Status::Refused,
        Status::Processing,
        Status::AwaitingSupplement,
        Status::AwaitingPayment,
        Status::Withdrawn,
        Status::Stopped,
        Status::ResultReady,
        Status::Returned,
    ];

    /// The national numeric code, 1–10.
    pub fn code(self) -> u8 {
        match self {
            Self::Submitted => 1,
            Self::Accepted => 2,
            Self::Refused => 3,
            Self::Processing => 4,
            Self::AwaitingSupplement => 5,
            Self::AwaitingPayment => 6,
            Self::Withdrawn => 7,
            Self::Stopped => 8,
            Self::ResultReady => 9,
            Self::Returned => 10,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| i64::from(s.code()) == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::Processing => "processing",
            Self::AwaitingSupplement => "awaiting_supplement",
            Self::AwaitingPayment => "awaiting_payment",
            Self::Withdrawn => "withdrawn",
            Self::Stopped => "stopped",
            Self::ResultReady => "result_ready",
            Self::Returned => "returned",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Submitted => "Mới đăng ký",
            Self::Accepted => "Được tiếp nhận",
            Self::Refused => "Không được tiếp nhận",
            Self::Processing => "Đang xử lý",
            Self::AwaitingSupplement => "Yêu cầu bổ sung giấy tờ",
            Self::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Self::Stopped => "Dừng xử lý",
            Self::ResultReady => "Đã xử lý xong",
            Self::Returned => "Đã trả kết quả",
        }
    }

    /// The national portal's string code (DVCQG).
    pub fn portal_code(self) -> &'static str {
        match self {
            Self::Submitted => "receiving",
            Self::Accepted => "new",
            Self::Refused => "denied",
            Self::Processing => "processing",
            Self::AwaitingSupplement => "waiting",
            Self::AwaitingPayment => "paying",
            Self::Withdrawn => "cancelled",
            Self::Stopped => "unresolved",
            Self::ResultReady => "releasing",
            Self::Returned => "done",
        }
    }

    /// No transition leaves a final status.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Refused | Self::Withdrawn | Self::Stopped | Self::Returned
        )
    }

    /// Paused statuses (5, 6, 8 in the statistics' "tạm dừng" group).
    pub fn is_paused(self) -> bool {
        matches!(
            self,
            Self::AwaitingSupplement | Self::AwaitingPayment | Self::Stopped
        )
    }

    /// Still being worked on by an agency: the clock runs.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::Accepted | Self::Processing)
    }

    /// The statuses its owner (or the counter) may withdraw a dossier from: before a result
    /// exists.
    pub const WITHDRAWABLE: [Status; 5] = [
        Self::Submitted,
        Self::Accepted,
        Self::Processing,
        Self::AwaitingSupplement,
        Self::AwaitingPayment,
    ];

    /// Whether the dossier can still be withdrawn.
    pub fn may_withdraw(self) -> bool {
        Self::WITHDRAWABLE.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for (i, s) in Status::ALL.iter().enumerate() {
            assert_eq!(usize::from(s.code()), i + 1);
            assert_eq!(Status::from_code(i64::from(s.code())), Some(*s));
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Status::from_code(11), None);
    }
}

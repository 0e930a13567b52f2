//! Cách thức thực hiện và mức độ dịch vụ công trực tuyến — how a dossier may be filed, and
//! how much of a procedure can be done online.

use serde::{Deserialize, Serialize};

/// Kênh nộp hồ sơ — a way of filing a dossier (ND 61/2018 art. 16; `KENH` in the national
/// record). Time limits and fees are per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Trực tiếp — in person at the one-stop counter.
    Counter,
    /// Trực tuyến — through the public-service portal.
    Online,
    /// Qua dịch vụ bưu chính công ích — by the public postal service.
    Post,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Counter, Channel::Online, Channel::Post];

    /// The channel's number in the national procedure record (`KENH`).
    pub fn national_code(self) -> u8 {
        match self {
            Self::Counter => 1,
            Self::Online => 2,
            Self::Post => 3,
        }
    }

    pub fn from_national_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.national_code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Counter => "Trực tiếp",
            Self::Online => "Trực tuyến",
            Self::Post => "Qua bưu chính công ích",
        }
    }
}

/// Mức độ dịch vụ công trực tuyến — how far a procedure can be done online (ND 42/2022;
/// FACTS §4). The old levels 2/3/4 map to these three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Cung cấp thông tin — information only; filing is on paper (old level 1–2).
    Information,
    /// Một phần — filed online, but some step needs the applicant in person (old level 3).
    Partial,
    /// Toàn trình — the whole process online, result delivered electronically (old level 4).
    Full,
}

impl OnlineLevel {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Information => "Cung cấp thông tin",
            Self::Partial => "Một phần",
            Self::Full => "Toàn trình",
        }
    }

    /// Whether dossiers for the procedure may be filed online at all.
    pub fn allows_online_filing(self) -> bool {
        matches!(self, Self::Partial | Self::Full)
    }

    /// The `MucDo` number used in practice by provincial systems (2, 3, 4).
    pub fn national_code(self) -> u8 {
        match self {
            Self::Information => 2,
            Self::Partial => 3,
            Self::Full => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_codes_round_trip() {
        for channel in Channel::ALL {
            assert_eq!(
                Channel::from_national_code(channel.national_code()),
                Some(channel)
            );
        }
        assert_eq!(Channel::Counter.national_code(), 1);
        assert_eq!(Channel::Post.label_vi(), "Qua bưu chính công ích");
        assert_eq!(Channel::from_national_code(4), None);
    }

    #[test]
    fn serde_names() {
        assert_eq!(
            serde_json::to_string(&Channel::Online).unwrap(),
            "\"online\""
        );
        assert_eq!(
            serde_json::to_string(&OnlineLevel::Full).unwrap(),
            "\"full\""
        );
        assert!(!OnlineLevel::Information.allows_online_filing());
        assert_eq!(OnlineLevel::Partial.label_vi(), "Một phần");
    }
}

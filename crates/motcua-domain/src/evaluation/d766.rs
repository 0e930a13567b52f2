//! Bộ chỉ số 766 (QĐ 766/QĐ-TTg, 2022): the six groups of the 100-point index, scored where
//! motcua holds the data, each with its formula written out; the rest named and left empty.

use serde::{Deserialize, Serialize};

use super::round1;

/// The six groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group766 {
    /// CKMB Công khai, minh bạch (18)
    Ckmb,
    /// TDGQ Tiến độ giải quyết (20)
    Tdgq,
    /// CLGQ Dịch vụ công trực tuyến (12)
    Clgq,
    /// TTTT Thanh toán trực tuyến (10)
    Tttt,
    /// MDHL Mức độ hài lòng (18)
    Mdhl,
    /// MDSH Số hóa hồ sơ (22)
    Mdsh,
}

impl Group766 {
    pub const ALL: [Group766; 6] = [
        Self::Ckmb,
        Self::Tdgq,
        Self::Clgq,
        Self::Tttt,
        Self::Mdhl,
        Self::Mdsh,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Ckmb => "CKMB",
            Self::Tdgq => "TDGQ",
            Self::Clgq => "CLGQ",
            Self::Tttt => "TTTT",
            Self::Mdhl => "MDHL",
            Self::Mdsh => "MDSH",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Ckmb => "Công khai, minh bạch",
            Self::Tdgq => "Tiến độ giải quyết",
            Self::Clgq => "Dịch vụ công trực tuyến",
            Self::Tttt => "Thanh toán trực tuyến",
            Self::Mdhl => "Mức độ hài lòng",
            Self::Mdsh => "Số hóa hồ sơ",
        }
    }

    pub fn max(self) -> f64 {
        match self {
            Self::Ckmb | Self::Mdhl => 18.0,
            Self::Tdgq => 20.0,
            Self::Clgq => 12.0,
            Self::Tttt => 10.0,
            Self::Mdsh => 22.0,
        }
    }
}

/// The counts a 766 score reads, for one unit and period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs766 {
    /// Tồn kỳ trước and tiếp nhận trong kỳ: together the dossiers the period answers for.
    #[serde(default)]
    pub carried_over: i64,
    pub received: i64,
    /// Accepted in the period, and of those filed online (the online share's base).
    #[serde(default)]
    pub accepted: i64,
    #[serde(default)]
    pub accepted_online: i64,
    pub in_progress_on_time: i64,
    pub early: i64,
    pub on_time: i64,
    pub refused: i64,
    pub withdrawn: i64,
    pub resolved: i64,
    pub e_result: i64,
    pub digitised: i64,
    /// Procedures the unit performs, those offered online (partly or fully), and those of
    /// the latter that received at least one online dossier in the period.
    pub procedures: i64,
    pub procedures_online: i64,
    /// `None` when the figures were read without the per-procedure detail.
    pub procedures_online_used: Option<i64>,
    /// Citizens' ratings given in motcua in the period, and those satisfied or very satisfied.
    #[serde(default)]
    pub ratings: i64,
    #[serde(default)]
    pub ratings_satisfied: i64,
    /// Received in the period and acknowledged by the national portal since.
    #[serde(default)]
    pub synced: i64,
    /// Procedures charging a fee in some case, and of those the ones with an online
    /// payment in the period (`None` without the per-procedure detail).
    #[serde(default)]
    pub fee_procedures: i64,
    #[serde(default)]
    pub fee_procedures_paid_online: Option<i64>,
    /// Received in the period with fees to pay, and of those paid online since.
    #[serde(default)]
    pub fee_bearing: i64,
    #[serde(default)]
    pub paid_online: i64,
    /// Received in the period reusing a document of the owner's data store.
    #[serde(default)]
    pub reused: i64,
}

/// One group's result: its score out of `max` when computable (`computable_max` says how
/// many of those points motcua's data can reach), the formula, and what is missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupScore {
    pub group: Group766,
    pub max: f64,
    pub computable_max: f64,
    pub score: Option<f64>,
    pub formula: &'static str,
    pub missing: &'static str,
}

/// `part / whole`, never capped: every share here counts a part of the same set of dossiers
/// as its whole, so a share above 1 would show a fault, not be hidden.
fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Scores the groups motcua's data supports and names the others.
pub fn score_766(x: &Inputs766) -> Vec<GroupScore> {
    let progress = share(
        x.in_progress_on_time + x.early + x.on_time + x.refused + x.withdrawn,
        x.carried_over + x.received,
    )
    .map(|r| round1(r * 20.0));
    let online = match (
        share(x.procedures_online, x.procedures),
        x.procedures_online_used
            .map(|u| share(u, x.procedures_online)),
        share(x.accepted_online, x.accepted),
    ) {
        (Some(offered), Some(used), Some(filed)) => Some(round1(
            (if offered >= 0.8 { 2.0 } else { 1.6 })
                + used.unwrap_or(0.0) * 4.0
                + if filed >= 0.5 { 6.0 } else { 3.0 },
        )),
        _ => None,
    };
    let digitisation = match (
        share(x.e_result, x.resolved),
        share(x.digitised, x.received),
    ) {
        (Some(e), Some(d)) => {
            // Reuse is a share of the dossiers with digitised components; none of those,
            // none to reuse: the lower mark.
            let reuse = share(x.reused, x.digitised).unwrap_or(0.0);
            Some(round1(
                e * 6.0 + if d >= 0.8 { 4.0 } else { 3.2 } + if reuse >= 0.8 { 2.0 } else { 1.6 },
            ))
        }
        _ => None,
    };
    let satisfaction = share(x.ratings_satisfied, x.ratings).map(|r| round1(r * 18.0));
    let synced = share(x.synced, x.received).map(|r| round1(r * 6.0));
    let payment = match (
        x.fee_procedures_paid_online
            .and_then(|p| share(p, x.fee_procedures)),
        share(x.paid_online, x.fee_bearing),
    ) {
        (Some(procedures), Some(dossiers)) => Some(round1(
            (if procedures >= 0.5 { 2.0 } else { 1.6 }) + if dossiers >= 0.3 { 6.0 } else { 0.9 },
        )),
        _ => None,
    };
    Group766::ALL
        .iter()
        .map(|g| {
            let (score, computable_max, formula, missing) = match g {
                Group766::Tdgq => (
                    progress,
                    20.0,
                    "(đang giải quyết trong hạn + đã giải quyết trước hạn và đúng hạn + không được tiếp nhận + rút hồ sơ) / (tồn kỳ trước + tiếp nhận trong kỳ) × 20",
                    "",
                ),
                Group766::Clgq => (
                    online,
                    12.0,
                    "(2 nếu ≥ 80% thủ tục cung cấp trực tuyến, nếu không 1,6) + tỷ lệ thủ tục trực tuyến có phát sinh hồ sơ trực tuyến × 4 + (6 nếu ≥ 50% hồ sơ được tiếp nhận là hồ sơ trực tuyến, nếu không 3)",
                    if x.procedures_online_used.is_none() {
                        "số thủ tục có hồ sơ trực tuyến: cần báo cáo chi tiết theo thủ tục"
                    } else {
                        ""
                    },
                ),
                Group766::Mdsh => (
                    digitisation,
                    12.0,
                    "tỷ lệ kết quả điện tử trên hồ sơ đã giải quyết × 6 + (4 nếu ≥ 80% hồ sơ có thành phần số hóa, nếu không 3,2) + (2 nếu ≥ 80% hồ sơ có thành phần số hóa được tiếp nhận bằng giấy tờ dùng lại từ kho dữ liệu, nếu không 1,6)",
                    "10 điểm còn lại của nhóm số hóa: không có công thức công khai để tính",
                ),
                Group766::Tttt => (
                    payment,
                    8.0,
                    "(2 nếu ≥ 50% thủ tục có thu phí, lệ phí phát sinh thanh toán trực tuyến, nếu không 1,6) + (6 nếu ≥ 30% hồ sơ có phí, lệ phí được thanh toán trực tuyến, nếu không 0,9)",
                    if x.fee_procedures_paid_online.is_none() {
                        "số thủ tục có thanh toán trực tuyến: cần báo cáo chi tiết theo thủ tục; 2 điểm thủ tục thanh toán được trên Nền tảng thanh toán của Cổng Dịch vụ công quốc gia: motcua không ghi nhận"
                    } else {
                        "2 điểm thủ tục thanh toán được trên Nền tảng thanh toán của Cổng Dịch vụ công quốc gia: motcua không ghi nhận"
                    },
                ),
                Group766::Mdhl => (
                    satisfaction,
                    18.0,
                    "số đánh giá “hài lòng” và “rất hài lòng” / tổng số đánh giá của người dân trên motcua trong kỳ × 18",
                    "đánh giá gửi qua Cổng Dịch vụ công quốc gia không có trong motcua; điểm chính thức do Cổng tính",
                ),
                Group766::Ckmb => (
                    synced,
                    6.0,
                    "số hồ sơ tiếp nhận trong kỳ đã đồng bộ lên Cổng Dịch vụ công quốc gia / số hồ sơ tiếp nhận trong kỳ × 6",
                    "12 điểm công khai, minh bạch còn lại (công khai thủ tục, tiến độ trên Cổng): motcua chưa ghi nhận",
                ),
            };
            GroupScore {
                group: *g,
                max: g.max(),
                computable_max,
                score,
                formula,
                missing,
            }
        })
        .collect()
}

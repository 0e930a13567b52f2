//! Đánh giá — the TT 01/2018/TT-VPCP evaluation (nine indicators, the 18-point agency score,
//! the officer score) and the Decision 766 groups motcua's data supports, as pure functions.
//!
//! What motcua does not record is never filled with a constant: such an indicator or group
//! is `None` and named as not computable, and scores are taken over the rest.

mod d766;
mod tt01;

pub use d766::{Group766, GroupScore, Inputs766, score_766};
pub use tt01::{
    AgencyClass, AgencyStanding, DossierScores, IndicatorScores, OfficerDuty, OnlineUnit,
    agency_class, class_of, officer_duty, officer_scores, online_indicator, score_dossier,
    unit_scores,
};

/// Rounds to one decimal, as TT 01 art. 15 asks of each indicator's score.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests;

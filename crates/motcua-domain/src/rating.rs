//! Đánh giá — a citizen's rating of how their dossier was handled, by the content ND 61
//! art. 31 lists, each answer scored 2 / 1 / 0 as TT 01/2018 art. 13 scores its indicators.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// One question of the rating form (ND 61 art. 31, points a–h; point i is the comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// (a) Thời gian giải quyết so với quy định.
    Time,
    /// (b) Số cơ quan phải liên hệ.
    Agencies,
    /// (c) Số lần phải liên hệ để hoàn thiện hồ sơ.
    Contacts,
    /// (d) Tính chính xác của thông tin công khai về thủ tục.
    Information,
    /// (đ) Thái độ của cán bộ, công chức.
    Attitude,
    /// (e) Kết quả đúng quy định; chi phí đúng quy định, không có chi phí ngoài quy định.
    Lawfulness,
    /// (g) Việc tiếp nhận, trả lời phản ánh, kiến nghị.
    Complaints,
    /// (h) Chất lượng dịch vụ công trực tuyến (online dossiers only).
    Online,
}

impl Criterion {
    pub const ALL: [Self; 8] = [
        Self::Time,
        Self::Agencies,
        Self::Contacts,
        Self::Information,
        Self::Attitude,
        Self::Lawfulness,
        Self::Complaints,
        Self::Online,
    ];

    /// The form field's name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Time => "time",
            Self::Agencies => "agencies",
            Self::Contacts => "contacts",
            Self::Information => "information",
            Self::Attitude => "attitude",
            Self::Lawfulness => "lawfulness",
            Self::Complaints => "complaints",
            Self::Online => "online",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The question, as the form asks it.
    pub fn question_vi(self) -> &'static str {
        match self {
            Self::Time => "Thời gian giải quyết so với thời gian quy định",
            Self::Agencies => "Số cơ quan, đơn vị ông/bà phải liên hệ",
            Self::Contacts => "Số lần phải liên hệ để hoàn thiện hồ sơ",
            Self::Information => "Thông tin công khai về thủ tục có chính xác, đầy đủ không",
            Self::Attitude => "Thái độ của cán bộ, công chức",
            Self::Lawfulness => "Kết quả và chi phí có đúng quy định không",
            Self::Complaints => "Việc tiếp nhận, trả lời phản ánh, kiến nghị",
            Self::Online => "Chất lượng dịch vụ công trực tuyến",
        }
    }

    /// The three answers, scoring 2, 1 and 0 in that order.
    pub fn answers_vi(self) -> [&'static str; 3] {
        match self {
            Self::Time => ["Sớm hơn hẹn", "Đúng hẹn", "Trễ hẹn"],
            Self::Agencies => [
                "Không phải liên hệ cơ quan nào khác",
                "Chỉ Bộ phận Một cửa",
                "Nhiều hơn một cơ quan",
            ],
            Self::Contacts => ["Không lần nào", "Một lần", "Nhiều hơn một lần"],
            Self::Information => ["Chính xác, đầy đủ", "Có chỗ chưa đầy đủ", "Không chính xác"],
            Self::Attitude => ["Tận tình, chu đáo", "Bình thường", "Không đúng mực"],
            Self::Lawfulness => [
                "Đúng quy định, không phát sinh chi phí",
                "Đúng quy định nhưng phải đi lại nhiều",
                "Phát sinh chi phí ngoài quy định",
            ],
            Self::Complaints => [
                "Không có phản ánh, hoặc được trả lời đúng hạn",
                "Được trả lời nhưng chậm",
                "Không được trả lời",
            ],
            Self::Online => ["Thuận tiện, dễ dùng", "Bình thường", "Khó dùng, hay lỗi"],
        }
    }

    /// The TT 01/2018 indicator this answer feeds, where the rating is its source
    /// (indicators 1, 3, 4 and 7 are collected from the citizen).
    pub fn indicator(self) -> Option<u8> {
        match self {
            Self::Time => Some(1),
            Self::Contacts => Some(3),
            Self::Agencies => Some(4),
            Self::Attitude => Some(7),
            _ => None,
        }
    }
}

/// Mức độ hài lòng chung.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    VeryDissatisfied,
    Dissatisfied,
    Neutral,
    Satisfied,
    VerySatisfied,
}

impl Satisfaction {
    pub const ALL: [Self; 5] = [
        Self::VerySatisfied,
        Self::Satisfied,
        Self::Neutral,
        Self::Dissatisfied,
        Self::VeryDissatisfied,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::VerySatisfied => "very_satisfied",
            Self::Satisfied => "satisfied",
            Self::Neutral => "neutral",
            Self::Dissatisfied => "dissatisfied",
            Self::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::VerySatisfied => "Rất hài lòng",
            Self::Satisfied => "Hài lòng",
            Self::Neutral => "Bình thường",
            Self::Dissatisfied => "Không hài lòng",
            Self::VeryDissatisfied => "Rất không hài lòng",
        }
    }

    /// 5 for very satisfied down to 1.
    pub fn value(self) -> u8 {
        match self {
            Self::VerySatisfied => 5,
            Self::Satisfied => 4,
            Self::Neutral => 3,
            Self::Dissatisfied => 2,
            Self::VeryDissatisfied => 1,
        }
    }

    /// Whether this counts as satisfied in a satisfaction rate.
    pub fn is_satisfied(self) -> bool {
        self >= Self::Satisfied
    }
}

/// A checked rating: a score 0–2 per criterion answered, the overall level, a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub answers: BTreeMap<Criterion, u8>,
    pub overall: Satisfaction,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The longest comment kept.
pub const COMMENT_MAX_CHARS: usize = 2000;

/// Checks a rating as submitted: `answers` maps a criterion's key to "2", "1" or "0".
/// Every criterion must be answered, the online one only (and always) for online dossiers.
pub fn check_rating(
    answers: &BTreeMap<String, String>,
    overall: &str,
    comment: Option<&str>,
    online: bool,
) -> Result<Rating, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut scored = BTreeMap::new();
    for key in answers.keys() {
        if Criterion::from_key(key).is_none() {
            errors.push(FieldError::new(
                key.as_str(),
                "không có tiêu chí đánh giá này",
            ));
        }
    }
    for criterion in Criterion::ALL {
        let given = answers
            .get(criterion.key())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty());
        match (criterion, given) {
            (Criterion::Online, Some(_)) if !online => errors.push(FieldError::new(
                criterion.key(),
                "hồ sơ không nộp trực tuyến nên không đánh giá dịch vụ trực tuyến",
            )),
            (Criterion::Online, None) if !online => {}
            (_, None) => errors.push(FieldError::new(
                criterion.key(),
                format!("chưa chọn câu trả lời cho “{}”", criterion.question_vi()),
            )),
            (_, Some(value)) => match value.parse::<u8>() {
                Ok(score @ 0..=2) => {
                    scored.insert(criterion, score);
                }
                _ => errors.push(FieldError::new(
                    criterion.key(),
                    format!("câu trả lời “{value}” không hợp lệ (chọn một trong ba mức)"),
                )),
            },
        }
    }
    let overall = Satisfaction::from_key(overall.trim());
    if overall.is_none() {
        errors.push(FieldError::new(
            "overall",
            "chưa chọn mức độ hài lòng chung",
        ));
    }
    let comment = comment
        .map(|c| crate::text::nfc(c.trim()))
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > COMMENT_MAX_CHARS)
    {
        errors.push(FieldError::new(
            "comment",
            format!("ý kiến khác dài quá {COMMENT_MAX_CHARS} ký tự"),
        ));
    }
    match overall {
        Some(overall) if errors.is_empty() => Ok(Rating {
            answers: scored,
            overall,
            comment,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn full(online: bool) -> BTreeMap<String, String> {
        let mut a = answers(&[
            ("time", "2"),
            ("agencies", "1"),
            ("contacts", "2"),
            ("information", "2"),
            ("attitude", "1"),
            ("lawfulness", "2"),
            ("complaints", "2"),
        ]);
        if online {
            a.insert("online".into(), "0".into());
        }
        a
    }

    #[test]
    fn a_complete_rating_is_scored() {
        let r = check_rating(
            &full(true),
            "satisfied",
            Some("  Cán bộ nhiệt tình  "),
            true,
        )
        .unwrap();
        assert_eq!(r.answers.len(), 8);
        assert_eq!(r.answers[&Criterion::Agencies], 1);
        assert_eq!(r.answers[&Criterion::Online], 0);
        assert_eq!(r.overall, Satisfaction::Satisfied);
        assert_eq!(r.comment.as_deref(), Some("Cán bộ nhiệt tình"));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"agencies\":1"), "{json}");
    }

    #[test]
    fn the_online_question_belongs_to_online_dossiers_only() {
        let errs = check_rating(&full(true), "neutral", None, false).unwrap_err();
        assert_eq!(errs[0].field, "online");
        let errs = check_rating(&full(false), "neutral", None, true).unwrap_err();
        assert_eq!(errs[0].field, "online");
        assert!(check_rating(&full(false), "neutral", None, false).is_ok());
    }

    #[test]
    fn every_problem_is_named() {
        let mut a = full(false);
        a.insert("time".into(), "3".into());
        a.remove("attitude");
        a.insert("bribe".into(), "2".into());
        let errs = check_rating(&a, "ecstatic", Some(&"x".repeat(2001)), false).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["bribe", "time", "attitude", "overall", "comment"],
            "{errs:?}"
        );
    }

    #[test]
    fn indicators_and_levels() {
        assert_eq!(Criterion::Time.indicator(), Some(1));
        assert_eq!(Criterion::Attitude.indicator(), Some(7));
        assert_eq!(Criterion::Online.indicator(), None);
        assert!(Satisfaction::Satisfied.is_satisfied());
        assert!(!Satisfaction::Neutral.is_satisfied());
        assert_eq!(Satisfaction::ALL.map(Satisfaction::value), [5, 4, 3, 2, 1]);
        for c in Criterion::ALL {
            assert_eq!(Criterion::from_key(c.key()), Some(c));
        }
    }
}

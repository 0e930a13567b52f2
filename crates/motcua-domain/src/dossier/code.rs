//! Mã số hồ sơ — the dossier code `<agency id>-YYMMDD-NNNN` (ND 61 art. 26, TT 01 art. 19).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::agency::AgencyCode;
use crate::error::FieldError;

/// A dossier code: the receiving agency's identifier, the date of receipt and the daily
/// sequence number (at least four digits; a day past 9,999 dossiers widens it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode(String);

impl DossierCode {
    /// The fewest digits of the daily sequence number (zero-padded).
    pub const SEQUENCE_DIGITS: usize = 4;

    pub fn new(agency: &AgencyCode, date: NaiveDate, sequence: u32) -> Result<Self, FieldError> {
        if sequence == 0 {
            return Err(FieldError::new("code", "số thứ tự hồ sơ phải từ 1"));
        }
        Ok(Self(format!(
            "{}{:0width$}",
            Self::prefix(agency, date),
            sequence,
            width = Self::SEQUENCE_DIGITS
        )))
    }

    /// What every code of `agency`'s day starts with: the code without its sequence number.
    pub fn prefix(agency: &AgencyCode, date: NaiveDate) -> String {
        format!("{}-{}-", agency.as_str(), date.format("%y%m%d"))
    }

    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        let bad = || {
            FieldError::new(
                "code",
                format!("mã hồ sơ “{text}” không đúng dạng 000.00.00.H00-YYMMDD-0000"),
            )
        };
        let mut parts = text.rsplitn(3, '-');
        let (Some(seq), Some(date), Some(agency)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        AgencyCode::parse(agency).map_err(|_| bad())?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if date.len() != 6 || !digits(date) || seq.len() < 4 || !digits(seq) {
            return Err(bad());
        }
        NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").map_err(|_| bad())?;
        Ok(Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DossierCode {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DossierCode> for String {
    fn from(code: DossierCode) -> Self {
        code.0
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse() {
        let agency = AgencyCode::parse("000.17.22.H56").unwrap();
        let date = NaiveDate::from_ymd_opt(2021, 5, 31).unwrap();
        let code = DossierCode::new(&agency, date, 1).unwrap();
        assert_eq!(code.as_str(), "000.17.22.H56-210531-0001");
        assert_eq!(DossierCode::parse(code.as_str()).unwrap(), code);
        assert_eq!(
            DossierCode::new(&agency, date, 12345).unwrap().as_str(),
            "000.17.22.H56-210531-12345"
        );
        for bad in [
            "",
            "000.17.22.H56-210531",
            "000.17.22.H56-211331-0001",
            "000.17.22.H56-210531-01",
            "x-210531-0001",
        ] {
            assert!(DossierCode::parse(bad).is_err(), "{bad}");
        }
    }
}

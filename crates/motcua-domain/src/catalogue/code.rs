//! Mã thủ tục hành chính — the national procedure code (`d.dddddd`), shared by every province.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::FieldError;

/// Mã TTHC — the code the national TTHC database gives a procedure, e.g. `1.001193`.
/// The same procedure has the same code in every province (FACTS §6.3); what the leading
/// digit means is not known, so nothing here reads meaning into it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProcedureCode(String);

impl ProcedureCode {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        let ok = match text.as_bytes() {
            [first, b'.', rest @ ..] => {
                first.is_ascii_digit() && rest.len() == 6 && rest.iter().all(u8::is_ascii_digit)
            }
            _ => false,
        };
        if ok {
            Ok(Self(text.to_string()))
        } else {
            Err(FieldError::new(
                "code",
                format!("mã thủ tục “{text}” không đúng dạng d.dddddd (ví dụ 1.001193)"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProcedureCode {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ProcedureCode> for String {
    fn from(code: ProcedureCode) -> Self {
        code.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("1.001193")]
    #[case("2.000635")]
    #[case("3.000333")]
    #[case(" 1.012575 ")]
    fn accepts_national_codes(#[case] text: &str) {
        let code = ProcedureCode::parse(text).unwrap();
        assert_eq!(code.as_str(), text.trim());
    }

    #[rstest]
    #[case("")]
    #[case("1001193")]
    #[case("1.00119")]
    #[case("1.0011933")]
    #[case("a.001193")]
    #[case("1.00119x")]
    #[case("12.001193")]
    #[case("1.001612.000.00.00.H48")]
    #[case("1,001193")]
    #[case("١.٠٠١١٩٣")]
    fn rejects_other_text(#[case] text: &str) {
        let err = ProcedureCode::parse(text).unwrap_err();
        assert_eq!(err.field, "code");
        assert!(err.message.contains("d.dddddd"), "{}", err.message);
    }

    #[test]
    fn serde_validates() {
        let code: ProcedureCode = serde_json::from_str("\"1.000894\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"1.000894\"");
        assert!(serde_json::from_str::<ProcedureCode>("\"1.0008\"").is_err());
    }
}

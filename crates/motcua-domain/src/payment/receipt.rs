//! Biên lai thu phí, lệ phí điện tử — what an e-receipt says and how it is numbered.
//!
//! Under NĐ 123/2020 Điều 32 (as amended by NĐ 70/2025, guided by TT 32/2025/TT-BTC) a
//! receipt names its kind, its form symbol (ký hiệu mẫu biên lai), its symbol (ký hiệu
//! biên lai) and its number; the collecting organisation with its tax code; each fee or
//! charge with its amount in figures, and the total in figures and in words; the date it
//! is made; and it carries the organisation's digital signature. Numbers run from 1 in a
//! series per collecting organisation and calendar year, ascending with no gap, up to
//! seven digits. The symbols are registered with the tax office, so they are settings of
//! each collecting agency ([`ReceiptBook`]); the year in the symbol is written `{yy}`.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::calendar::{Instant, vietnam_offset};
use crate::catalogue::Fee;
use crate::payment::PaymentMethod;

/// The kind of paper, as printed at its head.
pub const TITLE: &str = "BIÊN LAI THU PHÍ, LỆ PHÍ";

/// The form symbol used when an agency has registered none (a vendor's common pattern).
pub const DEFAULT_FORM_SYMBOL: &str = "01BLP0-001";

/// The symbol used when an agency has registered none: two letters, the year, "E" for
/// electronic.
pub const DEFAULT_SYMBOL: &str = "AA-{yy}E";

/// How many digits a receipt number is written with (NĐ 123/2020: at most seven).
pub const NUMBER_DIGITS: usize = 7;

/// The line naming the case's fees when they cannot be named one by one.
pub const FEES_LINE: &str = "Phí, lệ phí";

/// The line naming the financial obligation asked for during processing.
pub const OBLIGATION_LINE: &str = "Nghĩa vụ tài chính";

/// What a collecting agency registered for its receipts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptBook {
    /// Mã số thuế of the collecting organisation.
    pub tax_code: String,
    /// Ký hiệu mẫu biên lai, e.g. "01BLP0-001".
    pub form_symbol: String,
    /// Ký hiệu biên lai, with `{yy}` where the year's two digits go, e.g. "AA-{yy}E".
    pub symbol: String,
}

impl ReceiptBook {
    /// A book as typed by an administrator: a valid tax code, symbols of 1 to 20 letters,
    /// digits, `-` or `/` (and `{yy}` in the symbol). Every problem is named.
    pub fn check(tax_code: &str, form_symbol: &str, symbol: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let tax_code = tax_code.trim().to_string();
        if let Err(e) = crate::dossier::check_tax_code(&tax_code) {
            errors.push(FieldError::new("tax_code", e));
        }
        let symbol_ok = |text: &str| {
            let bare = text.replace("{yy}", "00");
            !bare.is_empty()
                && bare.chars().count() <= 20
                && bare
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
        };
        let form_symbol = form_symbol.trim().to_uppercase();
        if !symbol_ok(&form_symbol) || form_symbol.contains("{YY}") {
            errors.push(FieldError::new(
                "form_symbol",
                format!(
                    "ký hiệu mẫu biên lai “{form_symbol}” chỉ gồm 1–20 chữ cái không dấu, chữ số, “-” hoặc “/”"
                ),
            ));
        }
        let symbol = symbol.trim().to_uppercase().replace("{YY}", "{yy}");
        if !symbol_ok(&symbol) {
            errors.push(FieldError::new(
                "symbol",
                format!(
                    "ký hiệu biên lai “{symbol}” chỉ gồm 1–20 chữ cái không dấu, chữ số, “-”, “/” và {{yy}} cho năm"
                ),
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                tax_code,
                form_symbol,
                symbol,
            })
        } else {
            Err(errors)
        }
    }

    /// The symbol printed on a receipt of `year`.
    pub fn symbol_in(&self, year: i32) -> String {
        symbol_in(&self.symbol, year)
    }
}

/// `pattern` with `{yy}` replaced by the last two digits of `year`.
pub fn symbol_in(pattern: &str, year: i32) -> String {
    pattern.replace("{yy}", &format!("{:02}", year.rem_euclid(100)))
}

/// The year whose series a receipt made at `at` takes its number from (Vietnam's date).
pub fn series_year(at: Instant) -> i32 {
    at.with_timezone(&vietnam_offset()).year()
}

/// A receipt number as printed: zero-padded to [`NUMBER_DIGITS`].
pub fn number_text(number: i64) -> String {
    format!("{number:0width$}", width = NUMBER_DIGITS)
}

/// One fee or charge on a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub name: String,
    pub amount_vnd: i64,
}

/// The lines that make up `fees_vnd` of a case's fees and `obligation_vnd` of an
/// obligation: the case's fees by their catalogue names when they add up to what is paid
/// (a partial payment is one line), then the obligation. Free lines are left out. The
/// receipts and the national portal's record name what is paid this one way.
pub fn fee_lines(case_fees: &[Fee], fees_vnd: i64, obligation_vnd: i64) -> Vec<FeeLine> {
    let named: Vec<FeeLine> = case_fees
        .iter()
        .filter(|f| f.amount_vnd > 0)
        .map(|f| FeeLine {
            name: f.name.clone(),
            amount_vnd: f.amount_vnd,
        })
        .collect();
    let named_sum = named
        .iter()
        .try_fold(0i64, |sum, l| sum.checked_add(l.amount_vnd));
    let mut lines = if fees_vnd <= 0 {
        Vec::new()
    } else if named_sum == Some(fees_vnd) {
        named
    } else {
        vec![FeeLine {
            name: FEES_LINE.to_string(),
            amount_vnd: fees_vnd,
        }]
    };
    if obligation_vnd > 0 {
        lines.push(FeeLine {
            name: OBLIGATION_LINE.to_string(),
            amount_vnd: obligation_vnd,
        });
    }
    lines
}

/// Who paid, as the dossier names its applicant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    pub name: String,
    /// Số định danh cá nhân, or the organisation's tax code.
    pub id_number: String,
    pub address: String,
}

/// Everything a receipt prints besides its number and symbols, frozen when it is made so
/// that a later change of the agency's name or the catalogue does not change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptBody {
    /// The collecting organisation.
    pub collector_name: String,
    pub collector_tax_code: String,
    pub collector_address: String,
    pub payer: Payer,
    pub lines: Vec<FeeLine>,
    pub method: PaymentMethod,
    pub dossier_code: String,
    pub procedure_name: String,
    /// The payment's reference (the gateway's order, or the counter's).
    pub reference: String,
    /// The gateway's transaction number, or the counter's paper receipt number.
    #[serde(default)]
    pub proof: String,
}

impl ReceiptBody {
    pub fn total_vnd(&self) -> i64 {
        self.lines
            .iter()
            .fold(0i64, |sum, l| sum.saturating_add(l.amount_vnd))
    }
}

/// An issued receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub form_symbol: String,
    /// The symbol with its year.
    pub symbol: String,
    pub number: i64,
    pub issued_at: Instant,
    pub body: ReceiptBody,
}

impl Receipt {
    /// "AA-26E 0000012": how the receipt is named in lists and file names.
    pub fn label(&self) -> String {
        format!("{} {}", self.symbol, number_text(self.number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn fee(name: &str, amount: i64) -> Fee {
        Fee {
            name: name.into(),
            amount_vnd: amount,
            note: None,
        }
    }

    #[test]
    fn lines_name_the_fees_when_they_add_up() {
        let fees = [
            fee("Lệ phí", 50_000),
            fee("Phí thẩm định", 0),
            fee("Phí", 30_000),
        ];
        let lines = fee_lines(&fees, 80_000, 0);
        assert_eq!(
            lines.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
            ["Lệ phí", "Phí"]
        );
        let partial = fee_lines(&fees, 30_000, 200_000);
        assert_eq!(partial.len(), 2);
        assert_eq!(partial[0].name, FEES_LINE);
        assert_eq!(partial[1].name, OBLIGATION_LINE);
        assert_eq!(partial[1].amount_vnd, 200_000);
        assert!(fee_lines(&fees, 0, 0).is_empty());
    }

    #[test]
    fn books_are_checked_and_symbols_take_the_year() {
        let book = ReceiptBook::check(" 2800123456 ", "01blp0-001", "aa-{yy}e").unwrap();
        assert_eq!(book.form_symbol, "01BLP0-001");
        assert_eq!(book.symbol_in(2026), "AA-26E");
        assert_eq!(symbol_in(DEFAULT_SYMBOL, 2030), "AA-30E");
        let errors = ReceiptBook::check("123", "", "AA 26E").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tax_code", "form_symbol", "symbol"]);
        assert!(ReceiptBook::check("2800123456", "0123456789ABCDEFGHIJK", "A").is_err());
    }

    #[test]
    fn numbers_and_years() {
        assert_eq!(number_text(12), "0000012");
        // 31/12 at 23:30 in Vietnam is still the old year's series.
        let late = vietnam_offset()
            .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
            .single()
            .unwrap();
        assert_eq!(series_year(late), 2026);
        let utc_new_year = chrono::Utc
            .with_ymd_and_hms(2026, 12, 31, 17, 30, 0)
            .single()
            .unwrap()
            .fixed_offset();
        assert_eq!(series_year(utc_new_year), 2027);
    }
}

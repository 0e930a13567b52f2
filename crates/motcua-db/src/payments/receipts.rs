//! Biên lai điện tử — the receipts of paid payments: the one drawn up for a payment about
//! to be settled (from the dossier, the catalogue and the collecting agency's registered
//! book, frozen then), the agencies' books, and the issued receipts read back.

use motcua_domain::calendar::Instant;
use motcua_domain::payment::receipt::{
    self, DEFAULT_FORM_SYMBOL, DEFAULT_SYMBOL, Payer, Receipt, ReceiptBody, ReceiptBook,
};
use motcua_domain::payment::{Owed, PaymentMethod};
use serde::Serialize;

use crate::audit::AuditInput;
use crate::dossiers::settle::NewReceipt;
use crate::engine::Tx;
use crate::rows::RowExt;
use crate::{DbError, DossierRecord};

/// An issued receipt as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredReceipt {
    pub id: i64,
    pub payment_id: i64,
    pub dossier_id: i64,
    pub agency_id: i64,
    pub receipt: Receipt,
}

/// `SELECT` of a receipt's columns, then `$rest`.
macro_rules! select_receipts {
    ($rest:literal) => {
        concat!(
            "SELECT id, payment_id, dossier_id, agency_id, number, form_symbol, symbol, issued_at, body FROM receipts ",
            $rest
        )
    };
}

fn receipt_of(r: &impl RowExt) -> Result<StoredReceipt, DbError> {
    let body: ReceiptBody = serde_json::from_str(&r.text("body")?)
        .map_err(|e| DbError::Corrupt(format!("nội dung biên lai: {e}")))?;
    let issued_at = crate::instant_of(r.int("issued_at")?)?;
    Ok(StoredReceipt {
        id: r.int("id")?,
        payment_id: r.int("payment_id")?,
        dossier_id: r.int("dossier_id")?,
        agency_id: r.int("agency_id")?,
        receipt: Receipt {
            form_symbol: r.text("form_symbol")?,
            symbol: r.text("symbol")?,
            number: r.int("number")?,
            issued_at,
            body,
        },
    })
}

/// What a payment about to be settled pays for, and how.
pub(crate) struct Paying<'a> {
    pub d: &'a DossierRecord,
    pub agency_id: i64,
    pub owed: Owed,
    pub method: PaymentMethod,
    pub reference: &'a str,
    /// The gateway's transaction number, or the counter's paper receipt number.
    pub proof: &'a str,
    pub at: Instant,
}

impl super::Payments<'_> {
    /// The receipt `paying` will be given: its lines named from the dossier's case, the
    /// collecting agency as registered (the shipped symbols and no tax code when it has
    /// registered nothing: the receipts page says so).
    pub(crate) async fn draw_up(self, paying: Paying<'_>) -> Result<NewReceipt, DbError> {
        let d = paying.d;
        let version = self
            .db
            .catalogue()
            .procedure_version(d.procedure_version_id)
            .await?;
        let case_fees = version
            .as_ref()
            .and_then(|v| v.procedure.case(&d.case_code))
            .map(|c| c.fees.clone())
            .unwrap_or_default();
        let agency = self
            .db
            .agencies()
            .agency(paying.agency_id)
            .await?
            .ok_or(DbError::NotFound("cơ quan thu"))?;
        let book = self.book(paying.agency_id).await?;
        let year = receipt::series_year(paying.at);
        let (tax_code, form_symbol, symbol) = match book {
            Some(b) => (b.tax_code.clone(), b.form_symbol.clone(), b.symbol_in(year)),
            None => (
                String::new(),
                DEFAULT_FORM_SYMBOL.to_string(),
                receipt::symbol_in(DEFAULT_SYMBOL, year),
            ),
        };
        let a = &d.applicant;
        Ok(NewReceipt {
            dossier_id: d.id,
            agency_id: paying.agency_id,
            year,
            issued_at: paying.at.timestamp(),
            form_symbol,
            symbol,
            body: ReceiptBody {
                collector_name: agency.name.clone(),
                collector_tax_code: tax_code,
                collector_address: agency.address.clone().unwrap_or_default(),
                payer: Payer {
                    name: a.name.clone(),
                    id_number: a
                        .id_number
                        .clone()
                        .or_else(|| a.tax_code.clone())
                        .unwrap_or_default(),
                    address: a.address.clone().unwrap_or_default(),
                },
                lines: receipt::fee_lines(
                    &case_fees,
                    paying.owed.fees_vnd,
                    paying.owed.obligation_vnd,
                ),
                method: paying.method,
                dossier_code: d.code.clone(),
                procedure_name: version
                    .map(|v| v.procedure.name.clone())
                    .unwrap_or_default(),
                reference: paying.reference.to_string(),
                proof: paying.proof.to_string(),
            },
        })
    }

    /// What agency `agency_id` registered for its receipts.
    pub async fn book(self, agency_id: i64) -> Result<Option<ReceiptBook>, DbError> {
        const SQL: &str =
            "SELECT tax_code, form_symbol, symbol FROM receipt_books WHERE agency_id = $1";
        Ok(on_read!(self.db, pool => {
            match sqlx::query(SQL).bind(agency_id).fetch_optional(pool).await? {
                Some(r) => Some(ReceiptBook {
                    tax_code: r.text("tax_code")?,
                    form_symbol: r.text("form_symbol")?,
                    symbol: r.text("symbol")?,
                }),
                None => None,
            }
        }))
    }

    /// Registers (or replaces) the receipt book of agency `agency_id`, with its audit entry;
    /// receipts already issued keep what they printed.
    pub async fn set_book(
        self,
        agency_id: i64,
        book: &ReceiptBook,
        by: &str,
        now: i64,
    ) -> Result<(), DbError> {
        let agency = self
            .db
            .agencies()
            .agency(agency_id)
            .await?
            .ok_or(DbError::NotFound("cơ quan"))?;
        const UPSERT: &str = "INSERT INTO receipt_books (agency_id, tax_code, form_symbol, symbol, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id) DO UPDATE SET tax_code = $2, form_symbol = $3, symbol = $4, updated_at = $5, updated_by = $6";
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(UPSERT)
                .bind(agency_id)
                .bind(&book.tax_code)
                .bind(&book.form_symbol)
                .bind(&book.symbol)
                .bind(now)
                .bind(by)
                .execute(&mut *tx)
                .await?;
            crate::audit::append(&mut Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: by.to_string(),
                action: "set_receipt_book".into(),
                entity: "agency",
                entity_id: agency.code.clone(),
                detail: serde_json::to_value(book).unwrap_or_default(),
            }).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The receipts of dossier `dossier_id`, in the order they were issued.
    pub async fn receipts(self, dossier_id: i64) -> Result<Vec<StoredReceipt>, DbError> {
        const SQL: &str = select_receipts!("WHERE dossier_id = $1 ORDER BY id");
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(dossier_id).fetch_all(pool).await?;
            rows.iter().map(receipt_of).collect()
        })
    }

    /// Receipt `id` of dossier `dossier_id`.
    pub async fn receipt(self, dossier_id: i64, id: i64) -> Result<Option<StoredReceipt>, DbError> {
        const SQL: &str = select_receipts!("WHERE dossier_id = $1 AND id = $2");
        Ok(on_read!(self.db, pool => {
            match sqlx::query(SQL).bind(dossier_id).bind(id).fetch_optional(pool).await? {
                Some(r) => Some(receipt_of(&r)?),
                None => None,
            }
        }))
    }

    /// The receipts agency `agency_id` issued in `year`, by number.
    pub async fn series(self, agency_id: i64, year: i32) -> Result<Vec<StoredReceipt>, DbError> {
        const SQL: &str = select_receipts!("WHERE agency_id = $1 AND year = $2 ORDER BY number");
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(agency_id).bind(i64::from(year)).fetch_all(pool).await?;
            rows.iter().map(receipt_of).collect()
        })
    }
}

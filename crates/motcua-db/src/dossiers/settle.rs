//! The payment row a dossier's transition can carry: a pending payment marked paid on a
//! gateway's proof, or one taken at the counter written as paid, with its e-receipt numbered
//! in its agency's series of the year, in the transaction of the change (the payments store
//! decides when; this only writes).

use motcua_domain::payment::receipt::ReceiptBody;
use motcua_domain::payment::{Owed, PaymentMethod};

use crate::DbError;
use crate::engine::Tx;

/// A payment settled inside a transaction, and the receipt it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settle {
    pub how: How,
    pub receipt: NewReceipt,
}

impl Settle {
    /// Paid through a gateway (the dossier counts as paid online).
    pub fn is_online(&self) -> bool {
        matches!(self.how, How::Proven { .. })
    }
}

/// The e-receipt of a settled payment, before its number is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewReceipt {
    pub dossier_id: i64,
    /// The collecting agency, whose series numbers it.
    pub agency_id: i64,
    pub year: i32,
    pub issued_at: i64,
    pub form_symbol: String,
    /// With its year.
    pub symbol: String,
    pub body: ReceiptBody,
}

/// How a payment is settled: a pending one marked paid on the gateway's proof, or one
/// taken at the counter written as paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum How {
    Proven {
        dossier_id: i64,
        payment_id: i64,
        paid_at: i64,
        gateway_txn: String,
        bank_code: String,
    },
    AtCounter(CounterPayment),
}

/// A payment taken at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CounterPayment {
    pub dossier_id: i64,
    /// The collecting agency (the one holding the dossier).
    pub agency_id: i64,
    pub reference: String,
    pub method: PaymentMethod,
    pub owed: Owed,
    pub at: i64,
    pub by: String,
    pub receipt_no: String,
}

const SETTLE: &str = "UPDATE payments SET state = 'paid', paid_at = $1, gateway_txn = $2, bank_code = $3 WHERE id = $4 AND state = 'pending'";
/// The dossier was paid online (the counters read it).
const PAID_ONLINE: &str = "UPDATE dossiers SET paid_online = 1 WHERE id = $1";
const INSERT_PAID: &str = "INSERT INTO payments (dossier_id, agency_id, reference, gateway, method, fees_vnd, obligation_vnd, amount_vnd, state, created_at, created_by, paid_at, receipt_no) VALUES ($1, $10, $2, 'counter', $3, $4, $5, $6, 'paid', $7, $8, $7, $9) RETURNING id";
/// The next number of the agency's series of the year.
const NEXT_NUMBER: &str = "INSERT INTO receipt_series (agency_id, year, last_number) VALUES ($1, $2, 1) ON CONFLICT (agency_id, year) DO UPDATE SET last_number = receipt_series.last_number + 1 RETURNING last_number";
const INSERT_RECEIPT: &str = "INSERT INTO receipts (payment_id, dossier_id, agency_id, year, number, form_symbol, symbol, issued_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Writes the settlement and its receipt; a payment no longer pending is a conflict.
pub(crate) async fn settle(conn: &mut Tx<'_>, s: &Settle) -> Result<(), DbError> {
    let payment_id = match &s.how {
        How::Proven {
            dossier_id,
            payment_id,
            paid_at,
            gateway_txn,
            bank_code,
        } => {
            let n = conn
                .execute(
                    SETTLE,
                    args![
                        *paid_at,
                        gateway_txn.as_str(),
                        bank_code.as_str(),
                        *payment_id
                    ],
                )
                .await?;
            if n != 1 {
                return Err(DbError::Conflict { current: 0 });
            }
            conn.execute(PAID_ONLINE, args![*dossier_id]).await?;
            *payment_id
        }
        How::AtCounter(c) => {
            conn.insert(
                INSERT_PAID,
                args![
                    c.dossier_id,
                    c.reference.as_str(),
                    c.method.as_str(),
                    c.owed.fees_vnd,
                    c.owed.obligation_vnd,
                    c.owed.total(),
                    c.at,
                    c.by.as_str(),
                    c.receipt_no.as_str(),
                    c.agency_id
                ],
            )
            .await?
        }
    };
    let r = &s.receipt;
    let year = i64::from(r.year);
    let number = conn.int(NEXT_NUMBER, args![r.agency_id, year]).await?;
    let body = serde_json::to_string(&r.body)
        .map_err(|e| DbError::Corrupt(format!("nội dung biên lai: {e}")))?;
    conn.execute(
        INSERT_RECEIPT,
        args![
            payment_id,
            r.dossier_id,
            r.agency_id,
            year,
            number,
            r.form_symbol.as_str(),
            r.symbol.as_str(),
            r.issued_at,
            body.as_str()
        ],
    )
    .await?;
    Ok(())
}

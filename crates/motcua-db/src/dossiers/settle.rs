//! The payment row a dossier's transition can carry: a pending payment marked paid on a
//! gateway's proof, or one taken at the counter written as paid, in the transaction of the
//! change (the payments store decides when; this only writes).

use motcua_domain::payment::{Owed, PaymentMethod};

use crate::DbError;
use crate::engine::Tx;

/// How a payment is settled inside a transaction: a pending one marked paid on the
/// gateway's proof, or one taken at the counter written as paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Settle {
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
const INSERT_PAID: &str = "INSERT INTO payments (dossier_id, agency_id, reference, gateway, method, fees_vnd, obligation_vnd, amount_vnd, state, created_at, created_by, paid_at, receipt_no) VALUES ($1, $10, $2, 'counter', $3, $4, $5, $6, 'paid', $7, $8, $7, $9)";

/// Writes the settlement; a payment no longer pending is a conflict.
pub(crate) async fn settle(conn: &mut Tx<'_>, s: &Settle) -> Result<(), DbError> {
    let n = match s {
        Settle::Proven {
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
            conn.execute(PAID_ONLINE, args![*dossier_id]).await?;
            n
        }
        Settle::AtCounter(c) => {
            conn.execute(
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
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict { current: 0 })
    }
}

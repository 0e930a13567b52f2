//! Thanh toán — a dossier's payments: what it owes (the one rule,
//! [`motcua_domain::payment::owed`], over what has been paid), a payment opened for a
//! gateway, and its settlement on the gateway's verified proof: at most once, for its own
//! amount, in one transaction with its audit entry and — when it pays the obligation the
//! agency waits for — the dossier's `confirm_payment` transition. Every call a gateway makes
//! is logged with the answer given.

use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::dossier::{Action, Status};
use motcua_domain::payment::{Owed, PaymentMethod, PaymentState, owed};
use serde::Serialize;

mod receipts;

use receipts::Paying;
pub use receipts::StoredReceipt;

use crate::audit::AuditInput;
use crate::dossiers::settle::{CounterPayment, How, Settle};
use crate::engine::Tx;
use crate::rows::RowExt;
use crate::{ActorRef, DbError, DossierRecord, TransitionRequest};

/// A payment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPayment {
    pub id: i64,
    pub dossier_id: i64,
    /// The collecting agency.
    pub agency_id: i64,
    /// The gateway's order reference (`vnp_TxnRef`), unique.
    pub reference: String,
    pub gateway: String,
    pub method: PaymentMethod,
    pub fees_vnd: i64,
    pub obligation_vnd: i64,
    pub amount_vnd: i64,
    pub state: PaymentState,
    pub created_at: i64,
    pub created_by: String,
    pub paid_at: Option<i64>,
    /// The gateway's transaction number.
    pub gateway_txn: Option<String>,
    pub bank_code: Option<String>,
    pub receipt_no: Option<String>,
    pub failure: Option<String>,
}

/// `SELECT` of a payment's columns, then `$rest`.
macro_rules! select_payments {
    ($rest:literal) => {
        concat!(
            "SELECT id, dossier_id, agency_id, reference, gateway, method, fees_vnd, obligation_vnd, amount_vnd, state, created_at, created_by, paid_at, gateway_txn, bank_code, receipt_no, failure FROM payments ",
            $rest
        )
    };
}

fn payment_of(r: &impl RowExt) -> Result<StoredPayment, DbError> {
    let method = r.text("method")?;
    let state = r.text("state")?;
    Ok(StoredPayment {
        id: r.int("id")?,
        dossier_id: r.int("dossier_id")?,
        agency_id: r.int("agency_id")?,
        reference: r.text("reference")?,
        gateway: r.text("gateway")?,
        method: PaymentMethod::parse(&method)
            .ok_or_else(|| DbError::Corrupt(format!("cách thanh toán “{method}”")))?,
        fees_vnd: r.int("fees_vnd")?,
        obligation_vnd: r.int("obligation_vnd")?,
        amount_vnd: r.int("amount_vnd")?,
        state: PaymentState::parse(&state)
            .ok_or_else(|| DbError::Corrupt(format!("trạng thái thanh toán “{state}”")))?,
        created_at: r.int("created_at")?,
        created_by: r.text("created_by")?,
        paid_at: r.opt_int("paid_at")?,
        gateway_txn: r.opt_text("gateway_txn")?,
        bank_code: r.opt_text("bank_code")?,
        receipt_no: r.opt_text("receipt_no")?,
        failure: r.opt_text("failure")?,
    })
}

/// A gateway's proof of payment, verified by the caller (its signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub reference: String,
    pub amount_vnd: i64,
    /// Whether the gateway says it was paid; otherwise why not (its code).
    pub paid: bool,
    pub code: String,
    pub gateway_txn: String,
    pub bank_code: String,
}

/// What a proof did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Paid now (and the dossier's obligation confirmed when it was one).
    Confirmed(StoredPayment),
    /// The gateway says it failed; recorded.
    Failed(StoredPayment),
    AlreadySettled(StoredPayment),
    NotFound,
    /// The amount is not the payment's.
    WrongAmount(StoredPayment),
}

/// One line of the reconciliation: the payments one agency collected for one procedure and
/// channel through one gateway, by method and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconLine {
    pub agency_id: i64,
    pub procedure_code: String,
    pub channel: String,
    pub gateway: String,
    pub method: PaymentMethod,
    pub state: PaymentState,
    pub count: i64,
    pub amount_vnd: i64,
}

const RECONCILIATION: &str =
    "SELECT p.agency_id, d.procedure_code, d.channel, p.gateway, p.method, p.state,
        CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(p.amount_vnd) AS BIGINT) AS amount
    FROM payments p JOIN dossiers d ON d.id = p.dossier_id
    WHERE p.created_at >= $1 AND p.created_at < $2
    GROUP BY p.agency_id, d.procedure_code, d.channel, p.gateway, p.method, p.state
    ORDER BY p.agency_id, d.procedure_code, d.channel, p.gateway, p.method, p.state";

/// Bumps the dossier's version when it is still `version`, so that two recordings made on
/// the same view cannot both pass.
const BUMP: &str = "UPDATE dossiers SET version = version + 1 WHERE id = $1 AND version = $2";

#[derive(Clone, Copy)]
pub struct Payments<'a> {
    db: &'a crate::Db,
}

impl crate::Db {
    pub fn payments(&self) -> Payments<'_> {
        Payments { db: self }
    }
}

impl Payments<'_> {
    /// The dossier's payments, oldest first.
    pub async fn of_dossier(self, dossier_id: i64) -> Result<Vec<StoredPayment>, DbError> {
        const SQL: &str = select_payments!("WHERE dossier_id = $1 ORDER BY id");
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(dossier_id).fetch_all(pool).await?;
            rows.iter().map(payment_of).collect()
        })
    }

    /// The payment with gateway reference `reference`.
    pub async fn by_reference(self, reference: &str) -> Result<Option<StoredPayment>, DbError> {
        const SQL: &str = select_payments!("WHERE reference = $1");
        Ok(on_read!(self.db, pool => {
            let row = sqlx::query(SQL).bind(reference).fetch_optional(pool).await?;
            match row {
                Some(r) => Some(payment_of(&r)?),
                None => None,
            }
        }))
    }

    /// The payments through `gateway` still pending that were opened between `from` and
    /// `to` (Unix seconds), oldest first.
    pub async fn pending(
        self,
        gateway: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<StoredPayment>, DbError> {
        const SQL: &str = select_payments!(
            "WHERE state = 'pending' AND gateway = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id"
        );
        on_read!(self.db, pool => {
            let rows = sqlx::query(SQL).bind(gateway).bind(from).bind(to).fetch_all(pool).await?;
            rows.iter().map(payment_of).collect()
        })
    }

    /// The payments opened between `from` and `to` (Unix seconds; a gateway's transaction
    /// date, a counter payment's time), summed by collecting agency, procedure, channel,
    /// gateway, method and state: what a day's statement from the gateway is checked against.
    pub async fn reconciliation(self, from: i64, to: i64) -> Result<Vec<ReconLine>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(RECONCILIATION).bind(from).bind(to).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let method = r.text("method")?;
                    let state = r.text("state")?;
                    Ok(ReconLine {
                        agency_id: r.int("agency_id")?,
                        procedure_code: r.text("procedure_code")?,
                        channel: r.text("channel")?,
                        gateway: r.text("gateway")?,
                        method: PaymentMethod::parse(&method)
                            .ok_or_else(|| DbError::Corrupt(format!("cách thanh toán “{method}”")))?,
                        state: PaymentState::parse(&state)
                            .ok_or_else(|| DbError::Corrupt(format!("trạng thái thanh toán “{state}”")))?,
                        count: r.int("n")?,
                        amount_vnd: r.int("amount")?,
                    })
                })
                .collect()
        })
    }

    /// What `d` owes, when it can still be paid: refused when it has ended or owes nothing.
    async fn payable(self, d: &DossierRecord) -> Result<Owed, DbError> {
        if d.status.is_final() {
            return Err(DbError::invalid(
                "dossier",
                "hồ sơ đã kết thúc, không còn khoản nào phải nộp",
            ));
        }
        let owed = self.owed(d).await?;
        if owed.is_nothing() {
            return Err(DbError::invalid(
                "amount_vnd",
                "hồ sơ không còn khoản phí, lệ phí nào phải nộp",
            ));
        }
        Ok(owed)
    }

    /// What the dossier owes now.
    pub async fn owed(self, d: &DossierRecord) -> Result<Owed, DbError> {
        let paid = self.of_dossier(d.id).await?;
        let fees_paid: i64 = paid
            .iter()
            .filter(|p| p.state == PaymentState::Paid)
            .map(|p| p.fees_vnd)
            .sum();
        Ok(owed(d.fee_vnd, d.state.payment.as_ref(), fees_paid))
    }

    /// Opens a payment of everything `d` owes through `gateway`, by `by`; refused when
    /// nothing is owed or the dossier has ended.
    pub async fn open(
        self,
        d: &DossierRecord,
        gateway: &str,
        by: &str,
        now: i64,
    ) -> Result<StoredPayment, DbError> {
        let owed = self.payable(d).await?;
        let token = crate::random_token(6)?;
        let reference = format!("{}-{}", d.code, token.to_uppercase());
        let amount = owed.total();
        const INSERT: &str = "INSERT INTO payments (dossier_id, agency_id, reference, gateway, method, fees_vnd, obligation_vnd, amount_vnd, state, created_at, created_by) VALUES ($1, $9, $2, $3, 'online', $4, $5, $6, 'pending', $7, $8) RETURNING id";
        let id: i64 = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(d.id)
                .bind(&reference)
                .bind(gateway)
                .bind(owed.fees_vnd)
                .bind(owed.obligation_vnd)
                .bind(amount)
                .bind(now)
                .bind(by)
                .bind(d.current_agency_id)
                .fetch_one(&mut *tx)
                .await?;
            crate::audit::append(&mut Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: by.to_string(),
                action: "open_payment".into(),
                entity: "dossier",
                entity_id: d.code.clone(),
                detail: serde_json::json!({"payment": id, "reference": reference, "amount_vnd": amount, "gateway": gateway}),
            }).await?;
            tx.commit().await?;
            id
        });
        Ok(StoredPayment {
            id,
            dossier_id: d.id,
            agency_id: d.current_agency_id,
            reference,
            gateway: gateway.to_string(),
            method: PaymentMethod::Online,
            fees_vnd: owed.fees_vnd,
            obligation_vnd: owed.obligation_vnd,
            amount_vnd: amount,
            state: PaymentState::Pending,
            created_at: now,
            created_by: by.to_string(),
            paid_at: None,
            gateway_txn: None,
            bank_code: None,
            receipt_no: None,
            failure: None,
        })
    }

    /// Settles a payment on the gateway's verified `proof`: checked in the order the
    /// gateways ask (the order exists, the amount is its own, it is still pending), then
    /// recorded at once with its audit entry, and with the dossier's `confirm_payment` when
    /// it pays the obligation the dossier waits for.
    pub async fn settle_by_proof(
        self,
        gateway: &str,
        proof: &Proof,
        calendar: &WorkCalendar,
        now: Instant,
    ) -> Result<Settled, DbError> {
        // A concurrent change of the dossier is met by trying again on the new version.
        for _ in 0..3 {
            let Some(payment) = self.by_reference(&proof.reference).await? else {
                return Ok(Settled::NotFound);
            };
            if payment.gateway != gateway {
                return Ok(Settled::NotFound);
            }
            if payment.amount_vnd != proof.amount_vnd {
                return Ok(Settled::WrongAmount(payment));
            }
            if payment.state != PaymentState::Pending {
                return Ok(Settled::AlreadySettled(payment));
            }
            if !proof.paid {
                self.fail(&payment, &proof.code, now.timestamp()).await?;
                let failed = self.by_reference(&proof.reference).await?;
                return Ok(failed.map_or(Settled::NotFound, Settled::Failed));
            }
            let dossier = self
                .db
                .dossiers()
                .dossier(payment.dossier_id)
                .await?
                .ok_or(DbError::NotFound("hồ sơ"))?;
            let receipt = self
                .draw_up(Paying {
                    d: &dossier,
                    agency_id: payment.agency_id,
                    owed: Owed {
                        fees_vnd: payment.fees_vnd,
                        obligation_vnd: payment.obligation_vnd,
                    },
                    method: payment.method,
                    reference: &payment.reference,
                    proof: &proof.gateway_txn,
                    at: now,
                })
                .await?;
            let settle = Settle {
                how: How::Proven {
                    dossier_id: payment.dossier_id,
                    payment_id: payment.id,
                    paid_at: now.timestamp(),
                    gateway_txn: proof.gateway_txn.clone(),
                    bank_code: proof.bank_code.clone(),
                },
                receipt,
            };
            let done = if payment.obligation_vnd > 0 && awaits_obligation(&dossier) {
                let request = TransitionRequest {
                    dossier_id: dossier.id,
                    expected_version: dossier.version,
                    action: Action::ConfirmPayment,
                };
                self.db
                    .dossiers()
                    .transition_settling(
                        &request,
                        ActorRef::Gateway,
                        calendar,
                        now,
                        &[],
                        Some(settle),
                    )
                    .await
                    .map(|_| ())
            } else {
                self.settle_alone(&dossier, Some(dossier.version), "gateway", settle)
                    .await
            };
            match done {
                Ok(()) => {
                    let paid = self.by_reference(&proof.reference).await?;
                    return Ok(paid.map_or(Settled::NotFound, Settled::Confirmed));
                }
                Err(DbError::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(DbError::Unavailable(
            "hồ sơ thay đổi liên tục trong lúc xác nhận thanh toán; cổng sẽ gọi lại".into(),
        ))
    }

    /// Writes a settlement with its audit entry, without a transition (at the dossier's
    /// `version` when given: a changed dossier is a conflict).
    async fn settle_alone(
        self,
        d: &DossierRecord,
        version: Option<i64>,
        actor: &str,
        settle: Settle,
    ) -> Result<(), DbError> {
        let (at, detail) = match &settle.how {
            How::Proven {
                payment_id,
                paid_at,
                ..
            } => (*paid_at, serde_json::json!({"payment": payment_id})),
            How::AtCounter(c) => (
                c.at,
                serde_json::json!({"reference": c.reference, "method": c.method.as_str(), "amount_vnd": c.owed.total(), "receipt_no": c.receipt_no}),
            ),
        };
        let audit = AuditInput {
            at,
            actor: actor.to_string(),
            action: "settle_payment".into(),
            entity: "dossier",
            entity_id: d.code.clone(),
            detail,
        };
        // A first online payment counts the dossier as paid online (QĐ 766).
        let rows = if settle.is_online() && !d.paid_online {
            let field = self
                .db
                .catalogue()
                .procedure_version(d.procedure_version_id)
                .await?
                .map(|v| v.procedure.field.code.clone())
                .unwrap_or_default();
            crate::counters::paid_rows(d.counted(), &d.state, &field)
        } else {
            Vec::new()
        };
        let dossier_id = d.id;
        grouped_write!(self.db, conn => {
            if let Some(version) = version
                && conn.execute(BUMP, args![dossier_id, version]).await? != 1
            {
                return Err(DbError::Conflict { current: version });
            }
            crate::dossiers::settle::settle(conn, &settle).await?;
            crate::counters::upsert(conn, &rows).await?;
            crate::audit::append(conn, audit).await?;
            crate::portal::touch(conn, dossier_id, at).await?;
            Ok(())
        })
    }

    /// Records a payment of everything `d` owes taken at the counter by officer `staff_id`
    /// (cash or transfer, with the paper receipt's number), on the dossier as of `version`:
    /// with the dossier's `confirm_payment` when it pays the awaited obligation, all in one
    /// transaction. A dossier changed since is a conflict.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_at_counter(
        self,
        d: &DossierRecord,
        version: i64,
        method: PaymentMethod,
        receipt_no: &str,
        staff_id: i64,
        calendar: &WorkCalendar,
        now: Instant,
    ) -> Result<StoredPayment, DbError> {
        if method == PaymentMethod::Online {
            return Err(DbError::invalid(
                "method",
                "tại quầy chỉ ghi nhận tiền mặt hoặc chuyển khoản",
            ));
        }
        let receipt_no = motcua_domain::payment::check_receipt_no(receipt_no)
            .map_err(|e| DbError::Invalid(vec![e]))?;
        let roles = self
            .db
            .people()
            .roles_over(staff_id, d.current_agency_id)
            .await?;
        if !motcua_domain::payment::may_record(&motcua_domain::dossier::Actor::Staff {
            id: staff_id,
            roles,
        }) {
            return Err(DbError::Forbidden(
                "chỉ công chức, chuyên viên hoặc lãnh đạo của cơ quan đang giữ hồ sơ được ghi nhận khoản nộp".into(),
            ));
        }
        if d.version != version {
            return Err(DbError::Conflict { current: d.version });
        }
        let owed = self.payable(d).await?;
        let reference = format!("{}-Q{}", d.code, crate::random_token(6)?.to_uppercase());
        let receipt = self
            .draw_up(Paying {
                d,
                agency_id: d.current_agency_id,
                owed,
                method,
                reference: &reference,
                proof: &receipt_no,
                at: now,
            })
            .await?;
        let settle = Settle {
            how: How::AtCounter(CounterPayment {
                dossier_id: d.id,
                agency_id: d.current_agency_id,
                reference: reference.clone(),
                method,
                owed,
                at: now.timestamp(),
                by: format!("staff:{staff_id}"),
                receipt_no,
            }),
            receipt,
        };
        if owed.obligation_vnd > 0 && awaits_obligation(d) {
            let request = TransitionRequest {
                dossier_id: d.id,
                expected_version: version,
                action: Action::ConfirmPayment,
            };
            self.db
                .dossiers()
                .transition_settling(
                    &request,
                    ActorRef::Staff(staff_id),
                    calendar,
                    now,
                    &[],
                    Some(settle),
                )
                .await?;
        } else {
            self.settle_alone(d, Some(version), &format!("staff:{staff_id}"), settle)
                .await?;
        }
        self.by_reference(&reference)
            .await?
            .ok_or(DbError::NotFound("khoản nộp"))
    }

    /// Records the gateway's word that a payment did not go through, with its audit entry.
    async fn fail(self, payment: &StoredPayment, code: &str, now: i64) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE payments SET state = 'failed', failure = $1 WHERE id = $2 AND state = 'pending'")
                .bind(code)
                .bind(payment.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                crate::audit::append(&mut Tx::from(&mut *tx), AuditInput {
                    at: now,
                    actor: "gateway".into(),
                    action: "payment_failed".into(),
                    entity: "payment",
                    entity_id: payment.reference.clone(),
                    detail: serde_json::json!({"payment": payment.id, "code": code}),
                }).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Logs a call a gateway made and what it was answered.
    pub async fn log_callback(
        self,
        gateway: &str,
        kind: &str,
        reference: &str,
        query: &str,
        answer: &str,
        now: i64,
    ) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            sqlx::query("INSERT INTO payment_callbacks (at, gateway, kind, reference, query, answer) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(now)
                .bind(gateway)
                .bind(kind)
                .bind(reference)
                .bind(query)
                .bind(answer)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The calls logged for payment `reference`, oldest first: kind, query and answer.
    pub async fn callbacks(
        self,
        reference: &str,
    ) -> Result<Vec<(String, String, String)>, DbError> {
        Ok(on_read!(self.db, pool => {
            let rows = sqlx::query("SELECT kind, query, answer FROM payment_callbacks WHERE reference = $1 ORDER BY id")
                .bind(reference)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| Ok((r.text("kind")?, r.text("query")?, r.text("answer")?)))
                .collect::<Result<Vec<_>, DbError>>()?
        }))
    }
}

/// Whether the dossier waits for the obligation it asked for.
fn awaits_obligation(d: &DossierRecord) -> bool {
    d.status == Status::AwaitingPayment
        && d.state
            .payment
            .as_ref()
            .is_some_and(|p| p.paid_at.is_none())
}

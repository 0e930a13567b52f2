//! The desk's writes: a case received (with its code, appointments and the submitter's
//! acknowledgement), a step taken on it (checked by the domain's machine against its version,
//! with its history line, audit entry and message), a call logged (and the case it became),
//! and the settings.

use motcua_domain::FieldError;
use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::support::{
    Action, CaseView, Change, Channel, Kind, NewCall, State, Submitter, SupportError,
    SupportPolicy, Visibility, check_text,
};

use super::{POLICY_KEY, StoredCase, Support};
use crate::DbError;
use crate::audit::AuditInput;
use crate::engine::Tx;

/// A question or feedback as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub kind: Kind,
    pub channel: Channel,
    pub visibility: Visibility,
    pub agency_id: i64,
    pub procedure_code: Option<String>,
    pub title: String,
    pub content: String,
    pub submitter: Submitter,
    /// The citizen account that sent it online, if signed in.
    pub citizen_id: Option<i64>,
}

impl NewCase {
    /// Every named error of what it carries.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = self.submitter.check(self.kind, self.channel);
        errors.extend(check_text(&self.title, &self.content));
        errors
    }
}

impl From<SupportError> for DbError {
    fn from(e: SupportError) -> Self {
        match e {
            SupportError::Forbidden(m) => DbError::Forbidden(m),
            SupportError::NotNow(m) => DbError::invalid("action", m),
            SupportError::Invalid(errors) => DbError::Invalid(errors),
        }
    }
}

fn words(title: &str, content: &str, answer: Option<&str>) -> String {
    motcua_domain::text::fold(&format!("{title} {content} {}", answer.unwrap_or("")))
}

const NEXT_NUMBER: &str =
    "INSERT INTO support_series (prefix, year, last_number) VALUES ($1, $2, 1)
    ON CONFLICT (prefix, year) DO UPDATE SET last_number = support_series.last_number + 1
    RETURNING last_number";

const INSERT_CASE: &str = "INSERT INTO support_cases (code, secret, kind, channel, category,
    visibility, agency_id, procedure_code, title, content, words, submitter_name, submitter_phone,
    submitter_email, submitter_address, citizen_id, state, received_at, classify_due_at, due_at,
    created_by)
    VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'received', $16,
        $17, $18, $19) RETURNING id";

const INSERT_STEP: &str = "INSERT INTO support_steps (case_id, at, actor, action, from_state,
    to_state, agency_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

const UPDATE_CASE: &str = "UPDATE support_cases SET state = $3, agency_id = $4,
    assignee_id = CASE WHEN $5 = 1 THEN $6 ELSE assignee_id END,
    category = COALESCE($7, category), answer = COALESCE($8, answer), note = COALESCE($9, note),
    ended_at = COALESCE($10, ended_at), published_at = COALESCE($11, published_at),
    words = $12, version = version + 1
    WHERE id = $1 AND version = $2";

const INSERT_CALL: &str = "INSERT INTO support_calls (at, staff_id, agency_id, channel,
    caller_name, caller_phone, topic, procedure_code, question, answer, duration_seconds,
    outcome, case_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";

const INSERT_MESSAGE: &str = "INSERT INTO outbox (dossier_id, event, channel, recipient, payload,
    status, attempts, next_attempt_at, created_at) VALUES (NULL, $1, $2, $3, $4, 'pending', 0, $5, $5)";

/// The case's numbers, as the insert needs them.
struct Opening<'a> {
    new: &'a NewCase,
    code: String,
    secret: String,
    received: Instant,
    classify_due: Instant,
    due: Instant,
    actor: &'a str,
}

/// What a message about a case says.
struct About<'a> {
    code: &'a str,
    secret: &'a str,
    submitter: &'a Submitter,
    title: &'a str,
    agency: &'a str,
    due: Instant,
    reason: Option<&'a str>,
}

/// One message to the submitter, on e-mail when they gave one, else by SMS.
async fn message(
    tx: &mut Tx<'_>,
    event: &'static str,
    about: &About<'_>,
    at: i64,
) -> Result<(), DbError> {
    let (channel, recipient) = if !about.submitter.email.trim().is_empty() {
        ("email", about.submitter.email.trim())
    } else if !about.submitter.phone.trim().is_empty() {
        ("sms", about.submitter.phone.trim())
    } else {
        return Ok(());
    };
    let payload = serde_json::json!({
        "code": about.code,
        "secret": about.secret,
        "event": event,
        "applicant": about.submitter.name,
        "procedure": about.title,
        "due": about.due.to_rfc3339(),
        "reason": about.reason,
        "agency": about.agency,
        "salutation": "ông/bà",
    });
    tx.execute(
        INSERT_MESSAGE,
        args![event, channel, recipient, payload.to_string().as_str(), at],
    )
    .await?;
    Ok(())
}

async fn insert_case(tx: &mut Tx<'_>, o: &Opening<'_>) -> Result<i64, DbError> {
    let n = o.new;
    let nfc = motcua_domain::text::nfc;
    let (title, content) = (nfc(n.title.trim()), nfc(n.content.trim()));
    let id = tx
        .insert(
            INSERT_CASE,
            args![
                &o.code,
                &o.secret,
                n.kind.as_str(),
                n.channel.as_str(),
                n.visibility.as_str(),
                n.agency_id,
                n.procedure_code.as_deref(),
                title.as_str(),
                content.as_str(),
                words(&title, &content, None).as_str(),
                nfc(n.submitter.name.trim()).as_str(),
                n.submitter.phone.trim(),
                n.submitter.email.trim(),
                nfc(n.submitter.address.trim()).as_str(),
                n.citizen_id,
                o.received.timestamp(),
                o.classify_due.timestamp(),
                o.due.timestamp(),
                o.actor
            ],
        )
        .await?;
    tx.execute(
        INSERT_STEP,
        args![
            id,
            o.received.timestamp(),
            o.actor,
            "open",
            None::<&str>,
            State::Received.as_str(),
            n.agency_id,
            Some(n.channel.label_vi())
        ],
    )
    .await?;
    crate::audit::append(
        tx,
        AuditInput {
            at: o.received.timestamp(),
            actor: o.actor.to_string(),
            action: "support_open".into(),
            entity: "support_case",
            entity_id: o.code.clone(),
            detail: serde_json::json!({
                "kind": n.kind.as_str(),
                "channel": n.channel.as_str(),
                "agency_id": n.agency_id,
            }),
        },
    )
    .await?;
    Ok(id)
}

impl Support<'_> {
    /// Stores the settings, audited.
    pub async fn set_policy(self, policy: &SupportPolicy, actor: &str) -> Result<(), DbError> {
        policy.check().map_err(DbError::Invalid)?;
        let value = serde_json::to_string(policy)?;
        crate::settings::put(
            self.db,
            POLICY_KEY,
            &value,
            AuditInput {
                at: crate::now_seconds(),
                actor: actor.to_string(),
                action: "set_support_policy".into(),
                entity: "settings",
                entity_id: POLICY_KEY.into(),
                detail: serde_json::to_value(policy)?,
            },
        )
        .await
    }

    /// Its code, lookup secret and appointments, for a case of `kind` received `now`.
    async fn opening<'a>(
        self,
        new: &'a NewCase,
        calendar: &WorkCalendar,
        now: Instant,
        actor: &'a str,
    ) -> Result<(Opening<'a>, String), DbError> {
        let errors = new.check();
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let agency = self
            .db
            .agencies()
            .agency(new.agency_id)
            .await?
            .ok_or_else(|| DbError::invalid("agency", "không có cơ quan này"))?;
        let policy = self.policy().await?;
        Ok((
            Opening {
                new,
                code: String::new(),
                secret: crate::random_token(8)?,
                received: now,
                classify_due: policy.classify_due(calendar, new.kind, now)?,
                due: policy.due(calendar, new.kind, now)?,
                actor,
            },
            agency.name,
        ))
    }

    /// Receives a question or feedback: numbered in its series, due by the calendar, its
    /// first step, audit entry and the submitter's acknowledgement in one transaction.
    pub async fn open(
        self,
        new: &NewCase,
        calendar: &WorkCalendar,
        now: Instant,
        actor: &str,
    ) -> Result<StoredCase, DbError> {
        let (mut o, agency) = self.opening(new, calendar, now, actor).await?;
        let year = i64::from(chrono::Datelike::year(&now));
        let id = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut t = Tx::from(&mut *tx);
            let n = t.int(NEXT_NUMBER, args![new.kind.prefix(), year]).await?;
            o.code = format!("{}-{year}-{n:06}", new.kind.prefix());
            let id = insert_case(&mut t, &o).await?;
            message(&mut t, "support_received", &About {
                code: &o.code,
                secret: &o.secret,
                submitter: &new.submitter,
                title: &new.title,
                agency: &agency,
                due: o.due,
                reason: None,
            }, now.timestamp()).await?;
            tx.commit().await?;
            id
        });
        self.case(id).await?.ok_or(DbError::NotFound("việc hỗ trợ"))
    }

    /// Takes step `action` on case `id` as seen at `version`, by officer `me` holding
    /// `roles` over its agency: the domain's machine decides; a stale version is a conflict.
    pub async fn act(
        self,
        id: i64,
        version: i64,
        action: &Action,
        me: i64,
        roles: &[Role],
        now: Instant,
    ) -> Result<StoredCase, DbError> {
        let case = self
            .case(id)
            .await?
            .ok_or(DbError::NotFound("việc hỗ trợ"))?;
        if case.version != version {
            return Err(DbError::Conflict {
                current: case.version,
            });
        }
        let policy = self.policy().await?;
        let view = CaseView {
            kind: case.kind,
            state: case.state,
            visibility: case.visibility,
            agency_id: case.agency_id,
            assignee: case.assignee_id,
        };
        let change = view.apply(action, me, roles, policy.review)?;
        self.check_targets(&case, action, &change).await?;
        let agency_name = match self.db.agencies().agency(change.agency_id).await? {
            Some(a) => a.name,
            None => return Err(DbError::invalid("agency", "không có cơ quan này")),
        };
        let actor = format!("staff:{me}");
        let at = now.timestamp();
        let answer = change.answer.as_deref().or(case.answer.as_deref());
        let new_words = words(&case.title, &case.content, answer);
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut t = Tx::from(&mut *tx);
            let (set_assignee, assignee) = match change.assignee {
                Some(a) => (1, a),
                None => (0, None),
            };
            let changed = t.execute(UPDATE_CASE, args![
                id,
                version,
                change.state.as_str(),
                change.agency_id,
                set_assignee,
                assignee,
                change.category.as_deref(),
                change.answer.as_deref(),
                change.note.as_deref(),
                change.ends.then_some(at),
                change.publishes.then_some(at),
                new_words.as_str()
            ]).await?;
            if changed != 1 {
                return Err(DbError::Conflict { current: version + 1 });
            }
            step(&mut t, &case, &change, action, &actor, at).await?;
            if let Some(event) = change.event {
                let reason = change.note.as_deref();
                message(&mut t, event, &About {
                    code: &case.code,
                    secret: &case.secret,
                    submitter: &case.submitter,
                    title: &case.title,
                    agency: &agency_name,
                    due: case.due_at,
                    reason,
                }, at).await?;
            }
            tx.commit().await?;
        });
        self.case(id).await?.ok_or(DbError::NotFound("việc hỗ trợ"))
    }

    /// The officer a case is assigned to must work at its agency (the agency a case moves
    /// to is checked where its name is read).
    async fn check_targets(
        self,
        case: &StoredCase,
        action: &Action,
        change: &Change,
    ) -> Result<(), DbError> {
        if let Some(Some(officer)) = change.assignee
            && matches!(action, Action::Accept { .. })
            && self
                .db
                .people()
                .roles_over(officer, case.agency_id)
                .await?
                .is_empty()
        {
            return Err(DbError::invalid(
                "assignee",
                "cán bộ được giao không thuộc cơ quan đang xử lý",
            ));
        }
        Ok(())
    }

    /// Logs a call of agency `agency_id` taken by `staff_id`; when it became a question or a
    /// feedback, `case` is received in the same transaction and the call names it.
    pub async fn record_call(
        self,
        agency_id: i64,
        staff_id: i64,
        call: &NewCall,
        case: Option<&NewCase>,
        calendar: &WorkCalendar,
        now: Instant,
    ) -> Result<(i64, Option<StoredCase>), DbError> {
        call.check().map_err(DbError::Invalid)?;
        if self.db.agencies().agency(agency_id).await?.is_none() {
            return Err(DbError::invalid("agency", "không có cơ quan này"));
        }
        let actor = format!("staff:{staff_id}");
        let opening = match case {
            Some(new) => Some(self.opening(new, calendar, now, &actor).await?),
            None => None,
        };
        let year = i64::from(chrono::Datelike::year(&now));
        let nfc = motcua_domain::text::nfc;
        let (call_id, case_id) = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut t = Tx::from(&mut *tx);
            let mut case_id = None;
            if let Some((mut o, agency)) = opening {
                let n = t.int(NEXT_NUMBER, args![o.new.kind.prefix(), year]).await?;
                o.code = format!("{}-{year}-{n:06}", o.new.kind.prefix());
                let id = insert_case(&mut t, &o).await?;
                message(&mut t, "support_received", &About {
                    code: &o.code,
                    secret: &o.secret,
                    submitter: &o.new.submitter,
                    title: &o.new.title,
                    agency: &agency,
                    due: o.due,
                    reason: None,
                }, now.timestamp()).await?;
                case_id = Some(id);
            }
            let call_id = t.insert(INSERT_CALL, args![
                now.timestamp(),
                staff_id,
                agency_id,
                call.channel.as_str(),
                nfc(call.caller_name.trim()).as_str(),
                call.caller_phone.trim(),
                nfc(call.topic.trim()).as_str(),
                call.procedure_code.as_deref(),
                nfc(call.question.trim()).as_str(),
                nfc(call.answer.trim()).as_str(),
                call.duration_seconds,
                call.outcome.as_str(),
                case_id
            ]).await?;
            crate::audit::append(&mut t, AuditInput {
                at: now.timestamp(),
                actor: actor.clone(),
                action: "support_call".into(),
                entity: "support_call",
                entity_id: call_id.to_string(),
                detail: serde_json::json!({"agency_id": agency_id, "outcome": call.outcome.as_str()}),
            }).await?;
            tx.commit().await?;
            (call_id, case_id)
        });
        let case = match case_id {
            Some(id) => self.case(id).await?,
            None => None,
        };
        Ok((call_id, case))
    }
}

/// Writes the history line and the audit entry of a step.
async fn step(
    t: &mut Tx<'_>,
    case: &StoredCase,
    change: &Change,
    action: &Action,
    actor: &str,
    at: i64,
) -> Result<(), DbError> {
    t.execute(
        INSERT_STEP,
        args![
            case.id,
            at,
            actor,
            action.name(),
            Some(case.state.as_str()),
            change.state.as_str(),
            change.agency_id,
            change.note.as_deref()
        ],
    )
    .await?;
    crate::audit::append(
        t,
        AuditInput {
            at,
            actor: actor.to_string(),
            action: format!("support_{}", action.name()),
            entity: "support_case",
            entity_id: case.code.clone(),
            detail: serde_json::json!({
                "from": case.state.as_str(),
                "to": change.state.as_str(),
                "agency_id": change.agency_id,
                "version": case.version + 1,
            }),
        },
    )
    .await
}

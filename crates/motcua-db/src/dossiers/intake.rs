//! Tiếp nhận — storing a new dossier: its gapless daily code, state, history, audit entry
//! and notifications, all in one transaction.

use motcua_domain::FieldError;
use motcua_domain::calendar::{Instant, WorkCalendar, vietnam_offset};
use motcua_domain::catalogue::StepAgency;
use motcua_domain::dossier::{
    Actor, DossierCode, Event, Intake, check_intake, choose_competent, initial_state, may_take_in,
};

use super::{DossierRecord, NO_DUE, stored_enum};
use crate::DbError;
use crate::audit::AuditInput;
use crate::files::NewAttachment;
use crate::outbox::{About, messages_for};
use crate::rows::RowExt;

const NEXT_CODE: &str = "INSERT INTO code_counters (agency_id, day, last) VALUES ($1, $2, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = code_counters.last + 1 RETURNING last";

/// A new dossier; its id is given on PostgreSQL ([`NEXT_ID`]) and left to SQLite (NULL).
const INSERT: &str =
    "INSERT INTO dossiers (id, code, lookup_secret, procedure_version_id, procedure_code,
    case_code, receiving_agency_id, current_agency_id, channel, status, step, assignee_id,
    applicant_name, applicant, components, return_method, fee_vnd, summary, received_at, due_at,
    sort_due, step_due_at, finished_at, outcome, apologised, state, version, updated_at,
    citizen_id, step_role, reused, verified_identity)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, NULL, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20, NULL, NULL, 0, $21, 1, $17, $22, $23, $24, $25)
    RETURNING id";

const NEXT_ID: &str = "SELECT nextval(pg_get_serial_sequence('dossiers', 'id'))";

/// [`NEXT_CODE`] with the sequence number as the code writes it (at least `$3` digits).
const NUMBER_LAST: &str = "INSERT INTO code_counters (agency_id, day, last) VALUES ($1, $2, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = code_counters.last + 1
    RETURNING last, lpad(last::text, greatest($3::int, length(last::text)), '0') AS text";

/// Takes the next number of the receiving agency's day and makes the dossier code of it.
async fn next_code(
    conn: &mut crate::engine::Tx<'_>,
    receiving_id: i64,
    day_key: i64,
    receiving_code: &motcua_domain::agency::AgencyCode,
    local_day: chrono::NaiveDate,
) -> Result<DossierCode, DbError> {
    let seq: i64 = conn.int(NEXT_CODE, args![receiving_id, day_key]).await?;
    DossierCode::new(
        receiving_code,
        local_day,
        u32::try_from(seq)
            .map_err(|_| DbError::Internal("số thứ tự hồ sơ vượt giới hạn".into()))?,
    )
    .map_err(|e| DbError::Invalid(vec![e]))
}

pub(crate) const INSERT_HISTORY: &str = "INSERT INTO dossier_history (dossier_id, action,
    actor_staff_id, actor_kind, from_status, to_status, from_step, to_step, agency_id, note,
    step_due_at, step_outcome, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

pub(crate) fn actor_kind(actor: &Actor) -> &'static str {
    match actor {
        Actor::Staff { .. } => "staff",
        Actor::Citizen { .. } => "citizen",
        Actor::Gateway => "gateway",
    }
}

pub(crate) fn actor_label(actor: &Actor) -> String {
    match actor {
        Actor::Staff { id, .. } => format!("staff:{id}"),
        Actor::Citizen { .. } => "citizen".into(),
        Actor::Gateway => "gateway".into(),
    }
}

/// What may come with an intake besides the form: the citizen account filing it online,
/// and the files (stored already) to attach in the same transaction.
#[derive(Debug, Clone, Default)]
pub struct IntakeExtras {
    pub citizen_id: Option<i64>,
    pub files: Vec<NewAttachment>,
    /// The national portal's code of a dossier filed there: a second intake with the same
    /// code is refused as [`DbError::AlreadyReceived`] and creates nothing.
    pub portal_code: Option<String>,
    /// Filed from an account verified with the national identity (`TaiKhoanDuocXacThucVoiVNeID`).
    pub verified_identity: bool,
}

/// What the national portal's record says of a dossier besides the dossier itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalMarks {
    /// The portal's own code (`MaHoSoQG`), for a dossier filed there.
    pub portal_code: Option<String>,
    /// Filed from an account verified with the national identity.
    pub verified_identity: bool,
    /// The filer's technical id on the portal (`TechID`, `MaDoiTuong`), from the identity
    /// their account signed in with.
    pub subject_id: Option<String>,
}

impl super::Dossiers<'_> {
    /// Receives a dossier at `receiving_agency` (its code) at `now`. A counter or postal
    /// intake must come from a counter officer of that agency; an online one from a citizen.
    pub async fn intake(
        self,
        intake: Intake,
        receiving_agency: &str,
        actor: &Actor,
        calendar: &WorkCalendar,
        now: Instant,
    ) -> Result<DossierRecord, DbError> {
        self.intake_with(
            intake,
            receiving_agency,
            actor,
            calendar,
            now,
            IntakeExtras::default(),
        )
        .await
    }

    /// The dossier received from the national portal under `portal_code`, if any.
    pub async fn by_portal_code(self, portal_code: &str) -> Result<Option<DossierRecord>, DbError> {
        let code = portal_code.to_string();
        let id: Option<i64> = on_read!(self.db, pool => {
            Ok::<_, DbError>(
                sqlx::query_scalar("SELECT dossier_id FROM portal_inbound WHERE portal_code = $1")
                    .bind(&code)
                    .fetch_optional(pool)
                    .await?,
            )
        })?;
        match id {
            Some(id) => self.dossier(id).await,
            None => Ok(None),
        }
    }

    /// The portal's code and the verified-account mark of a dossier.
    pub async fn portal_marks(self, dossier_id: i64) -> Result<PortalMarks, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query("SELECT d.verified_identity, p.portal_code,
                    (SELECT MAX(i.tech_id) FROM citizen_identities i WHERE i.citizen_id = d.citizen_id) AS subject_id
                FROM dossiers d LEFT JOIN portal_inbound p ON p.dossier_id = d.id WHERE d.id = $1")
                .bind(dossier_id)
                .fetch_optional(pool)
                .await?;
            Ok(match row {
                Some(r) => PortalMarks {
                    portal_code: r.opt_text("portal_code")?,
                    verified_identity: r.int("verified_identity")? != 0,
                    subject_id: r.opt_text("subject_id")?,
                },
                None => PortalMarks::default(),
            })
        })
    }

    /// [`Dossiers::intake`] with an owner account and attached files.
    pub async fn intake_with(
        self,
        intake: Intake,
        receiving_agency: &str,
        actor: &Actor,
        calendar: &WorkCalendar,
        now: Instant,
        extras: IntakeExtras,
    ) -> Result<DossierRecord, DbError> {
        let receiving = self
            .db
            .agencies()
            .agency_by_code(receiving_agency)
            .await?
            .ok_or_else(|| {
                DbError::invalid(
                    "receiving_agency",
                    format!("không có cơ quan tiếp nhận mã “{receiving_agency}”"),
                )
            })?;
        may_take_in(intake.channel, actor).map_err(DbError::Forbidden)?;
        let stored = self
            .db
            .catalogue()
            .procedure(&intake.procedure_code)
            .await?
            .ok_or_else(|| {
                DbError::invalid(
                    "procedure_code",
                    format!("không có thủ tục mã “{}”", intake.procedure_code),
                )
            })?;
        let procedure = &stored.procedure;
        let checked = check_intake(intake, procedure).map_err(DbError::Invalid)?;

        let mut levels = std::collections::HashMap::new();
        for code in &procedure.agencies {
            if let Some(a) = self.db.agencies().agency_by_code(code.as_str()).await? {
                levels.insert(code.as_str().to_string(), a.level);
            }
        }
        let competent_code = choose_competent(&receiving.code, &procedure.agencies, |c| {
            levels.get(c.as_str()).copied()
        })
        .map(|c| c.as_str().to_string())
        .ok_or_else(|| DbError::invalid("procedure_code", "thủ tục chưa có cơ quan thực hiện"))?;
        let mut ids = std::collections::HashMap::new();
        for code in std::iter::once(competent_code.clone()).chain(
            procedure.workflow.iter().filter_map(|s| match &s.agency {
                StepAgency::Agency(c) => Some(c.as_str().to_string()),
                _ => None,
            }),
        ) {
            if let Some(a) = self.db.agencies().agency_by_code(&code).await? {
                ids.insert(code, a.id);
            }
        }
        let state = initial_state(&checked, procedure, now, calendar, |agency| match agency {
            StepAgency::Receiving => Ok(receiving.id),
            StepAgency::Competent => ids
                .get(&competent_code)
                .copied()
                .ok_or_else(|| FieldError::new("agency", "không tìm thấy cơ quan thực hiện")),
            StepAgency::Agency(code) => ids
                .get(code.as_str())
                .copied()
                .ok_or_else(|| FieldError::new("agency", format!("không có cơ quan mã “{code}”"))),
        })
        .map_err(DbError::Invalid)?;
        let mut state = state;
        let mut files = extras.files.clone();
        super::documents::describe(
            &mut files,
            &checked.intake.applicant,
            procedure,
            &checked.intake.case_code,
        );
        if extras
            .files
            .iter()
            .any(|f| f.purpose == crate::files::Purpose::Scan)
        {
            state.note_scanned(now);
        }

        let local_day = now.with_timezone(&vietnam_offset()).date_naive();
        let day_key = crate::days::day_key(local_day);
        let secret = crate::random_token(8)?;
        let at = now.timestamp();
        let applicant_json = serde_json::to_string(&checked.intake.applicant)?;
        let components_json = serde_json::to_string(&checked.intake.components)?;
        let state_json = serde_json::to_string(&state)?;
        let channel = stored_enum(&checked.intake.channel)?;
        let return_method = stored_enum(&checked.intake.return_method)?;
        let due = state.due.map(|d| d.timestamp());
        let events: Vec<Event> = if state.status == motcua_domain::dossier::Status::Accepted {
            vec![Event::Received]
        } else {
            Vec::new()
        };
        let receiving_code = motcua_domain::agency::AgencyCode::parse(&receiving.code)
            .map_err(|e| DbError::Corrupt(e.to_string()))?;

        let actor_id = actor.staff_id();
        let actor_kind = actor_kind(actor);
        let actor_label = actor_label(actor);
        let procedure_code = procedure.code.as_str().to_string();
        let procedure_name = procedure.name.clone();
        let senders = self
            .db
            .outbox()
            .senders(&state, &events, &checked.intake.applicant)
            .await?;
        // Integrators hear of every new dossier (its status set) and of what the citizen is told.
        let raised = motcua_domain::webhook::raised(&events, true);
        let subscribers = self.db.outbox().subscribers().await?;
        let at_text = now.to_rfc3339();
        let due_text = state.due.map(|d| d.to_rfc3339());
        let version_id = stored.version_id;
        let audit_detail = serde_json::json!({
            "procedure": procedure_code,
            "version": stored.version,
            "channel": channel,
            "status": state.status.code(),
        });
        let receiving_id = receiving.id;
        let reused = files.iter().any(|f| f.reuses.is_some());
        let stat_rows = crate::counters::intake_rows(
            &state,
            &procedure_code,
            &procedure.field.code,
            checked.intake.channel,
            &checked.intake.components,
            checked.intake.return_method,
            checked.fee_vnd,
            reused,
        );
        // The record as it will read back, built before the write takes its inputs.
        let mut record = DossierRecord {
            id: 0,
            code: String::new(),
            lookup_secret: secret.clone(),
            procedure_version_id: version_id,
            procedure_code: procedure_code.clone(),
            case_code: checked.intake.case_code.clone(),
            receiving_agency_id: receiving.id,
            current_agency_id: state.current_agency,
            channel: checked.intake.channel,
            status: state.status,
            step: 0,
            assignee_id: None,
            applicant: checked.intake.applicant.clone(),
            components: checked.intake.components.clone(),
            return_method: checked.intake.return_method,
            fee_vnd: checked.fee_vnd,
            summary: checked.summary.clone(),
            received_at: super::instant(at)?,
            due_at: state.due,
            finished_at: None,
            outcome: None,
            apologised: false,
            state: state.clone(),
            version: 1,
            updated_at: super::instant(at)?,
            citizen_id: extras.citizen_id,
            portal_synced: false,
            paid_online: false,
            reused,
        };
        let uploaded_by = match actor {
            Actor::Staff { id, .. } => format!("staff:{id}"),
            Actor::Citizen { .. } => extras
                .citizen_id
                .map_or_else(|| "citizen".to_string(), |c| format!("citizen:{c}")),
            Actor::Gateway => "gateway".to_string(),
        };
        // Files to attach and a portal code to check read back what they write, which sends
        // what is held: the dossier's row then goes first under a placeholder code, and its
        // code is set with the number at the end.
        let row_first = !files.is_empty() || extras.portal_code.is_some();
        let prefix = DossierCode::prefix(&receiving_code, local_day);
        let (id, code): (i64, String) = grouped_write!(self.db, conn => {
            // The day's number is gapless: its counter row stays locked from the moment an
            // intake takes it until the commit, so intakes at the same counter take turns
            // there. SQLite has one writer and numbers first. PostgreSQL takes the dossier's
            // id first and holds every write back; the code is written as a stand-in, and
            // the number is taken in the one statement that then sends them all, each
            // stand-in replaced by it: the counter row is locked for the end of that
            // statement and the commit only.
            let pre_id = if conn.is_sqlite() {
                None
            } else {
                Some(conn.int(NEXT_ID, &[]).await?)
            };
            let (code, stand_in) = if pre_id.is_some() {
                // Digits only: nothing on the way (upper-casing, escaping) can change it.
                let stand_in: String = std::iter::once('~')
                    .chain(crate::random_token(16)?.bytes().map(|b| char::from(b'0' + b % 10)))
                    .collect();
                conn.await_text(&stand_in)?;
                (format!("{prefix}{stand_in}"), Some(stand_in))
            } else {
                let code = next_code(conn, receiving_id, day_key, &receiving_code, local_day).await?;
                (code.to_string(), None)
            };
            // A unique placeholder only where the row goes first.
            let placeholder;
            let row_code: &str = if pre_id.is_some() && row_first {
                placeholder = format!("~{}", crate::random_token(16)?);
                &placeholder
            } else {
                &code
            };
            let values = args![
                pre_id,
                row_code,
                &secret,
                version_id,
                &procedure_code,
                &checked.intake.case_code,
                receiving_id,
                state.current_agency,
                &channel,
                i64::from(state.status.code()),
                &checked.intake.applicant.name,
                &applicant_json,
                &components_json,
                &return_method,
                checked.fee_vnd,
                &checked.summary,
                at,
                due,
                due.unwrap_or(NO_DUE),
                state.step_due.map(|d| d.timestamp()),
                &state_json,
                extras.citizen_id,
                state.waiting_role().map(|r| r.as_str()),
                i64::from(reused),
                i64::from(extras.verified_identity),
            ];
            let id = match pre_id {
                Some(id) if row_first => {
                    conn.execute(INSERT, values).await?;
                    id
                }
                Some(id) => {
                    conn.write(INSERT, values).await?;
                    id
                }
                None => conn.insert(INSERT, values).await?,
            };
            for file in &files {
                crate::files::attach(conn, id, file, &uploaded_by, at).await?;
            }
            conn.write(INSERT_HISTORY, args![
                id,
                if state.status == motcua_domain::dossier::Status::Accepted { "receive" } else { "submit" },
                actor_id,
                actor_kind,
                None::<i64>,
                i64::from(state.status.code()),
                None::<i64>,
                0i64,
                state.current_agency,
                None::<&str>,
                state.step_due.map(|d| d.timestamp()),
                None::<&str>,
                at,
            ]).await?;
            crate::portal::touch(conn, id, at).await?;
            if let Some(portal_code) = &extras.portal_code {
                let added = conn
                    .execute(
                        "INSERT INTO portal_inbound (portal_code, dossier_id, received_at)
                         VALUES ($1, $2, $3) ON CONFLICT (portal_code) DO NOTHING",
                        args![portal_code, id, at],
                    )
                    .await?;
                if added == 0 {
                    return Err(DbError::AlreadyReceived(portal_code.clone()));
                }
            }
            crate::counters::upsert(conn, &stat_rows).await?;
            if pre_id.is_some() && row_first {
                // Held with the rest: the one held statement touching the dossier's row.
                conn.write("UPDATE dossiers SET code = $1 WHERE id = $2", args![code.as_str(), id])
                    .await?;
            }
            super::search::write_terms(conn, id, code.as_str(), &checked.intake.applicant).await?;
            crate::audit::append(conn, AuditInput {
                at,
                actor: actor_label,
                action: "intake".into(),
                entity: "dossier",
                entity_id: code.to_string(),
                detail: audit_detail,
            }).await?;
            let about = About {
                applicant: &checked.intake.applicant,
                code: code.as_str(),
                secret: &secret,
                procedure_name: &procedure_name,
                state: &state,
                return_method: checked.intake.return_method,
                senders: &senders,
            };
            for message in messages_for(&events, &about)? {
                crate::outbox::insert(conn, id, message, at).await?;
            }
            let happened = motcua_domain::webhook::Happened {
                event: "",
                action: "intake",
                at: &at_text,
                dossier_id: id,
                code: code.as_str(),
                procedure_code: &procedure_code,
                from_status: None,
                to_status: state.status,
                agency_code: &competent_code,
                due_at: due_text.as_deref(),
            };
            for delivery in crate::outbox::webhooks::deliveries(&subscribers, &raised, &happened) {
                crate::outbox::insert(conn, id, delivery, at).await?;
            }
            if stand_in.is_none() {
                return Ok((id, code));
            }
            let digits = i64::try_from(DossierCode::SEQUENCE_DIGITS)
                .map_err(|_| DbError::Internal("số chữ số của số thứ tự".into()))?;
            let (seq, text) = conn
                .send_with(NUMBER_LAST, args![receiving_id, day_key, digits])
                .await?;
            let numbered = DossierCode::new(
                &receiving_code,
                local_day,
                u32::try_from(seq)
                    .map_err(|_| DbError::Internal("số thứ tự hồ sơ vượt giới hạn".into()))?,
            )
            .map_err(|e| DbError::Invalid(vec![e]))?;
            // The statement wrote the code the domain makes, or nothing is kept.
            if numbered.as_str() != format!("{prefix}{text}") {
                return Err(DbError::Internal(format!(
                    "mã hồ sơ ghi ra “{prefix}{text}” khác mã “{numbered}”"
                )));
            }
            Ok((id, numbered.to_string()))
        })?;
        record.id = id;
        record.code = code;
        Ok(record)
    }
}

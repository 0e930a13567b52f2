//! Chuyển trạng thái — one transition: authorize, apply the domain rules, and write the new
//! state with its history row, audit entry and outbox messages in one transaction. A write
//! naming a version other than the stored one is a conflict.

use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::dossier::{Action, Actor, apply};
use serde::{Deserialize, Serialize};

use super::intake::{INSERT_HISTORY, actor_kind, actor_label};
use super::{DossierRecord, NO_DUE, stored_enum};
use crate::DbError;
use crate::audit::AuditInput;
use crate::files::NewAttachment;
use crate::outbox::{About, messages_for};

/// A requested transition: the dossier, the version the actor saw, and the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionRequest {
    pub dossier_id: i64,
    pub expected_version: i64,
    #[serde(flatten)]
    pub action: Action,
}

/// Who is acting, before their roles over the dossier's agency are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorRef {
    Staff(i64),
    /// A payment gateway's verified proof of payment.
    Gateway,
    /// A citizen; `owner` when their account filed the dossier.
    Citizen {
        owner: bool,
    },
}

const UPDATE: &str = "UPDATE dossiers SET status = $1, step = $2, current_agency_id = $3,
    assignee_id = $4, due_at = $5, sort_due = $6, step_due_at = $7, finished_at = $8, outcome = $9,
    apologised = $10, state = $11, version = version + 1, updated_at = $12, step_role = $15
    WHERE id = $13 AND version = $14";

impl super::Dossiers<'_> {
    /// Applies `request` for `who` at `now`.
    pub async fn transition(
        self,
        request: &TransitionRequest,
        who: ActorRef,
        calendar: &WorkCalendar,
        now: Instant,
    ) -> Result<DossierRecord, DbError> {
        self.transition_with(request, who, calendar, now, &[]).await
    }

    /// [`Dossiers::transition`] that also attaches `files` (stored already) in the same
    /// transaction, e.g. a supplement's documents or the result.
    pub async fn transition_with(
        self,
        request: &TransitionRequest,
        who: ActorRef,
        calendar: &WorkCalendar,
        now: Instant,
        files: &[NewAttachment],
    ) -> Result<DossierRecord, DbError> {
        self.transition_settling(request, who, calendar, now, files, None)
            .await
    }

    /// [`Dossiers::transition_with`] that also marks payment `settle` paid in the same
    /// transaction; a payment no longer pending makes it fail as a conflict.
    pub(crate) async fn transition_settling(
        self,
        request: &TransitionRequest,
        who: ActorRef,
        calendar: &WorkCalendar,
        now: Instant,
        files: &[NewAttachment],
        settle: Option<super::settle::Settle>,
    ) -> Result<DossierRecord, DbError> {
        let dossier = self
            .dossier(request.dossier_id)
            .await?
            .ok_or(DbError::NotFound("hồ sơ"))?;
        if dossier.version != request.expected_version {
            return Err(DbError::Conflict {
                current: dossier.version,
            });
        }
        let actor = match who {
            ActorRef::Staff(id) => {
                let agency = request.action.authorizing_agency(&dossier.state);
                Actor::Staff {
                    id,
                    roles: self.db.people().roles_over(id, agency).await?,
                }
            }
            ActorRef::Citizen { owner } => Actor::Citizen { owner },
            ActorRef::Gateway => Actor::Gateway,
        };
        let uploaded_by = actor_label(&actor);
        let files = files.to_vec();
        if let Action::Assign { staff_id } = &request.action
            && self
                .db
                .people()
                .roles_over(*staff_id, dossier.current_agency_id)
                .await?
                .is_empty()
        {
            return Err(DbError::invalid(
                "staff_id",
                "cán bộ được phân công không thuộc cơ quan đang xử lý hồ sơ",
            ));
        }
        let effect = apply(&dossier.state, &actor, &request.action, now, calendar)?;
        let state = &effect.state;
        let version = self
            .db
            .catalogue()
            .procedure_version(dossier.procedure_version_id)
            .await?;
        let procedure_name = version
            .as_ref()
            .map(|p| p.procedure.name.clone())
            .unwrap_or_default();
        let mut files = files;
        if let Some(v) = &version {
            super::documents::describe(
                &mut files,
                &dossier.applicant,
                &v.procedure,
                &dossier.case_code,
            );
        }
        let senders = self
            .db
            .outbox()
            .senders(state, &effect.events, &dossier.applicant)
            .await?;
        let mut messages = messages_for(
            &effect.events,
            &About {
                applicant: &dossier.applicant,
                code: &dossier.code,
                secret: &dossier.lookup_secret,
                procedure_name: &procedure_name,
                state,
                return_method: dossier.return_method,
                senders: &senders,
            },
        )?;
        let raised = motcua_domain::webhook::raised(&effect.events, state.status != dossier.status);
        let subscribers = self.db.outbox().subscribers().await?;
        let heard = subscribers.iter().any(|(_, events)| {
            raised
                .iter()
                .any(|e| motcua_domain::webhook::wants(events, e))
        });
        if heard {
            let agency_code = self
                .db
                .agencies()
                .agency(state.competent_agency())
                .await?
                .map(|a| a.code)
                .unwrap_or_default();
            let at_text = now.to_rfc3339();
            let due_text = state.due.map(|d| d.to_rfc3339());
            messages.extend(crate::outbox::webhooks::deliveries(
                &subscribers,
                &raised,
                &motcua_domain::webhook::Happened {
                    event: "",
                    action: request.action.name(),
                    at: &at_text,
                    dossier_id: dossier.id,
                    code: &dossier.code,
                    procedure_code: &dossier.procedure_code,
                    from_status: Some(dossier.status),
                    to_status: state.status,
                    agency_code: &agency_code,
                    due_at: due_text.as_deref(),
                },
            ));
        }
        let at = now.timestamp();
        let due = state.due.map(|d| d.timestamp());
        let outcome = state.outcome.as_ref().map(stored_enum).transpose()?;
        let step_outcome = effect.step_outcome.as_ref().map(stored_enum).transpose()?;
        let state_json = serde_json::to_string(state)?;
        let step = i64::try_from(state.step).map_err(|_| DbError::Internal("bước".into()))?;
        let from_step =
            i64::try_from(dossier.state.step).map_err(|_| DbError::Internal("bước".into()))?;
        let note = request
            .action
            .note()
            .map(|n| motcua_domain::text::nfc(n.trim()));
        let status_code = i64::from(state.status.code());
        let current_agency = state.current_agency;
        let assignee = state.assignee;
        let step_due = state.step_due.map(|d| d.timestamp());
        let finished = state.finished_at.map(|d| d.timestamp());
        let apologised = i64::from(state.apologised());
        let step_role = state.waiting_role().map(|r| r.as_str());
        let dossier_id = dossier.id;
        let expected = request.expected_version;
        let action_name = request.action.name();
        let actor_id = actor.staff_id();
        let kind = actor_kind(&actor);
        let from_status = i64::from(dossier.status.code());
        let from_agency = dossier.current_agency_id;
        let old_step_due = dossier.state.step_due.map(|d| d.timestamp());
        let field_code = self
            .db
            .catalogue()
            .procedure_version(dossier.procedure_version_id)
            .await?
            .map(|p| p.procedure.field.code.clone())
            .unwrap_or_default();
        let stat_rows = crate::counters::transition_rows(
            dossier.counted(),
            &dossier.state,
            state,
            &field_code,
            settle
                .as_ref()
                .is_some_and(super::settle::Settle::is_online),
        );
        let audit = AuditInput {
            at,
            actor: actor_label(&actor),
            action: action_name.to_string(),
            entity: "dossier",
            entity_id: dossier.code.clone(),
            detail: serde_json::json!({
                "from": dossier.status.code(),
                "to": state.status.code(),
                "version": dossier.version + 1,
            }),
        };
        let changed_code = dossier.code.clone();
        let written: Result<(), DbError> = grouped_write!(self.db, conn => {
            let updated = conn.execute(UPDATE, args![
                status_code,
                step,
                current_agency,
                assignee,
                due,
                due.unwrap_or(NO_DUE),
                step_due,
                finished,
                &outcome,
                apologised,
                &state_json,
                at,
                dossier_id,
                expected,
                step_role,
            ]).await?;
            if updated != 1 {
                return Err(DbError::Conflict { current: expected });
            }
            crate::views::changed(conn, &changed_code)?;
            conn.write(INSERT_HISTORY, args![
                dossier_id,
                action_name,
                actor_id,
                kind,
                from_status,
                status_code,
                from_step,
                step,
                from_agency,
                &note,
                old_step_due,
                &step_outcome,
                at,
            ]).await?;
            for file in &files {
                crate::files::attach(conn, dossier_id, file, &uploaded_by, at).await?;
            }
            if let Some(settle) = &settle {
                super::settle::settle(conn, settle).await?;
            }
            crate::audit::append(conn, audit).await?;
            crate::counters::upsert(conn, &stat_rows).await?;
            for message in messages {
                crate::outbox::insert(conn, dossier_id, message, at).await?;
            }
            crate::portal::touch(conn, dossier_id, at).await?;
            Ok(())
        });
        if let Err(DbError::Conflict { .. }) = written {
            let current = self
                .dossier(dossier.id)
                .await?
                .map_or(dossier.version, |d| d.version);
            return Err(DbError::Conflict { current });
        }
        written?;
        let state = effect.state;
        Ok(DossierRecord {
            status: state.status,
            step,
            current_agency_id: state.current_agency,
            assignee_id: state.assignee,
            due_at: state.due,
            finished_at: state.finished_at,
            outcome: state.outcome,
            apologised: state.apologised(),
            version: dossier.version + 1,
            updated_at: super::instant(at)?,
            state,
            ..dossier
        })
    }
}

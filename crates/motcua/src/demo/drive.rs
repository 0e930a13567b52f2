//! Chạy hồ sơ — driving one demo dossier from intake to where its plan ends, each action at a
//! plausible working time and by someone who may take it, through the same storage calls
//! staff and citizens use. A refused transition is a generator bug and stops the seed.

use anyhow::Context;
use motcua_db::{ActorRef, Db, DossierRecord, TransitionRequest};
use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::catalogue::{Channel, Procedure};
use motcua_domain::dossier::{Action, Actor, ReturnMethod, Status};

use super::forms;
use super::plan::{End, Plan, SupplementAt, WithdrawAt};
use super::rng::Rng;
use super::staff::Directory;
use super::texts;

pub(super) const MINUTE: i64 = 60;
pub(super) const HOUR: i64 = 3600;

/// What every dossier's run shares.
pub(crate) struct World<'a> {
    pub db: &'a Db,
    pub calendar: &'a WorkCalendar,
    pub directory: &'a Directory,
    pub procedures: &'a [Procedure],
    /// Nothing happens after this instant (17:00 on the demo's day): what would is left
    /// undone, and the dossier stays where it is.
    pub now_limit: Instant,
    /// The demo citizen's account, which files some of the online dossiers.
    pub citizen: Option<i64>,
}

/// Who takes an action.
pub(super) enum Who {
    /// Someone holding the first of these roles (that anyone holds) over the agency the
    /// action concerns.
    Roles(Vec<Role>),
    Staff(i64),
    /// The applicant, from their own account.
    Citizen,
}

pub(super) fn counter() -> Who {
    Who::Roles(vec![Role::CounterOfficer])
}

pub(super) fn leader() -> Who {
    Who::Roles(vec![Role::AgencyLeader, Role::UnitLeader])
}

/// One dossier being driven.
pub(super) struct Run<'a> {
    pub(super) world: &'a World<'a>,
    pub(super) plan: &'a Plan,
    pub(super) procedure: &'a Procedure,
    pub(super) rec: DossierRecord,
    /// When the last action happened.
    pub(super) cursor: Instant,
    pub(super) rng: Rng,
    /// Set once an action would fall after `now_limit`.
    pub(super) frozen: bool,
    /// The planned apology has not been made yet.
    pub(super) apology_pending: bool,
    /// Processing has started: the apology may now be needed before any action.
    pub(super) armed: bool,
    /// Working seconds spent waiting for the citizen's payment.
    pub(super) paused: i64,
}

/// Receives the dossier of `plan` and drives it; returns the record as it ends.
pub(crate) async fn run(world: &World<'_>, plan: &Plan) -> anyhow::Result<DossierRecord> {
    let procedure = world
        .procedures
        .get(plan.procedure)
        .context("kế hoạch trỏ tới thủ tục không có trong danh mục")?;
    let mut rng = Rng::new(plan.seed);
    let intake = forms::intake(plan, procedure, &mut rng)?;
    let receiving = world.directory.agency_id(plan.receiving)?;
    let actor = match plan.channel {
        Channel::Online => Actor::Citizen { owner: true },
        Channel::Counter | Channel::Post => Actor::Staff {
            id: world
                .directory
                .need(&[Role::CounterOfficer], receiving, &mut rng)?,
            roles: vec![Role::CounterOfficer],
        },
    };
    // One online dossier in ten is the demo citizen's, so their account has a history.
    let owner = world
        .citizen
        .filter(|_| plan.channel == Channel::Online && plan.seed.is_multiple_of(10));
    // Filed by the demo citizen for themself.
    let mut intake = intake;
    if owner.is_some() {
        intake.applicant.kind = motcua_domain::dossier::ApplicantKind::Person;
        intake.applicant.name = super::DEMO_CITIZEN_NAME.into();
        intake.applicant.id_number = Some(super::DEMO_CITIZEN_ID.into());
        intake.applicant.tax_code = None;
        intake.applicant.phone = Some(super::DEMO_CITIZEN_PHONE.into());
    }
    let rec = world
        .db
        .dossiers()
        .intake_with(
            intake,
            plan.receiving,
            &actor,
            world.calendar,
            plan.received,
            motcua_db::IntakeExtras {
                citizen_id: owner,
                files: Vec::new(),
                portal_code: None,
                verified_identity: false,
            },
        )
        .await
        .with_context(|| {
            format!(
                "tiếp nhận hồ sơ thủ tục {} tại {} lúc {}",
                procedure.code, plan.receiving, plan.received
            )
        })?;
    let mut run = Run {
        world,
        plan,
        procedure,
        rec,
        cursor: plan.received,
        rng,
        frozen: false,
        apology_pending: plan.apology.is_some(),
        armed: false,
        paused: 0,
    };
    run.script().await?;
    Ok(run.rec)
}

impl Run<'_> {
    pub(super) fn day(&self) -> i64 {
        self.world.calendar.day_seconds()
    }

    /// The working instant `secs` of working time after `from`.
    pub(super) fn later(&self, from: Instant, secs: i64) -> anyhow::Result<Instant> {
        Ok(self.world.calendar.add_working_seconds(from, secs.max(0))?)
    }

    /// A working instant between `lo` and `hi` working seconds after the last action.
    pub(super) fn after(&mut self, lo: i64, hi: i64) -> anyhow::Result<Instant> {
        let wait = self.rng.range(lo, hi);
        self.later(self.cursor, wait)
    }

    pub(super) fn between(&self, from: Instant, to: Instant) -> anyhow::Result<i64> {
        Ok(self.world.calendar.working_seconds_between(from, to)?)
    }

    pub(super) fn pick(&mut self, texts: &[&str]) -> String {
        self.rng.pick(texts).to_string()
    }

    /// Takes `action` at `at` (or just after the previous action, if later), first making the
    /// planned apology if the appointment is less than a working day away. False when the
    /// demo's day ended first.
    pub(super) async fn act(
        &mut self,
        at: Instant,
        who: Who,
        action: Action,
    ) -> anyhow::Result<bool> {
        let may_apologise = matches!(
            self.rec.status,
            Status::Accepted | Status::Processing | Status::AwaitingPayment
        );
        if self.armed
            && self.apology_pending
            && may_apologise
            && !self.frozen
            && let Some(due) = self.rec.state.due
            && self.between(at.max(self.cursor), due)? <= self.day()
        {
            self.apologise(due).await?;
        }
        self.transition(at, who, action).await
    }

    /// Takes `action` without looking at the apology.
    pub(super) async fn transition(
        &mut self,
        at: Instant,
        who: Who,
        action: Action,
    ) -> anyhow::Result<bool> {
        if self.frozen {
            return Ok(false);
        }
        // Never at the same time as the previous action: a few minutes after it at least.
        let at = if at > self.cursor {
            at
        } else {
            self.after(3 * MINUTE, 25 * MINUTE)?
        };
        if at > self.world.now_limit {
            self.frozen = true;
            return Ok(false);
        }
        let actor = match who {
            Who::Citizen => ActorRef::Citizen { owner: true },
            Who::Staff(id) => ActorRef::Staff(id),
            Who::Roles(roles) => {
                let agency = action.authorizing_agency(&self.rec.state);
                ActorRef::Staff(self.world.directory.need(&roles, agency, &mut self.rng)?)
            }
        };
        let what = format!(
            "hồ sơ {} (thủ tục {}, trạng thái {}): thao tác “{}” lúc {at} bị từ chối — lỗi của \
             bộ tạo dữ liệu mẫu",
            self.rec.code,
            self.rec.procedure_code,
            self.rec.status.code(),
            action.name()
        );
        let request = TransitionRequest {
            dossier_id: self.rec.id,
            expected_version: self.rec.version,
            action,
        };
        self.rec = self
            .world
            .db
            .dossiers()
            .transition(&request, actor, self.world.calendar, at)
            .await
            .context(what)?;
        self.cursor = at;
        Ok(true)
    }

    /// The applicant pays the obligation asked for: through the gateway for most online
    /// dossiers (the gateway's proof settles it), otherwise at the counter with a receipt.
    pub(super) async fn pay(&mut self, at: Instant) -> anyhow::Result<bool> {
        if self.frozen {
            return Ok(false);
        }
        let at = if at > self.cursor {
            at
        } else {
            self.after(3 * MINUTE, 25 * MINUTE)?
        };
        if at > self.world.now_limit {
            self.frozen = true;
            return Ok(false);
        }
        let what = format!(
            "hồ sơ {}: ghi nhận nộp phí lúc {at} bị từ chối — lỗi của bộ tạo dữ liệu mẫu",
            self.rec.code
        );
        let payments = self.world.db.payments();
        let online = self.plan.channel == Channel::Online || self.rng.chance(25);
        if online {
            let opened = payments
                .open(&self.rec, "vnpay", "citizen", at.timestamp())
                .await
                .context(what.clone())?;
            let proof = motcua_db::Proof {
                reference: opened.reference.clone(),
                amount_vnd: opened.amount_vnd,
                paid: true,
                code: "00/00".into(),
                gateway_txn: (14_000_000 + opened.id).to_string(),
                bank_code: "NCB".into(),
            };
            let settled = payments
                .settle_by_proof("vnpay", &proof, self.world.calendar, at)
                .await
                .context(what.clone())?;
            if !matches!(settled, motcua_db::Settled::Confirmed(_)) {
                anyhow::bail!("{what}: {settled:?}");
            }
        } else {
            let staff = self.world.directory.need(
                &motcua_domain::payment::RECORDING_ROLES,
                self.rec.current_agency_id,
                &mut self.rng,
            )?;
            let receipt = format!("BL-{:06}", self.rng.range(1, 999_999));
            payments
                .record_at_counter(
                    &self.rec,
                    self.rec.version,
                    motcua_domain::payment::PaymentMethod::Cash,
                    &receipt,
                    staff,
                    self.world.calendar,
                    at,
                )
                .await
                .context(what.clone())?;
        }
        self.rec = self
            .world
            .db
            .dossiers()
            .dossier(self.rec.id)
            .await?
            .context(what)?;
        self.cursor = at;
        Ok(true)
    }

    /// An online payment begun and not finished (the citizen left the gateway's page).
    pub(super) async fn abandoned_payment(&mut self) -> anyhow::Result<()> {
        let at = self.cursor + chrono::Duration::minutes(self.rng.range(20, 180));
        if at <= self.world.now_limit {
            self.world
                .db
                .payments()
                .open(&self.rec, "vnpay", "citizen", at.timestamp())
                .await?;
        }
        Ok(())
    }

    fn withdrawal(&mut self) -> Action {
        let reason = self.rng.chance(70).then(|| self.pick(&texts::WITHDRAW));
        Action::Withdraw { reason }
    }

    async fn script(&mut self) -> anyhow::Result<()> {
        let end = self.plan.end;
        if end == End::Submitted {
            return Ok(());
        }
        if self.rec.status == Status::Submitted {
            let wait = match self.plan.channel {
                Channel::Post => self.rng.range(2 * HOUR, 10 * HOUR),
                _ => self.rng.range(20 * MINUTE, 6 * HOUR),
            };
            let at = self.later(self.cursor, wait)?;
            let stop = match end {
                End::Refused => {
                    let reason = self.pick(&texts::REFUSE);
                    self.act(at, counter(), Action::RefuseIntake { reason })
                        .await?;
                    true
                }
                End::Withdrawn(WithdrawAt::BeforeAcceptance) => {
                    let action = self.withdrawal();
                    self.act(at, Who::Citizen, action).await?;
                    true
                }
                _ => !self.act(at, counter(), Action::Accept).await?,
            };
            if stop {
                return Ok(());
            }
        }
        if end == End::Accepted {
            return Ok(());
        }
        if self.plan.supplement == Some(SupplementAt::Counter) {
            let at = self.after(10 * MINUTE, 90 * MINUTE)?;
            if !self.supplement(at, vec![Role::CounterOfficer]).await? {
                return Ok(());
            }
        }
        if !self.process().await? || end == End::ResultReady {
            return Ok(());
        }
        self.hand_over().await?;
        Ok(())
    }

    /// Asks for the supplement at `at`, then lets the citizen answer (or not, as planned).
    /// True when the supplement arrived and processing goes on.
    pub(super) async fn supplement(
        &mut self,
        at: Instant,
        roles: Vec<Role>,
    ) -> anyhow::Result<bool> {
        let missing = vec![forms::missing_document(
            self.procedure,
            &self.plan.case,
            &mut self.rng,
        )];
        let reason = self.pick(&texts::SUPPLEMENT);
        let asked = Action::RequestSupplement { missing, reason };
        if !self.act(at, Who::Roles(roles), asked).await? {
            return Ok(false);
        }
        let day = self.day();
        match self.plan.end {
            End::AwaitingSupplement => return Ok(false),
            End::Withdrawn(WithdrawAt::InSupplement) => {
                let at = self.after(day, 5 * day)?;
                let action = self.withdrawal();
                self.act(at, Who::Citizen, action).await?;
                return Ok(false);
            }
            End::Stopped => {
                let at = self.after(15 * day, 22 * day)?;
                let reason = self.pick(&texts::STOP);
                self.act(at, leader(), Action::Stop { reason }).await?;
                return Ok(false);
            }
            _ => {}
        }
        let wait = self.rng.range(day, 10 * day) + self.rng.range(0, 6 * HOUR);
        let at = self.later(self.cursor, wait)?;
        // The citizen brings the documents to the counter; where the dossier sits at a
        // department, which has no counter officer, its unit leader records them.
        let receiver = Who::Roles(vec![
            Role::CounterOfficer,
            Role::UnitLeader,
            Role::AgencyLeader,
        ]);
        let note = Some(texts::RECEIVE_SUPPLEMENT.to_string());
        self.act(at, receiver, Action::ReceiveSupplement { note })
            .await
    }

    /// Hands the result back the way the applicant chose.
    async fn hand_over(&mut self) -> anyhow::Result<bool> {
        let method = self.rec.return_method;
        let day = self.day();
        let delay = match method {
            ReturnMethod::Online => self.rng.range(5 * MINUTE, HOUR),
            ReturnMethod::Post => self.rng.range(HOUR, 8 * HOUR),
            ReturnMethod::InPerson if self.rng.chance(75) => self.rng.range(30 * MINUTE, 2 * day),
            ReturnMethod::InPerson => self.rng.range(2 * day, 8 * day),
        };
        let tracking =
            (method == ReturnMethod::Post).then(|| format!("EB{}VN", self.rng.digits(9)));
        let at = self.later(self.cursor, delay)?;
        self.act(at, counter(), Action::Return { method, tracking })
            .await
    }
}

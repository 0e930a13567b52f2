//! Xử lý hồ sơ — the workflow part of a demo dossier's run: each step takes its share of the
//! time the plan allows, and the specialist step carries the detours (assignment,
//! consultation, appraisal, payment, rejection) and, when due, the apology.

use anyhow::bail;
use motcua_domain::agency::Role;
use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{Action, Status};

use super::drive::{HOUR, MINUTE, Run, Who, leader};
use super::plan::{self, End, Pace, SupplementAt, WithdrawAt};
use super::{forms, texts};

/// Who may finish a step whose role is `role`: that role, or a leader of the agency.
fn step_roles(role: Role) -> Vec<Role> {
    let mut roles = vec![role, Role::UnitLeader, Role::AgencyLeader];
    roles.dedup();
    roles
}

/// Consulted agencies by field, before the fallbacks.
fn consulted_for(field: &str) -> &'static [&'static str] {
    match field {
        "ho-tich" | "chung-thuc" | "nuoi-con-nuoi" | "luat-su" => &["000.00.03.H56"],
        "dat-dai" | "hoat-dong-xay-dung" | "thu-y" | "trong-trot-va-bao-ve-thuc-vat" => {
            &["000.00.13.H56"]
        }
        "viec-lam" | "bao-tro-xa-hoi" | "nguoi-co-cong" | "tin-nguong-ton-giao" => {
            &["000.00.09.H56"]
        }
        _ => &[],
    }
}

impl Run<'_> {
    /// When the plan wants the result approved, given the current appointment.
    fn target(&self) -> anyhow::Result<Instant> {
        let state = &self.rec.state;
        let (Some(start), Some(due)) = (state.clock_start, state.due) else {
            return Ok(self.cursor);
        };
        if let Some(a) = self.plan.apology {
            let base = state.apology.as_ref().map_or(due, |x| x.previous_due);
            return self.later(base, a.extra_days * self.day() * a.per_mille / 1000);
        }
        // Waiting for the citizen's payment moved the appointment; it moves the plan too.
        let allowed = (self.between(start, due)? - self.paused).max(0);
        match self.plan.pace {
            Pace::Early(per_mille) => self.later(start, allowed * per_mille / 1000 + self.paused),
            Pace::OnTime(margin) => self.later(start, allowed - margin),
            Pace::Late(extra) => self.later(due, extra),
        }
    }

    /// The specialist of this step: the assignee when there is one.
    fn specialist(&self) -> Who {
        match self.rec.state.assignee {
            Some(id) => Who::Staff(id),
            None => Who::Roles(step_roles(Role::Specialist)),
        }
    }

    /// Runs the workflow from the current step to approval. True when the result is ready.
    pub(super) async fn process(&mut self) -> anyhow::Result<bool> {
        let spec = plan::specialist_step(self.procedure);
        let end = self.plan.end;
        let mut supplement = self.plan.supplement == Some(SupplementAt::Specialist);
        let mut assign = self.plan.assign;
        let mut consult = self.plan.consult;
        let mut payment = self.plan.payment;
        let mut appraise = self.plan.appraise || end == End::Rejected;
        self.armed = true;
        loop {
            if self.frozen || !matches!(self.rec.status, Status::Accepted | Status::Processing) {
                return Ok(self.rec.status == Status::ResultReady);
            }
            let step = self.rec.state.step;
            let approval = self.rec.state.approval_step();
            let hours: Vec<i64> = self
                .rec
                .state
                .steps
                .iter()
                .map(|s| i64::from(s.hours))
                .collect();
            let weight = hours
                .get(step..=approval)
                .map_or(1, |h| h.iter().sum::<i64>())
                .max(1);
            let remaining = self.between(self.cursor, self.target()?)?.max(10 * MINUTE);
            let own = hours.get(step).copied().unwrap_or(1);
            // Even a dossier behind its plan spends a little of each step's budget there.
            let floor = (own * HOUR * self.rng.range(10, 25) / 100).max(10 * MINUTE);
            let mut share = (remaining * own / weight).max(floor);
            if step == 0 {
                // The counter forwards paper the same working day, or the next morning when it
                // came after 15:00 (ND 61 art. 18), whatever the plan's pace.
                share = share.min(self.rng.range(20 * MINUTE, 6 * HOUR));
            }
            let start = self.cursor;
            if Some(step) == spec {
                if supplement {
                    supplement = false;
                    if !self.ask_supplement(start).await? {
                        return Ok(false);
                    }
                    continue;
                }
                if assign {
                    assign = false;
                    self.assign(start, share).await?;
                }
                if consult {
                    consult = false;
                    self.consult(start, share).await?;
                }
                if appraise {
                    appraise = false;
                    let note = if end == End::Rejected {
                        texts::APPRAISE_AGAINST.to_string()
                    } else {
                        self.pick(&texts::APPRAISE)
                    };
                    let at = self.later(start, share * 6 / 10)?;
                    let who = self.specialist();
                    self.act(at, who, Action::Appraise { note }).await?;
                }
                match end {
                    End::InProgress | End::Overdue => return Ok(false),
                    End::Rejected => {
                        let at = self.after(2 * HOUR, 8 * HOUR)?;
                        let reason = self.pick(&texts::REJECT);
                        self.act(at, leader(), Action::Reject { reason }).await?;
                        return Ok(false);
                    }
                    End::Withdrawn(WithdrawAt::InProcessing) => {
                        let at = self.later(start, share / 2)?;
                        let reason = Some(self.pick(&texts::WITHDRAW));
                        self.act(at, Who::Citizen, Action::Withdraw { reason })
                            .await?;
                        return Ok(false);
                    }
                    _ => {}
                }
                if payment {
                    payment = false;
                    if !self.payment(start, share).await? {
                        return Ok(false);
                    }
                }
            }
            let at = self.later(start, share)?;
            let role = self
                .rec
                .state
                .steps
                .get(step)
                .map_or(Role::Specialist, |s| s.role);
            let who = match self.rec.state.assignee {
                Some(id) => Who::Staff(id),
                None => Who::Roles(step_roles(role)),
            };
            let action = if step < approval {
                Action::Forward { note: None }
            } else {
                Action::Approve {
                    note: Some(texts::APPROVE.to_string()),
                }
            };
            if !self.act(at, who, action).await? {
                return Ok(false);
            }
        }
    }

    /// The specialist's supplement request, within three working days of the clock's start.
    async fn ask_supplement(&mut self, start: Instant) -> anyhow::Result<bool> {
        let clock = self.rec.state.clock_start.unwrap_or(self.cursor);
        let limit = self.later(clock, self.day() * 5 / 2)?;
        if limit <= self.cursor {
            bail!(
                "hồ sơ {}: hồ sơ đến bước thẩm định quá muộn để yêu cầu bổ sung trong 03 ngày \
                 làm việc (lỗi kế hoạch dữ liệu mẫu)",
                self.rec.code
            );
        }
        let wait = self.rng.range(30 * MINUTE, 6 * HOUR);
        let at = self.later(start, wait)?.min(limit);
        self.supplement(at, vec![Role::Specialist]).await
    }

    async fn assign(&mut self, start: Instant, share: i64) -> anyhow::Result<bool> {
        let agency = self.rec.state.current_agency;
        let Some(staff_id) = self
            .world
            .directory
            .pick(&[Role::Specialist], agency, &mut self.rng)
        else {
            return Ok(false);
        };
        let at = self.later(start, share / 20)?;
        let who = Who::Roles(vec![Role::UnitLeader, Role::AgencyLeader]);
        self.act(at, who, Action::Assign { staff_id }).await
    }

    /// The agency to consult: a coordinating agency of the procedure, one that fits its
    /// field, or finance / justice; never the agency itself or one above or below it.
    fn consulted_agency(&self) -> anyhow::Result<i64> {
        let current = self.rec.state.current_agency;
        let directory = self.world.directory;
        let codes = self
            .procedure
            .coordinating
            .iter()
            .map(|c| c.as_str())
            .chain(consulted_for(&self.procedure.field.code).iter().copied())
            .chain(["000.00.12.H56", "000.00.03.H56"]);
        for code in codes {
            let id = directory.agency_id(code)?;
            if !directory.related(id, current) {
                return Ok(id);
            }
        }
        bail!(
            "không tìm được cơ quan để lấy ý kiến cho hồ sơ {}",
            self.rec.code
        )
    }

    /// Asks another agency's opinion and (mostly) gets its answer.
    async fn consult(&mut self, start: Instant, share: i64) -> anyhow::Result<bool> {
        let agency_id = self.consulted_agency()?;
        let hours = self.rng.pick(&[8u32, 16, 24, 40]);
        let question = self.pick(&texts::QUESTION);
        let at = self.later(start, share / 10)?;
        let who = self.specialist();
        let asked = Action::Consult {
            agency_id,
            question,
            hours,
        };
        if !self.act(at, who, asked).await? {
            return Ok(false);
        }
        if self.plan.end == End::Overdue && self.rng.chance(50) {
            // Still waiting for the other agency: part of why it is late.
            return Ok(true);
        }
        let index = self.rec.state.consultations.len().saturating_sub(1);
        let wait = (i64::from(hours) * HOUR * self.rng.range(300, 1200) / 1000)
            .min(share / 2)
            .max(30 * MINUTE);
        let at = self.later(self.cursor, wait)?;
        let answer = self.pick(&texts::ANSWER);
        let who = Who::Roles(vec![Role::Specialist]);
        self.act(at, who, Action::AnswerConsultation { index, answer })
            .await
    }

    /// Asks for the fee and waits for the citizen to pay it (unless the plan ends waiting).
    async fn payment(&mut self, start: Instant, share: i64) -> anyhow::Result<bool> {
        let per_mille = if self.plan.end == End::AwaitingPayment {
            self.rng.range(100, 250)
        } else {
            self.rng.range(550, 800)
        };
        let at = self.later(start, share * per_mille / 1000)?;
        let amount_vnd = forms::charge(self.procedure, &self.plan.case, &mut self.rng);
        let note = Some(texts::PAYMENT.to_string());
        let who = self.specialist();
        if !self
            .act(at, who, Action::RequestPayment { amount_vnd, note })
            .await?
        {
            return Ok(false);
        }
        if self.plan.end == End::AwaitingPayment {
            if self.plan.channel == motcua_domain::catalogue::Channel::Online && self.rng.chance(40)
            {
                self.abandoned_payment().await?;
            }
            return Ok(false);
        }
        let asked = self.cursor;
        let at = self.after(2 * HOUR, 4 * self.day())?;
        let paid = self.pay(at).await?;
        if paid {
            self.paused += self.between(asked, self.cursor)?;
        }
        Ok(paid)
    }

    /// Phiếu xin lỗi: the specialist proposes a new appointment about a working day before
    /// the old one, and a leader approves it.
    pub(super) async fn apologise(&mut self, due: Instant) -> anyhow::Result<()> {
        self.apology_pending = false;
        let Some(plan) = self.plan.apology else {
            return Ok(());
        };
        let day = self.day();
        let left = self.between(self.cursor, due)?;
        let lead = left - day - self.rng.range(0, 3 * HOUR);
        let at = self.later(self.cursor, lead.max(15 * MINUTE))?;
        if at >= due {
            bail!(
                "hồ sơ {}: đã quá sát hạn trả, không còn kịp đề xuất xin lỗi trước hạn (lỗi kế \
                 hoạch dữ liệu mẫu)",
                self.rec.code
            );
        }
        let latest = self
            .rec
            .state
            .policy
            .apology_latest(self.world.calendar, due, at)?;
        let new_due = self.later(due, plan.extra_days * day)?.min(latest);
        let reason = self.pick(&texts::APOLOGY);
        let who = Who::Roles(vec![Role::Specialist]);
        if !self
            .transition(at, who, Action::ProposeApology { reason, new_due })
            .await?
        {
            return Ok(());
        }
        let gap = self.between(self.cursor, due)?;
        let wait = self.rng.range(HOUR, 4 * HOUR).min(gap / 2).max(MINUTE);
        let at = self.later(self.cursor, wait)?;
        // The head of the competent agency (or a deputy for the head), never a unit head.
        self.transition(
            at,
            Who::Roles(vec![Role::AgencyLeader]),
            Action::ApproveApology,
        )
        .await?;
        Ok(())
    }
}

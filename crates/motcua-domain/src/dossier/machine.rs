//! The dossier state machine: the one place that decides whether a transition is legal
//! and what it changes.

use super::{
    Action, Actor, Apology, Consultation, DossierState, Event, Handover, Payment, ReturnMethod,
    Status, Supplement,
};
use crate::agency::Role;
use crate::calendar::{CalendarError, Deadline, Instant, Outcome, SuspensionPolicy, WorkCalendar};
use crate::error::FieldError;

/// Why a transition was refused, in words for the person who tried it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("không thể “{action}” khi hồ sơ ở trạng thái “{status}”")]
    NotAllowed {
        action: &'static str,
        status: &'static str,
    },
    #[error("bạn không có quyền “{action}” với hồ sơ này (cần vai trò: {needed})")]
    Forbidden {
        action: &'static str,
        needed: String,
    },
    #[error("{0}")]
    Rule(String),
    #[error("{0}")]
    Invalid(FieldError),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// What a legal transition produces: the new state and what it records and announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub state: DossierState,
    /// How the step that was left compares with its deadline, when a step was left.
    pub step_outcome: Option<Outcome>,
    pub events: Vec<Event>,
}

const MAX_TEXT: usize = 4000;

fn text(field: &str, value: &str) -> Result<String, TransitionError> {
    let value = crate::text::nfc(value.trim());
    if value.is_empty() {
        return Err(TransitionError::Invalid(FieldError::new(
            field,
            "không được để trống",
        )));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(TransitionError::Invalid(FieldError::new(
            field,
            format!("dài quá {MAX_TEXT} ký tự"),
        )));
    }
    Ok(value)
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label_vi())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Applies `action` by `actor` at `now` to `state`, or says why not.
pub fn apply(
    state: &DossierState,
    actor: &Actor,
    action: &Action,
    now: Instant,
    calendar: &WorkCalendar,
) -> Result<Effect, TransitionError> {
    Machine {
        old: state,
        new: state.clone(),
        actor,
        action,
        now,
        calendar,
        step_outcome: None,
        events: Vec::new(),
    }
    .run()
}

struct Machine<'a> {
    old: &'a DossierState,
    new: DossierState,
    actor: &'a Actor,
    action: &'a Action,
    now: Instant,
    calendar: &'a WorkCalendar,
    step_outcome: Option<Outcome>,
    events: Vec<Event>,
}

impl Machine<'_> {
    fn status_in(&self, allowed: &[Status]) -> Result<(), TransitionError> {
        if allowed.contains(&self.old.status) {
            Ok(())
        } else {
            Err(TransitionError::NotAllowed {
                action: self.action.label_vi(),
                status: self.old.status.label_vi(),
            })
        }
    }

    fn require(&self, roles: &[Role]) -> Result<(), TransitionError> {
        if self.actor.has_any(roles) {
            Ok(())
        } else {
            Err(TransitionError::Forbidden {
                action: self.action.label_vi(),
                needed: roles_text(roles),
            })
        }
    }

    /// The current step's own role, or a leader; and the assignee when there is one.
    fn require_step_actor(&self) -> Result<(), TransitionError> {
        let role = self
            .old
            .current_step()
            .map_or(Role::CounterOfficer, |s| s.role);
        self.require(&[role, Role::UnitLeader, Role::AgencyLeader])?;
        if let (Some(assignee), Some(me)) = (self.old.assignee, self.actor.staff_id())
            && assignee != me
            && !self.actor.is_leader()
        {
            return Err(TransitionError::Rule(
                "hồ sơ đã được phân công cho cán bộ khác".into(),
            ));
        }
        Ok(())
    }

    fn rule(message: impl Into<String>) -> TransitionError {
        TransitionError::Rule(message.into())
    }

    /// Leaves the current step and enters `next`, with its agency and deadline.
    fn enter_step(&mut self, next: usize) -> Result<(), TransitionError> {
        if let Some(due) = self.old.step_due {
            self.step_outcome = Some(Outcome::of(self.now, due));
        }
        let step = self
            .new
            .steps
            .get(next)
            .cloned()
            .ok_or_else(|| Self::rule("quy trình không có bước tiếp theo"))?;
        self.new.step = next;
        self.new.current_agency = step.agency_id;
        self.new.assignee = None;
        self.new.step_started_at = self.now;
        let start = self.calendar.clock_start(self.now, None)?;
        self.new.step_due = Some(
            self.calendar
                .add_working_seconds(start, i64::from(step.hours) * 3600)?,
        );
        Ok(())
    }

    /// Starts the overall clock at acceptance.
    fn start_clock(&mut self) -> Result<(), TransitionError> {
        let d = self.calendar.deadline(&self.old.policy, self.now)?;
        self.new.accepted_at = Some(self.now);
        self.new.clock_start = Some(d.start);
        self.new.due = Some(d.due);
        Ok(())
    }

    /// Moves the appointment after a wait for the citizen that began at `paused_at` and
    /// ends now, by `policy`; `restart_clock` also records the clock's new start.
    fn resume_clock(
        &mut self,
        policy: crate::calendar::DeadlinePolicy,
        paused_at: Instant,
        restart_clock: bool,
    ) -> Result<(), TransitionError> {
        if let (Some(due), Some(start)) = (self.old.due, self.old.clock_start) {
            let before = Deadline {
                received: self.old.received_at,
                start,
                due,
            };
            let after = self
                .calendar
                .resume(&policy, &before, paused_at, self.now)?;
            if restart_clock {
                self.new.clock_start = Some(after.start);
            }
            self.new.due = Some(after.due);
        }
        Ok(())
    }

    fn finish(&mut self, status: Status) {
        self.new.status = status;
        self.new.finished_at = Some(self.now);
        self.new.outcome = self.old.due.map(|due| Outcome::of(self.now, due));
    }

    fn run(mut self) -> Result<Effect, TransitionError> {
        use Status::*;
        let counter = [Role::CounterOfficer, Role::UnitLeader, Role::AgencyLeader];
        let specialist = [Role::Specialist, Role::UnitLeader, Role::AgencyLeader];
        let leader = [Role::UnitLeader, Role::AgencyLeader];
        let officer = [
            Role::CounterOfficer,
            Role::Specialist,
            Role::UnitLeader,
            Role::AgencyLeader,
        ];
        match self.action {
            Action::Accept => {
                self.status_in(&[Submitted])?;
                self.require(&counter)?;
                self.new.status = Accepted;
                self.start_clock()?;
                self.new.step_started_at = self.now;
                self.enter_step(0)?;
                self.step_outcome = None;
                self.events.push(Event::Received);
            }
            Action::RefuseIntake { reason } => {
                self.status_in(&[Submitted])?;
                self.require(&counter)?;
                self.new.reason = Some(text("reason", reason)?);
                self.new.status = Refused;
                self.new.finished_at = Some(self.now);
                self.events.push(Event::Refused);
            }
            Action::Forward { .. } => {
                self.status_in(&[Accepted, Processing])?;
                self.require_step_actor()?;
                let next = self.old.step + 1;
                if next > self.old.approval_step() {
                    return Err(Self::rule(
                        "đây là bước phê duyệt: dùng “Phê duyệt kết quả” để hoàn thành",
                    ));
                }
                self.new.status = Processing;
                self.enter_step(next)?;
            }
            Action::Assign { staff_id } => {
                self.status_in(&[Accepted, Processing])?;
                self.require(&leader)?;
                if *staff_id <= 0 {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "staff_id",
                        "cán bộ được phân công không hợp lệ",
                    )));
                }
                self.new.assignee = Some(*staff_id);
            }
            Action::Appraise { note } => {
                self.status_in(&[Processing])?;
                self.require_step_actor()?;
                text("note", note)?;
            }
            Action::SendBack { note } => {
                self.status_in(&[Processing])?;
                self.require(&leader)?;
                text("note", note)?;
                if self.old.step < 2 {
                    return Err(Self::rule("không có bước xử lý trước để trả lại"));
                }
                self.enter_step(self.old.step - 1)?;
            }
            Action::RequestSupplement { missing, reason } => {
                self.status_in(&[Submitted, Accepted, Processing])?;
                self.require(&officer)?;
                if self.old.supplement.is_some() {
                    return Err(Self::rule(
                        "hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu lần thứ hai",
                    ));
                }
                if let Some(start) = self.old.clock_start {
                    let limit = 3 * self.calendar.day_seconds();
                    if self.calendar.working_seconds_between(start, self.now)? > limit {
                        return Err(Self::rule(
                            "đã quá 03 ngày làm việc kể từ khi tiếp nhận: không được yêu cầu bổ sung",
                        ));
                    }
                }
                let missing: Vec<String> = missing
                    .iter()
                    .map(|m| crate::text::nfc(m.trim()))
                    .filter(|m| !m.is_empty())
                    .collect();
                if missing.is_empty() {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "missing",
                        "cần liệt kê ít nhất một giấy tờ cần bổ sung",
                    )));
                }
                self.new.supplement = Some(Supplement {
                    requested_at: self.now,
                    missing,
                    reason: text("reason", reason)?,
                    resume_status: self.old.status,
                    resume_step: self.old.step,
                    received_at: None,
                    due_before: self.old.due,
                    submitted_at: None,
                });
                self.new.status = AwaitingSupplement;
                self.events.push(Event::SupplementRequested);
            }
            Action::SubmitSupplement { .. } => {
                self.status_in(&[AwaitingSupplement])?;
                if !matches!(self.actor, Actor::Citizen { owner: true }) {
                    return Err(TransitionError::Forbidden {
                        action: self.action.label_vi(),
                        needed: "chủ hồ sơ".into(),
                    });
                }
                let Some(mut supplement) = self.old.supplement.clone() else {
                    return Err(Self::rule("không tìm thấy yêu cầu bổ sung"));
                };
                supplement.submitted_at = Some(self.now);
                self.new.supplement = Some(supplement);
            }
            Action::ReceiveSupplement { .. } => {
                self.status_in(&[AwaitingSupplement])?;
                self.require(&counter)?;
                let Some(mut supplement) = self.old.supplement.clone() else {
                    return Err(Self::rule("không tìm thấy yêu cầu bổ sung"));
                };
                supplement.received_at = Some(self.now);
                self.new.status = supplement.resume_status;
                self.resume_clock(self.old.policy, supplement.requested_at, true)?;
                let step = supplement.resume_step;
                self.new.supplement = Some(supplement);
                self.enter_step(step)?;
                self.step_outcome = None;
            }
            Action::Consult {
                agency_id,
                question,
                hours,
            } => {
                self.status_in(&[Processing])?;
                self.require(&specialist)?;
                if *agency_id == self.old.current_agency {
                    return Err(Self::rule("không thể lấy ý kiến chính cơ quan đang xử lý"));
                }
                if *hours == 0 || *hours > 8 * 60 {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "hours",
                        "thời hạn trả lời phải từ 1 đến 480 giờ làm việc",
                    )));
                }
                let start = self.calendar.clock_start(self.now, None)?;
                let due = self
                    .calendar
                    .add_working_seconds(start, i64::from(*hours) * 3600)?;
                self.new.consultations.push(Consultation {
                    agency_id: *agency_id,
                    question: text("question", question)?,
                    asked_at: self.now,
                    due,
                    answer: None,
                    answered_at: None,
                });
            }
            Action::AnswerConsultation { index, answer } => {
                self.status_in(&[Processing, AwaitingPayment, AwaitingSupplement])?;
                self.require(&specialist)?;
                let answer = text("answer", answer)?;
                let consultation = self
                    .new
                    .consultations
                    .get_mut(*index)
                    .ok_or_else(|| Self::rule("không có yêu cầu lấy ý kiến này"))?;
                if consultation.answered_at.is_some() {
                    return Err(Self::rule("ý kiến này đã được trả lời"));
                }
                consultation.answer = Some(answer);
                consultation.answered_at = Some(self.now);
                let outcome = Outcome::of(self.now, consultation.due);
                self.new.step_tally.count(outcome);
            }
            Action::HandOff { agency_id, .. } => {
                self.status_in(&[Accepted, Processing])?;
                self.require(&officer)?;
                if *agency_id == self.old.current_agency {
                    return Err(Self::rule("hồ sơ đang ở chính cơ quan này"));
                }
                // Liên thông: the sending agency's part ends (its outcome counted against
                // its own deadline) and the receiving agency gets the step's own time from
                // the workflow, counted from now, not what the sender had left.
                let step = self.old.step;
                if let Some(due) = self.old.step_due {
                    self.step_outcome = Some(Outcome::of(self.now, due));
                }
                let hours = self.old.current_step().map_or(0, |s| s.hours);
                if let Some(s) = self.new.steps.get_mut(step) {
                    s.pinned_agency.get_or_insert(s.agency_id);
                    s.agency_id = *agency_id;
                }
                self.new.current_agency = *agency_id;
                self.new.assignee = None;
                self.new.step_started_at = self.now;
                let start = self.calendar.clock_start(self.now, None)?;
                self.new.step_due = Some(
                    self.calendar
                        .add_working_seconds(start, i64::from(hours) * 3600)?,
                );
            }
            Action::RequestPayment { amount_vnd, .. } => {
                self.status_in(&[Processing])?;
                self.require(&specialist)?;
                if *amount_vnd <= 0 {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "amount_vnd",
                        "số tiền phải lớn hơn 0",
                    )));
                }
                self.new.payment = Some(Payment {
                    amount_vnd: *amount_vnd,
                    requested_at: self.now,
                    paid_at: None,
                });
                self.new.status = AwaitingPayment;
                self.events.push(Event::PaymentRequested);
            }
            Action::ConfirmPayment => {
                self.status_in(&[AwaitingPayment])?;
                if *self.actor != Actor::Gateway {
                    self.require(&crate::payment::RECORDING_ROLES)?;
                }
                let Some(mut payment) = self.old.payment.clone() else {
                    return Err(Self::rule("không có yêu cầu nộp phí"));
                };
                payment.paid_at = Some(self.now);
                // Time waiting for the citizen's payment does not count against the agency.
                let mut paused = self.old.policy;
                paused.suspension = SuspensionPolicy::Pause;
                self.resume_clock(paused, payment.requested_at, false)?;
                self.new.payment = Some(payment);
                self.new.status = Processing;
            }
            Action::ProposeApology { reason, new_due } => {
                self.status_in(&[Accepted, Processing, AwaitingPayment])?;
                self.require(&specialist)?;
                if self.old.apology.is_some() {
                    return Err(Self::rule(
                        "hồ sơ đã có phiếu xin lỗi; chỉ được hẹn lại ngày trả kết quả một lần",
                    ));
                }
                let Some(due) = self.old.due else {
                    return Err(Self::rule("hồ sơ chưa có ngày hẹn trả"));
                };
                // A dossier already late still owes the citizen the letter: it is allowed
                // and, once issued, recorded as issued late.
                if *new_due <= due || *new_due <= self.now {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "new_due",
                        "ngày hẹn mới phải sau ngày hẹn cũ và sau thời điểm hiện tại",
                    )));
                }
                let latest = self
                    .old
                    .policy
                    .apology_latest(self.calendar, due, self.now)?;
                if *new_due > latest {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "new_due",
                        format!(
                            "ngày hẹn mới không được muộn hơn {}",
                            crate::calendar::format_vi(latest)
                        ),
                    )));
                }
                self.new.apology = Some(Apology {
                    reason: text("reason", reason)?,
                    previous_due: due,
                    new_due: *new_due,
                    proposed_by: self.actor.staff_id().unwrap_or(0),
                    proposed_at: self.now,
                    approved_by: None,
                    approved_at: None,
                    issued_late: false,
                });
            }
            Action::ApproveApology => {
                self.status_in(&[Accepted, Processing, AwaitingPayment])?;
                // The head of the competent agency or a deputy signing for the head (KT.);
                // a unit head may not (the actor's roles are those over that agency).
                self.require(&[Role::AgencyLeader])?;
                let Some(mut apology) = self.old.apology.clone() else {
                    return Err(Self::rule("chưa có đề xuất xin lỗi để duyệt"));
                };
                if apology.approved_at.is_some() {
                    return Err(Self::rule("phiếu xin lỗi đã được duyệt"));
                }
                apology.approved_by = self.actor.staff_id();
                apology.approved_at = Some(self.now);
                // Due at the latest one working day before the appointment it moves.
                apology.issued_late = self
                    .calendar
                    .working_seconds_remaining(self.now, apology.previous_due)?
                    < self.calendar.day_seconds();
                self.new.due = Some(apology.new_due);
                self.new.apology = Some(apology);
                self.events.push(Event::ApologyIssued);
            }
            Action::Approve { .. } => {
                self.status_in(&[Accepted, Processing])?;
                self.require_step_actor()?;
                if self.old.step != self.old.approval_step() {
                    return Err(Self::rule(
                        "chỉ phê duyệt được ở bước phê duyệt của quy trình",
                    ));
                }
                let last = self.old.steps.len().saturating_sub(1);
                self.enter_step(last)?;
                self.finish(ResultReady);
                self.events
                    .push(if self.new.outcome == Some(Outcome::Early) {
                        Event::ResultReadyEarly
                    } else {
                        Event::ResultReady
                    });
            }
            Action::Reject { reason } => {
                self.status_in(&[Processing])?;
                self.require(&leader)?;
                self.new.reason = Some(text("reason", reason)?);
                self.new.rejected = true;
                self.finish(Stopped);
                self.events.push(Event::Rejected);
            }
            Action::Stop { reason } => {
                self.status_in(&[Accepted, Processing, AwaitingSupplement, AwaitingPayment])?;
                self.require(&leader)?;
                self.new.reason = Some(text("reason", reason)?);
                self.finish(Stopped);
                self.events.push(Event::Stopped);
            }
            Action::Withdraw { reason } => {
                self.status_in(&Status::WITHDRAWABLE)?;
                let allowed = matches!(self.actor, Actor::Citizen { owner: true })
                    || self.actor.has_any(&counter);
                if !allowed {
                    return Err(TransitionError::Forbidden {
                        action: self.action.label_vi(),
                        needed: "chủ hồ sơ hoặc Công chức một cửa".into(),
                    });
                }
                self.new.reason = reason.as_deref().map(|r| crate::text::nfc(r.trim()));
                self.new.status = Withdrawn;
                self.new.finished_at = Some(self.now);
                self.events.push(Event::Withdrawn);
            }
            Action::Return { method, tracking } => {
                self.status_in(&[ResultReady])?;
                self.require(&counter)?;
                let tracking = tracking
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string);
                if *method == ReturnMethod::Post && tracking.is_none() {
                    return Err(TransitionError::Invalid(FieldError::new(
                        "tracking",
                        "trả qua bưu chính cần số hiệu bưu gửi",
                    )));
                }
                if let Some(due) = self.old.step_due {
                    self.step_outcome = Some(Outcome::of(self.now, due));
                }
                self.new.handover = Some(Handover {
                    method: *method,
                    tracking,
                    returned_at: self.now,
                });
                self.new.status = Returned;
                self.events.push(Event::Returned);
                self.events.push(Event::RatingInvitation);
            }
        }
        if let Some(outcome) = self.step_outcome {
            self.new.step_tally.count(outcome);
        }
        if self.new.due_record.is_empty() {
            // A state stored before the record was kept: start it from what is known.
            self.new.due_record = self.old.due_changes();
        }
        self.new.note_due(self.now);
        Ok(Effect {
            state: self.new,
            step_outcome: self.step_outcome,
            events: self.events,
        })
    }
}

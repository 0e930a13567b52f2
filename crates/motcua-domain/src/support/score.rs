//! Đếm và chấm điểm — how cases are counted (received, handled on time or late, forwarded,
//! refused, still open, overdue), which appointment a case answers to in each state, and the
//! two scores computed from them: TT 01/2018's indicator 8 and ND 61's rating criterion (g).

use serde::{Deserialize, Serialize};

use super::{Kind, State};
use crate::calendar::{Instant, is_late};

/// The appointment a case in `state` answers to: classification (accept, forward or
/// refuse) by `classify_due` while received and for the cases that ended there; the answer
/// by `due` otherwise.
pub fn due_in(state: State, classify_due: Instant, due: Instant) -> Instant {
    match state {
        State::Received | State::Forwarded | State::Refused => classify_due,
        _ => due,
    }
}

/// One case as the counts read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub kind: Kind,
    pub state: State,
    pub received_at: Instant,
    pub classify_due: Instant,
    pub due: Instant,
    pub ended_at: Option<Instant>,
    pub published_at: Option<Instant>,
}

/// Counts of cases (of one agency and kind, or any grouping the caller makes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Received in the period.
    pub received: i64,
    /// Ended in the period (answered, forwarded or refused) by their appointment.
    pub on_time: i64,
    /// Ended in the period after their appointment.
    pub late: i64,
    /// Of those ended: answered (with or without publication).
    pub answered: i64,
    pub forwarded: i64,
    pub refused: i64,
    /// Published in the period.
    pub published: i64,
    /// Still open at the period's end.
    pub open: i64,
    /// Open at the period's end and past their appointment: kéo dài.
    pub overdue: i64,
}

impl Tally {
    /// Counts `case` for the period `[from, to)`; one still open at `to` is judged overdue
    /// at `to`, or at `now` for a period not yet over.
    pub fn add(&mut self, case: &Counted, from: Instant, to: Instant, now: Instant) {
        let within = |t: Instant| t >= from && t < to;
        if within(case.received_at) {
            self.received += 1;
        }
        if case.published_at.is_some_and(within) {
            self.published += 1;
        }
        let due = due_in(case.state, case.classify_due, case.due);
        match case.ended_at {
            Some(end) if within(end) => {
                if is_late(end, due) {
                    self.late += 1;
                } else {
                    self.on_time += 1;
                }
                match case.state {
                    State::Forwarded => self.forwarded += 1,
                    State::Refused => self.refused += 1,
                    _ => self.answered += 1,
                }
            }
            // Open at `to`: received before it and not ended by then.
            Some(end) if end >= to && case.received_at < to => self.open_at(due, to.min(now)),
            None if case.received_at < to => self.open_at(due, to.min(now)),
            _ => {}
        }
    }

    fn open_at(&mut self, due: Instant, at: Instant) {
        self.open += 1;
        if is_late(at, due) {
            self.overdue += 1;
        }
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) {
        self.received += other.received;
        self.on_time += other.on_time;
        self.late += other.late;
        self.answered += other.answered;
        self.forwarded += other.forwarded;
        self.refused += other.refused;
        self.published += other.published;
        self.open += other.open;
        self.overdue += other.overdue;
    }

    /// Share ended on time, when any ended.
    pub fn on_time_share(&self) -> Option<f64> {
        let ended = self.on_time + self.late;
        (ended > 0).then(|| self.on_time as f64 / ended as f64)
    }
}

/// TT 01/2018 chỉ số 8 — handling of feedback and petitions, from the unit's feedback
/// cases (questions are not feedback): 2 with none, or all handled on time; 1 with at least
/// 90 % on time; 0 below 90 % or with any case left overdue (kéo dài).
pub fn feedback_indicator(feedback: &Tally) -> f64 {
    if feedback.overdue > 0 {
        return 0.0;
    }
    match feedback.on_time_share() {
        None => 2.0,
        Some(s) if s >= 1.0 => 2.0,
        Some(s) if s >= 0.9 => 1.0,
        Some(_) => 0.0,
    }
}

/// ND 61 art. 31 tiêu chí (g) — "việc tiếp nhận, trả lời phản ánh, kiến nghị", scored as the
/// rating form scores its answers: each feedback answered on time 2, answered late 1, left
/// unanswered past its appointment 0; their average, or 2 when there was no feedback ("không
/// có phản ánh").
pub fn complaints_criterion(feedback: &Tally) -> f64 {
    let n = feedback.on_time + feedback.late + feedback.overdue;
    if n == 0 {
        return 2.0;
    }
    let points = 2 * feedback.on_time + feedback.late;
    crate::evaluation::round1(points as f64 / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_8_follows_tt01() {
        let t = |on_time, late, overdue| Tally {
            on_time,
            late,
            overdue,
            ..Tally::default()
        };
        assert_eq!(feedback_indicator(&t(0, 0, 0)), 2.0, "none: full points");
        assert_eq!(feedback_indicator(&t(10, 0, 0)), 2.0);
        assert_eq!(feedback_indicator(&t(9, 1, 0)), 1.0, "90 % on time");
        assert_eq!(feedback_indicator(&t(8, 1, 0)), 0.0, "below 90 %");
        assert_eq!(feedback_indicator(&t(10, 0, 1)), 0.0, "one prolonged case");
        assert_eq!(complaints_criterion(&t(0, 0, 0)), 2.0);
        assert_eq!(complaints_criterion(&t(1, 1, 1)), 1.0);
        assert_eq!(complaints_criterion(&t(2, 1, 0)), 1.7);
    }
}
